import fc from 'fast-check';
import { maskBounds } from '../../src/core/mask';
import { contextBoxes, enclosedHoles, findRegions, holeRuns } from '../../src/core/regions';
import type { Mask, Rect } from '../../src/core/types';

const maskArb = fc
  .record({ w: fc.integer({ min: 1, max: 60 }), h: fc.integer({ min: 1, max: 60 }), density: fc.double({ min: 0, max: 0.3, noNaN: true }), seed: fc.integer() })
  .map(({ w, h, density, seed }) => {
    let s = seed >>> 0 || 1;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const data = new Uint8Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = rnd() < density ? 1 : 0;
    return { width: w, height: h, data } as Mask;
  });

/** Reference labelling: flood fill, 8-connectivity. */
function labels(m: Mask): Int32Array {
  const lab = new Int32Array(m.data.length).fill(-1);
  let n = 0;
  for (let i = 0; i < lab.length; i++) {
    if (!m.data[i] || lab[i]! >= 0) continue;
    const stack = [i];
    lab[i] = n;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % m.width, y = (p - x) / m.width;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= m.width || yy >= m.height) continue;
          const q = yy * m.width + xx;
          if (m.data[q] && lab[q]! < 0) { lab[q] = n; stack.push(q); }
        }
    }
    n++;
  }
  return lab;
}

const inside = (x: number, y: number, r: Rect) => x >= r.left && x < r.right && y >= r.top && y < r.bottom;

