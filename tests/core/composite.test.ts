import fc from 'fast-check';
import { alphaBounds, composite, holeValues, isGrayscale, layerFromFill, putHoleValues } from '../../src/core/composite';
import type { Mask, Raster } from '../../src/core/types';

const rasterPair = fc
  .record({
    w: fc.integer({ min: 1, max: 16 }),
    h: fc.integer({ min: 1, max: 16 }),
    c: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
    deep: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ w, h, c, deep, seed }) => {
    let s = seed >>> 0 || 7;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const max = deep ? 65535 : 255;
    const mk = (): Raster => {
      const data = deep ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * (max + 1));
      return { width: w, height: h, channels: c, data, maxValue: max };
    };
    const mask: Mask = { width: w, height: h, data: Uint8Array.from({ length: w * h }, () => (rnd() < 0.3 ? 1 : 0)) };
    return { src: mk(), fill: mk(), mask };
  });

describe('composite', () => {
  it('changes only colour channels of hole pixels, keeps alpha, leaves inputs alone (8/16-bit)', () => {
    fc.assert(
      fc.property(rasterPair, ({ src, fill, mask }) => {
        const before = src.data.slice();
        const out = composite(src, fill, mask);
        expect(out.data).not.toBe(src.data);
        expect(out.data.constructor).toBe(src.data.constructor);
        expect([...src.data]).toEqual([...before]);
        const c = src.channels;
        const colour = c === 2 || c === 4 ? c - 1 : c;
        let bad = 0;
        for (let i = 0; i < mask.data.length; i++)
          for (let k = 0; k < c; k++) {
            const o = i * c + k;
            const want = mask.data[i] && k < colour ? fill.data[o] : src.data[o];
            if (out.data[o] !== want) bad++;
          }
        expect(bad).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses mismatched fill or mask', () => {
    const a: Raster = { width: 2, height: 2, channels: 3, data: new Uint8Array(12), maxValue: 255 };
    const b: Raster = { ...a, data: new Uint16Array(12), maxValue: 65535 };
    const m: Mask = { width: 2, height: 2, data: new Uint8Array(4) };
    expect(() => composite(a, b, m)).toThrow(/does not match/);
    expect(() => composite(a, a, { width: 3, height: 2, data: new Uint8Array(6) })).toThrow(/mask is 3x2/);
  });
});

describe('layerFromFill', () => {
  it('is RGBA at the same depth, transparent outside the hole, the result inside', () => {
    fc.assert(
      fc.property(rasterPair, ({ src, mask }) => {
        const l = layerFromFill(src, mask);
        expect(l.channels).toBe(4);
        expect(l.maxValue).toBe(src.maxValue);
        expect(l.data.constructor).toBe(src.data.constructor);
        const c = src.channels;
        let bad = 0;
        for (let i = 0; i < mask.data.length; i++) {
          const q = i * 4, o = i * c;
          if (!mask.data[i]) { if (l.data[q]! | l.data[q + 1]! | l.data[q + 2]! | l.data[q + 3]!) bad++; continue; }
          const rgb = c >= 3 ? [src.data[o], src.data[o + 1], src.data[o + 2]] : [src.data[o], src.data[o], src.data[o]];
          const a = c === 4 ? src.data[o + 3] : c === 2 ? src.data[o + 1] : src.maxValue;
          if (l.data[q] !== rgb[0] || l.data[q + 1] !== rgb[1] || l.data[q + 2] !== rgb[2] || l.data[q + 3] !== a) bad++;
        }
        expect(bad).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('layerFromFill with a rectangle', () => {
  it('equals the page-sized layer cropped to the (clipped) rectangle', () => {
    fc.assert(
      fc.property(rasterPair, fc.integer({ min: -3, max: 20 }), fc.integer({ min: -3, max: 20 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 }), ({ src, mask }, x, y, w, h) => {
        const full = layerFromFill(src, mask);
        const rect = { left: x, top: y, right: x + w, bottom: y + h };
        const l = layerFromFill(src, mask, rect);
        const x0 = Math.max(0, x), y0 = Math.max(0, y);
        const lw = Math.max(0, Math.min(src.width, x + w) - x0), lh = Math.max(0, Math.min(src.height, y + h) - y0);
        expect([l.width, l.height, l.channels, l.maxValue]).toEqual([lw, lh, 4, src.maxValue]);
        expect(l.data.constructor).toBe(src.data.constructor);
        for (let yy = 0; yy < lh; yy++)
          for (let xx = 0; xx < lw; xx++)
            for (let k = 0; k < 4; k++) expect(l.data[(yy * lw + xx) * 4 + k]).toBe(full.data[((y0 + yy) * src.width + x0 + xx) * 4 + k]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('holeValues / putHoleValues', () => {
  it('put back exactly what was taken, only on hole pixels inside the rectangle', () => {
    fc.assert(
      fc.property(rasterPair, fc.integer({ min: -3, max: 20 }), fc.integer({ min: -3, max: 20 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 }), ({ src, mask }, x, y, w, h) => {
        const rect = { left: x, top: y, right: x + w, bottom: y + h };
        const before = src.data.slice();
        const vals = holeValues(src, mask, rect);
        // scribble over every value, then put the hole values back
        for (let i = 0; i < src.data.length; i++) src.data[i] = (src.data[i]! + 1) % (src.maxValue + 1);
        const scribbled = src.data.slice();
        putHoleValues(src, mask, rect, vals);
        const c = src.channels;
        for (let i = 0; i < src.width * src.height; i++) {
          const px = i % src.width, py = (i - px) / src.width;
          const restored = mask.data[i] && px >= x && px < x + w && py >= y && py < y + h;
          for (let k = 0; k < c; k++) expect(src.data[i * c + k]).toBe(restored ? before[i * c + k] : scribbled[i * c + k]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses values of the wrong length and writes nothing', () => {
    const r: Raster = { width: 2, height: 1, channels: 3, data: new Uint8Array([1, 2, 3, 4, 5, 6]), maxValue: 255 };
    const m: Mask = { width: 2, height: 1, data: new Uint8Array([1, 1]) };
    expect(() => putHoleValues(r, m, { left: 0, top: 0, right: 2, bottom: 1 }, new Uint8Array(3))).toThrow(/3 values for 6/);
    expect([...r.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('isGrayscale', () => {
  const r: Raster = { width: 3, height: 1, channels: 3, data: new Uint8Array([9, 9, 9, 0, 255, 0, 10, 12, 10]), maxValue: 255 };
  it('checks R = G = B, within a rect, skipping mask holes, with a tolerance', () => {
    expect(isGrayscale(r)).toBe(false);
    expect(isGrayscale(r, { left: 0, top: 0, right: 1, bottom: 1 })).toBe(true);
    const mask: Mask = { width: 3, height: 1, data: new Uint8Array([0, 1, 0]) };
    expect(isGrayscale(r, undefined, { mask })).toBe(false);
    expect(isGrayscale(r, undefined, { mask, tolerance: 2 })).toBe(true);
    expect(isGrayscale({ width: 1, height: 1, channels: 1, data: new Uint8Array([3]), maxValue: 255 })).toBe(true);
  });
});

describe('alphaBounds', () => {
  test('the smallest rectangle of the pixels whose alpha is not 0 (any channel count), null when all are transparent', () => {
    for (const c of [2, 4] as const) {
      const r = { width: 7, height: 5, channels: c, data: new Uint8Array(7 * 5 * c), maxValue: 255 };
      expect(alphaBounds(r)).toBeNull();
      r.data[(1 * 7 + 2) * c + c - 1] = 1;
      r.data[(3 * 7 + 5) * c + c - 1] = 255;
      r.data[(4 * 7 + 0) * c] = 200; // colour without alpha does not count
      expect(alphaBounds(r)).toEqual({ left: 2, top: 1, right: 6, bottom: 4 });
    }
  });
});
