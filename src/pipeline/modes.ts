/**
 * @file The table of fill modes. Each entry says which model kind it runs, what the pixels under
 * the mask are to the model, which mode runs instead when its model is not installed, and its
 * steps: before the boxes (on the page), per context box, after the boxes. `inpaint()` runs the
 * entry's steps in order and nothing else; jobs, the CLI and the panel ask this table (through
 * `modelKindFor` / `modeForModel`) instead of re-deriving the model kind.
 *
 * A new mode is one entry here plus its steps.
 */
import { boxIsGrey, clearOwn, modelSize, packBox, writeFill, mirrorForVariation } from '../core/boxes';
import { FLAT_RING, fillFlatHoles } from '../core/flat';
import { fsrFillBox } from '../core/fsr';
import { smoothOwn } from '../core/gauss';
import { DEFAULT_MIX, drawStructure, guidedMix, keepFlatPrior, mixFills, readBox, readOwn } from '../core/hybrid';
import { blockMeans, detectMosaicGrid, mosaicPriorRect, projectBlockMeans, writeMosaicPrior, type BlockMeans, type MosaicGrid } from '../core/mosaic';
import { fillMosaicFromExamples, MOSAIC_EXAMPLES } from '../core/mosaic-examples';
import { refineRasterBox } from '../core/texture/raster';
import { addTextureDetail, deepParts, DEFAULT_DETAIL, MOSAIC_DETAIL, MOSAIC_EXAMPLES_DETAIL } from '../core/texture/detail';
import { InpaintError, type Mask, type Raster, type Rect } from '../core/types';
import type { ModelKind, ModelRunner } from '../inference/types';
import type { AutoOff, FillMethod } from './options';

export type InpaintMode = 'holes' | 'mosaic';

/** The options of one inpaint() call with every default applied. */
export interface FillSettings {
  readonly model: ModelRunner;
  readonly mode: InpaintMode;
  readonly variation: number;
  readonly fill: FillMethod;
  readonly structure: AutoOff;
  readonly texture: AutoOff;
}

/** What the steps of one inpaint() call share. */
export interface FillState {
  readonly settings: FillSettings;
  /** The input page (the same raster as `out` when filling in place). */
  readonly image: Raster;
  readonly mask: Mask;
  /** The hole's bounds in `mask`. */
  readonly bounds: Rect;
  /** The result; hole pixels only are written. */
  readonly out: Raster;
  /** The hole pixels not filled yet (image-sized; only the bounds' rows are written). */
  readonly remaining: Mask;
  /** Hole pixels filled by the flat step (no model). */
  flatPixels: number;
  /** Mosaic mode (a block-prior model, or the examples step): the grid found (null: none); undefined otherwise. */
  mosaicGrid?: MosaicGrid | null;
  means?: BlockMeans | null;
  /** Mosaic mode: the examples step restored the mosaic (the boxes skip the network). */
  mosaicExamples?: boolean;
  /** The guide's ink in the hole, for a model trained with guides (InpaintOptions.guideInk); else undefined. */
  readonly guideInk?: Mask;
  /**
   * With guide ink: the network's own values at the ink pixels it was shown (pixel indices, then
   * their colour values), set by the network step and written back over the classical mix: the
   * model trained with guides predicts the page's line there (its darkness and width), where the
   * classical fill, which never sees the ink, has none.
   */
  inkFill?: { readonly index: number[]; readonly values: number[] };
  /**
   * The current box's parts that take the page's grain (deepParts at DEFAULT_DETAIL.minDepth; null:
   * none), found once by the fill step, which blurs the network's fill there, and reused by the
   * texture-detail step; undefined where the fill step did not look.
   */
  grainParts?: Uint8Array | null;
}

/** One context box being filled: `own` (box-local 0/1) are the hole pixels it fills. */
export interface BoxState {
  readonly box: Rect;
  readonly own: Uint8Array;
  /** The box's known pixels are grey: every fill there is written grey. */
  readonly grey: boolean;
}

