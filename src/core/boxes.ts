/**
 * @file A context box's pixels to and from the model's resolution: box alignment, the model's
 * input planes (area-downscaled, holes zeroed or kept as hints, padded to the model's multiple),
 * the flips of a variation, and the fill written back (bicubic upscale, grey kept grey, quantised).
 *
 * Pure: typed arrays over a Raster and a Mask; no DOM, no Node, no model. The pipeline
 * (src/pipeline) calls the model between `packBox` and `writeFill`.
 */
import { isGrayscale } from './composite';
import { blendRows, makeTaps, resampleLine } from './resample';
import type { Mask, Raster, Rect } from './types';

/** Known pixels at model resolution must be this fully known (area-averaged mask). */
const KNOWN = 0.9999;
/** A context box counts as grey when every non-hole pixel has |R-G|, |B-G| <= this many 8-bit levels. */
export const GREY_TOLERANCE_8BIT = 3;
/** ...except for at most this fraction of the box's pixels (a soft brush's green halo, JPEG chroma noise). */
export const GREY_OUTLIERS = 0.02;

const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/** A box's size at model resolution (dw x dh) and padded to the model's multiple (pw x ph). */
export interface ModelSize {
  readonly dw: number;
  readonly dh: number;
  readonly pw: number;
  readonly ph: number;
}

/** The model's input for one box: planar RGB in [0, 1] and the known mask (1 known, 0 hole), pw x ph. */
export interface BoxPlanes {
  readonly img: Float32Array;
  readonly known: Float32Array;
}

/**
 * Grows a box that the model takes at full resolution to the model's multiple (real context
 * instead of padding), centred and kept inside the image. Boxes over maxSide are left as they are.
 */
export function alignBox(b: Rect, multiple: number, maxSide: number, width: number, height: number): Rect {
  const bw = b.right - b.left;
  const bh = b.bottom - b.top;
  if (Math.max(bw, bh) > maxSide) return b;
  const grow = (lo: number, len: number, limit: number): [number, number] => {
    const want = Math.min(limit, Math.ceil(len / multiple) * multiple);
    let start = lo - Math.floor((want - len) / 2);
    start = Math.max(0, Math.min(limit - want, start));
    return [start, start + want];
  };
  const [left, right] = grow(b.left, bw, width);
  const [top, bottom] = grow(b.top, bh, height);
  return { left, top, right, bottom };
}

/** Model-resolution size of a box: the box itself, or scaled so its larger side is maxSide. */
export function modelSize(bw: number, bh: number, maxSide: number, multiple: number): ModelSize {
  const side = Math.max(bw, bh);
  const s = side > maxSide ? maxSide / side : 1;
  const dw = Math.max(1, Math.min(maxSide, Math.round(bw * s)));
  const dh = Math.max(1, Math.min(maxSide, Math.round(bh * s)));
  return { dw, dh, pw: Math.ceil(dw / multiple) * multiple, ph: Math.ceil(dh / multiple) * multiple };
}

/**
 * Reads `box` of `image` into model-resolution planes: image (3 x pw x ph) and known mask
 * (pw x ph), area-downscaled, padded by edge replication. The pixels under `mask` are holes:
 * zeroed, unless `hints` (mosaic mode: they hold the censored pixels the model reads as hints).
 * Transparent pixels outside the holes (alpha 0: their colour is invisible, often black) are not
 * context: unknown to the model and zeroed.
 */
