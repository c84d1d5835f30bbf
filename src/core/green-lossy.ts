/**
 * @file Green paint on lossy pages (JPEG, lossy WebP): the paint is no longer exact #00FF00.
 * Compression keeps the inside of a painted area near pure green but spreads its colour over a
 * few pixels around it (chroma subsampling, block ringing), and only ~10 % of painted pixels stay
 * exactly (0, 255, 0). `lossyGreenMask` takes the paint by colour distance and connectivity:
 *
 *  1. Core: pixels within CORE_DIST (Euclidean RGB distance, of full scale) of pure green, in
 *     8-connected components that hold at least SEED_MIN near-pure pixels (every channel within
 *     SEED_TOL of (0, max, 0)). The saturated greens of an illustration are farther than that from
 *     pure green (lime (50, 205, 50): 0.34; lawn (124, 252, 0): 0.49; spring (0, 255, 127): 0.5),
 *     so they neither make a core nor join the paint's.
 *  2. Halo: greenish pixels (green excess G - max(R, B) >= HALO_EXCESS) touching the core through
 *     halo pixels, at most `reach` px deep, each greener than every pixel beyond it by at least
 *     HALO_MARGIN (a compression halo fades outward; green picture content next to the paint is
 *     as green as its own neighbours, so at most a pixel of it is taken where it is darker than
 *     its own neighbours).
 *
 * Pure (typed arrays, no DOM, no Node). Measured on tests/cli's real files in docs/cli.md.
 */
import { InpaintError, type Mask, type Raster } from './types';

/** Core: Euclidean RGB distance to (0, max, 0) at most this fraction of full scale. */
export const CORE_DIST = 0.25;
/** A core component must hold this many near-pure pixels... */
export const SEED_MIN = 4;
/** ...every channel within this fraction of full scale of (0, max, 0). */
export const SEED_TOL = 0.1;
/** Halo: green excess at least this fraction of full scale (32 levels in 8-bit). */
export const HALO_EXCESS = 1 / 8;
/** Halo: greener than every outside neighbour by this fraction (4 levels in 8-bit). */
export const HALO_MARGIN = 1 / 64;
/** Default halo depth in px. */
export const HALO_REACH = 4;

/**
 * Mask of green paint on a lossy page (see the file comment). Gray rasters have no green: the
 * mask is empty. Alpha is ignored.
 */
export function lossyGreenMask(r: Raster, opts: { reach?: number } = {}): Mask {
  const reach = Math.max(0, Math.min(64, Math.floor(opts.reach ?? HALO_REACH)));
  const { width: w, height: h, channels: c, data, maxValue: max } = r;
  const n = w * h;
  if (data.length !== n * c) throw new InpaintError('bad-input', `raster has ${data.length} values for ${w}x${h}x${c}`);
  const label = new Uint8Array(n);
  if (c < 3) return { width: w, height: h, data: label };
  const d2 = CORE_DIST * max * (CORE_DIST * max);
  const seedLo = max - SEED_TOL * max;
  const seedHi = SEED_TOL * max;
  // 1. core pixels (label 2), then components without enough seeds dropped
  for (let i = 0, o = 0; i < n; i++, o += c) {
    const dg = max - data[o + 1]!;
    if (data[o]! * data[o]! + dg * dg + data[o + 2]! * data[o + 2]! <= d2) label[i] = 2;
  }
  const stack = new Int32Array(n);
  const comp: number[] = [];
  for (let s = 0; s < n; s++) {
    if (label[s] !== 2) continue;
    let seeds = 0;
    let top = 0;
    comp.length = 0;
    stack[top++] = s;
    label[s] = 3; // visited
    while (top > 0) {
      const i = stack[--top]!;
      comp.push(i);
      const o = i * c;
      if (data[o + 1]! >= seedLo && data[o]! <= seedHi && data[o + 2]! <= seedHi) seeds++;
      const x = i % w;
      const y = (i - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (label[j] === 2) {
            label[j] = 3;
            stack[top++] = j;
          }
        }
      }
    }
    const keep = seeds >= SEED_MIN ? 1 : 4; // 4: looked at, not paint
    for (const i of comp) label[i] = keep;
  }
  for (let i = 0; i < n; i++) if (label[i] === 4) label[i] = 0;
  // 2. halo layers: label 1 core, k + 1 halo layer k, CAND while being judged
  const CAND = 255;
  const t = HALO_EXCESS * max;
  const margin = HALO_MARGIN * max;
  const excess = (i: number): number => {
    const o = i * c;
    const rb = data[o]! > data[o + 2]! ? data[o]! : data[o + 2]!;
    return data[o + 1]! - rb;
  };
  let frontier: number[] = [];
  for (let i = 0; i < n; i++) if (label[i] === 1) frontier.push(i);
  for (let layer = 1; layer <= reach && frontier.length > 0; layer++) {
    const mark = layer + 1;
    const cand: number[] = [];
    for (const f of frontier) {
      const x = f % w;
      const y = (f - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (label[j] || excess(j) < t) continue;
          label[j] = CAND;
          cand.push(j);
        }
      }
    }
    const kept: number[] = [];
    for (const i of cand) {
      const e = excess(i);
      const x = i % w;
      const y = (i - x) / w;
      let ok = true;
      for (let dy = -1; dy <= 1 && ok; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (label[j] === 0 && e - excess(j) < margin) {
            ok = false;
            break;
          }
        }
      }
      if (ok) kept.push(i);
    }
    for (const i of cand) label[i] = 0;
    for (const i of kept) label[i] = mark;
    frontier = kept;
  }
  for (let i = 0; i < n; i++) if (label[i]) label[i] = 1;
  return { width: w, height: h, data: label };
}
