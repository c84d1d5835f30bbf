/**
 * Mosaic restoration from the page's own examples (core/mosaic-examples.ts): the k-d tree's
 * search is exact, a repetitive page's mosaic comes back far closer to the truth than the
 * block-mean prior, grey stays grey, nothing outside the hole (nor alpha) is written, and a page
 * with nothing to learn from is left alone. The pipeline's default mosaic fill uses it without
 * calling the network; `fill: 'model'` keeps the network.
 */
import { KdTree, fillMosaicFromExamples } from '../../src/core/mosaic-examples';
import { blockMeans, mosaicPriorRect, projectBlockMeans, writeMosaicPrior, type MosaicGrid } from '../../src/core/mosaic';
import { maskBounds } from '../../src/core/mask';
import type { Channels, Mask, Raster } from '../../src/core/types';
import { inpaint } from '../../src/pipeline';
import { fakeRunner } from '../helpers/fakeRunner';
import { addNoise, ellipse, mosaicArea, pixelate, rng } from '../helpers/mosaicSynth';

/** A page of diagonal ink lines (period 11, 2 px) and a flat grey band: repetitive, like hatching. */
function hatchedPage(w: number, h: number, channels: Channels, maxValue = 255): Raster {
  const data = maxValue > 255 ? new Uint16Array(w * h * channels) : new Uint8Array(w * h * channels);
  const colour = channels >= 3 ? 3 : 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const ink = (x + y) % 11 < 2;
      const v = ink ? 0.08 : y > 0.75 * h ? 0.6 : 0.95;
      const i = (y * w + x) * channels;
      for (let k = 0; k < colour; k++) data[i + k] = Math.round(v * maxValue);
      if (colour < channels) data[i + colour] = Math.round((((x * 7 + y) % 50) / 49) * maxValue);
    }
  return { width: w, height: h, channels, data, maxValue };
}

interface Case {
  truth: Raster;
  page: Raster;
  mask: Mask;
  grid: MosaicGrid;
}

function mosaicOf(truth: Raster, grid: MosaicGrid, cx: number, cy: number, r: number): Case {
  const { width: w, height: h } = truth;
  const censor = ellipse(w, h, cx, cy, r, r);
  const page = pixelate(truth, censor, grid);
  // the user paints exactly the mosaic (every block touching the censored area)
  const mask: Mask = { width: w, height: h, data: mosaicArea(censor, w, h, grid) };
  return { truth, page, mask, grid };
}

function holeMse(a: Raster, b: Raster, mask: Mask): number {
  const colour = a.channels >= 3 ? 3 : 1;
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!mask.data[i]) continue;
    for (let k = 0; k < colour; k++) {
      const d = (a.data[i * a.channels + k]! - b.data[i * b.channels + k]!) / a.maxValue;
      s += d * d;
      n++;
    }
  }
  return s / n;
}

const copy = (r: Raster): Raster => ({ ...r, data: r.data.slice() });

function run(c: Case): { out: Raster; stats: ReturnType<typeof fillMosaicFromExamples> } {
  const bounds = maskBounds(c.mask)!;
  const means = blockMeans(c.page, c.grid, mosaicPriorRect(bounds, c.grid, c.page.width, c.page.height));
  const out = copy(c.page);
  const stats = fillMosaicFromExamples(out, c.page, c.mask, c.grid, means, bounds);
  projectBlockMeans(out, c.mask, c.grid, means, bounds);
  return { out, stats };
}

function prior(c: Case): Raster {
  const bounds = maskBounds(c.mask)!;
  const means = blockMeans(c.page, c.grid, mosaicPriorRect(bounds, c.grid, c.page.width, c.page.height));
  const out = copy(c.page);
  writeMosaicPrior(out, c.mask, c.grid, means, bounds);
  return out;
}

