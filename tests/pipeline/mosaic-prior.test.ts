/**
 * Mosaic mode with a 'block-prior' model (ModelInfo.input.mosaic): the pipeline detects the grid
 * on the original page, feeds the block-mean prior in the hole, projects the fill onto the block
 * means; 'raw' (or absent) models get the page as before. Scripted runners, as in pipeline.test.ts.
 * Every call here asks for `fill: 'model'` (the network's path): by default a mosaic whose grid is
 * found is restored from the page's own examples without the network (mosaic-examples.test.ts).
 */
import { inpaint } from '../../src/pipeline';
import { blockMeans, mosaicPriorRect, writeMosaicPrior, type MosaicGrid } from '../../src/core/mosaic';
import { maskBounds } from '../../src/core/mask';
import type { Mask, Raster } from '../../src/core/types';
import type { ModelRunner, MosaicInput } from '../../src/inference/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';
import { dilate, ellipse, mangaPlanes, mosaicArea, mosaicCase, pixelate, rng, toRaster } from '../helpers/mosaicSynth';

function runner(mosaic: MosaicInput | undefined, out: (c: Call) => Float32Array, maxSide = 128): ModelRunner & { calls: Call[] } {
  return fakeRunner('mosaic', out, { maxSide, ...(mosaic ? { mosaic } : {}) });
}

const constant = (v: number) => (c: Call) => new Float32Array(3 * c.width * c.height).fill(v);
/** A model that paints a pattern of its own (so the projection has something to correct). */
const stripes = (c: Call) => {
  const o = new Float32Array(3 * c.width * c.height);
  for (let i = 0; i < o.length; i++) o[i] = ((i % c.width) % 5) / 5 + 0.1;
  return o;
};

const copy = (r: Raster): Raster => ({ ...r, data: r.data.slice() });
const colourOf = (r: Raster) => (r.channels >= 3 ? 3 : 1);

/** Pixels outside the hole, or alpha, that differ. */
function changedOutside(a: Raster, b: Raster, mask: Mask): number {
  let n = 0;
  const c = a.channels;
  for (let i = 0; i < a.width * a.height; i++)
    for (let k = 0; k < c; k++) if ((!mask.data[i] || k >= colourOf(a)) && a.data[i * c + k] !== b.data[i * c + k]) n++;
  return n;
}

/** Largest |block mean of `r` − block mean of `page`| in levels over the blocks with hole pixels, skipping clamped blocks. */
function worstBlockMean(r: Raster, page: Raster, mask: Mask, g: MosaicGrid): number {
  const whole = { left: 0, top: 0, right: r.width, bottom: r.height };
  const a = blockMeans(r, g, whole);
  const b = blockMeans(page, g, whole);
  const B = g.block;
  const lx = (B - g.ox) % B;
  const ly = (B - g.oy) % B;
  const colour = colourOf(r);
  let worst = 0;
  for (let by = 0; by < a.rows; by++)
    for (let bx = 0; bx < a.cols; bx++) {
      let holes = 0;
      let clamped = false;
      for (let y = Math.max(0, by * B - ly); y < Math.min(r.height, (by + 1) * B - ly); y++)
        for (let x = Math.max(0, bx * B - lx); x < Math.min(r.width, (bx + 1) * B - lx); x++) {
          const i = y * r.width + x;
          if (!mask.data[i]) continue;
          holes++;
          for (let k = 0; k < colour; k++) {
            const v = r.data[i * r.channels + k]!;
            if (v === 0 || v === r.maxValue) clamped = true;
          }
        }
      if (!holes || clamped) continue;
      for (let k = 0; k < colour; k++) {
        const o = (by * a.cols + bx) * colour + k;
        worst = Math.max(worst, Math.abs(a.data[o]! - b.data[o]!) * r.maxValue);
      }
    }
  return worst;
}

/** The model input's hole pixels against the raster's values there (box at full resolution). */
function inputVersus(call: Call, r: Raster, mask: Mask, box: { left: number; top: number }): { hole: number; worst: number } {
  const plane = call.width * call.height;
  let hole = 0;
  let worst = 0;
  for (let y = 0; y < call.height; y++)
    for (let x = 0; x < call.width; x++) {
      const gx = box.left + x;
      const gy = box.top + y;
      if (gx >= r.width || gy >= r.height) continue;
      const i = gy * r.width + gx;
      if (!mask.data[i]) continue;
      hole++;
      for (let p = 0; p < 3; p++) {
        const want = r.data[i * r.channels + (r.channels >= 3 ? p : 0)]! / r.maxValue;
        worst = Math.max(worst, Math.abs(call.image[p * plane + y * call.width + x]! - want));
      }
    }
  return { hole, worst };
}

