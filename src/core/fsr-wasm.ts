/**
 * @file The WebAssembly (SIMD) kernel of the frequency selective reconstruction: wasm/fsr.ts,
 * compiled by `npm run build:wasm` into fsr-wasm-bytes.ts and instantiated here, synchronously
 * and once, from the embedded bytes (2-3 KB: under every engine's limit for synchronous
 * compilation, no file to fetch in any host). Where WebAssembly or its SIMD is missing or refused
 * (an embedder that disallows code generation), `fsrKernel()` returns null and the TypeScript
 * path in fsr.ts runs instead; the two give bit-identical fills (tests/core/fsr-wasm.test.ts).
 *
 * Pure: no DOM, no Node; WebAssembly is read from globalThis.
 */
import { FSR_WASM_BASE64 } from './fsr-wasm-bytes';

/** The kernel's largest window side (MAXN in wasm/fsr.ts). */
export const FSR_WASM_MAX_N = 64;

/** Typed views of the kernel's memory (window arrays n*n, row-major, stride n) and its entry point. */
export interface FsrKernel {
  /** Decay of the weighting per window pixel. */
  readonly dec: Float64Array;
  /** Window values in; the synthesised values of the block's unknown pixels out. */
  readonly val: Float64Array;
  /** Window weights: 1 known, 0.5 reconstructed, 0 unknown (and outside the image). */
  readonly wgt: Float64Array;
  readonly fw2: Float64Array;
  readonly tw: Float64Array;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Int32Array;
  /** Window side whose constants (fw2, tw, cos, sin, rev) are loaded; 0 for none. */
  loadedN: number;
  /** Key of the decay table in `dec`; '' for none. */
  decKey: string;
  /** Returns the number of basis functions chosen, or -1 when the window has no weight. */
  extrapolate(n: number, iters: number, gamma: number, x0: number, y0: number, x1: number, y1: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

let kernel: FsrKernel | null | undefined;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeBase64(s: string): Uint8Array {
  const lut = new Uint8Array(128);
  for (let i = 0; i < B64.length; i++) lut[B64.charCodeAt(i)] = i;
  const len = s.length;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((len / 4) * 3 - pad);
  for (let i = 0, o = 0; i < len; i += 4) {
    const v = (lut[s.charCodeAt(i)]! << 18) | (lut[s.charCodeAt(i + 1)]! << 12) | (lut[s.charCodeAt(i + 2)]! << 6) | lut[s.charCodeAt(i + 3)]!;
    if (o < out.length) out[o++] = (v >> 16) & 255;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/**
 * A new instance of the kernel, or null where it cannot run. `wa`: the WebAssembly API to use
 * (default globalThis.WebAssembly; tests pass a refusing one).
 */
export function loadFsrKernel(wa: WasmApi | null | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly): FsrKernel | null {
  if (!wa) return null;
  try {
    const bytes = decodeBase64(FSR_WASM_BASE64);
    if (!wa.validate(bytes)) return null; // no SIMD here
    const lib = new wa.Instance(new wa.Module(bytes), {}).exports; // not named `exports`: CommonJS builds would shadow theirs
    const memory = lib.memory as { buffer: ArrayBuffer };
    const offsets = lib.offsets as (which: number) => number;
    const nn = FSR_WASM_MAX_N * FSR_WASM_MAX_N;
    const f64 = (which: number, count: number) => new Float64Array(memory.buffer, offsets(which), count);
    return {
      dec: f64(0, nn),
      val: f64(1, nn),
      wgt: f64(2, nn),
      fw2: f64(3, nn),
      tw: f64(4, FSR_WASM_MAX_N),
      cos: f64(5, FSR_WASM_MAX_N),
      sin: f64(6, FSR_WASM_MAX_N),
      rev: new Int32Array(memory.buffer, offsets(7), FSR_WASM_MAX_N),
      loadedN: 0,
      decKey: '',
      extrapolate: lib.extrapolate as FsrKernel['extrapolate'],
    };
  } catch {
    return null; // e.g. "Wasm code generation disallowed by embedder"
  }
}

/** The WebAssembly kernel, or null where it cannot run (the TypeScript path is used then). */
export function fsrKernel(): FsrKernel | null {
  if (kernel === undefined) kernel = loadFsrKernel();
  return kernel;
}
