/**
 * @file Gaussian blurs on box-local planes, and a blur of a fill restricted to its own pixels.
 *
 * `smoothOwn` is how the default fill drops the network's own fine detail on grey pages before the
 * page's detail is added (pipeline/modes.ts): on dot screentone the network paints vertical
 * stripes where the page has dots (its high-frequency loss asks for energy it cannot put in phase);
 * blurred, its tones stay and the grain comes from the page (core/texture/detail.ts).
 *
 * Pure: typed arrays only.
 */
import type { Raster, Rect } from './types';

/** Normalised 1-D Gaussian taps, radius ceil(3 sigma). */
export function gaussianTaps(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const t = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += t[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < t.length; i++) t[i]! /= sum;
  return t;
}

/** Separable blur of a w x h plane by `taps` (gaussianTaps), edges clamped. */
export function blur(src: Float32Array, w: number, h: number, taps: Float32Array): Float32Array {
  const r = (taps.length - 1) / 2;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  // rows: clamped at the ends, a plain dot product in between
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let v = 0;
      if (x >= r && x + r < w) {
        for (let k = 0, j = row + x - r; k <= 2 * r; k++, j++) v += taps[k]! * src[j]!;
      } else {
        for (let k = -r; k <= r; k++) v += taps[k + r]! * src[row + Math.min(w - 1, Math.max(0, x + k))]!;
      }
      tmp[row + x] = v;
    }
  }
  // columns, a whole row at a time (memory order)
  for (let y = 0; y < h; y++) {
    const dst = y * w;
    for (let k = -r; k <= r; k++) {
      const t = taps[k + r]!;
      const srcRow = Math.min(h - 1, Math.max(0, y + k)) * w;
      for (let x = 0; x < w; x++) out[dst + x]! += t * tmp[srcRow + x]!;
    }
  }
  return out;
}

/**
 * Blurs the colour channels of the `own` pixels (box-local 0/1) of `box` in `r` by a Gaussian of
 * `sigma` px, from the `own` pixels alone (normalised: the known pixels around them do not bleed
 * in). Pixels not `own`, and alpha, are left as they are. `grey`: the colour channels are equal
 * on those pixels (a grey page), so one is blurred and written to all.
 */
export function smoothOwn(r: Raster, box: Rect, own: Uint8Array, sigma: number, grey = false): void {
  const { width: W, channels: c, data, maxValue: max } = r;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  // work on the own pixels' bounds (plus the blur's reach) only
  let x0 = bw;
  let y0 = bh;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      if (!own[y * bw + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return;
  const taps = gaussianTaps(sigma);
  const reach = (taps.length - 1) / 2;
  x0 = Math.max(0, x0 - reach);
  y0 = Math.max(0, y0 - reach);
  x1 = Math.min(bw - 1, x1 + reach);
  y1 = Math.min(bh - 1, y1 + reach);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = own[(y0 + y) * bw + x0 + x]! ? 1 : 0;
  const weight = blur(m, w, h, taps);
  const plane = new Float32Array(w * h);
  const at = (x: number, y: number): number => ((box.top + y0 + y) * W + box.left + x0 + x) * c;
  for (let k = 0; k < (grey ? 1 : colour); k++) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) plane[y * w + x] = m[y * w + x] ? data[at(x, y) + k]! : 0;
    const low = blur(plane, w, h, taps);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (!m[i]) continue;
        const v = Math.round(low[i]! / weight[i]!);
        const o = at(x, y);
        const q = v < 0 ? 0 : v > max ? max : v;
        if (grey) for (let j = 0; j < colour; j++) data[o + j] = q;
        else data[o + k] = q;
      }
    }
  }
}