describe('KdTree', () => {
  it('finds the same k nearest as a brute-force search, with zero weights too', () => {
    const r = rng(5);
    const n = 3000;
    const feat = new Float32Array(n * 9);
    // clustered points (as block means are): a few centres plus noise, some exact duplicates
    for (let i = 0; i < n; i++) {
      const c = Math.floor(r() * 4) / 4;
      for (let t = 0; t < 9; t++) feat[i * 9 + t] = i % 7 === 0 ? 1 : c + 0.1 * r();
    }
    const tree = new KdTree(feat, 9);
    const k = 16;
    for (let trial = 0; trial < 20; trial++) {
      const q = Float64Array.from({ length: 9 }, () => r());
      const w = Float64Array.from({ length: 9 }, (_, t) => (trial % 3 === 0 && t < 3 ? 0 : 1 / 9));
      const hd = new Float64Array(k);
      const hi = new Int32Array(k);
      tree.nearest(q, w, k, hd, hi);
      const all = Array.from({ length: n }, (_, i) => {
        let d = 0;
        for (let t = 0; t < 9; t++) d += w[t]! * (feat[i * 9 + t]! - q[t]!) ** 2;
        return d;
      }).sort((a, b) => a - b);
      const got = Array.from(hd).sort((a, b) => a - b);
      for (let j = 0; j < k; j++) expect(got[j]).toBeCloseTo(all[j]!, 12);
    }
  });
});

describe('fillMosaicFromExamples', () => {
  it('restores a hatched page under a block-8 mosaic far better than the block-mean prior', () => {
    const c = mosaicOf(hatchedPage(160, 140, 3), { block: 8, ox: 3, oy: 5 }, 80, 60, 22);
    const { out, stats } = run(c);
    expect(stats.blocks).toBeGreaterThan(20);
    expect(stats.candidates).toBeGreaterThan(1000);
    const ours = holeMse(out, c.truth, c.mask);
    const base = holeMse(prior(c), c.truth, c.mask);
    expect(ours).toBeLessThan(0.25 * base);
  });

  it('grey stays grey, and nothing outside the hole nor alpha is written (RGBA, 16-bit gray + alpha)', () => {
    for (const [channels, maxValue] of [
      [4, 255],
      [2, 65535],
    ] as const) {
      const c = mosaicOf(hatchedPage(120, 110, channels, maxValue), { block: 6, ox: 0, oy: 2 }, 60, 50, 15);
      const { out } = run(c);
      const { data } = out;
      let changedOutside = 0;
      let chroma = 0;
      let changedInside = 0;
      const colour = channels >= 3 ? 3 : 1;
      for (let i = 0; i < 120 * 110; i++) {
        for (let k = 0; k < channels; k++) {
          const differs = data[i * channels + k] !== c.page.data[i * channels + k];
          if (differs && (!c.mask.data[i] || k >= colour)) changedOutside++;
          if (differs && c.mask.data[i]) changedInside++;
        }
        if (colour === 3 && (data[i * 4] !== data[i * 4 + 1] || data[i * 4] !== data[i * 4 + 2])) chroma++;
      }
      expect(changedOutside).toBe(0);
      expect(changedInside).toBeGreaterThan(100);
      expect(chroma).toBe(0);
    }
  });

  it('a page that is all mosaic has nothing to learn from: nothing is written', () => {
    const truth = hatchedPage(40, 40, 3);
    const grid = { block: 8, ox: 0, oy: 0 };
    const c = mosaicOf(truth, grid, 20, 20, 30);
    const { stats } = run(c);
    const out = copy(c.page);
    const bounds = maskBounds(c.mask)!;
    const means = blockMeans(c.page, grid, mosaicPriorRect(bounds, grid, 40, 40));
    expect(fillMosaicFromExamples(out, c.page, c.mask, grid, means, bounds).candidates).toBe(0);
    expect(stats.blocks).toBe(0);
    expect(Buffer.from(out.data).equals(Buffer.from(c.page.data))).toBe(true);
  });

  it('refuses block means taken on another grid', () => {
    const c = mosaicOf(hatchedPage(80, 80, 3), { block: 8, ox: 0, oy: 0 }, 40, 40, 10);
    const means = blockMeans(c.page, { block: 4, ox: 0, oy: 0 }, { left: 0, top: 0, right: 80, bottom: 80 });
    expect(() => fillMosaicFromExamples(copy(c.page), c.page, c.mask, c.grid, means)).toThrow(/another grid/);
  });
});

