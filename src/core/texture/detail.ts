/**
 * @file Texture detail from the page (issue 10): the default fill (classical near the border, the
 * network deeper inside) has the right tones but no grain: on a screentoned manga page it is a
 * smooth grey where the page has dots. The patch-based synthesis (refineRasterBox, PatchMatch from
 * the page itself) has the grain but puts tones where the page's patches happen to match. Here the
 * fill keeps its own tones and takes only the fine detail of the synthesis: fill + beta x (synthesis
 * minus its Gaussian blur). Only in holes deep enough for grain to show (a thin bar or stroke is
 * continued well by the classical fill, in phase with the page); the caller runs it on grey boxes.
 *
 * Measured through the CLI on the evaluation's hole cases (models/README.md): texture ratio 0.49-0.58 ->
 * 0.70-0.84, at 0.06-0.08 dB of PSNR (grain out of phase with the truth costs what its energy is;
 * clipping the detail to +-30 keeps the grain and drops copied edges of lines, which cost most).
 */
import type { Mask, Raster, Rect } from '../types';
import { distanceToKnown, readOwn } from '../hybrid';
import { refineRasterBox } from './raster';
import { blur, gaussianTaps } from '../gauss';
import { boxBlur } from './filters';

export interface DetailOptions {
  /** How much of the synthesis' detail is added. */
  readonly beta: number;
  /** Sigma (px) of the Gaussian whose residual is the detail. */
  readonly sigma: number;
  /** A connected hole gets detail only when some pixel of it lies this far (px) from its border. */
  readonly minDepth: number;
  /** The detail is clipped to +-this (of 255) before beta: grain, not copied edges of lines. */
  readonly clip: number;
  /**
   * With `maxClip`: the clip rises to this quantile (0..1) of |detail| over the box's known pixels,
   * up to `maxClip` (levels of 255): hard black-and-white dots get their contrast back, soft tones
   * and line art keep `clip`.
   */
  readonly clipQuantile?: number;
  readonly maxClip?: number;
  /** Radius (px) of the local mean taken off the clipped detail, two box passes (0 or absent: none). */
  readonly centre?: number;
  /** PatchMatch's seed (variations differ). */
  readonly seed?: number;
}

/**
 * The default fill's detail. beta 1.2 since the network's own fine detail is blurred away first in
 * the parts that get this detail (NETWORK_SMOOTH in pipeline/modes.ts): with 0.9 the texture ratio
 * fell to 0.62-0.75; with 1.2 it is 0.72-0.89 (140 hole cases, models/README.md "Session 12").
 * Its local mean (two box passes of radius 3 px) is taken off: PSNR within 0.004 dB of not doing so,
 * and the fill's tone is kept on a hard dot tone (with beta 1.2, clipping alone moved it 10 levels).
 * The clip follows the page: the 90th percentile of the box's own detail, between 30 and 90 levels
 * (140 hole cases: 84 of 113 boxes above 30, none above 40, -0.00..-0.02 dB, texture 0.73-0.91; a
 * Black Jack page's hard black dots come back at their contrast instead of a pale grey disc).
 */
export const DEFAULT_DETAIL: DetailOptions = { beta: 1.2, sigma: 0.8, minDepth: 10, clip: 30, clipQuantile: 0.9, maxClip: 90, centre: 3 };

/**
 * A mosaic's fill (mosaic mode, grey pages): the detail of a synthesis guided by the model's fill,
 * over the whole hole (every block is far from real context), a wider band (sigma 1.5: a mosaic
 * block hides more than the finest grain); the block means are projected back afterwards. On
 * the 20 mosaic cases (session 8, CLI): 26.77 -> 26.79 dB, texture ratio 0.17 -> 0.49, structure
 * F1 0.588 -> 0.626 (tried: sigma 0.8: 26.80 dB, 0.55, 0.610; clip 100: 26.63 dB, 0.79, 0.677;
 * the synthesis itself instead of its detail: 26.40 dB, 0.84, 0.693).
 */
export const MOSAIC_DETAIL: DetailOptions = { beta: 0.9, sigma: 1.5, minDepth: 0, clip: 30 };
/**
 * The same on a mosaic restored from the page's examples (core/mosaic-examples.ts), which has
 * detail of its own: ±15 levels (20 mosaic cases: PSNR 28.00 as without, texture 0.42 -> 0.58,
 * structure F1 0.761 -> 0.770; ±30: 27.91 / 0.69 / 0.775; ±10: 28.02 / 0.52 / 0.771).
 */
export const MOSAIC_EXAMPLES_DETAIL: DetailOptions = { ...MOSAIC_DETAIL, clip: 15 };

