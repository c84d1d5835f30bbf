/**
 * @file inpaint(): checks the input and applies every option's default, finds the context boxes
 * (core/regions.ts), then runs the steps of the mode's entry in MODES (pipeline/modes.ts): its page
 * steps before the boxes, its box steps for each box in order, its page steps after.
 *
 * Boxes are merged only up to the model's maxSide, so they may overlap. They are filled in order,
 * each box filling the holes that lie wholly inside it (connected parts of the still-unfilled
 * mask that do not leave the box); holes filled by earlier boxes are known context for later
 * ones. Every hole lies wholly inside its own region's box, so every hole is filled exactly once.
 *
 * Memory and time follow the hole, not the page: without `inPlace` the fill works in a sparse
 * working copy (core/composite.ts `sparseCopy`: only the context boxes and the margin the steps
 * read, SPARSE_MARGIN, are copied; the rest stays untouched zero pages), and the page with the
 * fill is composed only when `result.image` is first read (one page copy, paid by callers that
 * want a whole page; the hosts fill in place and copy out the hole's box). Besides that, only
 * per-box buffers at model resolution plus a few rows exist; no float copy of the page or of a
 * large box is ever made (rows are streamed through the resamplers, core/boxes.ts). The hole's
 * bounds are found with a word-at-a-time scan, regions are searched inside them, and the
 * unfilled-mask copy writes only their rows.
 */
import { alignBox, boxIsGrey } from '../core/boxes';
import { sparseCopy, withHolesFrom } from '../core/composite';
import { FLAT_RING } from '../core/flat';
import { copyMaskRect, maskBounds } from '../core/mask';
import { MOSAIC_MAX_BLOCK } from '../core/mosaic';
import { contextBoxes, enclosedHoles } from '../core/regions';
import { InpaintError, type Mask, type Raster, type Rect } from '../core/types';
import { nextTask } from '../inference/tasks';
import { INPAINT_MODES, MODES, type FillSettings, type FillState, type InpaintMode } from './modes';
import { checkChoice, checkFill, checkLines, checkTexture, checkVariation } from './options';
import type { InpaintOptions, InpaintResult, RunContext } from './types';

export type { InpaintOptions, InpaintResult, ProgressEvent, RunContext } from './types';
export type { InpaintMode } from './modes';

/** Context box side as a multiple of the region's larger side. */
export const CONTEXT_SCALE = 1.5;

/**
 * How far beyond its context box a mode's steps read the working raster (pipeline/region.ts has
 * the same analysis): the per-box steps stay inside the box; the flat step reads a ring of
 * FLAT_RING px around each hole, and mosaic mode's projection the blocks (at most
 * MOSAIC_MAX_BLOCK px) that hold hole pixels. Every hole lies inside a box, so each box grown by
 * this margin covers all that is read.
 */
export function sparseMargin(mode: InpaintMode): number {
  return mode === 'mosaic' ? Math.max(FLAT_RING, MOSAIC_MAX_BLOCK) : FLAT_RING;
}

/** Checks the input and applies every option's default. */
function settle(image: Raster, mask: Mask, options: InpaintOptions): FillSettings {
  const { width: w, height: h, channels: c, data } = image;
  if (!(w >= 1 && h >= 1) || data.length !== w * h * c || ![1, 2, 3, 4].includes(c)) {
    throw new InpaintError('bad-input', `image data (${data.length} values) does not match ${w}x${h}x${c}`);
  }
  if (mask.width !== w || mask.height !== h || mask.data.length !== w * h) {
    throw new InpaintError('bad-input', `the mask is ${mask.width}x${mask.height} but the image is ${w}x${h}`);
  }
  const mode = checkChoice('mode', INPAINT_MODES, options.mode ?? 'holes');
  const want = MODES[mode].model;
  const { model } = options;
  if (model.info.kind !== want) {
    throw new InpaintError('model', `model ${model.info.name} is a "${model.info.kind}" model; ${mode} mode needs a "${want}" model`);
  }
  return {
    model,
    mode,
    variation: checkVariation(options.variation ?? 0),
    fill: checkFill(options.fill ?? 'auto', 'fill'),
    structure: checkLines(options.structure ?? 'auto', 'structure'),
    texture: checkTexture(options.texture ?? 'off', 'texture'),
  };
}