export interface PageStep {
  readonly name: string;
  run(s: FillState): void;
}

export interface BoxStep {
  readonly name: string;
  run(s: FillState, b: BoxState): Promise<void> | void;
}

export interface ModeSpec {
  /** The model kind this mode runs (ModelInfo.kind). */
  readonly model: ModelKind;
  /** The pixels under the mask: ignored (holes), or read by the model as hints (the mosaic). */
  readonly underMask: 'ignored' | 'hints';
  /** The mode that runs instead when no model of this kind is installed (its hints unused). */
  readonly fallback?: InpaintMode;
  readonly before: readonly PageStep[];
  readonly perBox: readonly BoxStep[];
  readonly after: readonly PageStep[];
}

// ---- page steps --------------------------------------------------------------------------------

/** Holes in a flat area (one exact colour all around) take that colour, without the model (core/flat.ts). */
const flatFill: PageStep = {
  name: 'flat',
  run(s) {
    // before any box, `remaining` holds the mask's holes: their runs are found in the mask itself
    s.flatPixels = fillFlatHoles(s.out, s.remaining, s.bounds, FLAT_RING, s.mask).pixels;
  },
};

/** The mosaic's grid under the mask and the block means around it, from the original page (core/mosaic.ts). */
function findGrid(s: FillState): void {
  const grid = detectMosaicGrid(s.image, s.mask, s.bounds);
  s.mosaicGrid = grid;
  s.means = grid ? blockMeans(s.image, grid, mosaicPriorRect(s.bounds, grid, s.image.width, s.image.height)) : null;
}

/**
 * Block-prior mosaic models: the grid and block means from the original page (core/mosaic.ts),
 * and the block-mean prior written into the hole pixels the model reads.
 */
const mosaicPrior: PageStep = {
  name: 'mosaic-prior',
  run(s) {
    if (s.settings.model.info.input.mosaic !== 'block-prior') return;
    findGrid(s);
    if (s.mosaicGrid && s.means) writeMosaicPrior(s.out, s.mask, s.mosaicGrid, s.means, s.bounds);
  },
};

/**
 * The mosaic restored from the page's own examples (core/mosaic-examples.ts) wherever its grid is
 * found: the boxes then skip the network and add the page's grain only (grey pages); variation v
 * averages 8 (v + 1) windows per block. Not with
 * `fill: 'model'` (the network alone), nor when the page has no unmosaicked window to learn from.
 */
const mosaicExamples: PageStep = {
  name: 'mosaic-examples',
  run(s) {
    if (s.settings.fill === 'model') return;
    if (s.mosaicGrid === undefined) findGrid(s);
    if (!s.mosaicGrid || !s.means) return;
    // variations: more windows averaged per block (8, 16, 24, 32): the same restoration, smoother
    const k = MOSAIC_EXAMPLES.k * (1 + s.settings.variation);
    const stats = fillMosaicFromExamples(s.out, s.image, s.mask, s.mosaicGrid, s.means, s.bounds, { k });
    s.mosaicExamples = stats.blocks > 0;
  },
};

/** The fill keeps the mosaic's block means: the orthogonal projection onto the images that have them. */
const projectMeans: PageStep = {
  name: 'project-means',
  run(s) {
    if (s.mosaicGrid && s.means) projectBlockMeans(s.out, s.mask, s.mosaicGrid, s.means, s.bounds);
  },
};

// ---- box steps ---------------------------------------------------------------------------------

/**
 * The network's fill of one box: packed at model resolution (core/boxes.ts), mirrored for the
 * variation, run, mirrored back, written into the box's own pixels (which leave `remaining`).
 */
