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
 */
export function layerFromFill(result: Raster, mask: Mask): Raster {
  checkMask(result, mask);
  const out = blankLike(result, 4);
  const c = result.channels;
  const max = result.maxValue;
  const s = result.data;
  const d = out.data;
  const m = mask.data;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const o = i * c;
    const q = i * 4;
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
  return out;
}

/**
 * True when every pixel in `rect` (default: the whole raster) has R = G = B within
 * `tolerance` (default 0, in raster units). Gray rasters are always grayscale. Pixels that are
 * holes in `mask`, when given, are skipped (green paint is not part of the picture).
 */
export function isGrayscale(r: Raster, rect?: Rect, opts: { mask?: Mask; tolerance?: number } = {}): boolean {
  if (r.channels < 3) return true;
  const { left, top, right, bottom } = rect ?? { left: 0, top: 0, right: r.width, bottom: r.height };
  const tol = opts.tolerance ?? 0;
  const m = opts.mask?.data;
  const c = r.channels;
  const d = r.data;
  for (let y = Math.max(0, top); y < Math.min(r.height, bottom); y++) {
    for (let x = Math.max(0, left); x < Math.min(r.width, right); x++) {
      const i = y * r.width + x;
      if (m && m[i]) continue;
      const o = i * c;
      const g = d[o + 1]!;
      const dr = d[o]! - g;
      const db = d[o + 2]! - g;
      if (dr > tol || dr < -tol || db > tol || db < -tol) return false;
    }
  }
  return true;
}
