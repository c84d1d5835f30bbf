/**
 * @file inpaint(): regions -> context boxes -> per box: crop, downscale (area) to the model's
 * maxSide if larger, pad to its multiple, run, resample back (bicubic), composite hole pixels.
 *
 * Boxes are merged only up to the model's maxSide, so they may overlap. They are filled in order,
 * each box filling the holes that lie wholly inside it (connected parts of the still-unfilled
 * mask that do not leave the box); holes filled by earlier boxes are known context for later
 * ones. Every hole lies wholly inside its own region's box, so every hole is filled exactly once.
 *
 * Mosaic mode with a model whose `input.mosaic` is 'block-prior': before any box, the mosaic's
 * grid is detected on the original image under the mask (core/mosaic.ts), the block means are
 * taken from it, and the hole pixels of the output get the block-mean prior (the input the model
 * was trained on); after the last box, the fill is projected onto the block means. No grid
 * found: the raw mosaic is fed, as for 'raw' models, and nothing is projected.
 *
 * Memory: besides the output raster (one copy of the page, as the contract requires; none with
 * `inPlace`), only per-box buffers at model resolution plus a few rows exist; no float copy of the
 * page or of a large box is ever made (rows are streamed through the resamplers). Work outside the
 * model calls follows the hole, not the page: the hole's bounds are found with a word-at-a-time
 * scan, regions are searched inside them, and the unfilled-mask copy writes only their rows.
 */
import { cloneRaster, isGrayscale } from '../core/composite';
import { fillFlatHoles } from '../core/flat';
import { fsrFillBox } from '../core/fsr';
import { drawStructure, mixFills, readOwn } from '../core/hybrid';
import { copyMaskRect, maskBounds } from '../core/mask';
import { blockMeans, detectMosaicGrid, mosaicPriorRect, projectBlockMeans, writeMosaicPrior, type BlockMeans, type MosaicGrid } from '../core/mosaic';
import { contextBoxes } from '../core/regions';
import { refineRasterBox } from '../core/texture/raster';
import { blendRows, makeTaps, resampleLine } from '../core/resample';
import { InpaintError, type Mask, type Raster, type Rect } from '../core/types';
import type { ModelRunner } from '../inference/types';
import type { InpaintOptions, InpaintResult, RunContext } from './types';

export type { InpaintMode, InpaintOptions, InpaintResult, ProgressEvent, RunContext } from './types';

/** Context box side as a multiple of the region's larger side. */
export const CONTEXT_SCALE = 1.5;
/** Known pixels at model resolution must be this fully known (area-averaged mask). */
const KNOWN = 0.9999;
/** A context box counts as grey when every non-hole pixel has |R-G|, |B-G| <= this many 8-bit levels. */
export const GREY_TOLERANCE_8BIT = 3;
/** ...except for at most this fraction of the box's pixels (a soft brush's green halo, JPEG chroma noise). */
export const GREY_OUTLIERS = 0.02;

const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

function validate(image: Raster, mask: Mask, options: InpaintOptions): void {
  const { width: w, height: h, channels: c, data } = image;
  if (!(w >= 1 && h >= 1) || data.length !== w * h * c || ![1, 2, 3, 4].includes(c)) {
    throw new InpaintError('bad-input', `image data (${data.length} values) does not match ${w}x${h}x${c}`);
  }
  if (mask.width !== w || mask.height !== h || mask.data.length !== w * h) {
    throw new InpaintError('bad-input', `the mask is ${mask.width}x${mask.height} but the image is ${w}x${h}`);
  }
  const mode = options.mode ?? 'holes';
  if (mode !== 'holes' && mode !== 'mosaic') throw new InpaintError('bad-input', `unknown mode "${mode}" (use holes or mosaic)`);
  const texture = options.texture ?? 'off';
  if (texture !== 'auto' && texture !== 'off') throw new InpaintError('bad-input', `unknown texture "${String(texture)}" (use auto or off)`);
  const want = mode === 'mosaic' ? 'mosaic' : 'bar';
  if (options.model.info.kind !== want) {
    throw new InpaintError('model', `model ${options.model.info.name} is a "${options.model.info.kind}" model; ${mode} mode needs a "${want}" model`);
  }
  const v = options.variation ?? 0;
  if (!Number.isInteger(v) || v < 0 || v > 3) throw new InpaintError('bad-input', `variation must be 0, 1, 2 or 3, got ${v}`);
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new InpaintError('aborted', 'Inpainting was cancelled; the image is unchanged.');
}

/**
 * Fills the holes of `mask` in `image`. Returns a new raster; `image` and `mask` are not modified
 * (with `options.inPlace`, `image` itself is filled and returned).
 */
