/**
 * @file UXP/plain-WASM model loader: onnxruntime-web's WASM-only build, imported as ESM so the
 * bundler takes ort.wasm.bundle.min.mjs (embedded glue, no dynamic import()). Pass the bytes of
 * ort-wasm-simd-threaded.wasm as wasmBinary (UXP: read with fs). Same API as web.ts.
 */
import * as ort from 'onnxruntime-web/wasm';
import { loadWebModelWith, type WebModelOptions } from './web-core';
import type { ModelInfo, ModelRunner } from './types';

export type { WebBackend, WebModelOptions } from './web-core';

/** The ORT .wasm file this build needs. */
export const WASM_FILE = 'ort-wasm-simd-threaded.wasm';

export function loadWebModel(info: ModelInfo, modelBytes: Uint8Array, opts: WebModelOptions = {}): Promise<ModelRunner> {
  return loadWebModelWith(ort as never, { webgpu: false, name: 'onnxruntime-web/wasm' }, info, modelBytes, { backends: ['wasm'], ...opts });
}
