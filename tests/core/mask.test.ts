import fc from 'fast-check';
import { byteScanner, copyMaskRect, greenMask, growMask, maskBounds, maskCount, selectionToMask, GREEN_EXCESS_DIVISOR } from '../../src/core/mask';
import type { Mask, Raster } from '../../src/core/types';

const maskArb = fc
  .record({ w: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 1, max: 40 }), density: fc.double({ min: 0, max: 0.05, noNaN: true }), seed: fc.integer() })
  .map(({ w, h, density, seed }) => {
    let s = seed >>> 0 || 1;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const data = new Uint8Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = rnd() < density ? 1 : 0;
    return { width: w, height: h, data } as Mask;
  });

function bruteGrow(m: Mask, r: number): Uint8Array {
  const out = new Uint8Array(m.data.length);
  const holes: [number, number][] = [];
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) holes.push([x, y]);
  for (let y = 0; y < m.height; y++)
    for (let x = 0; x < m.width; x++)
      out[y * m.width + x] = holes.some(([hx, hy]) => (hx - x) ** 2 + (hy - y) ** 2 <= r * r) ? 1 : 0;
  return out;
}

describe('selectionToMask', () => {
  it('is binary at 50 %, 8- and 16-bit', () => {
    const m = selectionToMask({ width: 4, height: 1, data: new Uint8Array([0, 127, 128, 255]), maxValue: 255 });
    expect([...m.data]).toEqual([0, 0, 1, 1]);
    const m16 = selectionToMask({ width: 3, height: 1, data: new Uint16Array([16383, 16384, 32768]), maxValue: 32768 });
    expect([...m16.data]).toEqual([0, 1, 1]);
  });
});

describe('growMask', () => {
  it('equals a brute-force Euclidean disk for random masks and radii 0..12', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 0, max: 12 }), fc.boolean(), (m, r, half) => {
        const radius = half ? r + 0.5 : r;
        expect([...growMask(m, radius).data]).toEqual([...bruteGrow(m, radius)]);
      }),
      { numRuns: 150 },
    );
  });
  it('is monotone in the radius and keeps the original holes', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 0, max: 10 }), (m, r) => {
        const a = growMask(m, r).data;
        const b = growMask(m, r + 1).data;
        let bad = 0;
        for (let i = 0; i < a.length; i++) if (a[i]! > b[i]! || m.data[i]! > a[i]!) bad++;
        expect(bad).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
  it('does not modify its input and handles a large radius', () => {
    const data = new Uint8Array(100 * 100);
    data[50 * 100 + 50] = 1;
    const m = { width: 100, height: 100, data };
    const g = growMask(m, 300);
    expect(maskCount(m)).toBe(1);
    expect(maskCount(g)).toBe(100 * 100);
    expect(() => growMask(m, -1)).toThrow(/radius/);
  });
});

describe('maskCount / maskBounds', () => {
  it('agree with a direct scan', () => {
    fc.assert(
      fc.property(maskArb, (m) => {
        let n = 0;
        let l = Infinity, t = Infinity, r = -1, b = -1;
        for (let y = 0; y < m.height; y++)
          for (let x = 0; x < m.width; x++)
            if (m.data[y * m.width + x]) {
              n++;
              l = Math.min(l, x); t = Math.min(t, y); r = Math.max(r, x + 1); b = Math.max(b, y + 1);
            }
        expect(maskCount(m)).toBe(n);
        expect(maskBounds(m)).toEqual(n ? { left: l, top: t, right: r, bottom: b } : null);
      }),
    );
  });

  it('agree with a direct scan on unaligned views, any non-zero byte value, sparse and dense rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 12 }),
        (w, h, shift, holes) => {
          // a view at byte offset 0..3 of a buffer whose other bytes are non-zero (must be ignored)
          const buf = new Uint8Array(w * h + 8).fill(7);
          const data = buf.subarray(shift, shift + w * h);
          data.fill(0);
          for (const [i, v] of holes) data[i % (w * h)] = v;
          const m: Mask = { width: w, height: h, data };
          let n = 0;
          let l = Infinity, t = Infinity, r = -1, b = -1;
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++)
              if (data[y * w + x]) {
                n++;
                l = Math.min(l, x); t = Math.min(t, y); r = Math.max(r, x + 1); b = Math.max(b, y + 1);
              }
          expect(maskCount(m)).toBe(n);
          expect(maskBounds(m)).toEqual(n ? { left: l, top: t, right: r, bottom: b } : null);
        },
      ),
    );
  });
});

describe('byteScanner', () => {
  it('next/prev find the first/last non-zero byte of any range (any alignment)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 255 })), { minLength: 0, maxLength: 200 }),
        fc.nat(),
        fc.nat(),
        (shift, bytes, a, b) => {
          const buf = new Uint8Array(bytes.length + 4).fill(9);
          const d = buf.subarray(shift, shift + bytes.length);
          d.set(bytes);
          const from = bytes.length ? a % (bytes.length + 1) : 0;
          const to = from + (bytes.length - from ? b % (bytes.length - from + 1) : 0);
          const s = byteScanner(d);
          let first = -1, last = -1;
          for (let i = from; i < to; i++) if (d[i]) { if (first < 0) first = i; last = i; }
          expect(s.next(from, to)).toBe(first);
          expect(s.prev(from, to)).toBe(last);
        },
      ),
    );
  });
});