describe('inpaint, mosaic mode', () => {
  it("a grey page's restored mosaic takes the page's grain (MOSAIC_EXAMPLES_DETAIL); a colour page's is the examples' fill as is", async () => {
    const m = fakeRunner('mosaic', (call) => new Float32Array(3 * call.width * call.height).fill(0.5), { maxSide: 128, mosaic: 'block-prior' });
    const grey = hatchedPage(160, 140, 3);
    addNoise(grey, 6, rng(9)); // noise per channel would tint it: make it grey again
    for (let i = 0; i < 160 * 140; i++) grey.data[i * 3 + 1] = grey.data[i * 3 + 2] = grey.data[i * 3]!;
    const g = mosaicOf(grey, { block: 8, ox: 3, oy: 5 }, 80, 60, 22);
    const gRes = await inpaint(g.page, g.mask, { model: m, mode: 'mosaic' });
    expect(gRes.image.data).not.toEqual(run(g).out.data);
    const tinted = hatchedPage(160, 140, 3);
    for (let i = 0; i < 160 * 140; i++) tinted.data[i * 3 + 2] = Math.max(0, tinted.data[i * 3 + 2]! - 30);
    const t = mosaicOf(tinted, { block: 8, ox: 3, oy: 5 }, 80, 60, 22);
    const tRes = await inpaint(t.page, t.mask, { model: m, mode: 'mosaic' });
    expect(tRes.image.data).toEqual(run(t).out.data);
    expect(m.calls.length).toBe(0);
  });

  it('by default restores from examples without calling the network; the block means are kept; fill "model" calls it', async () => {
    const noisy = hatchedPage(160, 140, 3);
    addNoise(noisy, 8, rng(3));
    const c = mosaicOf(noisy, { block: 8, ox: 3, oy: 5 }, 80, 60, 22);
    const flat = fakeRunner('mosaic', (call) => new Float32Array(3 * call.width * call.height).fill(0.5), { maxSide: 128, mosaic: 'block-prior' });
    const res = await inpaint(c.page, c.mask, { model: flat, mode: 'mosaic' });
    expect(flat.calls.length).toBe(0);
    expect(res.mosaicGrid).toEqual(c.grid);
    expect(holeMse(res.image, c.truth, c.mask)).toBeLessThan(0.25 * holeMse(prior(c), c.truth, c.mask));
    // the block means of the result equal the mosaic's (within rounding), over every block touching the hole
    const whole = { left: 0, top: 0, right: 160, bottom: 140 };
    const a = blockMeans(res.image, c.grid, whole);
    const b = blockMeans(c.page, c.grid, whole);
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!) * 255);
    expect(worst).toBeLessThan(0.75);
    // a second variation averages more windows: another result, as close to the truth
    const second = await inpaint(c.page, c.mask, { model: flat, mode: 'mosaic', variation: 1 });
    expect(flat.calls.length).toBe(0);
    expect(second.image.data).not.toEqual(res.image.data);
    expect(holeMse(second.image, c.truth, c.mask)).toBeLessThan(0.25 * holeMse(prior(c), c.truth, c.mask));
    const viaModel = await inpaint(c.page, c.mask, { model: flat, mode: 'mosaic', fill: 'model' });
    expect(flat.calls.length).toBeGreaterThan(0);
    expect(viaModel.image.data).not.toEqual(res.image.data);
  });
});
