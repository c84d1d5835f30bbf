/**
 * @file refineTexture on a box of a Raster, for the pipeline: after the model's fill has been
 * composited into the output raster (hole pixels hold the guide, every other pixel the original),
 * the box is read at full resolution, refined, and its hole pixels written back. Nothing outside
 * the mask and no alpha value is ever written.
 */
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
 * Refines, in place, the pixels of `out` marked in `fill` (box-local, bw*bh bytes, 1 = refine:
 * the hole pixels the model has just filled, whose values are the guide). Pixels of `pending`
 * (image-sized, 1 = a hole not filled yet) are neither refined nor copied from. Every other pixel
 * of the box is known context, except transparent pixels (alpha 0: their colour is invisible),
 * which are neither refined nor copied from. `box` must lie inside the image.
 */
export function refineRasterBox(out: Raster, box: Rect, fill: Uint8Array, opts: RasterTextureOptions = {}, pending?: Mask): RasterTextureReport {
  const { width: W, height: H, channels: c, maxValue: max, data } = out;
  const { left, top, right, bottom } = box;
  const bw = right - left;
  const bh = bottom - top;
  if (!(left >= 0 && top >= 0 && right <= W && bottom <= H && bw > 0 && bh > 0)) {
    throw new RangeError(`refineRasterBox: box ${left},${top}-${right},${bottom} is not inside the ${W}x${H} image`);
  }
  const n = bw * bh;
  if (fill.length !== n) throw new RangeError(`refineRasterBox: fill must hold ${bw}x${bh} = ${n} bytes, got ${fill.length}`);
  if (pending && (pending.width !== W || pending.height !== H || pending.data.length !== W * H)) {
    throw new RangeError(`refineRasterBox: pending mask is ${pending.width}x${pending.height} but the image is ${W}x${H}`);
  }
  const mode = opts.mode ?? 'auto';
  const m = new Uint8Array(n);
  let holes = 0;
  for (let i = 0; i < n; i++) if (fill[i]) (m[i] = 1), holes++;
  if (mode === 'off' || holes === 0 || n > (opts.maxPixels ?? 2048 * 2048)) return { applied: false, refinedPixels: 0, holePixels: holes };
  let exclude: Uint8Array | undefined;
  if (pending) {
    exclude = new Uint8Array(n);
    for (let y = 0; y < bh; y++) {
      const row = (top + y) * W + left;
      for (let x = 0; x < bw; x++) if (pending.data[row + x] && !m[y * bw + x]) exclude[y * bw + x] = 1;
    }
  }
  if (c === 2 || c === 4) {
    for (let y = 0; y < bh; y++) {
      const row = (top + y) * W + left;
      for (let x = 0; x < bw; x++) {
        if (m[y * bw + x] || data[(row + x) * c + c - 1] !== 0) continue;
        exclude ??= new Uint8Array(n);
        exclude[y * bw + x] = 1;
      }
    }
  }

  const colour = c === 2 || c === 4 ? c - 1 : c;
  const tol = Math.round(((opts.greyTolerance8bit ?? 3) * max) / 255);
  const grey = colour === 1 || greyBox(out, box, m, exclude, tol);
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
  const res = refineTexture(img, m, img, { ...opts, mode, width: bw, height: bh, channels: planes, exclude });
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

/** Whether every known pixel of the box (not in `m` nor `ex`) has |R-G|, |B-G| <= tol. */
function greyBox(r: Raster, box: Rect, m: Uint8Array, ex: Uint8Array | undefined, tol: number): boolean {
  const { width: W, channels: c, data: d } = r;
  const bw = box.right - box.left;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const i = (y - box.top) * bw + x - box.left;
      if (m[i] || (ex && ex[i])) continue;
      const o = (y * W + x) * c;
      const g = d[o + 1]!;
      const dr = d[o]! - g;
      const db = d[o + 2]! - g;
      if (dr > tol || dr < -tol || db > tol || db < -tol) return false;
    }
  }
  return true;
}

function quantise(v: number, max: number): number {
  const q = Math.round(v * max);
  return q < 0 ? 0 : q > max ? max : q;
}
