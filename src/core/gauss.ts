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
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let k = -r; k <= r; k++) v += taps[k + r]! * src[y * w + Math.min(w - 1, Math.max(0, x + k))]!;
      tmp[y * w + x] = v;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let k = -r; k <= r; k++) v += taps[k + r]! * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x]!;
      out[y * w + x] = v;
    }
  }
  return out;
}

/**
 * Blurs the colour channels of the `own` pixels (box-local 0/1) of `box` in `r` by a Gaussian of
 * `sigma` px, from the `own` pixels alone (normalised: the known pixels around them do not bleed
 * in). Pixels not `own`, and alpha, are left as they are.
 */
export function smoothOwn(r: Raster, box: Rect, own: Uint8Array, sigma: number): void {
  const { width: W, channels: c, data, maxValue: max } = r;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const taps = gaussianTaps(sigma);
  const m = new Float32Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) m[i] = own[i] ? 1 : 0;
  const weight = blur(m, bw, bh, taps);
  const plane = new Float32Array(bw * bh);
  for (let k = 0; k < colour; k++) {
    plane.fill(0);
    for (let y = 0; y < bh; y++) {
      for (let x = 0; x < bw; x++) if (own[y * bw + x]) plane[y * bw + x] = data[((box.top + y) * W + box.left + x) * c + k]!;
    }
    const low = blur(plane, bw, bh, taps);
    for (let y = 0; y < bh; y++) {
      for (let x = 0; x < bw; x++) {
        const i = y * bw + x;
        if (!own[i]) continue;
        const v = Math.round(low[i]! / weight[i]!);
        data[((box.top + y) * W + box.left + x) * c + k] = v < 0 ? 0 : v > max ? max : v;
      }
    }
  }
}
