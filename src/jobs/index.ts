/**
 * @file One "Inpaint selection" job over the Host interface, and the batch over all open documents.
 * Shared by the Photoshop panel, the Photopea plugin, the standalone page and the tests' in-memory host;
 * the CLI runs its pages through the same parts (`greenHoles`, `fillVariations`).
 * Hosts stay thin: every decision (mask source, grow, model choice, layer naming, skip reasons) lives here.
 */
import { growMask, greenMask, maskBounds, maskCount, selectionToMask } from '../core/mask';
import { holeValues, layerFromFill, putHoleValues } from '../core/composite';
import { InpaintError, type Mask, type Raster } from '../core/types';
import type { Host, HostDocument, LayerPixels, SelectionPixels } from '../contracts/host';
import { JOB_MODES, modelKindForJob, validateSettings, type JobSettings } from '../contracts/settings';
import { colourHints } from '../core/colorize';
import { colorize } from '../pipeline/colorize';
import { applyGuide, drawGuideInk, guideForPage, guideInkMask, hasGuideInk } from '../core/guide';
import type { LoadProgress, ModelProvider } from '../inference/provider';
import type { ModelKind, ModelRunner, ModelWant } from '../inference/types';
import { inpaint } from '../pipeline';
import { modeForModel } from '../pipeline/modes';
import type { InpaintResult, ProgressEvent } from '../pipeline/types';
import { readPage } from './page-read';

export type JobStatus = 'done' | 'skipped' | 'failed' | 'cancelled';

export interface JobReport {
  readonly document: string;
  readonly status: JobStatus;
  /** One sentence for the status line: what was done, or why not and what to do. */
  readonly message: string;
  readonly layersAdded: number;
  readonly holePixels: number;
  readonly seconds: number;
}

export type JobEvent =
  | { readonly type: 'document'; readonly index: number; readonly total: number; readonly title: string }
  | { readonly type: 'model-loading'; readonly kind: ModelKind }
  /** A stage of the model load started by 'model-loading' (only while it loads; none when it was loaded). */
  | { readonly type: 'model-progress'; readonly kind: ModelKind; readonly progress: LoadProgress }
  | { readonly type: 'pipeline'; readonly variation: number; readonly variations: number; readonly event: ProgressEvent }
  | { readonly type: 'report'; readonly report: JobReport };

export interface JobContext {
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: JobEvent) => void;
}

/** The selection, binarised at 50 %, placed into the layer's pixel grid (parts outside the layer dropped). */
export function selectionMaskForLayer(sel: SelectionPixels, layer: LayerPixels): Mask {
  const bin = selectionToMask(sel.channel);
  const { width, height } = layer.raster;
  const out = new Uint8Array(width * height);
  // The channel covers sel.bounds in document coordinates; the layer starts at (layer.left, layer.top).
  const cw = bin.width;
  const x0 = Math.max(sel.bounds.left, layer.left);
  const y0 = Math.max(sel.bounds.top, layer.top);
  const x1 = Math.min(sel.bounds.left + bin.width, layer.left + width);
  const y1 = Math.min(sel.bounds.top + bin.height, layer.top + height);
  for (let y = y0; y < y1; y++) {
    const srcRow = (y - sel.bounds.top) * cw - sel.bounds.left;
    const dstRow = (y - layer.top) * width - layer.left;
    for (let x = x0; x < x1; x++) out[dstRow + x] = bin.data[srcRow + x];
  }
  return { width, height, data: out };
}

function elapsed(t0: number): number {
  return Math.round((Date.now() - t0) / 100) / 10;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new InpaintError('aborted', 'Cancelled: nothing was changed in this document.');
}

/** The green paint of `raster` as a hole mask (the anti-aliased fringe `fringe` px deep), grown by `grow`; null when there is none. */
export function greenHoles(raster: Raster, grow: number, fringe?: number): Mask | null {
  const mask = greenMask(raster, fringe === undefined ? {} : { fringe });
  if (!maskBounds(mask)) return null;
  return grow > 0 ? growMask(mask, grow) : mask;
}