describe('findRegions', () => {
  it('partitions the mask into its 8-connected components with tight bounds and counts', () => {
    fc.assert(
      fc.property(maskArb, (m) => {
        const lab = labels(m);
        const n = Math.max(-1, ...lab) + 1;
        const regs = findRegions(m);
        expect(regs.length).toBe(n);
        // same order (raster order of first pixel) -> compare region k to label k
        for (let k = 0; k < n; k++) {
          let count = 0, l = Infinity, t = Infinity, r = -1, b = -1;
          for (let i = 0; i < lab.length; i++)
            if (lab[i] === k) {
              const x = i % m.width, y = (i - x) / m.width;
              count++; l = Math.min(l, x); t = Math.min(t, y); r = Math.max(r, x + 1); b = Math.max(b, y + 1);
            }
          expect(regs[k]).toEqual({ bounds: { left: l, top: t, right: r, bottom: b }, count });
        }
        expect(regs.reduce((a, g) => a + g.count, 0)).toBe(m.data.reduce((a, v) => a + v, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same regions with the bounds passed in, on unaligned views and non-binary values', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 255 }), (m, shift, v) => {
        const buf = new Uint8Array(m.data.length + 4).fill(5);
        const data = buf.subarray(shift, shift + m.data.length);
        for (let i = 0; i < data.length; i++) data[i] = m.data[i] ? v : 0;
        const view: Mask = { width: m.width, height: m.height, data };
        const ref = findRegions(m);
        expect(findRegions(view)).toEqual(ref);
        expect(findRegions(view, maskBounds(m))).toEqual(ref);
        expect(contextBoxes(view, { minSide: 8, maxMergeSide: 20, bounds: maskBounds(m) })).toEqual(contextBoxes(m, { minSide: 8, maxMergeSide: 20 }));
      }),
    );
  });

  it('joins diagonal neighbours', () => {
    const m: Mask = { width: 3, height: 3, data: new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) };
    expect(findRegions(m)).toHaveLength(1);
  });
});

describe('contextBoxes', () => {
  it('cover every region, do not overlap, are square unless clipped, and are big enough', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 1, max: 40 }), fc.double({ min: 1, max: 2, noNaN: true }), (m, minSide, scale) => {
        const boxes = contextBoxes(m, { minSide, scale });
        for (let i = 0; i < boxes.length; i++) {
          const b = boxes[i]!;
          expect(b.left >= 0 && b.top >= 0 && b.right <= m.width && b.bottom <= m.height).toBe(true);
          const w = b.right - b.left, h = b.bottom - b.top;
          if (w !== h) expect(w === m.width || h === m.height).toBe(true);
          expect(w >= Math.min(minSide, m.width) && h >= Math.min(minSide, m.height)).toBe(true);
          for (let j = i + 1; j < boxes.length; j++) {
            const c = boxes[j]!;
            const ov = b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom;
            expect(ov).toBe(false);
          }
        }
        for (const g of findRegions(m)) {
          const holders = boxes.filter((b) => inside(g.bounds.left, g.bounds.top, b) && inside(g.bounds.right - 1, g.bounds.bottom - 1, b));
          expect(holders).toHaveLength(1);
          const side = Math.max(g.bounds.right - g.bounds.left, g.bounds.bottom - g.bounds.top);
          const b = holders[0]!;
          expect(b.right - b.left).toBeGreaterThanOrEqual(Math.min(m.width, Math.ceil(scale * side) - 0));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with maxMergeSide: every region lies in a box, and merged boxes stay within the cap', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 10, max: 40 }), (m, minSide, cap) => {
        const boxes = contextBoxes(m, { minSide, maxMergeSide: cap });
        const regs = findRegions(m);
        for (const g of regs) {
          const holders = boxes.filter((b) => inside(g.bounds.left, g.bounds.top, b) && inside(g.bounds.right - 1, g.bounds.bottom - 1, b));
          expect(holders.length).toBeGreaterThanOrEqual(1);
        }
        // a box bigger than the cap is the box of one region (no merge made it)
        const own = regs.map((g) => Math.max(minSide, Math.ceil(1.5 * Math.max(g.bounds.right - g.bounds.left, g.bounds.bottom - g.bounds.top))));
        for (const b of boxes) {
          const side = Math.max(b.right - b.left, b.bottom - b.top);
          if (side > cap) expect(own.some((s) => s >= side || s >= Math.max(m.width, m.height))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives no box for an empty mask and rejects bad options', () => {
    const m: Mask = { width: 4, height: 4, data: new Uint8Array(16) };
    expect(contextBoxes(m, { minSide: 8 })).toEqual([]);
    expect(() => contextBoxes(m, { minSide: 0 })).toThrow(/minSide/);
  });
});

describe('holeRuns / enclosedHoles (the one region labelling)', () => {
  test('holeRuns labels exactly like a flood fill, inside any rectangle, in raster order', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: -3, max: 30 }), fc.integer({ min: -3, max: 30 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), (m, l, t, rw, rh) => {
        const rect = { left: l, top: t, right: l + rw, bottom: t + rh };
        // the reference: flood fill of the mask restricted to the rectangle
        const sub = new Uint8Array(m.data.length);
        for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (inside(x, y, rect)) sub[y * m.width + x] = m.data[y * m.width + x]!;
        const ref = labels({ width: m.width, height: m.height, data: sub });
        const r = holeRuns(m, rect);
        const got = new Int32Array(m.data.length).fill(-1);
        let prev = -1;
        for (let k = 0; k < r.count; k++) {
          const y = r.runs[3 * k]!;
          for (let x = r.runs[3 * k + 1]!; x < r.runs[3 * k + 2]!; x++) got[y * m.width + x] = r.component[k]!;
          expect(r.component[k]!).toBeLessThanOrEqual(prev + 1); // numbered in order of first appearance
          prev = Math.max(prev, r.component[k]!);
        }
        expect(Array.from(got)).toEqual(Array.from(ref));
        expect(r.components).toBe(prev + 1);
      }),
      { numRuns: 150 },
    );
  });

  test('enclosedHoles: the parts of the mask wholly inside the box (a flood-fill reference)', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (m, l, t, bw0, bh0) => {
        const box = { left: Math.min(l, m.width - 1), top: Math.min(t, m.height - 1), right: 0, bottom: 0 };
        box.right = Math.min(m.width, box.left + bw0);
        box.bottom = Math.min(m.height, box.top + bh0);
        const bw = box.right - box.left;
        // reference: box-local flood fill; a part leaves when a pixel of it has a hole neighbour outside the box
        const local = new Uint8Array(m.data.length);
        for (let y = box.top; y < box.bottom; y++) for (let x = box.left; x < box.right; x++) local[y * m.width + x] = m.data[y * m.width + x]!;
        const lab = labels({ width: m.width, height: m.height, data: local });
        const leaves = new Set<number>();
        for (let y = box.top; y < box.bottom; y++)
          for (let x = box.left; x < box.right; x++) {
            if (lab[y * m.width + x]! < 0) continue;
            for (let dy = -1; dy <= 1; dy++)
              for (let dx = -1; dx <= 1; dx++) {
                const xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= m.width || yy >= m.height || inside(xx, yy, box)) continue;
                if (m.data[yy * m.width + xx]) leaves.add(lab[y * m.width + x]!);
              }
          }
        const want = new Uint8Array(bw * (box.bottom - box.top));
        let any = false;
        for (let y = box.top; y < box.bottom; y++)
          for (let x = box.left; x < box.right; x++) {
            const k = lab[y * m.width + x]!;
            if (k >= 0 && !leaves.has(k)) {
              want[(y - box.top) * bw + x - box.left] = 1;
              any = true;
            }
          }
        const own = enclosedHoles(m, box);
        if (!any) expect(own).toBeNull();
        else expect(Array.from(own!)).toEqual(Array.from(want));
      }),
      { numRuns: 150 },
    );
  });
});
