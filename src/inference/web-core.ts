/**
 * @file Browser/UXP model loading shared by web.ts (WebGPU + WASM build) and web-wasm.ts
 * (WASM-only build for UXP). It receives the onnxruntime-web module, it never imports it.
 */
import { InpaintError } from '../core/types';
import { verifySha256 } from './manifest';
import { checkSessionNames, sessionRunner, type OrtLikeSession } from './runner';
import { nextTask, type LoadProgressFn } from './tasks';
import type { ModelInfo, ModelKind, ModelRunner } from './types';

/**
 * Model kinds that run on WASM even where WebGPU is available: the colorize model's output on
 * WebGPU (Chromium's SwiftShader adapter, tests/browser/webgpu.test.ts) differed from WASM by up
 * to 0.057 (mean 0.004) at 128x128, where the fill models agree within 6e-7. Until the op at fault
 * is found, it runs where its output is the tested one.
 */
export const WASM_ONLY_KINDS: readonly ModelKind[] = ['colorize'];

export type WebBackend = 'webgpu' | 'wasm';

export interface WebModelOptions {
  /** Backends to try, in order. Default ['webgpu', 'wasm'] (WASM-only build: ['wasm']). */
  readonly backends?: readonly WebBackend[];
  /** The ORT .wasm file's bytes (UXP: read it with fs; never fetched then). */
  readonly wasmBinary?: Uint8Array;
  /** Where ORT finds its files (a URL prefix): its glue module, and the .wasm when wasmBinary is not given. */
  readonly wasmPaths?: string;
  /** WASM threads; forced to 1 without SharedArrayBuffer + crossOriginIsolated. */
  readonly numThreads?: number;
  /** Stages of the load (fractions 0..1 of this call's part: checking, starting the runtime, the session). */
  readonly onProgress?: LoadProgressFn;
  /** Backends already ruled out by the caller ("webgpu: no GPU adapter"), for the error message. */
  readonly tried?: readonly string[];
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

/** The ORT modules (by their env) already configured: settings must be made before their first session. */
const configured = new WeakSet<object>();

/** Why WebGPU cannot run here, or null when an adapter is available. */
export async function webGpuUnavailable(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'navigator.gpu is missing';
  try {
    return (await gpu.requestAdapter()) ? null : 'no GPU adapter';
  } catch (e) {
    return `requestAdapter failed (${(e as Error).message})`;
  }
}

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
  // Between the steps the event loop gets a turn (nextTask): in UXP, Photoshop's cancel and the
  // panel stay alive; in a Worker, a "cancel" message can be read.
  const progress = opts.onProgress ?? (() => undefined);
  progress({ fraction: 0, stage: `checking ${info.file} (sha256)` });
  await nextTask();
  verifySha256(modelBytes, info.sha256, info.file);
  progress({ fraction: 0.1, stage: 'starting ONNX Runtime' });
  await nextTask();
  if (!configured.has(ort.env)) {
    // Must be set before the first session: numThreads > 1 needs Workers + SharedArrayBuffer,
    // proxy spawns a Worker (absent in UXP).
    const hw = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    ort.env.wasm.numThreads = canUseThreads() ? Math.max(1, Math.min(opts.numThreads ?? Math.ceil(hw / 2), 8)) : 1;
    ort.env.wasm.proxy = false;
    // Both may be given (the pages): the bytes are used and ORT's glue module comes from wasmPaths.
    if (opts.wasmBinary) ort.env.wasm.wasmBinary = opts.wasmBinary;
    if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
    configured.add(ort.env);
  }
  const tried: string[] = [...(opts.tried ?? [])];
  let backends = opts.backends ?? (build.webgpu ? ['webgpu', 'wasm'] : ['wasm']);
  if (WASM_ONLY_KINDS.includes(info.kind) && backends.includes('webgpu')) {
    tried.push(`webgpu: not used for ${info.kind} models (their WebGPU output differs from WASM's)`);
    backends = ['wasm'];
  }
  for (const backend of backends) {
    if (backend === 'webgpu') {
      if (!build.webgpu) {
        tried.push(`webgpu: not in the ${build.name} build`);
        continue;
      }
      const why = await webGpuUnavailable();
      if (why) {
        tried.push(`webgpu: ${why}`);
        continue;
      }
    }
    try {
      progress({ fraction: backend === 'webgpu' ? 0.2 : 0.15, stage: `starting ONNX Runtime and the model on ${backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}` });
      await nextTask();
      const session = (await ort.InferenceSession.create(modelBytes, {
        executionProviders: [backend],
        graphOptimizationLevel: 'all',
      })) as OrtLikeSession;
      checkSessionNames(session, info);
      progress({ fraction: 1, stage: `model ${info.name} ready on ${backend}` });
      return sessionRunner(info, backend, session, (data, dims) => new ort.Tensor('float32', data, dims));
    } catch (e) {
      if (e instanceof InpaintError) throw e;
      tried.push(`${backend}: ${(e as Error).message}`);
    }
  }
  throw new InpaintError('model', `could not start model ${info.name} on any backend. Tried: ${tried.join('; ')}`);
}
