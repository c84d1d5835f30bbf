/**
 * @file Model loading inside UXP: models/models.json, the .onnx file and ORT's .wasm are read from the
 * plugin folder with require('fs') (`plugin:/` paths; no permission needed) and handed to
 * onnxruntime-web as bytes, WASM backend, one thread (UXP has no Worker / SharedArrayBuffer).
 * Nothing here runs inside a panel's lifecycle handler (UXP entrypoints must return in 300 ms): the
 * entry (index.tsx) calls `get()` just after the panel opens, and a click waits for that load.
 */
import { InpaintError } from '../../core/types';
import { chooseModel, parseManifest } from '../../inference/manifest';
import type { ModelKind, ModelRunner, ModelInfo, ModelWant } from '../../inference/types';
import type { WebModelOptions } from '../../inference/web-core';
import { lazyModels, type LazyModelProvider } from '../../inference/provider';
import type { UxpFs } from './api';

export const PLUGIN_ROOT = 'plugin:/';
export const MODELS_DIR = 'models/';
export const ORT_WASM_PATH = 'ort/ort-wasm-simd-threaded.wasm';

export type WebModelLoader = (info: ModelInfo, modelBytes: Uint8Array, opts: WebModelOptions) => Promise<ModelRunner>;

async function readBytes(fs: UxpFs, path: string, what: string): Promise<Uint8Array> {
  let data: ArrayBuffer | string;
  try {
    data = await fs.readFile(path);
  } catch (e) {
    throw new InpaintError('model', `Cannot read ${what} (${path}): ${(e as Error).message}. Reinstall the plugin.`);
  }
  if (typeof data === 'string') throw new InpaintError('model', `Reading ${path} returned text instead of bytes.`);
  return new Uint8Array(data);
}

/**
 * A lazy, load-once ModelProvider for UXP. `root` is where models/ and ort/ live (the plugin folder).
 * The .wasm is read once and shared by every model kind.
 */
export function uxpModels(fs: UxpFs, load: WebModelLoader, root = PLUGIN_ROOT): LazyModelProvider {
  let wasm: Promise<Uint8Array> | null = null;
  return lazyModels(async (kind: ModelKind, onProgress, want?: ModelWant) => {
    onProgress({ fraction: 0, stage: 'reading the model list' });
    let text: ArrayBuffer | string;
    try {
      text = await fs.readFile(`${root}${MODELS_DIR}models.json`, { encoding: 'utf-8' });
    } catch (e) {
      throw new InpaintError('model', `Cannot read the model list ${root}${MODELS_DIR}models.json: ${(e as Error).message}. Reinstall the plugin.`);
    }
    const manifest = parseManifest(typeof text === 'string' ? text : new TextDecoder().decode(text), 'models/models.json');
    const info = chooseModel(manifest, undefined, kind, want);
    wasm ??= readBytes(fs, `${root}${ORT_WASM_PATH}`, 'the ONNX Runtime WebAssembly file').catch((e: unknown) => {
      wasm = null;
      throw e;
    });
    onProgress({ fraction: 0.05, stage: `reading ${info.file} and ONNX Runtime` });
    const [wasmBinary, modelBytes] = await Promise.all([wasm, readBytes(fs, `${root}${MODELS_DIR}${info.file}`, `model ${info.name}`)]);
    try {
      return await load(info, modelBytes, { backends: ['wasm'], wasmBinary, numThreads: 1, onProgress: (p) => onProgress({ fraction: 0.2 + 0.8 * p.fraction, stage: p.stage }) });
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      if (/code generation|disallowed by embedder/i.test(msg)) {
        throw new InpaintError(
          'model',
          `Photoshop refused to start WebAssembly (${msg}). The plugin's manifest.json needs "allowCodeGenerationFromStrings": true under requiredPermissions; please report this.`,
        );
      }
      throw e;
    }
  });
}