describe('inpaint, mosaic mode with a block-prior model', () => {
  it.each([
    ['RGBA 8-bit', 4, 255],
    ['gray 16-bit', 1, 65535],
    ['RGB 8-bit', 3, 255],
  ] as const)('%s: the model gets the prior in the hole, the fill keeps the block means, nothing else changes', async (_n, channels, maxValue) => {
    const c = mosaicCase(8, 31 + channels, { channels, maxValue });
    const { page, mask } = c;
    const before = page.data.slice();
    const m = runner('block-prior', stripes);
    const res = await inpaint(page, mask, { model: m, mode: 'mosaic', fill: 'model' });
    expect(res.mosaicGrid).toEqual(c.grid);
    expect(Buffer.from(page.data.buffer).equals(Buffer.from(before.buffer))).toBe(true); // not inPlace: input untouched
    // what the model saw in the hole: the prior, as core/mosaic computes it from the page
    const prior = copy(page);
    const bounds = maskBounds(mask)!;
    writeMosaicPrior(prior, mask, c.grid, blockMeans(page, c.grid, mosaicPriorRect(bounds, c.grid, page.width, page.height)));
    expect(m.calls).toHaveLength(1);
    expect(res.boxes).toHaveLength(1);
    const seen = inputVersus(m.calls[0]!, prior, mask, res.boxes[0]!);
    expect(seen.hole).toBeGreaterThan(100);
    expect(seen.worst).toBeLessThan(1e-6);
    // ... which is not the raw mosaic
    expect(inputVersus(m.calls[0]!, page, mask, res.boxes[0]!).worst).toBeGreaterThan(0.01);
    // the result: block means of the mosaic kept (within rounding), nothing outside the hole or alpha changed
    expect(changedOutside(res.image, page, mask)).toBe(0);
    expect(worstBlockMean(res.image, page, mask, c.grid)).toBeLessThanOrEqual(0.5 + 1e-9);
    // without the projection the stripes would be far off the means
    const raw = await inpaint(page, mask, { model: runner(undefined, stripes), mode: 'mosaic', fill: 'model' });
    expect(worstBlockMean(raw.image, page, mask, c.grid)).toBeGreaterThan(2);
  });

  it("a grey page's mosaic takes the page's grain (texture detail) and still keeps the block means; a colour page's does not", async () => {
    const within = (r: Raster, mask: Mask, g: MosaicGrid): number => {
      // mean absolute deviation of the hole pixels (channel 0) from their block's hole-pixel mean:
      // 0 for a flat fill projected onto the block means (the projection adds one value per block)
      const B = g.block;
      const lx = (B - g.ox) % B;
      const ly = (B - g.oy) % B;
      const key = (x: number, y: number) => Math.floor((y + ly) / B) * 10000 + Math.floor((x + lx) / B);
      const sum = new Map<number, [number, number]>();
      for (let y = 0; y < r.height; y++)
        for (let x = 0; x < r.width; x++) {
          if (!mask.data[y * r.width + x]) continue;
          const e = sum.get(key(x, y)) ?? [0, 0];
          e[0] += r.data[(y * r.width + x) * r.channels]!;
          e[1]++;
          sum.set(key(x, y), e);
        }
      let s = 0;
      let n = 0;
      for (let y = 0; y < r.height; y++)
        for (let x = 0; x < r.width; x++) {
          if (!mask.data[y * r.width + x]) continue;
          const [t, c] = sum.get(key(x, y))!;
          s += Math.abs(r.data[(y * r.width + x) * r.channels]! - t / c);
          n++;
        }
      return ((s / n) * 255) / r.maxValue;
    };
    // a model that returns one flat grey: projected onto the block means, each block comes out flat
    const grey = mosaicCase(8, 77, { channels: 1, maxValue: 255 });
    const res = await inpaint(grey.page, grey.mask, { model: runner('block-prior', constant(0.5)), mode: 'mosaic', fill: 'model' });
    expect(res.mosaicGrid).toEqual(grey.grid);
    expect(within(res.image, grey.mask, grey.grid)).toBeGreaterThan(2);
    expect(worstBlockMean(res.image, grey.page, grey.mask, grey.grid)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(changedOutside(res.image, grey.page, grey.mask)).toBe(0);
    const colour = mosaicCase(8, 77, { channels: 3, maxValue: 255 });
    const cres = await inpaint(colour.page, colour.mask, { model: runner('block-prior', constant(0.5)), mode: 'mosaic', fill: 'model' });
    expect(within(cres.image, colour.mask, colour.grid)).toBeLessThan(0.6);
  });

  it('several boxes: every hole block keeps its mean; one grid for the page', async () => {
    // two mosaics of one grid far apart: two regions, two boxes (maxSide 48 keeps them apart)
    const w = 200;
    const h = 90;
    const grid = { block: 6, ox: 4, oy: 1 };
    const img = toRaster(mangaPlanes(w, h, 3, rng(21)), w, h, 3, 255);
    const censor = ellipse(w, h, 40, 45, 16, 14);
    const other = ellipse(w, h, 160, 40, 15, 16);
    for (let i = 0; i < censor.length; i++) censor[i] |= other[i]!;
    const page = pixelate(img, censor, grid);
    const mask: Mask = { width: w, height: h, data: dilate(mosaicArea(censor, w, h, grid), w, h, 2) };
    const m = runner('block-prior', constant(0.9), 48);
    const res = await inpaint(page, mask, { model: m, mode: 'mosaic', fill: 'model' });
    expect(res.boxes.length).toBeGreaterThanOrEqual(2);
    expect(m.calls.length).toBe(res.boxes.length);
    expect(res.mosaicGrid).toEqual(grid);
    expect(changedOutside(res.image, page, mask)).toBe(0);
    expect(worstBlockMean(res.image, page, mask, grid)).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it('no grid found (no mosaic under the mask): the raw page is fed and nothing is projected, as for a raw model', async () => {
    const w = 90;
    const h = 80;
    const page = toRaster(mangaPlanes(w, h, 3, rng(4)), w, h, 3, 255);
    const mask: Mask = { width: w, height: h, data: ellipse(w, h, 45, 40, 20, 16) };
    const prior = runner('block-prior', stripes);
    const a = await inpaint(page, mask, { model: prior, mode: 'mosaic', fill: 'model' });
    const b = await inpaint(page, mask, { model: runner('raw', stripes), mode: 'mosaic', fill: 'model' });
    expect(a.mosaicGrid).toBeNull();
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(inputVersus(prior.calls[0]!, page, mask, a.boxes[0]!).worst).toBeLessThan(1e-6);
  });

  it("'raw' and absent: the model gets the mosaic as it is, same result, no mosaicGrid in the result", async () => {
    const c = mosaicCase(8, 5, { channels: 3 });
    const absent = runner(undefined, stripes);
    const raw = runner('raw', stripes);
    const a = await inpaint(c.page, c.mask, { model: absent, mode: 'mosaic', fill: 'model' });
    const b = await inpaint(c.page, c.mask, { model: raw, mode: 'mosaic', fill: 'model' });
    expect('mosaicGrid' in a).toBe(false);
    expect('mosaicGrid' in b).toBe(false);
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(inputVersus(absent.calls[0]!, c.page, c.mask, a.boxes[0]!).worst).toBeLessThan(1e-6);
    // holes mode ignores input.mosaic (a bar model cannot carry block-prior; the manifest refuses it)
  });

  it('cancelled: the input is unchanged; with inPlace only hole colour values may have changed', async () => {
    const c = mosaicCase(8, 9, { channels: 4 });
    const before = c.page.data.slice();
    const ac = new AbortController();
    const p = inpaint(c.page, c.mask, { model: runner('block-prior', stripes), mode: 'mosaic', fill: 'model' }, { signal: ac.signal, onProgress: (e) => e.type === 'region' && ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(Buffer.from(c.page.data).equals(Buffer.from(before))).toBe(true);
    const ac2 = new AbortController();
    const q = inpaint(c.page, c.mask, { model: runner('block-prior', stripes), mode: 'mosaic', fill: 'model', inPlace: true }, { signal: ac2.signal, onProgress: (e) => e.type === 'region' && ac2.abort() });
    await expect(q).rejects.toMatchObject({ code: 'aborted' });
    expect(changedOutside(c.page, { ...c.page, data: before }, c.mask)).toBe(0);
  });

  it('inPlace: the grid and means come from the original page, so the result equals the copying run', async () => {
    const c = mosaicCase(10, 12, { channels: 3 });
    const want = await inpaint(c.page, c.mask, { model: runner('block-prior', stripes), mode: 'mosaic', fill: 'model' });
    const own = copy(c.page);
    const got = await inpaint(own, c.mask, { model: runner('block-prior', stripes), mode: 'mosaic', fill: 'model', inPlace: true });
    expect(got.image).toBe(own);
    expect(got.mosaicGrid).toEqual(want.mosaicGrid);
    expect(Buffer.from(own.data).equals(Buffer.from(want.image.data))).toBe(true);
  });
});
