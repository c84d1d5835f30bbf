import fc from 'fast-check';
import { fillFlatHoles } from '../../src/core/flat';
import { maskBounds } from '../../src/core/mask';
import type { Mask, Raster } from '../../src/core/types';

function raster(w: number, h: number, c: 1 | 2 | 3 | 4, fill: number[], deep = false): Raster {
  const data = deep ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  for (let i = 0; i < w * h; i++) for (let p = 0; p < c; p++) data[i * c + p] = fill[p]!;
  return { width: w, height: h, channels: c, data, maxValue: deep ? 65535 : 255 };
}

function rectMask(w: number, h: number, rects: [number, number, number, number][]): Mask {
  const data = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 1;
  return { width: w, height: h, data };
}

/** Brute force: components by repeated BFS, ring by checking every pixel's Chebyshev distance. */
function reference(img: Raster, mask: Mask, ring: number): { data: Raster['data']; mask: Uint8Array } {
  const { width: W, height: H, channels: c } = img;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const data = img.data.slice();
  const md = mask.data.slice();
  const label = new Int32Array(W * H).fill(-1);
  const comps: number[][] = [];
  for (let i = 0; i < W * H; i++) {
    if (!mask.data[i] || label[i]! >= 0) continue;
    const q = [i];
    label[i] = comps.length;
    for (let k = 0; k < q.length; k++) {
      const y = Math.floor(q[k]! / W);
      const x = q[k]! % W;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
          const j = yy * W + xx;
          if (mask.data[j] && label[j]! < 0) {
            label[j] = comps.length;
            q.push(j);
          }
        }
    }
    comps.push(q);
  }
  comps.forEach((px) => {
    const ringVals: string[] = [];
    for (let j = 0; j < W * H; j++) {
      if (mask.data[j]) continue;
      const y = Math.floor(j / W);
      const x = j % W;
      if (px.some((i) => Math.max(Math.abs(Math.floor(i / W) - y), Math.abs((i % W) - x)) <= ring)) {
        ringVals.push(Array.from(img.data.subarray(j * c, j * c + colour)).join(','));
      }
    }
    if (ringVals.length === 0 || new Set(ringVals).size !== 1) return;
    const v = ringVals[0]!.split(',').map(Number);
    for (const i of px) {
      for (let p = 0; p < colour; p++) data[i * c + p] = v[p]!;
      md[i] = 0;
    }
  });
  return { data, mask: md };
}

describe('fillFlatHoles', () => {
  it('fills a hole in a flat area with that exact colour and clears it from the mask', () => {
    const img = raster(40, 30, 3, [255, 255, 255]);
    const mask = rectMask(40, 30, [[10, 10, 20, 14]]);
    for (let i = 10 * 40 + 10; i < 10 * 40 + 20; i++) img.data.set([0, 255, 0], i * 3); // green paint under the hole
    const r = fillFlatHoles(img, mask, maskBounds(mask)!);
    expect(r).toEqual({ components: 1, pixels: 40 });
    expect(Array.from(img.data).every((v) => v === 255)).toBe(true);
    expect(mask.data.every((v) => v === 0)).toBe(true);
  });

  it('leaves a hole alone when a line crosses its ring', () => {
    const img = raster(40, 30, 1, [255]);
    for (let y = 0; y < 30; y++) img.data[y * 40 + 22] = 0; // a line 2 px right of the hole
    const mask = rectMask(40, 30, [[10, 10, 20, 14]]);
    const before = img.data.slice();
    expect(fillFlatHoles(img, mask, maskBounds(mask)!)).toEqual({ components: 0, pixels: 0 });
    expect(img.data).toEqual(before);
    expect(mask.data.filter((v) => v).length).toBe(40);
  });

  it('a line just beyond the ring does not count', () => {
    const img = raster(40, 30, 1, [200]);
    for (let y = 0; y < 30; y++) img.data[y * 40 + 23] = 0; // 4 px right of the hole: outside a 3 px ring
    const mask = rectMask(40, 30, [[10, 10, 20, 14]]);
    expect(fillFlatHoles(img, mask, maskBounds(mask)!).pixels).toBe(40);
    expect(img.data[12 * 40 + 15]).toBe(200);
  });

  it('keeps alpha, works at 16 bit and at the image border', () => {
    const img = raster(12, 9, 4, [1000, 2000, 3000, 65535], true);
    for (let i = 0; i < 12 * 9; i++) img.data[i * 4 + 3] = i; // alpha varies: ignored by the test, kept
    const mask = rectMask(12, 9, [[0, 0, 3, 9]]);
    const alpha = Array.from({ length: 12 * 9 }, (_, i) => img.data[i * 4 + 3]);
    expect(fillFlatHoles(img, mask, maskBounds(mask)!).pixels).toBe(27);
    expect(Array.from({ length: 12 * 9 }, (_, i) => img.data[i * 4 + 3])).toEqual(alpha);
  });

  it('a hole with no known pixel around it is not filled', () => {
    const img = raster(8, 8, 3, [9, 9, 9]);
    const mask = rectMask(8, 8, [[0, 0, 8, 8]]);
    expect(fillFlatHoles(img, mask, maskBounds(mask)!).pixels).toBe(0);
  });

  it('matches a brute-force reference (random pictures of few colours, random holes)', () => {
    fc.assert(
      fc.property(
        fc.record({
          w: fc.integer({ min: 1, max: 20 }),
          h: fc.integer({ min: 1, max: 20 }),
          c: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
          seed: fc.integer(),
          ring: fc.integer({ min: 0, max: 4 }),
          p: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        }),
        ({ w, h, c, seed, ring, p }) => {
          let s = seed >>> 0 || 3;
          const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
          const img = raster(w, h, c, [255, 255, 255, 255]);
          // mostly one colour with a few specks, so that flat rings happen
          for (let i = 0; i < w * h; i++) if (rnd() < 0.04) img.data[i * c] = 17;
          const mask: Mask = { width: w, height: h, data: Uint8Array.from({ length: w * h }, () => (rnd() < p ? 1 : 0)) };
          const ref = reference(img, mask, ring);
          const b = maskBounds(mask);
          if (b) fillFlatHoles(img, mask, b, ring);
          expect(Array.from(img.data)).toEqual(Array.from(ref.data));
          expect(Array.from(mask.data)).toEqual(Array.from(ref.mask));
        },
      ),
      { numRuns: 300 },
    );
  });
});
