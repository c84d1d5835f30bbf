/**
 * @file Binary masks: from a selection, grown by an exact Euclidean disk, from green paint.
 * Pure functions on typed arrays (no DOM, no Node).
 */
import { InpaintError, type Channel, type Mask, type Raster, type Rect } from './types';

/** An empty (all-keep) mask of the given size. */
export function emptyMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Selection channel -> binary mask at 50 %: a pixel is a hole iff value * 2 >= maxValue (value > 0). */
export function selectionToMask(ch: Channel): Mask {
  const n = ch.width * ch.height;
  if (ch.data.length !== n) {
    throw new InpaintError('bad-input', `selection has ${ch.data.length} values for ${ch.width}x${ch.height} pixels`);
  }
  const out = new Uint8Array(n);
  const src = ch.data;
  const max = ch.maxValue;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v > 0 && v * 2 >= max ? 1 : 0;
  }
  return { width: ch.width, height: ch.height, data: out };
}

/**
 * Word-at-a-time scanning of a byte array for non-zero bytes: zero runs (most of a page mask)
 * are skipped four bytes per step. Works for any byte values (not only 0/1).
 */
export interface ByteScanner {
  /** Index of the first non-zero byte in [from, to), or -1. */
  next(from: number, to: number): number;
  /** Index of the last non-zero byte in [from, to), or -1. */
  prev(from: number, to: number): number;
}

export function byteScanner(d: Uint8Array): ByteScanner {
  // word k covers bytes base + 4k .. base + 4k + 3 (aligned in the underlying buffer)
  const base = (4 - (d.byteOffset & 3)) & 3;
  const words = d.length > base ? (d.length - base) >> 2 : 0;
  const w32 = words > 0 ? new Uint32Array(d.buffer, d.byteOffset + base, words) : new Uint32Array(0);
  return {
    next(from: number, to: number): number {
      let i = from;
      while (i < to && (i < base || ((i - base) & 3) !== 0)) {
        if (d[i]) return i;
        i++;
      }
      let k = (i - base) >> 2;
      while (i + 16 <= to && (w32[k]! | w32[k + 1]! | w32[k + 2]! | w32[k + 3]!) === 0) {
        k += 4;
        i += 16;
      }
      while (i + 4 <= to && w32[k] === 0) {
        k++;
        i += 4;
      }
      for (; i < to; i++) if (d[i]) return i;
      return -1;
    },
    prev(from: number, to: number): number {
      let i = to; // exclusive
      while (i > from && (i < base || ((i - base) & 3) !== 0)) {
        if (d[i - 1]) return i - 1;
        i--;
      }
      // i is word-aligned (or at from): skip whole zero words ending at i
      while (i - 16 >= from && i - 16 >= base) {
        const k = (i - 16 - base) >> 2;
        if ((w32[k]! | w32[k + 1]! | w32[k + 2]! | w32[k + 3]!) !== 0) break;
        i -= 16;
      }
      while (i - 4 >= from && i - 4 >= base && w32[(i - 4 - base) >> 2] === 0) i -= 4;
      for (; i > from; i--) if (d[i - 1]) return i - 1;
      return -1;
    },
  };
}

/** Number of hole pixels (non-zero bytes); zero runs are skipped a word at a time. */
export function maskCount(m: Mask): number {
  const d = m.data;
  const scan = byteScanner(d);
  let c = 0;
  for (let i = scan.next(0, d.length); i >= 0; i = scan.next(i, d.length)) {
    while (i < d.length && d[i]) {
      c++;
      i++;
    }
  }
  return c;
}

/**
 * Tight bounds of the hole pixels (right/bottom exclusive), or null when the mask is empty.
 * Cost: a word-at-a-time scan of the rows down to the first and up to the last hole row,
 * then, per row between them, only the parts left and right of the bounds found so far.
 */
export function maskBounds(m: Mask): Rect | null {
  const { width: w, data: d } = m;
  const scan = byteScanner(d);
  const n = m.width * m.height;
  const first = scan.next(0, n);
  if (first < 0) return null;
  const last = scan.prev(first, n);
  const top = Math.floor(first / w);
  const bottom = Math.floor(last / w) + 1;
  let left = first - top * w;
  let right = last - (bottom - 1) * w + 1;
  for (let y = top; y < bottom; y++) {
    const row = y * w;
    if (left > 0) {
      const i = scan.next(row, row + left);
      if (i >= 0) left = i - row;
    }
    if (right < w) {
      const i = scan.prev(row + right, row + w);
      if (i >= 0) right = i - row + 1;
    }
  }
  return { left, top, right, bottom };
}

