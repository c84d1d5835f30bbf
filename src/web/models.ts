/**
 * @file The browser ModelProvider (it runs in the pages' Web Worker, src/web/fill-worker.ts):
 * fetches models.json, the model file and ONNX Runtime's .wasm from the page's own origin (bundled
 * next to the page, never a CDN), with download progress, and starts onnxruntime-web — WebGPU
 * where an adapter exists, else WASM (single-threaded unless the page is cross-origin isolated,
 * which the Photopea plugin iframe never is). Errors say which file or which backends failed.
 */
import { InpaintError } from '../core/types';
import { chooseModel, parseManifest } from '../inference/manifest';
import type { ModelKind, ModelRunner, ModelWant } from '../inference/types';
import { webRuntime, type WebBackend, type WebRuntime } from '../inference/web';
import { lazyModels, type LazyModelProvider, type LoadProgressFn } from '../inference/provider';

export interface WebModelsOptions {
  /** Absolute URL of models.json. */
  readonly manifestUrl: string;
  /** Absolute URL prefix where ONNX Runtime's files are (…/ort/). */
  readonly ortUrl: string;
  /** Backends to try in order; default webgpu then wasm. */
  readonly backends?: readonly WebBackend[];
  /** Told which backend runs once a model is loaded. */
  readonly onLoaded?: (runner: ModelRunner) => void;
}

async function fetchOk(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new InpaintError('model', `Could not load ${what} (${url}): ${(e as Error).message}. Reload the page; if it persists, rebuild with npm run build.`);
  }
  if (!res.ok) {
    throw new InpaintError(
      'model',
      `Could not load ${what}: ${url} answered HTTP ${res.status}. The page expects it next to index.html; run npm run build with the models in models/.`,
    );
  }
  return res;
}

const mb = (n: number) => (n / 1e6).toFixed(1);

/** The body of `res` as bytes, telling `onBytes(done, total)` as they arrive (total 0: unknown). */
async function readBytes(res: Response, onBytes: (done: number, total: number) => void): Promise<Uint8Array> {
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    done += r.value.length;
    onBytes(done, total);
  }
  const out = new Uint8Array(done);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Loads each model kind once. A load's stages, as fractions of the whole: the model list, the
 * model's download (2-30 %), ONNX Runtime's .wasm download on the first load (30-60 %), then the
 * runtime and the session (inference/web-core.ts, 60-100 %).
 */
export function webModels(opts: WebModelsOptions): LazyModelProvider {
  const { manifestUrl, ortUrl } = opts;
  // ONNX Runtime's .wasm, fetched once with progress and handed to ORT as bytes. When it cannot be
  // fetched, ORT is left to fetch it itself, so the error names every backend it tried.
  let runtime: Promise<{ rt: WebRuntime; wasmBinary: Uint8Array | undefined }> | null = null;
  return lazyModels(async (kind: ModelKind, onProgress: LoadProgressFn, want?: ModelWant) => {
    onProgress({ fraction: 0, stage: 'reading the model list' });
    const res = await fetchOk(manifestUrl, 'the model list');
    const manifest = parseManifest(await res.text(), manifestUrl);
    const info = chooseModel(manifest, undefined, kind, want);
    const fileUrl = new URL(info.file, manifestUrl).href;
    const modelRes = await fetchOk(fileUrl, `the model ${info.name}`);
    const bytes = await readBytes(modelRes, (done, total) =>
      onProgress({ fraction: 0.02 + (total ? 0.28 * Math.min(1, done / total) : 0), stage: `downloading ${info.file} (${mb(done)}${total ? ` of ${mb(total)}` : ''} MB)` }),
    );
    runtime ??= webRuntime(opts.backends ?? ['webgpu', 'wasm']).then(async (rt) => ({
      rt,
      wasmBinary: await fetch(ortUrl + rt.wasmFile)
        .then((r) =>
          r.ok
            ? readBytes(r, (done, total) =>
                onProgress({ fraction: 0.3 + (total ? 0.3 * Math.min(1, done / total) : 0), stage: `downloading ONNX Runtime (${mb(done)}${total ? ` of ${mb(total)}` : ''} MB)` }),
              )
            : undefined,
        )
        .catch(() => undefined),
    }));
    const { rt, wasmBinary } = await runtime;
    const runner = await rt.load(info, bytes, {
      wasmPaths: ortUrl,
      wasmBinary,
      onProgress: (p) => onProgress({ fraction: 0.6 + 0.4 * p.fraction, stage: p.stage }),
    });
    opts.onLoaded?.(runner);
    return runner;
  });
}
