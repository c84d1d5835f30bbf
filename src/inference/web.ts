/**
 * @file Browser model loader (Photopea page, standalone page): WebGPU when an adapter exists,
 * else WASM. Imports onnxruntime-web's WebGPU build as ESM, so a bundler takes
 * ort.webgpu.bundle.min.mjs (embedded glue); pair it with ort-wasm-simd-threaded.asyncify.wasm.
 * For UXP use web-wasm.ts (same API, WASM-only build).
 */
import * as ort from 'onnxruntime-web/webgpu';
import { loadWebModelWith, type WebModelOptions } from './web-core';
import type { ModelInfo, ModelRunner } from './types';

export type { WebBackend, WebModelOptions } from './web-core';

/** The ORT .wasm file this build needs (give its bytes as wasmBinary, or serve it under wasmPaths). */
export const WASM_FILE = 'ort-wasm-simd-threaded.asyncify.wasm';

export function loadWebModel(info: ModelInfo, modelBytes: Uint8Array, opts: WebModelOptions = {}): Promise<ModelRunner> {
  return loadWebModelWith(ort as never, { webgpu: true, name: 'onnxruntime-web/webgpu' }, info, modelBytes, opts);
}
