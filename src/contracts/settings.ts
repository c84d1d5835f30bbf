/**
 * @file The settings of one "Inpaint selection" job, shared by the panel, the page and the CLI,
 * with one validator each (pipeline/options.ts gives the rule and the sentence).
 */
import { MODES, type InpaintMode } from '../pipeline/modes';
import { checkChoice, checkFill, checkInteger, checkLines, checkTexture, checkVariations, type AutoOff, type FillMethod } from '../pipeline/options';
import type { ModelKind } from '../inference/types';

/** holes: the selection is the hole; mosaic: the selection covers a mosaic used as hints; green: pure-green paint in the layer is the hole. */
export type JobMode = 'holes' | 'mosaic' | 'green';

/**
 * The job modes: where the mask comes from, and which fill mode (pipeline/modes.ts) runs on it.
 * The model kind is the fill mode's (`modelKindForJob`).
 */
export const JOB_MODES: Readonly<Record<JobMode, { readonly mask: 'selection' | 'green'; readonly fill: InpaintMode }>> = {
  holes: { mask: 'selection', fill: 'holes' },
  mosaic: { mask: 'selection', fill: 'mosaic' },
  green: { mask: 'green', fill: 'holes' },
};

export const JOB_MODE_NAMES = Object.keys(JOB_MODES) as JobMode[];

/** The model kind a job mode needs. */
export function modelKindForJob(mode: JobMode): ModelKind {
  return MODES[JOB_MODES[mode].fill].model;
}

/** What a job does: fill holes ('inpaint', the default; `mode` says where the mask comes from) or colorize the layer. */
export type JobAction = 'inpaint' | 'colorize';
export const JOB_ACTIONS: readonly JobAction[] = ['inpaint', 'colorize'];

export interface JobSettings {
  /** Default 'inpaint'. */
  readonly action?: JobAction;
  /**
   * The guide layer's name (default "Guide"): its coloured strokes and dots are colour hints for
   * Colorize (black strokes are lines, for guided fills). A host without layers ignores it.
   */
  readonly guide?: string;
  readonly mode: JobMode;
  /** Grow the hole by this many pixels (exact Euclidean disk), 0..MAX_GROW. */
  readonly grow: number;
  /** Number of result layers, 1..MAX_VARIATIONS (variation k>0 runs on a flipped copy). */
  readonly variations: number;
  /** Base name of the new layer(s). Default "Inpainted". */
  readonly layerName?: string;
  /**
   * 'auto': after the fill, re-synthesise screentone and hatching in the hole from the page around
   * it (patch-based, holes and green modes); 'off' (default): the fill as it is.
   */
  readonly texture?: AutoOff;
  /** The fill of holes (pipeline/options.ts FillMethod); default 'auto'. */
  readonly fill?: FillMethod;
  /** Line continuation across the hole; default 'auto'. */
  readonly lines?: AutoOff;
  /** Green mode: depth in px of the anti-aliased green fringe also filled (core/mask.ts greenMask); default 2. */
  readonly fringe?: number;
}

export const MAX_GROW = 64;

export const checkGrow = (value: unknown, name = 'Grow'): number => checkInteger(name, 0, MAX_GROW, value);
export const checkMode = (value: unknown, name = 'Mode'): JobMode => checkChoice(name, JOB_MODE_NAMES, value);
/** Most pixels of anti-aliased green fringe a job may fill. */
export const MAX_FRINGE = 16;
export const checkFringe = (value: unknown, name = 'Fringe'): number => checkInteger(name, 0, MAX_FRINGE, value);

/** Throws InpaintError('bad-input') naming the first setting that is out of range. */
export function validateSettings(s: JobSettings): void {
  checkGrow(s.grow);
  checkVariations(s.variations);
  if (s.texture !== undefined) checkTexture(s.texture);
  if (s.fill !== undefined) checkFill(s.fill);
  if (s.lines !== undefined) checkLines(s.lines);
  if (s.fringe !== undefined) checkFringe(s.fringe);
  checkMode(s.mode);
  if (s.action !== undefined) checkChoice('Action', JOB_ACTIONS, s.action);
}
