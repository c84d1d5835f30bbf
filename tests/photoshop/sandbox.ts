/**
 * A Node `vm` sandbox shaped like UXP for running the built panel bundle: no Worker, no
 * SharedArrayBuffer, no fetch/XMLHttpRequest, no `process`, no dynamic import(); `require` serves only
 * `photoshop`, `uxp` and `fs` (from the double). Typed arrays handed to the bundle come from the
 * sandbox's own realm, as Photoshop's would.
 */
import * as fs from 'fs';
import * as vm from 'vm';
import { PhotoshopDouble, pluginFs, uxpDouble } from './double';

export interface UxpSandbox {
  readonly context: vm.Context;
  readonly ps: PhotoshopDouble;
  readonly fs: ReturnType<typeof pluginFs>;
  readonly uxp: ReturnType<typeof uxpDouble>;
  /** Module names the bundle asked for. */
  readonly required: string[];
  /** Anything the bundle logged with console.error / console.warn. */
  readonly errors: string[];
  run(file: string): void;
  evaluate<T>(code: string): T;
}

/** Globals UXP does not provide (per /work/shared/docs/uxp-photoshop.md §6); all absent here. */
export const ABSENT = ['Worker', 'SharedWorker', 'SharedArrayBuffer', 'fetch', 'XMLHttpRequest', 'process', 'importScripts', 'Buffer', 'global', 'module', 'exports', '__dirname'];

/** Globals UXP may or may not have (unconfirmed); also absent here, so the bundle must not need them. */
export const NOT_ASSUMED = ['URL', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'performance', 'location', 'navigator', 'document', 'localStorage', 'self', 'EventTarget', 'structuredClone'];

export function createUxpSandbox(pluginDir: string, opts: { wasm?: boolean } = {}): UxpSandbox {
  const required: string[] = [];
  const errors: string[] = [];
  const log = (kind: string) => (...args: unknown[]) => {
    if (kind !== 'log') errors.push(args.map(String).join(' '));
  };
  const sandbox: Record<string, unknown> = {
    console: { log: log('log'), info: log('log'), debug: log('log'), warn: log('warn'), error: log('error') },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
  };
  const context = vm.createContext(sandbox, { name: 'uxp-sandbox', codeGeneration: { strings: false, wasm: opts.wasm ?? true } });
  // Builtins every V8 context has; UXP (assumed) does not expose SharedArrayBuffer.
  vm.runInContext('delete globalThis.SharedArrayBuffer; globalThis.window = globalThis;', context);
  const typed = vm.runInContext('({ Uint8Array, Uint16Array, Float32Array, ArrayBuffer })', context);
  const ps = new PhotoshopDouble(typed);
  const pfs = pluginFs(pluginDir, typed);
  const uxp = uxpDouble();
  sandbox.require = (name: string) => {
    required.push(name);
    if (name === 'photoshop') return ps.module;
    if (name === 'uxp') return uxp;
    if (name === 'fs') return pfs;
    throw new Error(`Cannot find module '${name}' (not available in UXP)`);
  };
  return {
    context,
    ps,
    fs: pfs,
    uxp,
    required,
    errors,
    run(file: string) {
      try {
        vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
      } catch (e) {
        // Re-throw without the minified code frame jest would print.
        const err = e as { name?: string; message?: string };
        throw new Error(`bundle threw while loading: ${err.name}: ${err.message}`);
      }
    },
    evaluate<T>(code: string): T {
      return vm.runInContext(code, context) as T;
    },
  };
}
