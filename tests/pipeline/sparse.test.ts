/**
 * inpaint() without `inPlace` fills a sparse working copy (core/composite.ts sparseCopy: the context
 * boxes and the margin the steps read) and composes the page only when `result.image` is read.
 * The reference is the path that was there before: the whole page copied, then filled — which is
 * exactly `inPlace` on a copy of the page (the in-place path is unchanged). Every pixel must match.
 */
import fc from 'fast-check';
import { cloneRaster, sparseCopy, withHolesFrom } from '../../src/core/composite';
import { inpaint, sparseMargin } from '../../src/pipeline';
import type { InpaintOptions } from '../../src/pipeline/types';
import type { Mask, Raster } from '../../src/core/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';
import { mosaicCase } from '../helpers/mosaicSynth';

/** A model whose answer depends on all of its input: wrong context anywhere in a box changes the fill. */
const contextual = (c: Call): Float32Array => {
  const n = c.width * c.height;
  const o = new Float32Array(3 * n);
  for (let k = 0; k < 3; k++) {
    let s = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      s += c.image[k * n + i]! * c.mask[i]!;
      m += c.mask[i]!;
    }
    const mean = m ? s / m : 0.5;
    for (let i = 0; i < n; i++) o[k * n + i] = 0.5 * mean + 0.5 * c.image[k * n + ((i * 7) % n)]!;
  }
  return o;
};

function page(w: number, h: number, c: 1 | 2 | 3 | 4, deep: boolean, seed: number, opts: { grey?: boolean; transparent?: boolean } = {}): Raster {
  let s = seed >>> 0 || 3;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const max = deep ? 65535 : 255;
  const data = deep ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      // lines and smooth shading (so the line and flat steps have something to find), plus noise
      const ink = x % 17 === 3 || (x + y) % 23 === 0;
      const base = ink ? 0.1 : 0.6 + 0.3 * Math.sin(x / 9) * Math.cos(y / 7);
      const g = Math.round(Math.min(1, Math.max(0, base + (rnd() - 0.5) * 0.05)) * max);
      for (let k = 0; k < c; k++) data[i * c + k] = opts.grey || k >= 3 || (c === 2 && k === 1) ? g : Math.floor(rnd() * (max + 1));
      if (c === 2 || c === 4) data[i * c + c - 1] = opts.transparent && (x * 3 + y) % 11 === 0 ? 0 : max;
    }
  return { width: w, height: h, channels: c, data, maxValue: max };
}

function holes(w: number, h: number, rects: [number, number, number, number][], ellipse?: [number, number, number, number]): Mask {
  const data = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = Math.max(0, y0); y < Math.min(h, y1); y++) for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) data[y * w + x] = 1;
  if (ellipse) {
    const [cx, cy, rx, ry] = ellipse;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) data[y * w + x] = 1;
  }
  return { width: w, height: h, data };
}

/** The new path against the old one (a page copy filled in place): same pixels, same boxes, input untouched. */
async function same(img: Raster, mask: Mask, options: Omit<InpaintOptions, 'model'>, model: InpaintOptions['model']): Promise<void> {
  const before = img.data.slice();
  const ref = await inpaint(cloneRaster(img), mask, { ...options, model, inPlace: true });
  const res = await inpaint(img, mask, { ...options, model });
  expect(img.data).toEqual(before);
  expect(res.boxes).toEqual(ref.boxes);
  expect(res.flatPixels).toEqual(ref.flatPixels);
  expect(res.image.data.constructor).toBe(img.data.constructor);
  expect(Buffer.from(res.image.data.buffer).equals(Buffer.from(ref.image.data.buffer))).toBe(true);
  expect(res.image).toBe(res.image); // composed once
}