export function packBox(image: Raster, mask: Mask, box: Rect, size: ModelSize, hints: boolean): BoxPlanes {
  const { dw, dh, pw, ph } = size;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const tx = makeTaps(bw, dw);
  const ty = makeTaps(bh, dh);
  const { width: W, channels: c, data, maxValue } = image;
  const inv = 1 / maxValue;
  const grey = c < 3;
  // the alpha channel's offset, or -1 (no alpha): alpha 0 is unknown
  const ao = c === 2 || c === 4 ? c - 1 : -1;
  // one source row as 4 planes (R, G, B, known), then its horizontal resample, cached in a ring
  const src = new Float32Array(4 * bw);
  const ringN = ty.size;
  const ring = new Float32Array(ringN * 4 * dw);
  const ringRow = new Int32Array(ringN).fill(-1);
  const md = mask.data;
  const rowAt = (j: number): number => {
    const slot = j % ringN;
    const off = slot * 4 * dw;
    if (ringRow[slot] === j) return off;
    const y = box.top + j;
    for (let x = 0; x < bw; x++) {
      const i = y * W + box.left + x;
      const o = i * c;
      const hole = md[i]!;
      const clear = !hole && ao >= 0 && data[o + ao] === 0;
      src[3 * bw + x] = hole || clear ? 0 : 1;
      if ((hole && !hints) || clear) {
        src[x] = src[bw + x] = src[2 * bw + x] = 0;
      } else if (grey) {
        src[x] = src[bw + x] = src[2 * bw + x] = data[o]! * inv;
      } else {
        src[x] = data[o]! * inv;
        src[bw + x] = data[o + 1]! * inv;
        src[2 * bw + x] = data[o + 2]! * inv;
      }
    }
    for (let p = 0; p < 4; p++) resampleLine(tx, src, p * bw, 1, ring, off + p * dw, 1);
    ringRow[slot] = j;
    return off;
  };
  const img = new Float32Array(3 * pw * ph);
  const known = new Float32Array(pw * ph);
  const row = new Float32Array(4 * dw);
  const identity = dw === bw && dh === bh;
  const plane = pw * ph;
  for (let y = 0; identity && y < dh; y++) {
    // full resolution: convert straight from the raster
    const o = y * pw;
    const src0 = (box.top + y) * W + box.left;
    for (let x = 0; x < dw; x++) {
      const i = src0 + x;
      const d = i * c;
      const clear = !md[i] && ao >= 0 && data[d + ao] === 0;
      const k = md[i] || clear ? 0 : 1;
      known[o + x] = k;
      if ((!k && !hints) || clear) continue; // holes (and transparent pixels) stay 0
      if (grey) {
        img[o + x] = img[plane + o + x] = img[2 * plane + o + x] = data[d]! * inv;
      } else {
        img[o + x] = data[d]! * inv;
        img[plane + o + x] = data[d + 1]! * inv;
        img[2 * plane + o + x] = data[d + 2]! * inv;
      }
    }
  }
  for (let y = 0; !identity && y < dh; y++) {
    // make sure every source row of this output row is in the ring, then blend them
    const base = y * ty.size;
    for (let k = 0; k < ty.size; k++) rowAt(ty.index[base + k]!);
    for (let p = 0; p < 4; p++) blendRows(ty, y, ring, (j) => (j % ringN) * 4 * dw + p * dw, dw, row, p * dw);
    const o = y * pw;
    for (let x = 0; x < dw; x++) {
      const k = row[3 * dw + x]! >= KNOWN ? 1 : 0;
      known[o + x] = k;
      for (let p = 0; p < 3; p++) img[p * pw * ph + o + x] = k || hints ? row[p * dw + x]! : 0;
    }
  }
  // pad: replicate the last column and row
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(y, dh - 1);
    for (let x = y < dh ? dw : 0; x < pw; x++) {
      const sx = Math.min(x, dw - 1);
      known[y * pw + x] = known[sy * pw + sx]!;
      for (let p = 0; p < 3; p++) img[p * pw * ph + y * pw + x] = img[p * pw * ph + sy * pw + sx]!;
    }
  }
  return { img, known };
}

/** Mirrors planes (n planes of w x h) in place: horizontally (flipX) and/or vertically (flipY). */
export function flipPlanes(a: Float32Array, planes: number, w: number, h: number, flipX: boolean, flipY: boolean): void {
  for (let p = 0; p < planes; p++) {
    const base = p * w * h;
    if (flipX) {
      for (let y = 0; y < h; y++) {
        const r = base + y * w;
        for (let x = 0, z = w - 1; x < z; x++, z--) {
          const t = a[r + x]!;
          a[r + x] = a[r + z]!;
          a[r + z] = t;
        }
      }
    }
    if (flipY) {
      for (let y = 0, z = h - 1; y < z; y++, z--) {
        const r1 = base + y * w;
        const r2 = base + z * w;
        for (let x = 0; x < w; x++) {
          const t = a[r1 + x]!;
          a[r1 + x] = a[r2 + x]!;
          a[r2 + x] = t;
        }
      }
    }
  }
}