async function networkFill(s: FillState, b: BoxState): Promise<void> {
  const { model, variation } = s.settings;
  const { box } = b;
  const { maxSide, multiple } = model.info.input;
  const size = modelSize(box.right - box.left, box.bottom - box.top, maxSide, multiple);
  // a model trained with guides sees their ink strokes as known black pixels (only while packing)
  const shown = s.guideInk ? showGuideInk(s.out, s.remaining, s.guideInk, box, b.own) : null;
  // a model that corrects the classical fill reads it in the hole (written there by holeFill)
  const hints = MODES[s.settings.mode].underMask === 'hints' || model.info.input.prior === 'classical';
  const planes = packBox(s.out, s.remaining, box, size, hints);
  if (shown) for (const i of shown) s.remaining.data[i] = 1;
  // the fill is written with the ink unknown again, so the model's own values land on the strokes
  const written = shown?.length ? packBox(s.out, s.remaining, box, size, hints) : planes;
  mirrorForVariation(planes.img, 3, size, variation);
  mirrorForVariation(planes.known, 1, size, variation);
  const res = await model.run(planes.img, planes.known, size.pw, size.ph);
  mirrorForVariation(res, 3, size, variation);
  mirrorForVariation(planes.known, 1, size, variation);
  mirrorForVariation(planes.img, 3, size, variation);
  writeFill(s.out, s.remaining, b.own, box, size, written, res, b.grey);
  if (shown?.length) s.inkFill = readPixels(s.out, shown);
}

/** The colour values of `out` at pixel indices `index`. */
function readPixels(out: Raster, index: number[]): { index: number[]; values: number[] } {
  const { channels: c, data } = out;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const values: number[] = [];
  for (const i of index) for (let k = 0; k < colour; k++) values.push(data[i * c + k]!);
  return { index, values };
}

/** Writes back what readPixels read. */
function writePixels(out: Raster, px: { index: number[]; values: number[] }): void {
  const { channels: c, data } = out;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  let j = 0;
  for (const i of px.index) for (let k = 0; k < colour; k++) data[i * c + k] = px.values[j++]!;
}

/**
 * Writes black into `out` at the guide's ink pixels among the box's own unfilled pixels and
 * takes them out of `remaining` (known to the packing); returns their indices, to be put back.
 * Their values in `out` are overwritten by the fill that follows (they stay in the hole).
 */
function showGuideInk(out: Raster, remaining: Mask, ink: Mask, box: Rect, own: Uint8Array): number[] {
  const { width: W, channels: c, data, maxValue } = out;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const bw = box.right - box.left;
  const shown: number[] = [];
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const i = y * W + x;
      if (!ink.data[i] || !remaining.data[i] || !own[(y - box.top) * bw + (x - box.left)]) continue;
      for (let k = 0; k < colour; k++) data[i * c + k] = 0;
      if (colour < c) data[i * c + colour] = maxValue;
      remaining.data[i] = 0;
      shown.push(i);
    }
  }
  return shown;
}

/**
 * Holes: 'auto': the classical reconstruction (core/fsr.ts) near the border mixed with the
 * network deeper inside (a model that corrects the classical fill, input.prior 'classical', reads
 * it in the hole and its output is kept as it is; core/hybrid.ts; when the model trained with guides fills, guidedMix:
 * GUIDED_MIX, or GUIDED_DEEP_MIX in thick holes; on grey pages the network's fill is blurred first
 * where the page's grain will be added, NETWORK_SMOOTH); 'classical': FSR alone; 'model': the
 * network alone.
 */
