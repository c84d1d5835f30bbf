/**
 * The classical reconstruction's WebAssembly kernel (src/core/fsr-wasm.ts) in headless Chromium,
 * where the standalone page and the Photopea plugin fill (in the page's worker): the embedded
 * module validates (SIMD), compiles synchronously on the main thread and in a worker, and one
 * block through it gives what it gives in Node (to 1e-9: the inputs come from each engine's Math). (UXP's SIMD support is not confirmed: there the
 * loader falls back to the TypeScript path, tests/core/fsr-wasm.test.ts.)
 */
import type { Browser } from 'playwright-core';
import { FSR_WASM_BASE64 } from '../../src/core/fsr-wasm-bytes';
import { fsrKernel } from '../../src/core/fsr-wasm';
import { describeBrowser, launch } from './helpers';

jest.setTimeout(120000);

/** Runs in the page (and, as source text, in a worker): one 16x16 window through the kernel. */
function probeKernel(b64: string): { valid: boolean; n: number; out: number[] } {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const valid = WebAssembly.validate(bytes);
  const lib = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, unknown>;
  const mem = (lib.memory as WebAssembly.Memory).buffer;
  const off = lib.offsets as (k: number) => number;
  const N = 16;
  const f64 = (k: number, len: number) => new Float64Array(mem, off(k), len);
  const [dec, val, wgt, fw2, tw, cos, sin] = [f64(0, N * N), f64(1, N * N), f64(2, N * N), f64(3, N * N), f64(4, N), f64(5, N), f64(6, N)];
  const rev = new Int32Array(mem, off(7), N);
  for (let k = 0; k < N / 2; k++) (tw[2 * k] = Math.cos((2 * Math.PI * k) / N)), (tw[2 * k + 1] = Math.sin((2 * Math.PI * k) / N));
  for (let k = 0; k < N; k++) (cos[k] = Math.cos((2 * Math.PI * k) / N)), (sin[k] = Math.sin((2 * Math.PI * k) / N));
  for (let i = 1, j = 0; i < N; i++) {
    let bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    rev[i] = j;
  }
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const fy = Math.min(y, N - y);
      const fx = Math.min(x, N - x);
      const f = 1 - (Math.sqrt(fx * fx + fy * fy) * Math.SQRT2) / N;
      fw2[y * N + x] = f * f;
      dec[y * N + x] = Math.pow(0.7, Math.hypot(x + 0.5 - 8, y + 0.5 - 8));
      val[y * N + x] = 128 + 90 * Math.sin(x * 0.9) * Math.cos(y * 0.6);
      wgt[y * N + x] = x >= 6 && x < 10 && y >= 6 && y < 10 ? 0 : 1;
    }
  }
  const n = (lib.extrapolate as (...a: number[]) => number)(N, 40, 0.5, 6, 6, 10, 10);
  const out: number[] = [];
  for (let y = 6; y < 10; y++) for (let x = 6; x < 10; x++) out.push(val[y * N + x]!);
  return { valid, n, out };
}

describeBrowser('FSR WebAssembly kernel in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('validates, compiles on the main thread and in a worker, and fills as in Node', async () => {
    const page = await browser.newPage();
    await page.goto('about:blank');
    const main = await page.evaluate(probeKernel, FSR_WASM_BASE64);
    const worker = await page.evaluate(
      ({ src, b64 }) =>
        new Promise((resolve, reject) => {
          const code = `const probeKernel = ${src}; onmessage = (e) => postMessage(probeKernel(e.data));`;
          const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => reject(new Error(e.message));
          w.postMessage(b64);
        }),
      { src: probeKernel.toString(), b64: FSR_WASM_BASE64 },
    );
    const node = probeKernel(FSR_WASM_BASE64);
    expect(node.valid).toBe(true);
    expect(node.n).toBeGreaterThan(0);
    // the same selections; values within 1e-9 (the inputs come from each engine's Math.sin/cos/pow,
    // which may differ in the last bit between Node's V8 and Chromium's)
    for (const got of [main, worker] as Array<typeof node>) {
      expect(got.valid).toBe(true);
      expect(got.n).toBe(node.n);
      got.out.forEach((v, i) => expect(Math.abs(v - node.out[i]!)).toBeLessThan(1e-9));
    }
    // the same module the core loads in Node
    expect(fsrKernel()).not.toBeNull();
  });
});
