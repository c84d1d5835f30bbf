/**
 * @file The pipeline contract shared by every host (CLI, Photoshop, Photopea, tests).
 */
import type { MosaicGrid } from '../core/mosaic';
import type { Mask, Raster, Rect } from '../core/types';
import type { ModelRunner } from '../inference/types';
import type { InpaintMode } from './modes';
import type { AutoOff, FillMethod } from './options';

export interface InpaintOptions {
  /** Loaded model (see inference/). Its `info.kind` must match the mode: 'bar' for holes, 'mosaic' for mosaic. */
  readonly model: ModelRunner;
  /**
   * Default 'holes'. Mosaic mode: the pixels under the mask are the censored (pixelated)
   * pixels and are given to the model as hints. Holes mode: pixels under the mask are ignored.
   */
  readonly mode?: InpaintMode;
  /** Number of variations (1..4); variation k runs the model on a flipped copy (DeepCreamPy style). */
  readonly variation?: number; // 0-based index of the variation to produce; default 0
  /**
   * Fill `image` itself (`result.image` is `image`) instead of a working copy of the context
   * boxes whose page is composed on request (see InpaintResult.image). Only for callers that own
   * that buffer: on cancellation or error it may be partly filled (holes only; other pixels are
   * never touched). Default false.
   */
  readonly inPlace?: boolean;
  /**
   * Texture refinement after the model (core/texture, holes mode only). 'auto': the hole is
   * re-synthesised from the page's own patches (screentone, hatching, lines) with the model's
   * fill as the structure guide, unless the hole's surroundings are flat; 'off' (default for now,
   * see docs/texture.md): the model's fill as it is.
   */
  readonly texture?: AutoOff;
  /**
   * The fill of holes mode (see core/hybrid.ts): 'auto' (default): the classical reconstruction
   * (core/fsr.ts) near the hole's border, mixed with the network's fill deeper inside; 'model':
   * the network alone; 'classical': the classical reconstruction alone (no model call).
   */
  readonly fill?: FillMethod;
  /**
   * Line continuation (core/structure.ts, holes mode): 'auto' (default): ink lines that run into
   * a hole are continued across it and drawn over the fill; 'off': not.
   */
  readonly structure?: AutoOff;
  /**
   * The guide's black ink strokes inside the hole (image-sized, non-zero = ink; core/guide.ts
   * guideInkMask). Models trained with guides (`info.input.guides` 'known-pixels') see these
   * pixels as known black pixels; the classical fill never does (it would spread the black), and
   * the caller draws the strokes over the result. Ignored by other models.
   */
  readonly guideInk?: Mask | null;
}

export type ProgressEvent =
  | { readonly type: 'start'; readonly regions: number }
  | { readonly type: 'region'; readonly index: number; readonly regions: number; readonly box: Rect }
  | { readonly type: 'done'; readonly regions: number };

export interface RunContext {
  readonly signal?: AbortSignal;
  readonly onProgress?: (e: ProgressEvent) => void;
}

export interface InpaintResult {
  /**
   * The filled page: same size/channels/depth as the input; only mask pixels differ from the
   * input. With `inPlace`, the input raster itself. Otherwise a new raster composed when this is
   * first read (one copy of the page, from the input, which must not have changed by then): the
   * fill itself touches only the context boxes, so callers that need only the hole (a layer of
   * its box, core/composite.ts layerFromFill) should fill in place or read this once.
   */
  readonly image: Raster;
  /** The context boxes that were sent to the model. */
  readonly boxes: readonly Rect[];
  /**
   * Hole pixels filled without the model because their hole lies in a flat area (holes mode: the
   * known pixels within 3 px all round are one exact colour, which the hole then takes; see
   * core/flat.ts). Boxes whose holes were all flat are not run and not in `boxes`.
   */
  readonly flatPixels?: number;
  /**
   * Mosaic mode with a 'block-prior' model only (absent otherwise): the mosaic grid found under
   * the mask, whose block-mean prior was fed to the model and onto whose block means the fill
   * was projected; null when none was found (the raw mosaic was fed, nothing projected).
   */
  readonly mosaicGrid?: MosaicGrid | null;
}