const holeFill: BoxStep = {
  name: 'fill',
  async run(s, b) {
    s.grainParts = undefined;
    const fill = s.settings.fill;
    const corrects = s.settings.model.info.input.prior === 'classical';
    // the network alone; a model that corrects the classical fill reads it first, even then
    if (fill === 'model' && !corrects) return networkFill(s, b);
    // the classical reconstruction reads `remaining`; kept aside when the network follows
    fsrFillBox(s.out, b.box, b.own, s.remaining, b.grey);
    if (fill === 'classical') return clearOwn(s.remaining, b.own, b.box);
    if (fill === 'model') return networkFill(s, b);
    const classical = readOwn(s.out, b.box, b.own);
    // a model that corrects the classical fill leaves it as it is where it is flat near the known
    // pixels (not with guide ink: the strokes are drawn over a classical fill that never saw them)
    const prior = corrects && !s.guideInk ? readBox(s.out, b.box) : null;
    s.inkFill = undefined;
    await networkFill(s, b);
    if (prior) keepFlatPrior(s.out, b.box, b.own, prior);
    // (the stripes that blur removes are the free network's; a model that corrects the classical
    // fill does not paint them, and blurred it lost texture: 1-10 % holes 0.73 -> 0.66)
    if (takesPageGrain(s, b) && !corrects) smoothNetworkFill(s, b);
    // a model that corrects the classical fill has already taken it into account everywhere
    if (corrects) return;
    const mix = s.guideInk ? guidedMix(b.own, b.box.right - b.box.left, b.box.bottom - b.box.top) : DEFAULT_MIX;
    mixFills(s.out, b.box, b.own, classical, mix);
    if (s.inkFill) writePixels(s.out, s.inkFill);
  },
};

/**
 * Gaussian sigma (px) of the blur of the network's fill where the texture-detail step will add
 * the page's grain (grey pages): the network paints vertical stripes on dot screentone (its
 * high-frequency loss asks for energy it cannot put in phase); blurred, its tones stay and the
 * grain comes from the page. 140 hole cases (models/README.md "Session 12"): with the detail's
 * beta 0.9 -> 1.2, PSNR -0.01..-0.03 dB, texture ratio 0.71-0.85 -> 0.72-0.89; guided fills
 * +0.1..+0.2 dB; the stripes are gone (case 009, the Black Jack crops).
 */
export const NETWORK_SMOOTH = 1;

/** Blurs the network's fill of the box's parts deep enough for texture detail (deepParts), from those pixels alone. */
function smoothNetworkFill(s: FillState, b: BoxState): void {
  s.grainParts = deepParts(b.own, b.box.right - b.box.left, b.box.bottom - b.box.top, DEFAULT_DETAIL.minDepth);
  if (s.grainParts) smoothOwn(s.out, b.box, s.grainParts, NETWORK_SMOOTH, true);
}

/** Whether the texture-detail step adds the page's grain to this box: the default fill on a grey box. */
function takesPageGrain(s: FillState, b: BoxState): boolean {
  return s.settings.fill === 'auto' && s.settings.texture !== 'auto' && b.grey;
}

/** The mosaic network's fill, unless the examples step restored the mosaic (then nothing here). */
const mosaicFill: BoxStep = { name: 'fill', run: (s, b) => (s.mosaicExamples ? undefined : networkFill(s, b)) };

/**
 * A grey page's mosaic takes the page's grain too (core/texture/detail.ts MOSAIC_DETAIL; on a mosaic
 * restored from examples, MOSAIC_EXAMPLES_DETAIL), where the block means are projected back
 * afterwards (the grid was found).
 */
const mosaicDetail: BoxStep = {
  name: 'texture-detail',
  run(s, b) {
    // a mosaic restored from examples: its pixels are done here (the network step did not run)
    if (s.mosaicExamples) clearOwn(s.remaining, b.own, b.box);
    if (!b.grey || !s.mosaicGrid || !s.means) return;
    const detail = s.mosaicExamples ? MOSAIC_EXAMPLES_DETAIL : MOSAIC_DETAIL;
    addTextureDetail(s.out, b.box, b.own, s.remaining, { ...detail, seed: 1 + s.settings.variation });
  },
};

/**
 * The default fill of a grey (B&W) page takes the page's grain: the fine detail of a patch-based
 * synthesis added to it in holes deep enough to show it (core/texture/detail.ts). Not with
 * `texture: 'auto'` (the synthesis replaces the fill then) nor with one fill method forced.
 */