/**
 * The model's output for a box (`res`, planar RGB pw x ph, in the box's own orientation) written
 * into the `own` pixels (box-local 0/1) of `out`, which are then cleared from `remaining`. Known
 * pixels of `planes` replace the model's values first, so the bicubic upscale blends real context.
 * `grey`: the fill is written as luminance (R = G = B). Consumes `res`.
 */
export function writeFill(out: Raster, remaining: Mask, own: Uint8Array, box: Rect, size: ModelSize, planes: BoxPlanes, res: Float32Array, grey: boolean): void {
  const { dw, dh, pw, ph } = size;
  const { img, known } = planes;
  const image = out;
  const mask = remaining;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  // known pixels keep their own (downscaled) values, so resampling back blends real context
  const plane = pw * ph;
  for (let i = 0; i < plane; i++) {
    if (known[i]) {
      res[i] = img[i]!;
      res[plane + i] = img[plane + i]!;
      res[2 * plane + i] = img[2 * plane + i]!;
    }
  }
  const { channels: c, maxValue: max } = out;
  const identity = dw === bw && dh === bh;
  const tx = makeTaps(dw, bw);
  const ty = makeTaps(dh, bh);
  const vrow = new Float32Array(3 * dw);
  const hrow = new Float32Array(3 * bw);
  const W = image.width;
  const md = mask.data;
  const od = out.data;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  for (let y = 0; y < bh; y++) {
    const mrow = (box.top + y) * W + box.left;
    const orow = y * bw;
    let any = false;
    for (let x = 0; x < bw; x++) {
      if (own[orow + x]) {
        any = true;
        break;
      }
    }
    if (!any) continue;
    if (identity) {
      for (let p = 0; p < 3; p++) hrow.set(res.subarray(p * plane + y * pw, p * plane + y * pw + bw), p * bw);
    } else {
      for (let p = 0; p < 3; p++) blendRows(ty, y, res, (j) => p * plane + j * pw, dw, vrow, p * dw);
      for (let p = 0; p < 3; p++) resampleLine(tx, vrow, p * dw, 1, hrow, p * bw, 1);
    }
    for (let x = 0; x < bw; x++) {
      if (!own[orow + x]) continue;
      md[mrow + x] = 0;
      const o = (mrow + x) * c;
      let r = hrow[x]!;
      let g = hrow[bw + x]!;
      let b = hrow[2 * bw + x]!;
      if (grey) r = g = b = LUMA_R * r + LUMA_G * g + LUMA_B * b;
      od[o] = quantise(r, max);
      if (colour === 3) {
        od[o + 1] = quantise(g, max);
        od[o + 2] = quantise(b, max);
      }
    }
  }
}

/** Whether the known pixels of `box` are grey (then every fill there is written grey). */
export function boxIsGrey(image: Raster, mask: Mask, box: Rect): boolean {
  const { channels: c, maxValue: max } = image;
  return c < 3 || isGrayscale(image, box, { mask, tolerance: Math.round((GREY_TOLERANCE_8BIT * max) / 255), outliers: GREY_OUTLIERS, skipTransparent: true });
}

/** Clears the `own` pixels of `box` from `remaining` (they are filled). */
export function clearOwn(remaining: Mask, own: Uint8Array, box: Rect): void {
  const W = remaining.width;
  const bw = box.right - box.left;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) if (own[(y - box.top) * bw + x - box.left]) remaining.data[y * W + x] = 0;
  }
}

function quantise(v: number, max: number): number {
  const q = Math.round(v * max);
  return q < 0 ? 0 : q > max ? max : q;
}


/**
 * Mirrors planes (n planes of size.pw x size.ph) for variation k: horizontally when k & 1,
 * vertically when k & 2. Its own inverse: applied again, it mirrors them back.
 */
export function mirrorForVariation(a: Float32Array, planes: number, size: ModelSize, variation: number): void {
  const flipX = (variation & 1) === 1;
  const flipY = (variation & 2) === 2;
  if (flipX || flipY) flipPlanes(a, planes, size.pw, size.ph, flipX, flipY);
}
