/**
 * @file Compositing the model's fill into a raster, the fill-only layer, grey detection.
 */
import { InpaintError, type Mask, type Raster, type Rect } from './types';

function sameShape(a: Raster, b: Raster): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.channels === b.channels &&
    a.maxValue === b.maxValue &&
    a.data.BYTES_PER_ELEMENT === b.data.BYTES_PER_ELEMENT
  );
}

function checkMask(r: Raster, mask: Mask): void {
  if (mask.width !== r.width || mask.height !== r.height || mask.data.length !== r.width * r.height) {
    throw new InpaintError('bad-input', `mask is ${mask.width}x${mask.height} but the image is ${r.width}x${r.height}`);
  }
}

/** A zero-filled raster like `r` (same size, channels, depth). */
export function blankLike(r: Raster, channels: Raster['channels'] = r.channels): Raster {
  const n = r.width * r.height * channels;
  const data = r.data instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
  return { width: r.width, height: r.height, channels, data, maxValue: r.maxValue };
}

/** A copy of `r` with its own pixel buffer. */
export function cloneRaster(r: Raster): Raster {
  const data = r.data instanceof Uint16Array ? new Uint16Array(r.data) : new Uint8Array(r.data);
  return { width: r.width, height: r.height, channels: r.channels, data, maxValue: r.maxValue };
}

/**
 * A working copy of `r` for work that reads and writes only inside `rects`: same size, channels
 * and depth; the pixels of every rect grown by `margin` (clipped to the raster) are copied from
 * `r`, all others are 0. The zero part is never written, so it stays untouched zero pages (large
 * zeroed buffers are mapped lazily by the OS): time and resident memory follow the rects, not
 * the raster.
 */
export function sparseCopy(r: Raster, rects: readonly Rect[], margin = 0): Raster {
  const out = blankLike(r);
  const { width: W, height: H, channels: c } = r;
  const s = r.data;
  const d = out.data;
  for (const b of rects) {
    const x0 = Math.max(0, b.left - margin);
    const x1 = Math.min(W, b.right + margin);
    if (x1 <= x0) continue;
    for (let y = Math.max(0, b.top - margin); y < Math.min(H, b.bottom + margin); y++) {
      const o = (y * W + x0) * c;
      d.set(s.subarray(o, o + (x1 - x0) * c), o);
    }
  }
  return out;
}

/**
 * A copy of `src` (one page copy) whose hole pixels of `mask` inside `rect` (clipped; it should
 * contain every hole pixel, e.g. maskBounds(mask)) have every channel taken from `filled` (same
 * shape as `src`): the page of a fill that was done in a working copy such as sparseCopy's.
 */
export function withHolesFrom(src: Raster, filled: Raster, mask: Mask, rect: Rect): Raster {
  if (!sameShape(src, filled)) throw new InpaintError('bad-input', 'withHolesFrom: the filled raster does not match the image');
  checkMask(src, mask);
  const out = cloneRaster(src);
  const { width: W, channels: c } = src;
  const d = out.data;
  const f = filled.data;
  const m = mask.data;
  const x0 = Math.max(0, rect.left);
  const x1 = Math.min(W, rect.right);
  for (let y = Math.max(0, rect.top); y < Math.min(src.height, rect.bottom); y++) {
    for (let i = y * W + x0, e = y * W + x1; i < e; i++) {
      if (!m[i]) continue;
      const o = i * c;
      for (let k = 0; k < c; k++) d[o + k] = f[o + k]!;
    }
  }
  return out;
}

/**
 * New raster: `src` with its hole pixels' colour channels taken from `fill` (same size,
 * channels and depth). Every pixel outside the hole, and every alpha value, stays as in `src`.
 */
export function composite(src: Raster, fill: Raster, mask: Mask): Raster {
  if (!sameShape(src, fill)) {
    throw new InpaintError(
      'bad-input',
      `fill (${fill.width}x${fill.height}x${fill.channels}, max ${fill.maxValue}) does not match the image (${src.width}x${src.height}x${src.channels}, max ${src.maxValue})`,
    );
  }
  checkMask(src, mask);
  const out = cloneRaster(src);
  const c = src.channels;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const d = out.data;
  const f = fill.data;
  const m = mask.data;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const o = i * c;
    for (let k = 0; k < colour; k++) d[o + k] = f[o + k]!;
  }
  return out;
}

/**
 * The fill as a new layer: RGBA at the result's depth, transparent outside the hole; inside it,
 * the result's colour (grey replicated to RGB) with the result's alpha (opaque when it has none).
 * With `rect` (clipped to the raster; it should contain every hole pixel, e.g. maskBounds(mask)),
 * the layer covers only that rectangle: pixel (0, 0) of the layer is pixel (rect.left, rect.top)
 * of the result, and hole pixels outside it are left out.
 */
