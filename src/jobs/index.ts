/**
 * @file One "Inpaint selection" job over the Host interface, and the batch over all open documents.
 * Shared by the Photoshop panel, the Photopea plugin, the standalone page and the tests' in-memory host.
 * Hosts stay thin: every decision (mask source, grow, model choice, layer naming, skip reasons) lives here.
 */
import { growMask, greenMask, maskBounds, maskCount, selectionToMask } from '../core/mask';
import { holeValues, layerFromFill, putHoleValues } from '../core/composite';
import { InpaintError, type Mask } from '../core/types';
import type { Host, HostDocument, LayerPixels, SelectionPixels } from '../hosts/host';
import type { ModelKind, ModelRunner } from '../inference/types';
import { inpaint } from '../pipeline';
import type { ProgressEvent } from '../pipeline/types';

/** holes: the selection is the hole; mosaic: the selection covers a mosaic used as hints; green: pure-green paint in the layer is the hole. */
export type JobMode = 'holes' | 'mosaic' | 'green';

export interface JobSettings {
  readonly mode: JobMode;
  /** Grow the hole by this many pixels (exact Euclidean disk), 0..64. */
  readonly grow: number;
  /** Number of result layers, 1..4 (variation k>0 runs on a flipped copy). */
  readonly variations: number;
  /** Base name of the new layer(s). Default "Inpainted". */
  readonly layerName?: string;
  /**
   * 'auto': after the model, re-synthesise screentone and hatching in the hole from the page around
   * it (patch-based, holes and green modes); 'off' (default): the model's fill as it is.
   */
  readonly texture?: 'auto' | 'off';
}

/** Lazily loads models, once each; hosts implement it over their own file access. */
export interface ModelProvider {
  get(kind: ModelKind): Promise<ModelRunner>;
}

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
  | { readonly type: 'pipeline'; readonly variation: number; readonly variations: number; readonly event: ProgressEvent }
  | { readonly type: 'report'; readonly report: JobReport };

export interface JobContext {
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: JobEvent) => void;
}

export const MAX_GROW = 64;
export const MAX_VARIATIONS = 4;

export function validateSettings(s: JobSettings): void {
  if (!Number.isInteger(s.grow) || s.grow < 0 || s.grow > MAX_GROW) {
    throw new InpaintError('bad-input', `Grow must be a whole number of pixels from 0 to ${MAX_GROW} (got ${s.grow}).`);
  }
  if (!Number.isInteger(s.variations) || s.variations < 1 || s.variations > MAX_VARIATIONS) {
    throw new InpaintError('bad-input', `Variations must be from 1 to ${MAX_VARIATIONS} (got ${s.variations}).`);
  }
  if (s.texture !== undefined && s.texture !== 'auto' && s.texture !== 'off') {
    throw new InpaintError('bad-input', `Texture must be auto or off (got "${String(s.texture)}").`);
  }
  if (s.mode !== 'holes' && s.mode !== 'mosaic' && s.mode !== 'green') {
    throw new InpaintError('bad-input', `Unknown mode "${String(s.mode)}": use holes, mosaic or green.`);
  }
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

/** Builds the hole mask for a document in the given mode; returns a skip reason instead of a mask when there is nothing to do. */
async function buildMask(doc: HostDocument, layer: LayerPixels, settings: JobSettings): Promise<Mask | string> {
  let mask: Mask;
  if (settings.mode === 'green') {
    mask = greenMask(layer.raster);
    if (maskCount(mask) === 0) return 'no pure-green (#00FF00) paint found in the active layer; paint the area green or switch the mode to Holes and make a selection.';
  } else {
    const sel = await doc.readSelection();
    if (!sel) return 'no selection: select the area to fill (or use Green paint mode).';
    mask = selectionMaskForLayer(sel, layer);
    if (maskCount(mask) === 0) {
      return maskCount(selectionToMask(sel.channel)) === 0
        ? 'the selection is empty or less than 50 % selected everywhere; make a firmer selection.'
        : 'the selection lies outside the active layer; select pixels of the active layer or pick another layer.';
    }
  }
  return settings.grow > 0 ? growMask(mask, settings.grow) : mask;
}

/**
 * Inpaints one document: reads the active layer and the selection (or green paint), runs the pipeline
 * and adds one new layer per variation above the source layer, as one undoable operation where the host has one.
 * Never throws for per-document problems: they come back as a report (skipped / failed / cancelled).
 */
export async function inpaintDocument(
  host: Host,
  doc: HostDocument,
  settings: JobSettings,
  models: ModelProvider,
  ctx: JobContext = {},
): Promise<JobReport> {
  const t0 = Date.now();
  const title = doc.title;
  const report = (status: JobStatus, message: string, layersAdded = 0, holePixels = 0): JobReport => {
    const r: JobReport = { document: title, status, message, layersAdded, holePixels, seconds: elapsed(t0) };
    ctx.onEvent?.({ type: 'report', report: r });
    return r;
  };
  try {
    validateSettings(settings);
    throwIfAborted(ctx.signal);
    const kind: ModelKind = settings.mode === 'mosaic' ? 'mosaic' : 'bar';
    const body = async (hostSignal?: AbortSignal): Promise<JobReport> => {
      const signal = anySignal(ctx.signal, hostSignal);
      const layer = await doc.readLayer();
      const mask = await buildMask(doc, layer, settings);
      if (typeof mask === 'string') return report('skipped', `${title}: skipped — ${mask}`);
      const holes = maskCount(mask);
      ctx.onEvent?.({ type: 'model-loading', kind });
      const model = await models.get(kind);
      // Run every variation before writing anything, so a cancel leaves the document untouched.
      // No copy of the page: the pipeline fills the layer's own buffer (inPlace), the hole's
      // bounding box is copied out as the new layer, and the hole pixels' original values are
      // put back after each variation (also on cancel or error), so readLayer's pixels end as
      // they began. The new layer covers only the hole's bounding box.
      const bounds = maskBounds(mask)!;
      const original = holeValues(layer.raster, mask, bounds);
      const layers: LayerPixels[] = [];
      for (let v = 0; v < settings.variations; v++) {
        throwIfAborted(signal);
        try {
          const result = await inpaint(layer.raster, mask, { model, mode: settings.mode === 'mosaic' ? 'mosaic' : 'holes', variation: v, inPlace: true, texture: settings.texture ?? 'off' }, {
            signal,
            onProgress: (event) => ctx.onEvent?.({ type: 'pipeline', variation: v, variations: settings.variations, event }),
          });
          layers.push({ raster: layerFromFill(result.image, mask, bounds), left: layer.left + bounds.left, top: layer.top + bounds.top });
        } finally {
          putHoleValues(layer.raster, mask, bounds, original);
        }
      }
      throwIfAborted(signal);
      const base = settings.layerName ?? 'Inpainted';
      for (let v = 0; v < layers.length; v++) {
        await doc.addLayer(layers.length > 1 ? `${base} ${v + 1}` : base, layers[v]);
      }
      const what = layers.length > 1 ? `${layers.length} layers` : `layer "${base}"`;
      return report('done', `${title}: filled ${holes.toLocaleString('en-US')} px into ${what}.`, layers.length, holes);
    };
    return host.transaction ? await host.transaction(doc, 'Inpaint selection', body) : await body();
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
  models: ModelProvider,
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