/**
 * Builds the hole mask of a page in the given mode; returns a skip reason instead of a mask when
 * there is nothing to do. `where` names the pixels in messages ("the active layer", "the image").
 */
function buildMask(page: PageInput, settings: JobSettings): Mask | string {
  const where = page.where ?? 'the active layer';
  if (page.holes) {
    return maskBounds(page.holes) ? page.holes : `the green paint of the paint layer lies outside the layer below it; paint over that layer's pixels.`;
  }
  if (JOB_MODES[settings.mode].mask === 'green') {
    return (
      greenHoles(page.layer.raster, settings.grow, settings.fringe) ??
      `no pure-green (#00FF00) paint found in ${where}; paint the area green or switch the mode to Holes and make a selection.`
    );
  }
  const sel = page.selection;
  if (!sel) return 'no selection: select the area to fill (or use Green paint mode).';
  const mask = selectionMaskForLayer(sel, page.layer);
  if (maskCount(mask) === 0) {
    return maskCount(selectionToMask(sel.channel)) === 0
      ? 'the selection is empty or less than 50 % selected everywhere; make a firmer selection.'
      : `the selection lies outside ${where}; select pixels of ${where} or pick another layer.`;
  }
  return settings.grow > 0 ? growMask(mask, settings.grow) : mask;
}

/** What a job fills: the layer's pixels and the selection (null in green mode, or when there is none). */
export interface PageInput {
  readonly layer: LayerPixels;
  readonly selection: SelectionPixels | null;
  /** How messages name the pixels; default "the active layer". */
  readonly where?: string;
  /** The guide layer (colour hints for Colorize), when the document has one. */
  readonly guide?: LayerPixels | null;
  /** Green mode, paint on a layer of its own (HostDocument.readGreenPaint): the holes in `layer`'s grid, already grown. */
  readonly holes?: Mask;
}

/** The fill of one page: the new layers (RGBA, the hole's bounding box) and the hole's size, or why nothing was done. */
export type PageFill =
  | { readonly skip: string }
  | {
      readonly layers: readonly LayerPixels[];
      /** Pixels filled (colorize: pixels coloured). */
      readonly holes: number;
      /** Colorize: the new layer's blend mode ('color') and the colour hint pixels used. */
      readonly blend?: 'color';
      readonly hintPixels?: number;
    };

/**
 * Where the work of a job runs: the mask, the model and every variation, from the pixels read to
 * the layers to add. `localFill` runs it here; the pages run it in a Web Worker (src/web/fill-client.ts)
 * with the same function on the other side. Cancelling `ctx.signal` rejects with InpaintError('aborted').
 */
export interface FillEngine {
  fillPage(page: PageInput, settings: JobSettings, ctx: JobContext): Promise<PageFill>;
}

/** What a job is given to fill with: a ModelProvider (the work runs here) or a FillEngine. */
export type JobModels = ModelProvider | FillEngine;

function isEngine(m: JobModels): m is FillEngine {
  return typeof (m as Partial<FillEngine>).fillPage === 'function';
}

