/**
 * @file Browser model loader (the pages' Web Worker): WebGPU when an adapter exists, else WASM.
 * Two onnxruntime-web builds, imported as ESM so a bundler takes their *.bundle.min.mjs
 * (embedded glue): the WebGPU build (ort-wasm-simd-threaded.asyncify.wasm) only when an adapter
 * is there, otherwise the WASM-only build (ort-wasm-simd-threaded.wasm): its WebAssembly has no
 * asyncify instrumentation and measured about 2-3x faster to start a session and 1.5-2x faster
 * per run on the 2-core test machine. For UXP use web-wasm.ts (WASM-only, no WebGPU).
 */
import * as ortGpu from 'onnxruntime-web/webgpu';
import * as ortWasm from 'onnxruntime-web/wasm';
import { loadWebModelWith, webGpuUnavailable, type WebBackend, type WebModelOptions } from './web-core';
import type { ModelInfo, ModelRunner } from './types';

export type { WebBackend, WebModelOptions } from './web-core';

/** The ORT .wasm file each build needs (give its bytes as wasmBinary, or serve it under wasmPaths). */
export const WASM_FILES = { webgpu: 'ort-wasm-simd-threaded.asyncify.wasm', wasm: 'ort-wasm-simd-threaded.wasm' } as const;

/** The onnxruntime-web build chosen for this browser, and how to load a model with it. */
export interface WebRuntime {
  /** 'webgpu': the WebGPU build (WebGPU, WASM as its fallback); 'wasm': the WASM-only build. */
  readonly build: keyof typeof WASM_FILES;
  /** Its .wasm file (under wasmPaths). */
  readonly wasmFile: string;
  /** Backends ruled out while choosing ("webgpu: no GPU adapter"). */
  readonly notes: readonly string[];
  load(info: ModelInfo, modelBytes: Uint8Array, opts?: WebModelOptions): Promise<ModelRunner>;
}

/** Picks the build for `backends` (default webgpu, then wasm): the WebGPU one only when an adapter exists. */
export async function webRuntime(backends: readonly WebBackend[] = ['webgpu', 'wasm']): Promise<WebRuntime> {
  const notes: string[] = [];
  if (backends.includes('webgpu')) {
    const why = await webGpuUnavailable();
    if (!why) {
      return {
        build: 'webgpu',
        wasmFile: WASM_FILES.webgpu,
        notes,
        load: (info, bytes, opts = {}) => loadWebModelWith(ortGpu as never, { webgpu: true, name: 'onnxruntime-web/webgpu' }, info, bytes, { ...opts, backends }),
      };
    }
    notes.push(`webgpu: ${why}`);
  }
  return {
    build: 'wasm',
    wasmFile: WASM_FILES.wasm,
    notes,
    load: (info, bytes, opts = {}) =>
      loadWebModelWith(ortWasm as never, { webgpu: false, name: 'onnxruntime-web/wasm' }, info, bytes, { ...opts, backends: backends.filter((b) => b === 'wasm'), tried: notes }),
  };
}

/** One call: picks the build for `opts.backends` and loads the model with it. */
export async function loadWebModel(info: ModelInfo, modelBytes: Uint8Array, opts: WebModelOptions = {}): Promise<ModelRunner> {
  return (await webRuntime(opts.backends)).load(info, modelBytes, opts);
}
