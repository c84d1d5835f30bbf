/**
 * @file The pages' Web Worker (dist/photopea/worker.js): loads the model with onnxruntime-web and
 * runs the whole fill of a job (jobs' `localFill`: mask, model load, every variation, the new
 * layers) so that the page's main thread only reads pixels, shows progress and adds results.
 * A "cancel" message aborts the job's signal; the pipeline yields between steps to read it.
 * It also decodes and encodes the Photopea host's document-sized PNGs (hosts/photopea PngCodec).
 */
import { decodePngRaster, encodePlacedRgba8Png } from '../browser/png';
import type { LayerPixels } from '../contracts/host';
import { localFill, type FillEngine } from '../jobs';
import { sendError, type FromWorker, type ToWorker } from './fill-protocol';
import { webModels } from './models';

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let engine: FillEngine | null = null;
const jobs = new Map<number, AbortController>();

function post(m: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(m, transfer);
}

function buffersOf(layers: readonly LayerPixels[]): Transferable[] {
  return layers.map((l) => l.raster.data.buffer as ArrayBuffer);
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'init') {
    const models = webModels({ ...m.config, onLoaded: (r) => post({ type: 'loaded', name: r.info.name, backend: r.backend }) });
    engine = localFill(models);
    return;
  }
  if (m.type === 'cancel') {
    jobs.get(m.id)?.abort();
    return;
  }
  if (m.type === 'png-decode' || m.type === 'png-encode-placed') {
    try {
      if (m.type === 'png-decode') {
        const raster = decodePngRaster(m.png);
        post({ type: 'png-done', id: m.id, raster }, [raster.data.buffer as ArrayBuffer]);
      } else {
        const png = encodePlacedRgba8Png(m.layer, m.left, m.top, m.width, m.height);
        post({ type: 'png-done', id: m.id, png }, [png.buffer as ArrayBuffer]);
      }
    } catch (err) {
      post({ type: 'png-failed', id: m.id, error: sendError(err) });
    }
    return;
  }
  if (m.type === 'fill') {
    const abort = new AbortController();
    jobs.set(m.id, abort);
    const run = engine ? engine.fillPage(m.page, m.settings, { signal: abort.signal, onEvent: (event) => post({ type: 'event', id: m.id, event }) }) : Promise.reject(new Error('the fill worker was not initialised'));
    run.then(
      (fill) => post({ type: 'done', id: m.id, fill }, 'layers' in fill ? buffersOf(fill.layers) : []),
      (err: unknown) => post({ type: 'failed', id: m.id, error: sendError(err) }),
    ).finally(() => jobs.delete(m.id));
  }
};
