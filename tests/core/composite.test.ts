import fc from 'fast-check';
import { composite, isGrayscale, layerFromFill } from '../../src/core/composite';
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