describe('inpaint without inPlace: sparse working copy', () => {
  it('gives the pixels of the old full-page copy on varied pages, depths, alpha and hole layouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 140 }),
        fc.integer({ min: 40, max: 140 }),
        fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
        fc.boolean(),
        fc.integer(),
        fc.constantFrom('auto', 'model', 'classical') as fc.Arbitrary<'auto' | 'model' | 'classical'>,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: -5, max: 140 }), fc.integer({ min: -5, max: 140 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 5 }),
        async (w, h, c, deep, seed, fill, variation, rects) => {
          const img = page(w, h, c, deep, seed, { grey: seed % 3 === 0, transparent: seed % 2 === 0 });
          const mask = holes(w, h, rects.map(([x, y, rw, rh]) => [x, y, x + rw, y + rh]));
          if (!mask.data.some((v) => v)) return;
          // small model boxes and a small merge cap: several boxes, some overlapping, some at the edges
          const model = fakeRunner('bar', contextual, { size: 16, maxSide: 32, multiple: 8 });
          await same(img, mask, { fill, variation, structure: 'auto' }, model);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches with texture re-synthesis, a flat hole and far-apart holes on a larger page', async () => {
    const img = page(400, 300, 3, false, 7);
    // a flat white area with a hole inside it (the flat step), plus holes far apart
    for (let y = 200; y < 260; y++) for (let x = 300; x < 380; x++) img.data.fill(255, (y * 400 + x) * 3, (y * 400 + x) * 3 + 3);
    const mask = holes(400, 300, [[20, 20, 40, 50], [330, 220, 345, 232], [390, 5, 400, 30]], [150, 200, 25, 14]);
    const model = fakeRunner('bar', contextual, { size: 32, maxSide: 64, multiple: 8 });
    await same(img, mask, { texture: 'auto' }, model);
    const res = await inpaint(img, mask, { model });
    expect(res.flatPixels).toBeGreaterThan(0);
  });

  it('matches in mosaic mode with a block-prior model (prior and projection read around the hole)', async () => {
    for (const [block, seed] of [[8, 1], [12, 2], [5, 3]] as const) {
      // the case pasted into a larger page, so that the boxes and margins are well inside it
      const mc = mosaicCase(block, seed, { maxMargin: 2 });
      const W = 360;
      const H = 300;
      const c = mc.page.channels;
      const img = page(W, H, c, mc.page.maxValue > 255, seed);
      const mask: Mask = { width: W, height: H, data: new Uint8Array(W * H) };
      const ox = 150 + block; // keeps the grid's phase a multiple of the block away
      const oy = 120;
      for (let y = 0; y < mc.page.height; y++)
        for (let x = 0; x < mc.page.width; x++) {
          const i = y * mc.page.width + x;
          const j = (y + oy) * W + x + ox;
          mask.data[j] = mc.mask.data[i]!;
          for (let k = 0; k < c; k++) img.data[j * c + k] = mc.page.data[i * c + k]!;
        }
      const model = fakeRunner('mosaic', contextual, { size: 16, maxSide: 64, multiple: 8, mosaic: 'block-prior' });
      await same(img, mask, { mode: 'mosaic' }, model);
      const res = await inpaint(img, mask, { mode: 'mosaic', model });
      expect(res.mosaicGrid?.block).toBe(block);
    }
  });

  it('copies only the boxes into the working raster; the page is composed from the input', () => {
    const img = page(50, 40, 4, true, 5);
    const work = sparseCopy(img, [{ left: 10, top: 5, right: 20, bottom: 12 }, { left: 45, top: 30, right: 50, bottom: 40 }], 2);
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 50; x++) {
        const copied = (x >= 8 && x < 22 && y >= 3 && y < 14) || (x >= 43 && y >= 28);
        for (let k = 0; k < 4; k++) expect(work.data[(y * 50 + x) * 4 + k]).toBe(copied ? img.data[(y * 50 + x) * 4 + k] : 0);
      }
    const mask = holes(50, 40, [[12, 6, 15, 9]]);
    for (let i = 0; i < work.data.length; i++) work.data[i] = 7;
    const out = withHolesFrom(img, work, mask, { left: 0, top: 0, right: 50, bottom: 40 });
    for (let i = 0; i < 50 * 40; i++) for (let k = 0; k < 4; k++) expect(out.data[i * 4 + k]).toBe(mask.data[i] ? 7 : img.data[i * 4 + k]);
    expect(sparseMargin('holes')).toBeGreaterThanOrEqual(3);
    expect(sparseMargin('mosaic')).toBeGreaterThanOrEqual(64);
  });
});
