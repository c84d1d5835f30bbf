/**
 * @file Browser bench harness, bundled by build/webpack.bench.js into dist/bench/web/bench.js.
 * Runs the same path as the plugin page: PNG bytes -> canvas decode -> jobs.inpaintDocument
 * (green mode: greenMask -> pipeline.inpaint -> layerFromFill) over a one-document in-memory
 * host -> the new layer encoded as PNG. onnxruntime-web's WebGPU+WASM build (src/inference/web.ts).
 */
import { inpaintDocument } from '../../src/jobs';
import type { ModelProvider } from '../../src/inference/provider';
import type { Host, HostDocument, LayerPixels } from '../../src/contracts/host';
import { loadWebModel } from '../../src/inference/web';
import type { ModelInfo, ModelRunner } from '../../src/inference/types';
import type { Raster } from '../../src/core/types';
import { detectMosaics } from '../../src/core/mosaic-detect';

interface Timings {
  [k: string]: number;
}

let model: ModelRunner | null = null;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** Loads the model once (cold: fetch + session creation). */
async function loadModel(info: ModelInfo, url: string, backends: ('webgpu' | 'wasm')[]): Promise<{ ms: number; backend: string }> {
  const t0 = performance.now();
  const bytes = await fetchBytes(url);
  model = await loadWebModel(info, bytes, { backends, wasmPaths: new URL('./', location.href).href });
  return { ms: performance.now() - t0, backend: model.backend };
}

async function decode(bytes: Uint8Array): Promise<Raster> {
  const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bmp, 0, 0);
  bmp.close();
  const d = g.getImageData(0, 0, c.width, c.height);
  return { width: d.width, height: d.height, channels: 4, data: new Uint8Array(d.data.buffer), maxValue: 255 };
}

async function encode(r: Raster): Promise<Blob> {
  const c = new OffscreenCanvas(r.width, r.height);
  const g = c.getContext('2d')!;
  g.putImageData(new ImageData(new Uint8ClampedArray(r.data.buffer as ArrayBuffer, r.data.byteOffset, r.data.length), r.width, r.height), 0, 0);
  return c.convertToBlob({ type: 'image/png' });
}

/** One page end to end; the model must be loaded. */
async function runPage(url: string, action: 'inpaint' | 'colorize' = 'inpaint'): Promise<{ t: Timings; width: number; height: number; status: string; message: string; pngBytes: number }> {
  if (!model) throw new Error('call loadModel first');
  const t: Timings = {};
  const t0 = performance.now();
  const bytes = await fetchBytes(url);
  t.fetch = performance.now() - t0;
  let mark = performance.now();
  const raster = await decode(bytes);
  t.decode = performance.now() - mark;
  let added: LayerPixels | null = null;
  const doc: HostDocument = {
    id: 1,
    title: url.split('/').pop() ?? url,
    readLayer: async () => ({ raster, left: 0, top: 0 }),
    readSelection: async () => null,
    addLayer: async (_name, pixels) => {
      added = pixels;
    },
  };
  const host: Host = { name: 'bench', activeDocument: async () => doc, documents: async () => [doc] };
  const models: ModelProvider = { get: async () => model! };
  mark = performance.now();
  const rep = await inpaintDocument(host, doc, { action, mode: 'green', grow: 0, variations: 1 }, models);
  t.job = performance.now() - mark;
  let pngBytes = 0;
  if (added) {
    mark = performance.now();
    const blob = await encode((added as LayerPixels).raster);
    pngBytes = blob.size;
    t.encode = performance.now() - mark;
  }
  t.total = performance.now() - t0;
  return { t, width: raster.width, height: raster.height, status: rep.status, message: rep.message, pngBytes };
}

/** Mosaic detection (bench/mosaic-detect.js) on one decoded page: the first call and `reps` more, in ms. */
async function detect(url: string, reps: number): Promise<{ width: number; height: number; firstMs: number; ms: number[]; regions: number }> {
  const raster = await decode(await fetchBytes(url));
  let t = performance.now();
  const r = detectMosaics(raster);
  const firstMs = performance.now() - t;
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    t = performance.now();
    detectMosaics(raster);
    ms.push(performance.now() - t);
  }
  return { width: raster.width, height: raster.height, firstMs, ms, regions: r.regions.length };
}

/**
 * runPage in separate steps, so that the bench can read the renderer's memory between them
 * (bench/lib/measure.js `phases`): decode the page and keep it, run the job on it, encode the new
 * layer, drop everything; `collect` runs a full GC where Chromium exposes it (--js-flags=--expose-gc).
 */
let held: { raster: Raster; added: LayerPixels | null } | null = null;

async function decodePage(url: string): Promise<{ ms: number; width: number; height: number }> {
  const bytes = await fetchBytes(url);
  const t0 = performance.now();
  const raster = await decode(bytes);
  held = { raster, added: null };
  return { ms: performance.now() - t0, width: raster.width, height: raster.height };
}

async function jobPage(): Promise<{ ms: number; status: string; message: string; layer: string }> {
  if (!model || !held) throw new Error('call loadModel and decodePage first');
  const h = held;
  const doc: HostDocument = {
    id: 1,
    title: 'page',
    readLayer: async () => ({ raster: h.raster, left: 0, top: 0 }),
    readSelection: async () => null,
    addLayer: async (_name, pixels) => {
      h.added = pixels;
    },
  };
  const host: Host = { name: 'bench', activeDocument: async () => doc, documents: async () => [doc] };
  const t0 = performance.now();
  const rep = await inpaintDocument(host, doc, { action: 'inpaint', mode: 'green', grow: 0, variations: 1 }, { get: async () => model! });
  const a = h.added as LayerPixels | null;
  return { ms: performance.now() - t0, status: rep.status, message: rep.message, layer: a ? `${a.raster.width}x${a.raster.height} at (${a.left}, ${a.top})` : 'none' };
}

async function encodeLayer(): Promise<{ ms: number; pngBytes: number }> {
  if (!held?.added) throw new Error('no layer to encode');
  const t0 = performance.now();
  const blob = await encode(held.added.raster);
  return { ms: performance.now() - t0, pngBytes: blob.size };
}

function release(): void {
  held = null;
}

function collect(): boolean {
  const gc = (globalThis as unknown as { gc?: () => void }).gc;
  if (gc) gc();
  return !!gc;
}

(globalThis as unknown as { bench: object }).bench = { loadModel, runPage, detect, decodePage, jobPage, encodeLayer, release, collect };