export async function inpaint(image: Raster, mask: Mask, options: InpaintOptions, ctx: RunContext = {}): Promise<InpaintResult> {
  validate(image, mask, options);
  const { signal, onProgress } = ctx;
  checkAbort(signal);
  // the hole's bounds: region search and the unfilled-mask copy are limited to them
  const bounds = maskBounds(mask);
  if (!bounds) throw new InpaintError('empty-mask', 'Nothing to fill: the mask (selection or green paint) is empty.');
  const model = options.model;
  const { size, maxSide } = model.info.input;
  const { multiple } = model.info.input;
  const boxes = contextBoxes(mask, { minSide: size, scale: CONTEXT_SCALE, maxMergeSide: maxSide, bounds }).map((b) =>
    alignBox(b, multiple, maxSide, image.width, image.height),
  );
  onProgress?.({ type: 'start', regions: boxes.length });
  // block-prior mosaic models: grid and block means from the original page (`out` may be `image`)
  const mode = options.mode ?? 'holes';
  let mosaicGrid: MosaicGrid | null | undefined;
  let means: BlockMeans | null = null;
  if (mode === 'mosaic' && model.info.input.mosaic === 'block-prior') {
    mosaicGrid = detectMosaicGrid(image, mask, bounds);
    if (mosaicGrid) means = blockMeans(image, mosaicGrid, mosaicPriorRect(bounds, mosaicGrid, image.width, image.height));
  }
  const out = options.inPlace ? image : cloneRaster(image);
  // the model reads the hole pixels of `out` in mosaic mode: they now hold the prior
  if (mosaicGrid && means) writeMosaicPrior(out, mask, mosaicGrid, means, bounds);
  // image-sized, but only the bounds' rows are written (the rest stays untouched zero pages)
  const remaining: Mask = copyMaskRect(mask, bounds);
  // holes in a flat area (one exact colour all around) take that colour, without the model
  const flatPixels = mode === 'holes' ? fillFlatHoles(out, remaining, bounds).pixels : 0;
  const used: Rect[] = [];
  for (let i = 0; i < boxes.length; i++) {
    checkAbort(signal);
    const box = boxes[i]!;
    onProgress?.({ type: 'region', index: i, regions: boxes.length, box });
    const own = enclosedHoles(remaining, box);
    if (!own) continue; // everything here was filled by an earlier box
    checkAbort(signal);
    const fill = options.fill ?? 'auto';
    if (mode === 'holes' && fill !== 'model') {
      // classical reconstruction first (it reads `remaining`), kept aside when the network follows
      fsrFillBox(out, box, own, remaining, boxIsGrey(out, remaining, box));
      const classical = fill === 'auto' ? readOwn(out, box, own) : null;
      if (classical) {
        await fillBox(out, remaining, own, box, model, mode, options.variation ?? 0);
        mixFills(out, box, own, classical);
      } else {
        clearOwn(remaining, own, box);
      }
    } else {
      await fillBox(out, remaining, own, box, model, mode, options.variation ?? 0);
    }
    if (mode === 'holes' && (options.structure ?? 'auto') === 'auto') drawStructure(out, box, own);
    // texture: the model's fill (now in `out`) guides a patch-based re-synthesis from the page itself
    if (mode === 'holes' && (options.texture ?? 'off') === 'auto') {
      refineRasterBox(out, box, own, { mode: 'auto', seed: 1 + (options.variation ?? 0) }, remaining);
    }
    used.push(box);
  }
  checkAbort(signal);
  // the fill keeps the mosaic's block means: the orthogonal projection onto the images that have them
  if (mosaicGrid && means) projectBlockMeans(out, mask, mosaicGrid, means, bounds);
  onProgress?.({ type: 'done', regions: boxes.length });
  return { image: out, boxes: used, flatPixels, ...(mosaicGrid !== undefined ? { mosaicGrid } : {}) };
}

/**
 * The unfilled hole pixels of `box` whose connected part of `remaining` (8-connectivity) lies
 * wholly inside the box, as a box-sized 0/1 array; null when there are none.
 */
export function enclosedHoles(remaining: Mask, box: Rect): Uint8Array | null {
  const W = remaining.width;
  const md = remaining.data;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const own = new Uint8Array(bw * bh); // 0 unseen, 1 enclosed, 2 leaves the box
  const work: FloodWork = { stack: new Int32Array(1024), leaves: false };
  let any = false;
  for (let y0 = 0; y0 < bh; y0++) {
    const row = (box.top + y0) * W + box.left;
    for (let x0 = 0; x0 < bw; x0++) {
      if (!md[row + x0]) continue;
      const s0 = y0 * bw + x0;
      if (own[s0]) continue;
      flood(remaining, box, own, work, s0, 0, 1);
      if (work.leaves) flood(remaining, box, own, work, s0, 1, 2);
      else any = true;
    }
  }
  if (!any) return null;
  for (let i = 0; i < own.length; i++) if (own[i] === 2) own[i] = 0;
  return own;
}