/** The box-local `own` pixels that belong to a connected part (8-neighbours) reaching `minDepth` from its border. */
export function deepParts(own: Uint8Array, bw: number, bh: number, minDepth: number): Uint8Array | null {
  const dist = distanceToKnown(own, bw, bh);
  const out = new Uint8Array(bw * bh);
  const seen = new Uint8Array(bw * bh);
  const stack: number[] = [];
  const part: number[] = [];
  let any = false;
  for (let s = 0; s < bw * bh; s++) {
    if (!own[s] || seen[s]) continue;
    part.length = 0;
    stack.push(s);
    seen[s] = 1;
    let deep = false;
    while (stack.length) {
      const i = stack.pop()!;
      part.push(i);
      if (dist[i]! >= minDepth) deep = true;
      const x = i % bw;
      const y = (i - x) / bw;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= bh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= bw) continue;
          const j = yy * bw + xx;
          if (own[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    if (deep) {
      any = true;
      for (const i of part) out[i] = 1;
    }
  }
  return any ? out : null;
}

/**
 * The `q` quantile of |luma − its blur| over the known pixels (valid, not own) of a box, from a
 * 512-bin histogram over 0..max (null-safe: 0 without known pixels).
 */
function pageClip(luma: Float32Array, low: Float32Array, weight: Float32Array, valid: Float32Array, own: Uint8Array, max: number, q: number): number {
  const BINS = 512;
  const hist = new Uint32Array(BINS);
  const scale = BINS / max;
  let n = 0;
  for (let i = 0; i < luma.length; i++) {
    if (!valid[i] || own[i]) continue;
    const d = Math.abs(luma[i]! - low[i]! / Math.max(1e-6, weight[i]!));
    hist[Math.min(BINS - 1, Math.floor(d * scale))]!++;
    n++;
  }
  if (n === 0) return 0;
  const target = q * n;
  let acc = 0;
  for (let b = 0; b < BINS; b++) {
    acc += hist[b]!;
    if (acc > target) return (b + 0.5) / scale;
  }
  return max;
}

/**
 * Adds the page's texture detail to the fill of the box's `own` pixels (box-local 0/1) in `out`:
 * only the parts deep enough (`deep`: deepParts of `own` at `opts.minDepth`, computed when not
 * given); `pending` are holes not filled yet (never a source). Returns how many pixels got detail
 * (0: nothing done, `out` unchanged).
 */
export function addTextureDetail(
  out: Raster,
  box: Rect,
  own: Uint8Array,
  pending: Mask,
  opts: DetailOptions = DEFAULT_DETAIL,
  deep: Uint8Array | null = deepParts(own, box.right - box.left, box.bottom - box.top, opts.minDepth),
): number {
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  if (!deep) return 0;
  const { width: W, channels: c, data, maxValue: max } = out;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  // the fill as it is, then the synthesis written over the deep parts
  const before = readOwn(out, box, deep);
  const report = refineRasterBox(out, box, deep, { mode: 'auto', seed: opts.seed ?? 1 }, pending);
  if (!report.applied) return 0;
  // the detail is the synthesis' luma minus its blur, the same for every channel (grey stays grey);
  // holes not filled yet (still holding their paint) are left out of the blur (normalised)
  const taps = gaussianTaps(opts.sigma);
  const luma = new Float32Array(bw * bh);
  const valid = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (pending.data[(box.top + y) * W + box.left + x] && !own[i]) continue;
      const o = ((box.top + y) * W + box.left + x) * c;
      luma[i] = colour < 3 ? data[o]! : 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
      valid[i] = 1;
    }
  }
  const low = blur(luma, bw, bh, taps);
  const weight = blur(valid, bw, bh, taps);
  let clip = (opts.clip / 255) * max;
  if (opts.maxClip && opts.clipQuantile !== undefined) {
    const page = pageClip(luma, low, weight, valid, own, max, opts.clipQuantile);
    clip = Math.min((opts.maxClip / 255) * max, Math.max(clip, page));
  }
  const det = new Float32Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    if (!deep[i]) continue;
    const hp = luma[i]! - low[i]! / Math.max(1e-6, weight[i]!);
    det[i] = opts.beta * (hp < -clip ? -clip : hp > clip ? clip : hp);
  }
  if (opts.centre) {
    // clipping is lopsided on a dot tone (dark dots clipped harder than the paper between them):
    // the detail's local mean is taken off so that the fill keeps its tone
    const m = new Float32Array(bw * bh);
    for (let i = 0; i < bw * bh; i++) m[i] = deep[i]!;
    const r = opts.centre;
    const lm = boxBlur(boxBlur(det, bw, bh, r), bw, bh, r);
    const lw = boxBlur(boxBlur(m, bw, bh, r), bw, bh, r);
    for (let i = 0; i < bw * bh; i++) if (deep[i]) det[i] -= lm[i]! / Math.max(1e-6, lw[i]!);
  }
  let pixels = 0;
  for (let i = 0; i < bw * bh; i++) {
    if (!deep[i]) continue;
    const d = det[i]!;
    const x = i % bw;
    const o = ((box.top + (i - x) / bw) * W + box.left + x) * c;
    for (let k = 0; k < colour; k++) {
      const v = Math.round(before[i * colour + k]! + d);
      data[o + k] = v < 0 ? 0 : v > max ? max : v;
    }
    pixels++;
  }
  return pixels;
}