/** The guide's ink for the network: only for models trained with it, and only a mask of the image's size. */
function guideInkFor(image: Raster, options: InpaintOptions): Mask | undefined {
  const ink = options.guideInk;
  if (!ink || options.model.info.input.guides !== 'known-pixels') return undefined;
  if (ink.width !== image.width || ink.height !== image.height || ink.data.length !== image.width * image.height) {
    throw new InpaintError('bad-input', `the guide's ink mask is ${ink.width}x${ink.height} but the image is ${image.width}x${image.height}`);
  }
  return ink;
}

function checkAbort(signal: AbortSignal | undefined, inPlace: boolean): void {
  if (signal?.aborted) {
    throw new InpaintError('aborted', inPlace ? 'Inpainting was cancelled; hole pixels of the image may be partly filled.' : 'Inpainting was cancelled; the image is unchanged.');
  }
}

/**
 * Fills the holes of `mask` in `image`: the steps of the mode's entry in MODES (pipeline/modes.ts)
 * before the boxes, for each context box, and after. `image` and `mask` are not modified (with
 * `options.inPlace`, `image` itself is filled and returned as `result.image`). Without `inPlace`
 * the fill is done in a sparse working copy and `result.image` is a new raster composed on its
 * first read from `image` (which must not have changed by then) and the filled hole pixels.
 */
export async function inpaint(image: Raster, mask: Mask, options: InpaintOptions, ctx: RunContext = {}): Promise<InpaintResult> {
  const settings = settle(image, mask, options);
  const inPlace = !!options.inPlace;
  const { signal, onProgress } = ctx;
  checkAbort(signal, false);
  // the hole's bounds: region search and the unfilled-mask copy are limited to them
  const bounds = maskBounds(mask);
  if (!bounds) throw new InpaintError('empty-mask', 'Nothing to fill: the mask (selection or green paint) is empty.');
  const spec = MODES[settings.mode];
  const { size, maxSide, multiple } = settings.model.info.input;
  const boxes = contextBoxes(mask, { minSide: size, scale: CONTEXT_SCALE, maxMergeSide: maxSide, bounds }).map((b) =>
    alignBox(b, multiple, maxSide, image.width, image.height),
  );
  onProgress?.({ type: 'start', regions: boxes.length });
  const state: FillState = {
    settings,
    image,
    mask,
    bounds,
    // without inPlace: the boxes (plus what the steps read around them) copied, nothing else
    out: inPlace ? image : sparseCopy(image, boxes, sparseMargin(settings.mode)),
    // image-sized, but only the bounds' rows are written (the rest stays untouched zero pages)
    remaining: copyMaskRect(mask, bounds),
    flatPixels: 0,
    guideInk: guideInkFor(image, options),
  };
  for (const step of spec.before) step.run(state);
  const used: Rect[] = [];
  // Between steps the event loop gets a turn (nextTask): a cancel (a Worker's message, Photoshop's
  // onCancel in UXP) is seen before the next step, not after the whole fill.
  for (let i = 0; i < boxes.length; i++) {
    await nextTask();
    checkAbort(signal, inPlace);
    const box = boxes[i]!;
    onProgress?.({ type: 'region', index: i, regions: boxes.length, box });
    const own = enclosedHoles(state.remaining, box);
    if (!own) continue; // everything here was filled by an earlier box
    const b = { box, own, grey: boxIsGrey(state.out, state.remaining, box) };
    for (const step of spec.perBox) {
      await nextTask();
      checkAbort(signal, inPlace);
      await step.run(state, b);
    }
    used.push(box);
  }
  await nextTask();
  checkAbort(signal, inPlace);
  for (const step of spec.after) step.run(state);
  onProgress?.({ type: 'done', regions: boxes.length });
  const result = { boxes: used, flatPixels: state.flatPixels, ...(state.mosaicGrid !== undefined ? { mosaicGrid: state.mosaicGrid } : {}) };
  if (inPlace) return { image: image, ...result };
  // the whole page only when asked for (one page copy): the working copy holds just the boxes
  let page: Raster | null = null;
  let work: Raster | null = state.out;
  return Object.defineProperty(result, 'image', {
    enumerable: true,
    get: (): Raster => {
      if (!page) {
        page = withHolesFrom(image, work!, mask, bounds);
        work = null;
      }
      return page;
    },
  }) as unknown as InpaintResult;
}