/** Rejects with InpaintError('aborted') as soon as `signal` fires, else settles as `p` does (which goes on). */
export function unlessAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InpaintError('aborted', 'Cancelled: nothing was changed in this document.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/**
 * The work of one job on one page, here: the mask (selection or green paint, grown), the model of
 * the mode's kind (its load reported as 'model-loading' and 'model-progress' events), every
 * variation filled in the layer's own buffer (restored after), each copied out as a new RGBA layer
 * covering the hole's bounding box.
 */
export function localFill(models: ModelProvider): FillEngine {
  return {
    async fillPage(page, settings, ctx) {
      const { signal } = ctx;
      throwIfAborted(signal);
      if (settings.action === 'colorize') return colorizePage(models, page, ctx);
      const mask = buildMask(page, settings);
      if (typeof mask === 'string') return { skip: mask };
      const holes = maskCount(mask);
      const { layer } = page;
      const guide = page.guide ? guideForPage(page.guide.raster, page.guide.left - layer.left, page.guide.top - layer.top, layer.raster.width, layer.raster.height) : null;
      const kind = modelKindForJob(settings.mode);
      const model = await jobModel(models, kind, ctx, wantFor(kind, mask, guide));
      const bounds = maskBounds(mask)!;
      const layers: LayerPixels[] = [];
      await fillVariations(
        layer.raster,
        mask,
        { model, settings, signal, guide, onProgress: (v, event) => ctx.onEvent?.({ type: 'pipeline', variation: v, variations: settings.variations, event }) },
        (_v, result) => {
          layers.push({ raster: layerFromFill(result.image, mask, bounds), left: layer.left + bounds.left, top: layer.top + bounds.top });
        },
      );
      throwIfAborted(signal);
      return { layers, holes };
    },
  };
}

/**
 * The job's model of `kind`, its load reported as 'model-loading' / 'model-progress' events (only
 * when there is a load to wait for: a host may have loaded it already, Photoshop on panel open).
 * A cancel during the load returns at once; the load itself goes on (the next run uses it).
 */
async function jobModel(models: ModelProvider, kind: ModelKind, ctx: JobContext, want?: ModelWant): Promise<ModelRunner> {
  if (!models.isLoaded?.(kind, want)) ctx.onEvent?.({ type: 'model-loading', kind });
  return unlessAborted(
    models.get(kind, (progress) => ctx.onEvent?.({ type: 'model-progress', kind, progress }), want),
    ctx.signal,
  );
}

/**
 * What a fill of `kind` wants of its model: a bar model trained with guides when the guide has ink
 * strokes in the hole (they are what such a model reads: pipeline InpaintOptions.guideInk); with
 * no guide, or only colour dots in the hole, the plain model (nothing changes without strokes).
 */
export function wantFor(kind: ModelKind, mask: Mask, guide: Raster | null | undefined): ModelWant | undefined {
  return kind === 'bar' && guide && hasGuideInk(mask, guide) ? { guides: true } : undefined;
}

/**
 * Colorize on one page, here: the colorize model (its load reported like a fill model's), the
 * guide layer's colour dots as hints, one new RGBA layer over the whole layer, in Color blend
 * mode (the page keeps its own lines and tones; the layer only gives hue and saturation).
 */
async function colorizePage(models: ModelProvider, page: PageInput, ctx: JobContext): Promise<PageFill> {
  const { signal } = ctx;
  const model = await jobModel(models, 'colorize', ctx);
  const { layer, guide } = page;
  const { width, height } = layer.raster;
  const hints = guide ? colourHints(guide.raster, guide.left - layer.left, guide.top - layer.top, width, height) : null;
  const result = await colorize(
    layer.raster,
    { model, hints, rgba: true },
    { signal, onProgress: (event) => ctx.onEvent?.({ type: 'pipeline', variation: 0, variations: 1, event }) },
  );
  throwIfAborted(signal);
  return { layers: [{ raster: result.image, left: layer.left, top: layer.top }], holes: width * height, blend: 'color', hintPixels: result.hintPixels };
}

/** What fillVariations needs besides the page: the loaded model and the job's settings. */
export interface FillJob {
  readonly model: ModelRunner;
  readonly settings: JobSettings;
  /** Guide strokes, page-sized RGBA (core/guide.ts): their pixels in the hole are drawn and kept as known. */
  readonly guide?: Raster | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (variation: number, e: ProgressEvent) => void;
}

/**
 * With a model trained with guides, a stroke pixel the model filled darker than this (fraction of
 * white) keeps the model's value (the page's own line: its darkness and antialiasing); lighter
 * ones are drawn as the guide says.
 */
export const INK_KEPT_BELOW = 0.5;

/**
 * Every variation of a job on one page, filled in `raster`'s own buffer (no copy of the page):
 * while `take(v, result)` runs, `result.image` is `raster` with variation v's fill in the hole;
 * then the hole pixels get their original values back (also on cancel or error), so `raster`
 * ends as it began. The fill mode is the job mode's, or its fallback when the model is of the
 * fallback's kind (pipeline/modes.ts): a bar model fills a mosaic as holes.
 */
export async function fillVariations(raster: Raster, mask: Mask, job: FillJob, take: (v: number, result: InpaintResult) => Promise<void> | void): Promise<void> {
  const { model, settings } = job;
  const mode = modeForModel(JOB_MODES[settings.mode].fill, model.info.kind, model.info.name);
  const bounds = maskBounds(mask);
  if (!bounds) throw new InpaintError('empty-mask', 'Nothing to fill: the mask (selection or green paint) is empty.');
  const original = holeValues(raster, mask, bounds);
  // the strokes, for a model trained with guides (pipeline: guideInk)
  const guideInk = job.guide && model.info.input.guides === 'known-pixels' ? guideInkMask(mask, job.guide) : null;
  for (let v = 0; v < settings.variations; v++) {
    throwIfAborted(job.signal);
    try {
      // the guide's pixels in the hole are drawn into the page (undone with the hole below) and leave the hole
      const guided = job.guide ? applyGuide(raster, mask, job.guide) : null;
      if (guided && !maskBounds(guided.mask)) {
        drawGuideInk(raster, mask, job.guide!);
        await take(v, { image: raster, boxes: [] }); // the guide covers the whole hole
        continue;
      }
      const result = await inpaint(
        raster,
        guided ? guided.mask : mask,
        { model, mode, variation: v, inPlace: true, texture: settings.texture ?? 'off', fill: settings.fill ?? 'auto', structure: settings.lines ?? 'auto', guideInk },
        { signal: job.signal, onProgress: job.onProgress && ((e) => job.onProgress!(v, e)) },
      );
      // the strokes over the fill; a model trained with guides drew its own line on them, kept where dark
      if (job.guide) drawGuideInk(result.image, mask, job.guide, guideInk ? INK_KEPT_BELOW : undefined);
      await take(v, result);
    } finally {
      putHoleValues(raster, mask, bounds, original);
    }
  }
}

/**
 * Inpaints one document: reads the active layer and the selection (or green paint), runs the fill
 * (here, or through a FillEngine such as the pages' Web Worker) and adds one new layer per
 * variation above the source layer, as one undoable operation where the host has one.
 * Never throws for per-document problems: they come back as a report (skipped / failed / cancelled).
 */
export async function inpaintDocument(
  host: Host,
  doc: HostDocument,
  settings: JobSettings,
  models: JobModels,
  ctx: JobContext = {},
): Promise<JobReport> {
  const t0 = Date.now();
  const title = doc.title;
  const report = (status: JobStatus, message: string, layersAdded = 0, holePixels = 0): JobReport => {
    const r: JobReport = { document: title, status, message, layersAdded, holePixels, seconds: elapsed(t0) };
    ctx.onEvent?.({ type: 'report', report: r });
    return r;
  };
  const engine = isEngine(models) ? models : localFill(models);
  const results = host.wording === 'results';
  const colorizing = settings.action === 'colorize';
  try {
    validateSettings(settings);
    throwIfAborted(ctx.signal);
    const body = async (hostSignal?: AbortSignal): Promise<JobReport> => {
      const signal = anySignal(ctx.signal, hostSignal);
      // the layer (only the part the fill reads, where the host can), the selection, the guide (jobs/page-read.ts)
      const loadModel = isEngine(models) ? undefined : (kind: ModelKind) => jobModel(models, kind, { signal, onEvent: ctx.onEvent });
      const { layer, selection, guide, holes: paintHoles, model } = await readPage(doc, settings, { colorizing, loadModel });
      const filler = model ? localFill({ get: async () => model, isLoaded: () => true }) : engine;
      // Every variation is filled before anything is written, so a cancel leaves the document untouched.
      const fill = await filler.fillPage({ layer, selection, guide, ...(paintHoles ? { holes: paintHoles } : {}), where: results ? 'the image' : 'the active layer' }, settings, { signal, onEvent: ctx.onEvent });
      if ('skip' in fill) return report('skipped', `${title}: skipped — ${fill.skip}`);
      throwIfAborted(signal);
      const { layers, holes } = fill;
      const base = settings.layerName ?? (colorizing ? 'Colorized' : 'Inpainted');
      const names: string[] = [];
      for (let v = 0; v < layers.length; v++) {
        const asked = layers.length > 1 ? `${base} ${v + 1}` : base;
        names.push((await doc.addLayer(asked, layers[v], fill.blend ? { blend: fill.blend } : undefined)) ?? asked);
      }
      const px = holes.toLocaleString('en-US');
      if (colorizing) {
        const dots = fill.hintPixels ? ` following ${fill.hintPixels.toLocaleString('en-US')} hint px` : '';
        if (results) return report('done', `${title}: colorized${dots} — ${names.join(', ')}.`, layers.length, 0);
        return report('done', `${title}: colorized${dots} into layer "${names[0]}" (Color blend mode).`, layers.length, 0);
      }
      if (results) return report('done', `${title}: filled ${px} px — ${names.join(', ')}.`, layers.length, holes);
      const what = layers.length > 1 ? `${layers.length} layers` : `layer "${names[0]}"`;
      return report('done', `${title}: filled ${px} px into ${what}.`, layers.length, holes);
    };
    return host.transaction ? await host.transaction(doc, colorizing ? 'Colorize layer' : 'Inpaint selection', body) : await body();
  } catch (e) {
    if (e instanceof InpaintError && e.code === 'aborted') return report('cancelled', `${title}: cancelled — nothing was changed.`);
    if (isAbortError(e)) return report('cancelled', `${title}: cancelled — nothing was changed.`);
    if (e instanceof InpaintError && (e.code === 'unsupported' || e.code === 'bad-input' || e.code === 'empty-mask' || e.code === 'no-green')) {
      return report('skipped', `${title}: skipped — ${e.message}`);
    }
    const msg = e instanceof Error ? e.message : String(e);
    return report('failed', `${title}: failed — ${msg}`);
  }
}

/**
 * Runs the job on every open document in turn. Cancel stops before the next model call:
 * finished documents stay finished, the rest are untouched and reported as cancelled.
 */
export async function inpaintAllDocuments(
  host: Host,
  settings: JobSettings,
  models: JobModels,
  ctx: JobContext = {},
): Promise<JobReport[]> {
  const docs = await host.documents();
  if (docs.length === 0) throw new InpaintError('bad-input', 'No document is open: open an image first.');
  const reports: JobReport[] = [];
  for (let i = 0; i < docs.length; i++) {
    ctx.onEvent?.({ type: 'document', index: i, total: docs.length, title: docs[i].title });
    if (ctx.signal?.aborted) {
      const r: JobReport = { document: docs[i].title, status: 'cancelled', message: `${docs[i].title}: not started — cancelled.`, layersAdded: 0, holePixels: 0, seconds: 0 };
      ctx.onEvent?.({ type: 'report', report: r });
      reports.push(r);
      continue;
    }
    reports.push(await inpaintDocument(host, docs[i], settings, models, ctx));
  }
  return reports;
}

/** Summary line for a batch, e.g. "3 done, 1 skipped, 0 failed". */
export function summarise(reports: readonly JobReport[]): string {
  const n = (s: JobStatus) => reports.filter((r) => r.status === s).length;
  const parts = [`${n('done')} done`, `${n('skipped')} skipped`, `${n('failed')} failed`];
  if (n('cancelled')) parts.push(`${n('cancelled')} cancelled`);
  return parts.join(', ');
}

function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError';
}

/** An AbortSignal that fires when any of the given signals fires. */
function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const live = signals.filter((s): s is AbortSignal => !!s);
  if (live.length <= 1) return live[0];
  const ctrl = new AbortController();
  for (const s of live) {
    if (s.aborted) {
      ctrl.abort();
      break;
    }
    s.addEventListener('abort', () => ctrl.abort(), { once: true });
  }
  return ctrl.signal;
}
