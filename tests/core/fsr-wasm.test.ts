import { execFileSync } from 'child_process';
import * as path from 'path';
import { fsrFillBox, fsrFillPlane } from '../../src/core/fsr';
import { fsrKernel, loadFsrKernel, type WasmApi } from '../../src/core/fsr-wasm';
import type { Mask, Raster } from '../../src/core/types';

/** A page-like test picture: a dot screen, a gradient, dark strokes and a flat region. */
function picture(w: number, h: number, channels: 1 | 3 | 4): Raster {
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = x < w / 2 ? 128 + 90 * Math.cos(x * 1.1) * Math.cos(y * 1.1) : 60 + (150 * y) / h;
      if (Math.abs(x - y * 0.7 - 10) < 1.5 || Math.abs(y - 0.3 * h) < 1) v = 20;
      if (x > 0.8 * w && y > 0.6 * h) v = 235;
      const o = (y * w + x) * channels;
      data[o] = v;
      if (channels >= 3) (data[o + 1] = v * 0.8 + 30), (data[o + 2] = 255 - v * 0.5);
      if (channels === 4) data[o + 3] = 255;
    }
  }
  return { width: w, height: h, channels, data, maxValue: 255 };
}

/** Holes: a bar, a blob and a thin scratch. */
function holes(w: number, h: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const bar = x >= 30 && x < 44;
      const blob = (x - 100) ** 2 + (y - 70) ** 2 < 26 ** 2;
      const scratch = Math.abs(y - 0.5 * x - 20) < 1 && x > 60;
      if (bar || blob || scratch) data[y * w + x] = 1;
    }
  }
  return { width: w, height: h, data } as Mask;
}

function fill(r: Raster, grey: boolean, engine: 'auto' | 'js'): Raster {
  const out = { ...r, data: r.data.slice() };
  const m = holes(r.width, r.height);
  const box = { left: 0, top: 0, right: r.width, bottom: r.height };
  fsrFillBox(out, box, m.data, m, grey, { engine });
  return out;
}

describe('FSR WebAssembly kernel', () => {
  it('is what wasm/fsr.ts compiles to (npm run build:wasm)', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'build-wasm.js');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('runs in Node', () => {
    expect(fsrKernel()).not.toBeNull();
  });

  it.each([
    ['grey', 1, true],
    ['colour', 3, false],
    ['RGBA', 4, false],
  ] as const)('fills a %s picture bit-identically with the TypeScript path', (_name, channels, grey) => {
    const r = picture(160, 128, channels);
    const js = fill(r, grey, 'js');
    const wasm = fill(r, grey, 'auto');
    expect(Buffer.from(wasm.data.buffer).equals(Buffer.from(js.data.buffer))).toBe(true);
    // and it did fill: the holes changed
    expect(Buffer.from(js.data.buffer).equals(Buffer.from(r.data.buffer))).toBe(false);
  });

  it('gives the same plane values and block list with a 16 px window and other settings', () => {
    const w = 96;
    const vals = new Float32Array(w * w);
    for (let i = 0; i < w * w; i++) vals[i] = 128 + 100 * Math.sin(i * 0.37) * Math.cos(i * 0.011);
    const wts = new Float32Array(w * w).fill(1);
    for (let y = 20; y < 70; y++) for (let x = 10; x < 50; x++) (wts[y * w + x] = 0), (vals[y * w + x] = 0);
    const a = vals.slice();
    const b = vals.slice();
    const opts = { fftSize: 16, blockSize: 8, fineDepth: Infinity, coarseDepth: Infinity };
    const sa = fsrFillPlane(a, wts.slice(), w, w, 'luma', { ...opts, engine: 'js' });
    const sb = fsrFillPlane(b, wts.slice(), w, w, 'luma', { ...opts, engine: 'auto' });
    expect(sb.blocks).toEqual(sa.blocks);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('is not used where WebAssembly is refused (the TypeScript path runs)', () => {
    const refusing: WasmApi = {
      validate: () => true,
      Module: class {
        constructor() {
          throw new Error('Wasm code generation disallowed by embedder');
        }
      },
      Instance: class {
        exports = {};
      },
    };
    expect(loadFsrKernel(refusing)).toBeNull();
    expect(loadFsrKernel({ ...refusing, validate: () => false })).toBeNull(); // no SIMD
    expect(loadFsrKernel(null)).toBeNull(); // no WebAssembly at all
  });
});