/**
 * An all-keep mask of `m`'s size holding `m`'s pixels inside `r` (every hole of `m` when `r`
 * contains its bounds). Only the runs of hole pixels are written, so on a large page the rest
 * of the buffer stays untouched zero pages (no copy of the whole page, even for holes spread
 * over it).
 */
export function copyMaskRect(m: Mask, r: Rect): Mask {
  const { width: w, height: h, data: src } = m;
  const out = new Uint8Array(w * h);
  const x0 = Math.max(0, r.left);
  const x1 = Math.min(w, r.right);
  const scan = byteScanner(src);
  for (let y = Math.max(0, r.top); y < Math.min(h, r.bottom) && x1 > x0; y++) {
    const end = y * w + x1;
    for (let i = scan.next(y * w + x0, end); i >= 0; i = scan.next(i, end)) {
      for (; i < end && src[i]; i++) out[i] = src[i]!;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Squared 1-D distance transform of a sampled function (Felzenszwalb & Huttenlocher 2012):
 * d[q] = min_p (q - p)^2 + f[p], for q in [0, n). v, z are scratch (n and n + 1 long).
 */
export function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[q]! + q * q;
    let p = v[k]!;
    let s = (fq - (f[p]! + p * p)) / (2 * q - 2 * p);
    while (s <= z[k]!) {
      // z[0] is -Infinity, so this stops at k = 0
      k--;
      p = v[k]!;
      s = (fq - (f[p]! + p * p)) / (2 * q - 2 * p);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    d[q] = (q - p) * (q - p) + f[p]!;
  }
}

/**
 * Grows the hole by `radius` px as an exact Euclidean disk: a pixel becomes a hole iff its
 * Euclidean distance to the nearest hole pixel is <= radius. One exact squared distance
 * transform (Felzenszwalb-Huttenlocher), so the cost does not depend on the radius; work is
 * limited to the hole's bounds expanded by the radius. Returns a new mask.
 */
export function growMask(mask: Mask, radius: number): Mask {
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new InpaintError('bad-input', `grow radius must be a finite number >= 0, got ${radius}`);
  }
  const { width: w, height: h } = mask;
  const b = maskBounds(mask);
  if (!b) return { width: w, height: h, data: new Uint8Array(w * h) };
  // every hole lies inside b, so copying b's pixels copies the mask (untouched rows stay zero pages)
  const out = copyMaskRect(mask, b).data;
  if (radius < 1) return { width: w, height: h, data: out }; // below 1 px no neighbour is within reach
  const r = Math.floor(radius);
  const r2 = radius * radius;
  const x0 = Math.max(0, b.left - r);
  const y0 = Math.max(0, b.top - r);
  const x1 = Math.min(w, b.right + r);
  const y1 = Math.min(h, b.bottom + r);
  const bw = x1 - x0;
  const bh = y1 - y0;
  // Pass 1, rows: exact 1-D distance to the nearest hole in the same row, capped (values above
  // the cap can never be within the radius, so they are stored as the cap).
  const cap = r + 1;
  const g: Uint8Array | Uint16Array = cap < 255 ? new Uint8Array(bw * bh) : new Uint16Array(bw * bh);
  const src = mask.data;
  for (let y = 0; y < bh; y++) {
    const srow = (y + y0) * w + x0;
    const grow = y * bw;
    let dist = cap;
    for (let x = 0; x < bw; x++) {
      if (src[srow + x]) dist = 0;
      else if (dist < cap) dist++;
      g[grow + x] = dist;
    }
    dist = cap;
    for (let x = bw - 1; x >= 0; x--) {
      if (g[grow + x] === 0) dist = 0;
      else if (dist < cap) dist++;
      if (dist < g[grow + x]!) g[grow + x] = dist;
    }
  }
  // Pass 2, columns: lower envelope of parabolas over the squared row distances.
  const f = new Float64Array(bh);
  const d = new Float64Array(bh);
  const v = new Int32Array(bh);
  const z = new Float64Array(bh + 1);
  for (let x = 0; x < bw; x++) {
    let any = false;
    for (let y = 0; y < bh; y++) {
      const gv = g[y * bw + x]!;
      // A capped value stands for "at least cap": cap^2 > radius^2 keeps it out of reach.
      f[y] = gv * gv;
      if (gv < cap) any = true;
    }
    if (!any) continue;
    edt1d(f, bh, d, v, z);
    for (let y = 0; y < bh; y++) {
      if (d[y]! <= r2) out[(y + y0) * w + x + x0] = 1;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * The anti-aliased fringe of green paint: which pixels next to pure green are part of the paint.
 *
 * A soft-brush pixel is a blend p = a * green + (1 - a) * c of pure green and the page colour c.
 * A candidate (touching the paint found so far) is taken only if all three tests hold:
 *  1. Green excess: e = G - max(R, B) >= max / GREEN_EXCESS_DIVISOR (16 levels in 8-bit). Over a
 *     grey page e equals a * max, so every blend with a >= 1/16 passes; grey, dark, red, blue...
 *     pixels never do (grey manga pages are never touched).
 *  2. A blend of green over something beside it: for some neighbour q outside the paint (not
 *     green, not marked, not a candidate of the same layer), the blend weight of p on the segment
 *     q -> green, alpha = dot(p - q, g - q) / |g - q|^2, is >= FRINGE_MIN_ALPHA and p lies within
 *     max / FRINGE_MAX_RESIDUAL_DIVISOR + FRINGE_RESIDUAL_PER_PULL * alpha * |g - q| of
 *     alpha * g + (1 - alpha) * q (the page under a strong edge may be textured). A pixel with a green cast
 *     that is darker or lighter than its neighbours (JPEG chroma, tinted scans) is not on such a
 *     segment and is left alone. A strongly green pixel (e >= max / FRINGE_STRONG_DIVISOR, 51
 *     levels) needs no such neighbour: over a busy texture (screentone) the page under a soft
 *     edge can differ from every pixel beside it.
 *  3. Greener than everything beyond it: its green excess beats that of every such q by at
 *     least max / FRINGE_MARGIN_DIVISOR (2 levels in 8-bit): a soft edge fades outward, while
 *     greenish picture content (teal, foliage) beside a hard-edged bar has neighbours as green
 *     as itself, so it is left alone.
 * Fringe pixels must touch the paint through fringe pixels, at most `fringe` px deep. What a soft
 * edge can leave unmarked is a tint under 1/16 of full scale.
 */
export const GREEN_EXCESS_DIVISOR = 16;
export const FRINGE_MIN_ALPHA = 1 / 16;
export const FRINGE_MAX_RESIDUAL_DIVISOR = 16;
/** Extra residual allowed per unit of green pull alpha * |g - q| (texture under a strong edge). */
export const FRINGE_RESIDUAL_PER_PULL = 0.25;
export const FRINGE_MARGIN_DIVISOR = 128;
export const FRINGE_STRONG_DIVISOR = 5;

const CAND = 255;

/**
 * Mask of green paint (DeepCreamPy convention): every exact (0, max, 0) pixel, plus its
 * anti-aliased fringe (see GREEN_EXCESS_DIVISOR), at most `fringe` px deep (default 2).
 * Alpha is ignored. Gray rasters have no green: the mask is empty.
 */
export function greenMask(r: Raster, opts: { fringe?: number } = {}): Mask {
  const fringe = Math.max(0, Math.min(200, Math.floor(opts.fringe ?? 2)));
  const { width: w, height: h, channels: c, data, maxValue: max } = r;
  const n = w * h;
  if (data.length !== n * c) {
    throw new InpaintError('bad-input', `raster has ${data.length} values for ${w}x${h}x${c}`);
  }
  const label = new Uint8Array(n); // 0 none, 1 pure green, k + 1 fringe layer k
  if (c < 3) return { width: w, height: h, data: label };
  let any = false;
  let top = h;
  let bottom = -1;
  let left = w;
  let right = -1;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const o = i * c;
      if (data[o + 1] === max && data[o] === 0 && data[o + 2] === 0) {
        label[i] = 1;
        any = true;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (any && fringe > 0) {
    const t = max / GREEN_EXCESS_DIVISOR;
    const resBase = max / FRINGE_MAX_RESIDUAL_DIVISOR;
    const strong = max / FRINGE_STRONG_DIVISOR;
    const marginMin = max / FRINGE_MARGIN_DIVISOR;
    let cand = new Int32Array(1024);
    for (let layer = 1; layer <= fringe; layer++) {
      const mark = layer + 1;
      const ys = Math.max(0, top - 1);
      const ye = Math.min(h - 1, bottom + 1);
      const xs = Math.max(0, left - 1);
      const xe = Math.min(w - 1, right + 1);
      // 1. candidates: greenish, touching a pixel marked in an earlier layer
      let nc = 0;
      for (let y = ys; y <= ye; y++) {
        for (let x = xs; x <= xe; x++) {
          const i = y * w + x;
          if (label[i]) continue;
          const o = i * c;
          const rb = data[o]! > data[o + 2]! ? data[o]! : data[o + 2]!;
          if (data[o + 1]! - rb < t) continue;
          let hit = false;
          for (let dy = -1; dy <= 1 && !hit; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= h) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx;
              if (xx < 0 || xx >= w) continue;
              const l = label[yy * w + xx]!;
              if (l !== 0 && l < mark) {
                hit = true;
                break;
              }
            }
          }
          if (!hit) continue;
          if (nc === cand.length) {
            const bigger = new Int32Array(cand.length * 2);
            bigger.set(cand);
            cand = bigger;
          }
          cand[nc++] = i;
          label[i] = CAND;
        }
      }
      if (nc === 0) break;
      // 2. keep the candidates that are pulled toward green relative to every outside neighbour
      for (let k = 0; k < nc; k++) {
        const i = cand[k]!;
        const x = i % w;
        const y = (i - x) / w;
        const o = i * c;
        const pr = data[o]!;
        const pg = data[o + 1]!;
        const pb = data[o + 2]!;
        const exP = pg - (pr > pb ? pr : pb);
        let minMargin = Infinity;
        let blend = false;
        let candNeighbour = false;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            const j = yy * w + xx;
            const l = label[j]!;
            if (l !== 0) {
              // outside only: not paint, not marked, not a candidate
              if (l === CAND && j !== i) candNeighbour = true;
              continue;
            }
            const q = j * c;
            const qr = data[q]!;
            const qg = data[q + 1]!;
            const qb = data[q + 2]!;
            const gr = -qr;
            const gg = max - qg;
            const gb = -qb;
            const den = gr * gr + gg * gg + gb * gb;
            const alpha = den > 0 ? ((pr - qr) * gr + (pg - qg) * gg + (pb - qb) * gb) / den : 1;
            const margin = exP - (qg - (qr > qb ? qr : qb));
            if (margin < minMargin) minMargin = margin;
            const a = alpha < 0 ? 0 : alpha > 1 ? 1 : alpha;
            const rr = pr - qr - a * gr;
            const rg = pg - qg - a * gg;
            const rbb = pb - qb - a * gb;
            if (alpha >= FRINGE_MIN_ALPHA) {
              const tol = resBase + FRINGE_RESIDUAL_PER_PULL * a * Math.sqrt(den);
              if (rr * rr + rg * rg + rbb * rbb <= tol * tol) blend = true;
            }
          }
        }
        // decided after the whole layer: the label stays CAND until then
        // with no outside neighbour: taken only when enclosed by paint (a speck inside a stroke)
        const ok = minMargin === Infinity ? !candNeighbour : (blend || exP >= strong) && minMargin >= marginMin;
        cand[k] = ok ? i : -1 - i;
      }
      let kept = 0;
      for (let k = 0; k < nc; k++) {
        const v = cand[k]!;
        if (v >= 0) {
          label[v] = mark;
          kept++;
        } else label[-1 - v] = 0; // may be taken by a later layer, judged against the paint grown so far
      }
      if (kept === 0) break;
      top = ys;
      bottom = ye;
      left = xs;
      right = xe;
    }
  }
  // every label lies inside the (grown) bounds: only those rows are touched again
  for (let y = any ? top : h; y <= bottom; y++) {
    for (let i = y * w + left, e = y * w + right; i <= e; i++) if (label[i]) label[i] = 1;
  }
  return { width: w, height: h, data: label };
}

/** Hole pixels of `a` or `b` (same size). */
export function maskUnion(a: Mask, b: Mask): Mask {
  if (a.width !== b.width || a.height !== b.height) {
    throw new InpaintError('bad-input', `masks differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  }
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! | b.data[i]!;
  return { width: a.width, height: a.height, data: out };
}