const textureDetail: BoxStep = {
  name: 'texture-detail',
  run(s, b) {
    if (!takesPageGrain(s, b)) return;
    const opts = { ...DEFAULT_DETAIL, seed: 1 + s.settings.variation };
    if (s.grainParts !== undefined) addTextureDetail(s.out, b.box, b.own, s.remaining, opts, s.grainParts);
    else addTextureDetail(s.out, b.box, b.own, s.remaining, opts);
    if (s.inkFill) writePixels(s.out, s.inkFill); // the strokes keep the line the model drew
  },
};

/**
 * Ink lines that run into the hole, continued across it and drawn over the fill (core/structure.ts).
 * Not where the user drew lines in the box's hole (guide ink): the user's lines win, and the model
 * trained with guides has drawn them (140 guided cases: every group +0.01 to +0.18 dB without the
 * automatic lines; models/README.md "Session 10").
 */
const structure: BoxStep = {
  name: 'structure',
  run(s, b) {
    if (s.settings.structure !== 'auto' || (s.guideInk && hasInk(s.guideInk, b))) return;
    drawStructure(s.out, b.box, b.own);
  },
};

/** Whether the guide has ink on the box's own pixels. */
function hasInk(ink: Mask, b: BoxState): boolean {
  const { box, own } = b;
  const bw = box.right - box.left;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) if (ink.data[y * ink.width + x] && own[(y - box.top) * bw + (x - box.left)]) return true;
  }
  return false;
}

/** The fill (now in `out`) guides a patch-based re-synthesis from the page itself (core/texture). */
const texture: BoxStep = {
  name: 'texture',
  run(s, b) {
    if (s.settings.texture !== 'auto') return;
    refineRasterBox(s.out, b.box, b.own, { mode: 'auto', seed: 1 + s.settings.variation }, s.remaining);
    if (s.inkFill) writePixels(s.out, s.inkFill); // the strokes keep the line the model drew
  },
};

/** The modes. */
export const MODES: Readonly<Record<InpaintMode, ModeSpec>> = {
  holes: { model: 'bar', underMask: 'ignored', before: [flatFill], perBox: [holeFill, textureDetail, texture, structure], after: [] },
  mosaic: { model: 'mosaic', underMask: 'hints', fallback: 'holes', before: [mosaicPrior, mosaicExamples], perBox: [mosaicFill, mosaicDetail], after: [projectMeans] },
};

export const INPAINT_MODES = Object.keys(MODES) as InpaintMode[];

/** The model kind `mode` runs. */
export function modelKindFor(mode: InpaintMode): ModelKind {
  return MODES[mode].model;
}

/**
 * The mode that runs for `mode` with a model of `kind` loaded: `mode` itself when the kinds
 * match, its fallback when that takes this kind (a bar model fills a mosaic as holes); otherwise
 * InpaintError('model').
 */
export function modeForModel(mode: InpaintMode, kind: ModelKind, modelName = 'the model'): InpaintMode {
  const spec = MODES[mode];
  if (spec.model === kind) return mode;
  if (spec.fallback && MODES[spec.fallback].model === kind) return spec.fallback;
  throw new InpaintError('model', `model ${modelName} is a "${kind}" model; ${mode} mode needs a "${spec.model}" model`);
}

/** The model kinds to try for `mode`, in order: its own, then its fallback's. */
export function modelKindsFor(mode: InpaintMode): ModelKind[] {
  const spec = MODES[mode];
  return spec.fallback ? [spec.model, MODES[spec.fallback].model] : [spec.model];
}

/** Whether `mode` runs the step named `step` (e.g. the panel offers Texture only where it runs). */
export function modeHasStep(mode: InpaintMode, step: string): boolean {
  const spec = MODES[mode];
  return [...spec.before, ...spec.perBox, ...spec.after].some((s) => s.name === step);
}
