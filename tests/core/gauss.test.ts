/**
 * core/gauss.ts: the blur of a fill restricted to its own pixels (how the default fill drops the
 * network's stripes on grey pages before the page's grain is added).
 */
import { blur, gaussianTaps, smoothOwn } from '../../src/core/gauss';
import type { Raster } from '../../src/core/types';

const W = 64;
const H = 48;

function raster(channels: 1 | 3 | 4, f: (x: number, y: number) => number): Raster {
  const data = new Uint8Array(W * H * channels);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = f(x, y);
      for (let k = 0; k < channels; k++) data[(y * W + x) * channels + k] = channels === 4 && k === 3 ? 200 : v;
    }
  }
  return { width: W, height: H, channels, data, maxValue: 255 };
}

/** Box-local hole: columns x0..x1-1, rows y0..y1-1 of a box at (4, 2). */
const box = { left: 4, top: 2, right: 60, bottom: 46 };
const bw = box.right - box.left;
const bh = box.bottom - box.top;
function hole(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const own = new Uint8Array(bw * bh);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) own[y * bw + x] = 1;
  return own;
}
const inHole = (own: Uint8Array, x: number, y: number): boolean =>
  x >= box.left && x < box.right && y >= box.top && y < box.bottom && own[(y - box.top) * bw + (x - box.left)] === 1;

describe('gaussianTaps / blur', () => {
  it('taps sum to 1 and are symmetric', () => {
    const t = gaussianTaps(1.3);
    expect(t.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < t.length; i++) expect(t[i]).toBeCloseTo(t[t.length - 1 - i]!, 7);
  });
  it('keeps a constant plane constant, edges included', () => {
    const p = new Float32Array(20 * 10).fill(7);
    for (const v of blur(p, 20, 10, gaussianTaps(2))) expect(v).toBeCloseTo(7, 4);
  });
});

describe('smoothOwn', () => {
  it('removes 2-px vertical stripes inside the hole and keeps a ramp', () => {
    // stripes of +-40 around a horizontal ramp, inside; the known pixels outside are black
    const own = hole(10, 8, 46, 36);
    const r = raster(3, (x, y) => (inHole(own, x, y) ? 100 + y + (x % 2 ? 40 : -40) : 0));
    smoothOwn(r, box, own, 1);
    for (let y = box.top + 8 + 4; y < box.top + 36 - 4; y++) {
      for (let x = box.left + 10 + 4; x < box.left + 46 - 4; x++) {
        const v = r.data[(y * W + x) * 3]!;
        expect(Math.abs(v - (100 + y))).toBeLessThanOrEqual(1); // stripes < 1/40 of what they were
      }
    }
  });

  it('uses the hole pixels alone: nothing bleeds in from outside, nothing outside changes', () => {
    const own = hole(5, 5, 20, 20);
    const r = raster(3, (x, y) => (inHole(own, x, y) ? 150 : (x * 7 + y * 13) % 256));
    const before = Uint8Array.from(r.data);
    smoothOwn(r, box, own, 1.5);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let k = 0; k < 3; k++) {
          const i = (y * W + x) * 3 + k;
          if (inHole(own, x, y)) expect(r.data[i]).toBe(150);
          else expect(r.data[i]).toBe(before[i]);
        }
      }
    }
  });

  it('keeps grey grey and leaves alpha alone (RGBA)', () => {
    const own = hole(0, 0, bw, bh);
    const r = raster(4, (x, y) => (x * 31 + y * 17) % 256);
    smoothOwn(r, box, own, 1);
    for (let i = 0; i < W * H; i++) {
      expect(r.data[i * 4]).toBe(r.data[i * 4 + 1]);
      expect(r.data[i * 4]).toBe(r.data[i * 4 + 2]);
      expect(r.data[i * 4 + 3]).toBe(200);
    }
  });

  it('grey: one channel blurred and written to all gives what blurring each gives', () => {
    const own = hole(3, 3, 40, 30);
    const a = raster(3, (x, y) => (x * 13 + y * 29) % 256);
    const b = raster(3, (x, y) => (x * 13 + y * 29) % 256);
    smoothOwn(a, box, own, 1);
    smoothOwn(b, box, own, 1, true);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('works on one channel', () => {
    const own = hole(2, 2, 30, 30);
    const r = raster(1, (x, y) => (inHole(own, x, y) ? (y % 2 ? 200 : 100) : 0));
    smoothOwn(r, box, own, 1);
    const mid = r.data[(box.top + 15) * W + box.left + 15]!;
    expect(Math.abs(mid - 150)).toBeLessThanOrEqual(2);
  });
});
