/**
 * @file Browser/UXP model loading shared by web.ts (WebGPU + WASM build) and web-wasm.ts
 * (WASM-only build for UXP). It receives the onnxruntime-web module, it never imports it.
 */
import { InpaintError } from '../core/types';
import { verifySha256 } from './manifest';
import { checkSessionNames, sessionRunner, type OrtLikeSession } from './runner';
import type { ModelInfo, ModelRunner } from './types';

export type WebBackend = 'webgpu' | 'wasm';

export interface WebModelOptions {
  /** Backends to try, in order. Default ['webgpu', 'wasm'] (WASM-only build: ['wasm']). */
  readonly backends?: readonly WebBackend[];
  /** The ORT .wasm file's bytes (UXP: read it with fs; never fetched then). */
  readonly wasmBinary?: Uint8Array;
  /** Where ORT finds its .wasm files (a URL prefix), when wasmBinary is not given. */
  readonly wasmPaths?: string;
  /** WASM threads; forced to 1 without SharedArrayBuffer + crossOriginIsolated. */
  readonly numThreads?: number;
}

/** The parts of onnxruntime-web's module this file uses. */
export interface OrtWebModule {
  readonly env: {
    wasm: { numThreads?: number; proxy?: boolean; wasmBinary?: ArrayBufferLike | Uint8Array; wasmPaths?: unknown };
    webgpu?: unknown;
  };
  readonly InferenceSession: { create(bytes: Uint8Array, opts: object): Promise<unknown> };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

let configured = false;

/** Whether wasm threads can work here (SharedArrayBuffer plus cross-origin isolation). */
export function canUseThreads(): boolean {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated === true;
}

export async function loadWebModelWith(
  ort: OrtWebModule,
  build: { readonly webgpu: boolean; readonly name: string },
  info: ModelInfo,
  modelBytes: Uint8Array,
  opts: WebModelOptions = {},
): Promise<ModelRunner> {
  verifySha256(modelBytes, info.sha256, info.file);
  if (!configured) {
    // Must be set before the first session: numThreads > 1 needs Workers + SharedArrayBuffer,
    // proxy spawns a Worker (absent in UXP).
    const hw = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    ort.env.wasm.numThreads = canUseThreads() ? Math.max(1, Math.min(opts.numThreads ?? Math.ceil(hw / 2), 8)) : 1;
    ort.env.wasm.proxy = false;
    if (opts.wasmBinary) ort.env.wasm.wasmBinary = opts.wasmBinary;
    else if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
    configured = true;
  }
  const tried: string[] = [];
  for (const backend of opts.backends ?? (build.webgpu ? ['webgpu', 'wasm'] : ['wasm'])) {
    if (backend === 'webgpu') {
      if (!build.webgpu) {
        tried.push(`webgpu: not in the ${build.name} build`);
        continue;
      }
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
      if (!gpu) {
        tried.push('webgpu: navigator.gpu is missing');
        continue;
      }
      let adapter: unknown = null;
      try {
        adapter = await gpu.requestAdapter();
      } catch (e) {
        tried.push(`webgpu: requestAdapter failed (${(e as Error).message})`);
        continue;
      }
      if (!adapter) {
        tried.push('webgpu: no GPU adapter');
        continue;
      }
    }
    try {
      const session = (await ort.InferenceSession.create(modelBytes, {
        executionProviders: [backend],
        graphOptimizationLevel: 'all',
      })) as OrtLikeSession;
      checkSessionNames(session, info);
      return sessionRunner(info, backend, session, (data, dims) => new ort.Tensor('float32', data, dims));
    } catch (e) {
      if (e instanceof InpaintError) throw e;
      tried.push(`${backend}: ${(e as Error).message}`);
    }
  }
  throw new InpaintError('model', `could not start model ${info.name} on any backend. Tried: ${tried.join('; ')}`);
}