describe('copyMaskRect', () => {
  it('copies the pixels inside the rectangle, clipped, and nothing else; the input is unchanged', () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: -5, max: 45 }), fc.integer({ min: -5, max: 45 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (m, x, y, rw, rh) => {
        const before = m.data.slice();
        const r = { left: x, top: y, right: x + rw, bottom: y + rh };
        const c = copyMaskRect(m, r);
        expect(c.width).toBe(m.width);
        expect(c.height).toBe(m.height);
        for (let yy = 0; yy < m.height; yy++)
          for (let xx = 0; xx < m.width; xx++) {
            const inR = xx >= r.left && xx < r.right && yy >= r.top && yy < r.bottom;
            expect(c.data[yy * m.width + xx]).toBe(inR ? m.data[yy * m.width + xx] : 0);
          }
        expect(m.data).toEqual(before);
        // with the mask's own bounds it is an exact copy
        const b = maskBounds(m);
        if (b) expect(copyMaskRect(m, b).data).toEqual(m.data);
      }),
    );
  });
});

/** Paints a soft green disk stroke: core radius rc fully green, a linear falloff of `soft` px. */
function paint(bg: Raster, cx: number, cy: number, rc: number, soft: number): Raster {
  const { width: w, height: h, channels: c, maxValue: max } = bg;
  const data = bg.data.slice();
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const a = d <= rc ? 1 : d >= rc + soft ? 0 : 1 - (d - rc) / soft;
      if (a <= 0) continue;
      const o = (y * w + x) * c;
      if (a >= 1) {
        data[o] = 0; data[o + 1] = max; data[o + 2] = 0;
      } else {
        data[o] = Math.round((1 - a) * data[o]!);
        data[o + 1] = Math.round(a * max + (1 - a) * data[o + 1]!);
        data[o + 2] = Math.round((1 - a) * data[o + 2]!);
      }
    }
  return { ...bg, data };
}

function flat(w: number, h: number, c: 3 | 4, rgb: [number, number, number], max = 255): Raster {
  const data = max > 255 ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  for (let i = 0; i < w * h; i++) {
    data[i * c] = rgb[0]; data[i * c + 1] = rgb[1]; data[i * c + 2] = rgb[2];
    if (c === 4) data[i * c + 3] = max;
  }
  return { width: w, height: h, channels: c, data, maxValue: max };
}

const excess = (r: Raster, i: number) => {
  const o = i * r.channels;
  return r.data[o + 1]! - Math.max(r.data[o]!, r.data[o + 2]!);
};
/** The mask's own first test (a necessary condition for any fringe pixel). */
const greenish = (r: Raster, i: number) => excess(r, i) >= r.maxValue / GREEN_EXCESS_DIVISOR;
/** A visible green tint: over 1/16 of full scale (16 levels in 8-bit) plus 2 levels of rounding slack. */
const visiblyGreen = (r: Raster, i: number) => excess(r, i) >= r.maxValue / 16 + 2;