export function layerFromFill(result: Raster, mask: Mask, rect?: Rect): Raster {
  checkMask(result, mask);
  const W = result.width;
  const x0 = rect ? Math.max(0, rect.left) : 0;
  const y0 = rect ? Math.max(0, rect.top) : 0;
  const x1 = rect ? Math.min(W, rect.right) : W;
  const y1 = rect ? Math.min(result.height, rect.bottom) : result.height;
  const lw = Math.max(0, x1 - x0);
  const lh = Math.max(0, y1 - y0);
  const n = lw * lh * 4;
  const d = result.data instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
  const c = result.channels;
  const max = result.maxValue;
  const s = result.data;
  const m = mask.data;
  for (let y = 0; y < lh; y++) {
    const row = (y0 + y) * W + x0;
    for (let x = 0; x < lw; x++) {
      const i = row + x;
      if (!m[i]) continue;
      const o = i * c;
      const q = (y * lw + x) * 4;
      if (c >= 3) {
        d[q] = s[o]!;
        d[q + 1] = s[o + 1]!;
        d[q + 2] = s[o + 2]!;
        d[q + 3] = c === 4 ? s[o + 3]! : max;
      } else {
        d[q] = d[q + 1] = d[q + 2] = s[o]!;
        d[q + 3] = c === 2 ? s[o + 1]! : max;
      }
    }
  }
  return { width: lw, height: lh, channels: 4, data: d, maxValue: max };
}

/**
 * Every channel value of the hole pixels of `r` inside `rect` (clipped), in raster order: what
 * an in-place fill may change there. putHoleValues writes them back.
 */
export function holeValues(r: Raster, mask: Mask, rect: Rect): Uint8Array | Uint16Array {
  checkMask(r, mask);
  return copyHoleValues(r, mask, rect, null);
}

/** Writes back values taken by holeValues (same raster shape, mask and rect). */
export function putHoleValues(r: Raster, mask: Mask, rect: Rect, values: Uint8Array | Uint16Array): void {
  checkMask(r, mask);
  copyHoleValues(r, mask, rect, values);
}

function copyHoleValues(r: Raster, mask: Mask, rect: Rect, put: Uint8Array | Uint16Array | null): Uint8Array | Uint16Array {
  const W = r.width;
  const c = r.channels;
  const m = mask.data;
  const x0 = Math.max(0, rect.left);
  const x1 = Math.min(W, rect.right);
  const y0 = Math.max(0, rect.top);
  const y1 = Math.min(r.height, rect.bottom);
  let count = 0;
  for (let y = y0; y < y1; y++) for (let i = y * W + x0, e = y * W + x1; i < e; i++) if (m[i]) count++;
  if (put && put.length !== count * c) throw new InpaintError('bad-input', `putHoleValues: ${put.length} values for ${count * c} hole values`);
  const vals = put ?? (r.data instanceof Uint16Array ? new Uint16Array(count * c) : new Uint8Array(count * c));
  const d = r.data;
  let k = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = y * W + x0, e = y * W + x1; i < e; i++) {
      if (!m[i]) continue;
      const o = i * c;
      for (let j = 0; j < c; j++, k++) {
        if (put) d[o + j] = vals[k]!;
        else vals[k] = d[o + j]!;
      }
    }
  }
  return vals;
}

/**
 * True when the pixels in `rect` (default: the whole raster) have R = G = B within `tolerance`
 * (default 0, in raster units): all of them, or all but a fraction `outliers` (default 0) of
 * them — a few tinted pixels (a soft green brush's halo, JPEG chroma noise along lines) do not
 * make a black-and-white page colour. Gray rasters are always grayscale. Pixels that are holes in
 * `mask`, when given, are skipped (green paint is not part of the picture).
 */
export function isGrayscale(r: Raster, rect?: Rect, opts: { mask?: Mask; tolerance?: number; outliers?: number; skipTransparent?: boolean } = {}): boolean {
  if (r.channels < 3) return true;
  const { left, top, right, bottom } = rect ?? { left: 0, top: 0, right: r.width, bottom: r.height };
  const tol = opts.tolerance ?? 0;
  const m = opts.mask?.data;
  const c = r.channels;
  const d = r.data;
  // skipTransparent: pixels with alpha 0 (invisible colour) are not looked at
  const ao = opts.skipTransparent && c === 4 ? 3 : -1;
  const x0 = Math.max(0, left);
  const x1 = Math.min(r.width, right);
  const y0 = Math.max(0, top);
  const y1 = Math.min(r.height, bottom);
  // at most this many tinted pixels (of all in the rect; holes then count as grey, a bound that only errs towards colour)
  const allowed = Math.floor((opts.outliers ?? 0) * Math.max(0, x1 - x0) * Math.max(0, y1 - y0));
  let tinted = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * r.width + x;
      if (m && m[i]) continue;
      const o = i * c;
      if (ao >= 0 && d[o + ao] === 0) continue;
      const g = d[o + 1]!;
      const dr = d[o]! - g;
      const db = d[o + 2]! - g;
      if ((dr > tol || dr < -tol || db > tol || db < -tol) && ++tinted > allowed) return false;
    }
  }
  return true;
}

/** Smallest rectangle holding every pixel whose alpha (the last channel) is not 0; null when all are transparent. */
export function alphaBounds(r: Raster): Rect | null {
  const { width, height, channels: c, data } = r;
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * c + c - 1] === 0) continue;
      if (x < left) left = x;
      if (x + 1 > right) right = x + 1;
      if (y < top) top = y;
      bottom = y + 1;
    }
  }
  return right === 0 ? null : { left, top, right, bottom };
}
