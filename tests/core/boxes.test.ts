import fc from 'fast-check';
import { alignBox, boxIsGrey, mirrorForVariation, modelSize, packBox, writeFill } from '../../src/core/boxes';
import type { Mask, Raster, Rect } from '../../src/core/types';

function raster(w: number, h: number, c: 1 | 2 | 3 | 4, max: number, seed: number): Raster {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const data = max > 255 ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * (max + 1));
  return { width: w, height: h, channels: c, data, maxValue: max };
}

function rectMask(w: number, h: number, r: Rect): Mask {
  const data = new Uint8Array(w * h);
  for (let y = r.top; y < r.bottom; y++) for (let x = r.left; x < r.right; x++) data[y * w + x] = 1;
  return { width: w, height: h, data };
}

describe('core/boxes', () => {
  test('packBox at full resolution: values / maxValue, holes zeroed (or kept as hints), known mask, edge padding', () => {
    const img = raster(20, 12, 3, 255, 7);
    const mask = rectMask(20, 12, { left: 5, top: 3, right: 9, bottom: 6 });
    const box = { left: 2, top: 1, right: 14, bottom: 11 }; // 12 x 10
    const size = modelSize(12, 10, 64, 8);
    expect(size).toEqual({ dw: 12, dh: 10, pw: 16, ph: 16 });
    for (const hints of [false, true]) {
      const { img: p, known } = packBox(img, mask, box, size, hints);
      const plane = 16 * 16;
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const sx = Math.min(x, 11) + 2;
          const sy = Math.min(y, 9) + 1;
          const hole = mask.data[sy * 20 + sx] === 1;
          expect(known[y * 16 + x]).toBe(hole ? 0 : 1);
          for (let ch = 0; ch < 3; ch++) {
            const want = hole && !hints ? 0 : img.data[(sy * 20 + sx) * 3 + ch]! / 255;
            expect(p[ch * plane + y * 16 + x]).toBeCloseTo(want, 6);
          }
        }
      }
    }
  });

  test('mirrorForVariation: k & 1 mirrors x, k & 2 mirrors y, and it is its own inverse', () => {
    const size = { dw: 5, dh: 3, pw: 5, ph: 3 };
    const a = Float32Array.from({ length: 2 * 15 }, (_, i) => i);
    for (let v = 0; v < 4; v++) {
      const b = a.slice();
      mirrorForVariation(b, 2, size, v);
      for (let p = 0; p < 2; p++)
        for (let y = 0; y < 3; y++)
          for (let x = 0; x < 5; x++) {
            const sx = v & 1 ? 4 - x : x;
            const sy = v & 2 ? 2 - y : y;
            expect(b[p * 15 + y * 5 + x]).toBe(a[p * 15 + sy * 5 + sx]);
          }
      mirrorForVariation(b, 2, size, v);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  test('packBox -> writeFill with an identity model gives the hint pixels back exactly (8/16-bit, 1-4 channels)', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4), fc.constantFrom(255, 32768, 65535), fc.integer(), (c, max, seed) => {
        const img = raster(24, 18, c, max, seed);
        const before = img.data.slice();
        const hole = { left: 6, top: 4, right: 15, bottom: 11 };
        const remaining = rectMask(24, 18, hole);
        const box = { left: 2, top: 2, right: 22, bottom: 16 };
        const size = modelSize(20, 14, 64, 8);
        const planes = packBox(img, remaining, box, size, true);
        const own = new Uint8Array(20 * 14);
        for (let y = hole.top; y < hole.bottom; y++) for (let x = hole.left; x < hole.right; x++) own[(y - box.top) * 20 + x - box.left] = 1;
        const grey = boxIsGrey(img, remaining, box);
        writeFill(img, remaining, own, box, size, planes, planes.img.slice(), grey);
        expect(remaining.data.every((v) => v === 0)).toBe(true);
        if (c >= 3 && grey) return; // (random colour boxes are never grey)
        expect(Array.from(img.data)).toEqual(Array.from(before));
      }),
      { numRuns: 40 },
    );
  });

  test('writeFill writes only the own pixels (colour channels, quantised and clamped), grey boxes as luma', () => {
    const img = raster(16, 16, 4, 255, 3);
    const before = img.data.slice();
    const remaining = rectMask(16, 16, { left: 4, top: 4, right: 8, bottom: 8 });
    const box = { left: 0, top: 0, right: 16, bottom: 16 };
    const size = modelSize(16, 16, 64, 8);
    const planes = packBox(img, remaining, box, size, false);
    const own = new Uint8Array(256);
    own[5 * 16 + 5] = 1; // one of the hole pixels only
    const res = new Float32Array(3 * 256);
    res.fill(1.7, 0, 256); // R over range: clamped
    res.fill(0.5, 256, 512);
    res.fill(-0.2, 512, 768); // B under range: clamped
    writeFill(img, remaining, own, box, size, planes, res.slice(), false);
    const o = (5 * 16 + 5) * 4;
    expect([img.data[o], img.data[o + 1], img.data[o + 2], img.data[o + 3]]).toEqual([255, 128, 0, before[o + 3]]);
    for (let i = 0; i < 256; i++) if (i !== 5 * 16 + 5) for (let ch = 0; ch < 4; ch++) expect(img.data[i * 4 + ch]).toBe(before[i * 4 + ch]);
    expect(remaining.data[5 * 16 + 5]).toBe(0);
    expect(remaining.data[4 * 16 + 4]).toBe(1); // not own: still unfilled
    own[5 * 16 + 5] = 0;
    own[6 * 16 + 6] = 1;
    writeFill(img, remaining, own, box, size, planes, res.slice(), true);
    const g = Math.round((0.299 * 1.7 + 0.587 * 0.5 + 0.114 * -0.2) * 255);
    const q = (6 * 16 + 6) * 4;
    expect([img.data[q], img.data[q + 1], img.data[q + 2]]).toEqual([Math.min(255, g), Math.min(255, g), Math.min(255, g)]);
  });

  test('alignBox grows a full-resolution box to the multiple inside the image; larger boxes stay', () => {
    expect(alignBox({ left: 3, top: 3, right: 13, bottom: 12 }, 8, 64, 40, 40)).toEqual({ left: 0, top: 0, right: 16, bottom: 16 });
    expect(alignBox({ left: 0, top: 0, right: 100, bottom: 100 }, 8, 64, 200, 200)).toEqual({ left: 0, top: 0, right: 100, bottom: 100 });
  });
});