describe('greenMask', () => {
  it('marks exact green only (8- and 16-bit)', () => {
    const r = flat(5, 1, 3, [10, 10, 10]);
    r.data.set([0, 255, 0], 3); r.data.set([0, 254, 0], 9); r.data.set([1, 255, 0], 12);
    expect([...greenMask(r, { fringe: 0 }).data]).toEqual([0, 1, 0, 0, 0]);
    const r16 = flat(3, 1, 4, [0, 0, 0], 65535);
    r16.data.set([0, 65535, 0, 65535], 4);
    r16.data.set([0, 255, 0, 65535], 8);
    expect([...greenMask(r16).data]).toEqual([0, 1, 0]);
  });

  it('a soft-brush stroke on a neutral page leaves no visibly green pixel outside the mask', () => {
    // On the pixel grid a falloff of s px reaches about s + 1 px (chessboard) beyond the last
    // pure-green pixel: the default fringe (2) covers falloffs up to 1.4 px, fringe 3 up to 2.4 px.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.3, max: 2.4, noNaN: true }),
        fc.double({ min: 10, max: 20, noNaN: true }), fc.double({ min: 10, max: 20, noNaN: true }),
        (grey, rc, soft, cx, cy) => {
          const img = paint(flat(32, 32, 3, [grey, grey, grey]), cx, cy, rc, soft);
          const m = soft <= 1.4 ? greenMask(img) : greenMask(img, { fringe: 3 });
          let left = 0;
          for (let i = 0; i < 32 * 32; i++) if (!m.data[i] && visiblyGreen(img, i)) left++;
          expect(left).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never marks a pixel that is not greenish, and never marks beyond the fringe depth', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3 * 12 * 12, maxLength: 3 * 12 * 12 }), fc.integer({ min: 0, max: 3 }), (bytes, fringe) => {
        const r: Raster = { width: 12, height: 12, channels: 3, data: bytes, maxValue: 255 };
        // a pure-green cross in the middle
        for (let k = 3; k < 9; k++) { r.data.set([0, 255, 0], (6 * 12 + k) * 3); r.data.set([0, 255, 0], (k * 12 + 6) * 3); }
        const m = greenMask(r, { fringe });
        const pure = (i: number) => r.data[i * 3] === 0 && r.data[i * 3 + 1] === 255 && r.data[i * 3 + 2] === 0;
        for (let i = 0; i < 144; i++) {
          if (!m.data[i] || pure(i)) continue;
          expect(greenish(r, i)).toBe(true);
          // within `fringe` chessboard steps of pure green
          const x = i % 12, y = Math.floor(i / 12);
          let near = false;
          for (let j = 0; j < 144; j++) if (pure(j) && Math.max(Math.abs((j % 12) - x), Math.abs(Math.floor(j / 12) - y)) <= fringe) near = true;
          expect(near).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('neutral and other colours next to green are never marked', () => {
    for (const rgb of [[255, 255, 255], [0, 0, 0], [128, 128, 128], [250, 10, 10], [10, 10, 250], [200, 205, 200], [120, 100, 0]] as [number, number, number][]) {
      const r = flat(7, 7, 3, rgb);
      r.data.set([0, 255, 0], (3 * 7 + 3) * 3);
      const m = greenMask(r, { fringe: 3 });
      expect(maskCount(m)).toBe(1);
    }
  });

  it('greenish picture content beside a hard-edged bar is not taken; a blend with it is', () => {
    // teal page (like the DeepCreamPy mermaid sample), a hard green bar in the middle
    const r = flat(9, 9, 3, [196, 243, 226]);
    for (let y = 0; y < 9; y++) r.data.set([0, 255, 0], (y * 9 + 4) * 3);
    expect(maskCount(greenMask(r))).toBe(9);
    // a 50 % blend of green over teal, left of the bar, is fringe
    for (let y = 0; y < 9; y++) r.data.set([98, 249, 113], (y * 9 + 3) * 3);
    const m = greenMask(r);
    expect(maskCount(m)).toBe(18);
    expect(m.data[4 * 9 + 3]).toBe(1);
    expect(m.data[4 * 9 + 2]).toBe(0);
  });

  it('a green-cast pixel that is not a blend with its neighbours is not taken (JPEG chroma)', () => {
    // from an evaluation page: (70, 89, 70) beside lighter grey-green paper, touching the hole
    const r = flat(5, 5, 3, [110, 128, 110]);
    r.data.set([0, 255, 0], (2 * 5 + 1) * 3);
    r.data.set([70, 89, 70], (2 * 5 + 2) * 3);
    expect(maskCount(greenMask(r))).toBe(1);
    // the same excess as a true blend of green over that paper is taken
    const a = 0.3;
    r.data.set([Math.round(0.7 * 110), Math.round(a * 255 + 0.7 * 128), Math.round(0.7 * 110)], (2 * 5 + 2) * 3);
    expect(maskCount(greenMask(r))).toBe(2);
  });

  it('leaves a green-tinted scan beside a hard hole alone (evaluation case 109)', () => {
    const G = [0, 255, 0];
    const rows = [
      [G, G, G, G, [120, 145, 126], [121, 146, 127], [124, 149, 130]],
      [G, G, [127, 150, 132], [133, 156, 138], [134, 157, 139], [129, 152, 134], [124, 147, 129]],
      [G, G, G, [122, 143, 126], [116, 137, 120], [119, 137, 121], [133, 151, 135]],
      [G, G, G, G, [145, 163, 149], [160, 176, 163], [182, 198, 185]],
      [G, G, G, G, G, G, [224, 236, 224]],
    ];
    const r: Raster = { width: 7, height: 5, channels: 3, data: Uint8Array.from(rows.flat(2)), maxValue: 255 };
    const pure = rows.flat().filter((v) => v === G).length;
    expect(maskCount(greenMask(r))).toBe(pure);
  });

  it('takes a soft edge over a noisy texture', () => {
    // grey noise 20..147 (screentone-like), a green disk with a 2 px falloff
    let s = 1;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) % 256);
    const bg = flat(40, 40, 3, [0, 0, 0]);
    for (let i = 0; i < 1600; i++) { const g = (40 + rnd()) >> 1; bg.data.set([g, g, g], i * 3); }
    const img = paint(bg, 20, 20, 6, 1.4);
    const m = greenMask(img);
    let left = 0;
    for (let i = 0; i < 1600; i++) if (!m.data[i] && visiblyGreen(img, i)) left++;
    expect(left).toBe(0);
  });

  it('gray rasters have no green', () => {
    const r: Raster = { width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]), maxValue: 255 };
    expect(maskCount(greenMask(r))).toBe(0);
  });
});
