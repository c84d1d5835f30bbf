/**
 * @file refineTexture on a box of a Raster, for the pipeline: after the model's fill has been
 * composited into the output raster (hole pixels hold the guide, every other pixel the original),
 * the box is read at full resolution, refined, and its hole pixels written back. Nothing outside
 * the mask and no alpha value is ever written.
 */
import { isGrayscale } from '../composite';
import type { Mask, Raster, Rect } from '../types';
import { refineTexture, type TextureMode, type TextureOptions } from './index';

export interface RasterTextureOptions extends Omit<TextureOptions, 'width' | 'height' | 'channels' | 'mode'> {
  readonly mode?: TextureMode;
  /**
   * Boxes with more pixels than this are left as the model filled them (memory and time grow with
   * the box). Default 4,194,304 (2048 x 2048).
   */
  readonly maxPixels?: number;
  /** A box whose known pixels have |R-G|, |B-G| within this many 8-bit levels is refined as grey. Default 3. */
  readonly greyTolerance8bit?: number;
}

export interface RasterTextureReport {
  /** false when the box was skipped (mode 'off', no hole pixel, or over maxPixels). */
  readonly applied: boolean;
  readonly refinedPixels: number;
  readonly holePixels: number;
}

/**
 * Refines, in place, the hole pixels of `out` inside `box`. `out` must already hold the model's
 * fill in the hole (the guide) and the original pixels elsewhere; `mask` is the image's hole mask.
 */
export function refineRasterBox(out: Raster, mask: Mask, box: Rect, opts: RasterTextureOptions = {}): RasterTextureReport {
  const { width: W, height: H, channels: c, maxValue: max, data } = out;
  if (mask.width !== W || mask.height !== H || mask.data.length !== W * H) {
    throw new RangeError(`refineRasterBox: mask is ${mask.width}x${mask.height} but the image is ${W}x${H}`);
  }
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  const right = Math.min(W, box.right);
  const bottom = Math.min(H, box.bottom);
  const bw = right - left;
  const bh = bottom - top;
  const mode = opts.mode ?? 'auto';
  if (mode === 'off' || bw <= 0 || bh <= 0) return { applied: false, refinedPixels: 0, holePixels: 0 };
  const n = bw * bh;
  const m = new Uint8Array(n);
  let holes = 0;
  for (let y = 0; y < bh; y++) {
    const row = (top + y) * W + left;
    for (let x = 0; x < bw; x++) if (mask.data[row + x]) (m[y * bw + x] = 1), holes++;
  }
  if (holes === 0 || n > (opts.maxPixels ?? 2048 * 2048)) return { applied: false, refinedPixels: 0, holePixels: holes };

  const colour = c === 2 || c === 4 ? c - 1 : c;
  const tol = Math.round(((opts.greyTolerance8bit ?? 3) * max) / 255);
  const grey = colour === 1 || isGrayscale(out, { left, top, right, bottom }, { mask, tolerance: tol });
  const planes = grey ? 1 : 3;
  const inv = 1 / max;
  const img = new Float32Array(planes * n);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const o = ((top + y) * W + left + x) * c;
      const i = y * bw + x;
      if (grey) {
        img[i] = colour === 1 ? data[o]! * inv : (0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!) * inv;
      } else {
        img[i] = data[o]! * inv;
        img[n + i] = data[o + 1]! * inv;
        img[2 * n + i] = data[o + 2]! * inv;
      }
    }
  }
  // The composited box is both the crop (its known pixels) and the guide (its hole pixels).
  const res = refineTexture(img, m, img, { ...opts, mode, width: bw, height: bh, channels: planes });
  const r = res.data;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (!m[i]) continue;
      const o = ((top + y) * W + left + x) * c;
      if (grey) {
        const v = quantise(r[i]!, max);
        for (let k = 0; k < colour; k++) data[o + k] = v;
      } else {
        for (let k = 0; k < 3; k++) data[o + k] = quantise(r[k * n + i]!, max);
      }
    }
  }
  return { applied: true, refinedPixels: res.refinedPixels, holePixels: res.holePixels };
}

function quantise(v: number, max: number): number {
  const q = Math.round(v * max);
  return q < 0 ? 0 : q > max ? max : q;
}
