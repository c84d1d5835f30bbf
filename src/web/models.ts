/**
 * @file The browser ModelProvider: fetches models.json and the model file from the page's own
 * origin (bundled next to the page, never a CDN) and starts onnxruntime-web — WebGPU where an
 * adapter exists, else WASM (single-threaded unless the page is cross-origin isolated, which the
 * Photopea plugin iframe never is). Errors say which file or which backends failed.
 */
import { InpaintError } from '../core/types';
import { chooseModel, parseManifest } from '../inference/manifest';
import type { ModelKind, ModelRunner } from '../inference/types';
import { loadWebModel, type WebBackend } from '../inference/web';
import { lazyModels, type LazyModelProvider } from '../inference/provider';

export interface WebModelsOptions {
  /** URL of models.json (relative to the page). Default "models/models.json". */
  readonly manifestUrl?: string;
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

/** Only same-origin, relative manifest URLs are accepted from the page's query string. */
export function manifestUrlFromQuery(search: string, fallback = 'models/models.json'): string {
  const v = new URLSearchParams(search).get('models');
  if (!v) return fallback;
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('//') || v.includes('..')) return fallback;
  return v;
}

export function webModels(opts: WebModelsOptions = {}): LazyModelProvider {
  const manifestUrl = new URL(opts.manifestUrl ?? 'models/models.json', document.baseURI).href;
  const wasmPaths = new URL('ort/', document.baseURI).href;
  return lazyModels(async (kind: ModelKind) => {
    const res = await fetchOk(manifestUrl, 'the model list');
    const manifest = parseManifest(await res.text(), manifestUrl);
    const info = chooseModel(manifest, undefined, kind);
    const fileUrl = new URL(info.file, manifestUrl).href;
    const bytes = new Uint8Array(await (await fetchOk(fileUrl, `the model ${info.name}`)).arrayBuffer());
    const runner = await loadWebModel(info, bytes, { backends: opts.backends ?? ['webgpu', 'wasm'], wasmPaths });
    opts.onLoaded?.(runner);
    return runner;
  });
}