interface FloodWork {
  stack: Int32Array;
  leaves: boolean;
}

/** Relabels the box-local component of s0 from `from` to `to`; sets work.leaves if it leaves the box. */
function flood(remaining: Mask, box: Rect, own: Uint8Array, work: FloodWork, s0: number, from: number, to: number): void {
  const W = remaining.width;
  const H = remaining.height;
  const md = remaining.data;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  let stack = work.stack;
  let n = 0;
  let leaves = false;
  stack[n++] = s0;
  own[s0] = to;
  while (n > 0) {
    const s = stack[--n]!;
    const x = s % bw;
    const y = (s - x) / bw;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      const gy = box.top + yy;
      if (gy < 0 || gy >= H) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const gx = box.left + xx;
        if (gx < 0 || gx >= W || !md[gy * W + gx]) continue;
        if (xx < 0 || yy < 0 || xx >= bw || yy >= bh) {
          leaves = true;
          continue;
        }
        const t = yy * bw + xx;
        if (own[t] !== from) continue;
        own[t] = to;
        if (n === stack.length) {
          const bigger = new Int32Array(stack.length * 2);
          bigger.set(stack);
          stack = bigger;
        }
        stack[n++] = t;
      }
    }
  }
  work.stack = stack;
  work.leaves = leaves;
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
export function modelSize(bw: number, bh: number, maxSide: number, multiple: number) {
  const side = Math.max(bw, bh);
  const s = side > maxSide ? maxSide / side : 1;
  const dw = Math.max(1, Math.min(maxSide, Math.round(bw * s)));
  const dh = Math.max(1, Math.min(maxSide, Math.round(bh * s)));
  return { dw, dh, pw: Math.ceil(dw / multiple) * multiple, ph: Math.ceil(dh / multiple) * multiple };
}

/**
 * Reads the box into model-resolution planes: image (3 x pw x ph) and known-mask (pw x ph),
 * area-downscaled, holes zeroed in holes mode, padded by edge replication.
 */
function readBox(
  image: Raster,
  mask: Mask,
  box: Rect,
  dw: number,
  dh: number,
  pw: number,
  ph: number,
  mosaic: boolean,
): { img: Float32Array; known: Float32Array } {
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const tx = makeTaps(bw, dw);
  const ty = makeTaps(bh, dh);
  const { width: W, channels: c, data, maxValue } = image;
  const inv = 1 / maxValue;
  const grey = c < 3;
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
      src[3 * bw + x] = hole ? 0 : 1;
      if (hole && !mosaic) {
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
      const k = md[i] ? 0 : 1;
      known[o + x] = k;
      if (!k && !mosaic) continue; // holes stay 0
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
      for (let p = 0; p < 3; p++) img[p * pw * ph + o + x] = k || mosaic ? row[p * dw + x]! : 0;
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
 * Runs the model on `box` of `out` (holes: the still-unfilled pixels of `remaining`) and writes
 * the fill into the `own` pixels (box-local 0/1), which are then cleared from `remaining`.
 */
async function fillBox(out: Raster, remaining: Mask, own: Uint8Array, box: Rect, model: ModelRunner, mode: 'holes' | 'mosaic', variation: number): Promise<void> {
  const image = out;
  const mask = remaining;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const { maxSide, multiple } = model.info.input;
  const { dw, dh, pw, ph } = modelSize(bw, bh, maxSide, multiple);
  const mosaic = mode === 'mosaic';
  const { img, known } = readBox(image, mask, box, dw, dh, pw, ph, mosaic);
  const flipX = (variation & 1) === 1;
  const flipY = (variation & 2) === 2;
  if (flipX || flipY) {
    flipPlanes(img, 3, pw, ph, flipX, flipY);
    flipPlanes(known, 1, pw, ph, flipX, flipY);
  }
  const res = await model.run(img, known, pw, ph);
  if (flipX || flipY) {
    flipPlanes(res, 3, pw, ph, flipX, flipY);
    flipPlanes(known, 1, pw, ph, flipX, flipY);
    flipPlanes(img, 3, pw, ph, flipX, flipY);
  }
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
  const grey = boxIsGrey(image, mask, box);
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
function boxIsGrey(image: Raster, mask: Mask, box: Rect): boolean {
  const { channels: c, maxValue: max } = image;
  return c < 3 || isGrayscale(image, box, { mask, tolerance: Math.round((GREY_TOLERANCE_8BIT * max) / 255), outliers: GREY_OUTLIERS });
}

/** Clears the `own` pixels of `box` from `remaining` (they are filled). */
function clearOwn(remaining: Mask, own: Uint8Array, box: Rect): void {
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

