/**
 * core/mosaic: parity with the Python reference (training/masks.py, through the fixture written
 * by tests/fixtures/make-mosaic-prior.py), grid detection on synthetic manga-like mosaics, and
 * the projection's guarantees.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { blockMeans, detectMosaicGrid, mosaicPriorRect, projectBlockMeans, writeMosaicPrior, type MosaicGrid } from '../../src/core/mosaic';
import { maskBounds } from '../../src/core/mask';
import type { Channels, Mask, Raster } from '../../src/core/types';
import { addNoise, ellipse, mangaPlanes, mosaicArea, mosaicCase, pixelate, rng, toRaster } from '../helpers/mosaicSynth';

interface FixtureCase {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
  block: number;
  oy: number;
  ox: number;
  image: number[];
  hole: number[];
  mosaic: number[];
  prior: number[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'mosaic-prior.json'), 'utf8')) as { cases: FixtureCase[] };

const raster8 = (f: FixtureCase, values: number[]): Raster => ({ width: f.width, height: f.height, channels: f.channels, data: Uint8Array.from(values), maxValue: 255 });
const maskOf = (f: FixtureCase): Mask => ({ width: f.width, height: f.height, data: Uint8Array.from(f.hole) });
const whole = (r: Raster) => ({ left: 0, top: 0, right: r.width, bottom: r.height });

/** Block means straight from the definition (Python block_means), for checking. */
function naiveMeans(img: Raster, g: MosaicGrid, bx: number, by: number): number[] {
  const B = g.block;
  const lx = (B - g.ox) % B;
  const ly = (B - g.oy) % B;
  const colour = img.channels >= 3 ? 3 : 1;
  const s = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, by * B - ly); y < Math.min(img.height, (by + 1) * B - ly); y++)
    for (let x = Math.max(0, bx * B - lx); x < Math.min(img.width, (bx + 1) * B - lx); x++) {
      n++;
      for (let k = 0; k < colour; k++) s[k]! += img.data[(y * img.width + x) * img.channels + k]! / img.maxValue;
    }
  return s.slice(0, colour).map((v) => v / Math.max(1, n));
}

/** Adds an alpha channel (a pattern of its own) to an RGB or gray raster. */
function withAlpha(r: Raster): Raster {
  const c = (r.channels + 1) as Channels;
  const data = new Uint8Array(r.width * r.height * c);
  for (let i = 0; i < r.width * r.height; i++) {
    for (let k = 0; k < r.channels; k++) data[i * c + k] = r.data[i * r.channels + k]!;
    data[i * c + c - 1] = (i * 7) % 256;
  }
  return { ...r, channels: c, data };
}

describe('mosaic prior: parity with training/masks.py', () => {
  it('the fixture is there and small', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(2);
    for (const f of fixture.cases) expect(f.hole.some((v) => v)).toBe(true);
  });

  it.each(fixture.cases.map((f) => [f.name, f] as const))('%s: the test pixelation and the block means match Python', (_name, f) => {
    const grid = { block: f.block, ox: f.ox, oy: f.oy };
    // the helper's pixelation is Python's mosaic (up to 8-bit rounding of the block means)
    const ours = pixelate(raster8(f, f.image), Uint8Array.from(f.hole), grid);
    let worst = 0;
    for (let i = 0; i < f.mosaic.length; i++) worst = Math.max(worst, Math.abs(ours.data[i]! - f.mosaic[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    const page = raster8(f, f.mosaic);
    const m = blockMeans(page, grid, whole(page));
    const lx = (f.block - f.ox) % f.block;
    const ly = (f.block - f.oy) % f.block;
    expect([m.bx0, m.by0, m.cols, m.rows]).toEqual([0, 0, Math.ceil((f.width + lx) / f.block), Math.ceil((f.height + ly) / f.block)]);
    for (let by = 0; by < m.rows; by++)
      for (let bx = 0; bx < m.cols; bx++) {
        const want = naiveMeans(page, grid, bx, by);
        for (let k = 0; k < m.channels; k++) expect(m.data[(by * m.cols + bx) * m.channels + k]).toBeCloseTo(want[k]!, 12);
      }
  });

  it.each(fixture.cases.map((f) => [f.name, f] as const))('%s: writeMosaicPrior = round(mosaic_prior * 255) within 1 level; nothing else changes', (_name, f) => {
    const grid = { block: f.block, ox: f.ox, oy: f.oy };
    const page = raster8(f, f.mosaic);
    const mask = maskOf(f);
    const bounds = maskBounds(mask)!;
    for (const alpha of [false, true]) {
      const src = alpha ? withAlpha(page) : page;
      const out: Raster = { ...src, data: src.data.slice() };
      // means over the hole's bounds grown by a block: what the pipeline takes
      writeMosaicPrior(out, mask, grid, blockMeans(src, grid, mosaicPriorRect(bounds, grid, f.width, f.height)));
      const c = src.channels;
      let worst = 0;
      let changedOutside = 0;
      let moved = 0;
      for (let i = 0; i < f.width * f.height; i++) {
        for (let k = 0; k < c; k++) {
          const o = i * c + k;
          if (!f.hole[i] || k >= f.channels) {
            if (out.data[o] !== src.data[o]) changedOutside++;
            continue;
          }
          const want = Math.round(f.prior[i * f.channels + k]! * 255);
          worst = Math.max(worst, Math.abs(out.data[o]! - want));
          if (out.data[o] !== src.data[o]) moved++;
        }
      }
      expect(changedOutside).toBe(0);
      expect(worst).toBeLessThanOrEqual(1);
      expect(moved).toBeGreaterThan(0); // the prior is not the mosaic itself
    }
  });

  it('16-bit and a mask of any non-zero values give the same prior (scaled)', () => {
    const f = fixture.cases[0]!;
    const grid = { block: f.block, ox: f.ox, oy: f.oy };
    const page: Raster = { width: f.width, height: f.height, channels: f.channels, data: Uint16Array.from(f.mosaic, (v) => v * 257), maxValue: 65535 };
    const mask: Mask = { width: f.width, height: f.height, data: Uint8Array.from(f.hole, (v) => v * 200) };
    const out: Raster = { ...page, data: page.data.slice() };
    writeMosaicPrior(out, mask, grid, blockMeans(page, grid, whole(page)));
    let worst = 0;
    let outside = 0;
    for (let i = 0; i < f.prior.length; i++) {
      if (!f.hole[(i / f.channels) | 0]) outside += out.data[i] === page.data[i] ? 0 : 1;
      else worst = Math.max(worst, Math.abs(out.data[i]! - f.prior[i]! * 65535));
    }
    expect(outside).toBe(0);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('refuses means that do not cover the hole, or taken on another grid', () => {
    const f = fixture.cases[0]!;
    const grid = { block: f.block, ox: f.ox, oy: f.oy };
    const page = raster8(f, f.mosaic);
    const mask = maskOf(f);
    const small = blockMeans(page, grid, { left: 0, top: 0, right: 8, bottom: 8 });
    expect(() => writeMosaicPrior({ ...page, data: page.data.slice() }, mask, grid, small)).toThrow(/block means cover/);
    const other = blockMeans(page, { block: 6, ox: 0, oy: 0 }, whole(page));
    expect(() => projectBlockMeans({ ...page, data: page.data.slice() }, mask, grid, other)).toThrow(/another grid/);
    expect(() => blockMeans(page, { block: 7, ox: 7, oy: 0 }, whole(page))).toThrow(/bad mosaic grid/);
  });
});

describe('projectBlockMeans', () => {
  it('restores every hole block mean (where not clamped); never touches non-hole pixels or alpha', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 }),
        fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<Channels>, fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }),
        (block, ox0, oy0, channels, deep, seed) => {
          const grid = { block, ox: ox0 % block, oy: oy0 % block };
          const r = rng(seed);
          const w = 20 + Math.floor(r() * 30);
          const h = 20 + Math.floor(r() * 30);
          const max = deep ? 65535 : 255;
          const target = toRaster(mangaPlanes(w, h, channels >= 3 ? 3 : 1, r), w, h, channels, max);
          const mask: Mask = { width: w, height: h, data: ellipse(w, h, r() * w, r() * h, 3 + r() * w * 0.4, 3 + r() * h * 0.4) };
          if (!maskBounds(mask)) return;
          const means = blockMeans(target, grid, whole(target));
          // an estimate: the target with its hole replaced by something else entirely
          const est: Raster = { ...target, data: target.data.slice() };
          for (let i = 0; i < w * h; i++) if (mask.data[i]) for (let k = 0; k < (channels >= 3 ? 3 : 1); k++) est.data[i * channels + k] = Math.floor(r() * (max + 1));
          const before = est.data.slice();
          projectBlockMeans(est, mask, grid, means);
          const colour = channels >= 3 ? 3 : 1;
          let touched = 0;
          for (let i = 0; i < w * h; i++)
            for (let k = 0; k < channels; k++)
              if ((!mask.data[i] || k >= colour) && est.data[i * channels + k] !== before[i * channels + k]) touched++;
          expect(touched).toBe(0);
          // block means: within half a level per hole pixel's rounding, unless the block clamped
          const after = blockMeans(est, grid, whole(est));
          const B = block;
          const lx = (B - grid.ox) % B;
          const ly = (B - grid.oy) % B;
          let worst = 0;
          for (let by = 0; by < after.rows; by++)
            for (let bx = 0; bx < after.cols; bx++) {
              let holes = 0;
              let clamped = false;
              let n = 0;
              for (let y = Math.max(0, by * B - ly); y < Math.min(h, (by + 1) * B - ly); y++)
                for (let x = Math.max(0, bx * B - lx); x < Math.min(w, (bx + 1) * B - lx); x++) {
                  n++;
                  if (!mask.data[y * w + x]) continue;
                  holes++;
                  for (let k = 0; k < colour; k++) {
                    const v = est.data[(y * w + x) * channels + k]!;
                    if (v === 0 || v === max) clamped = true;
                  }
                }
              if (!holes || clamped) continue;
              for (let k = 0; k < colour; k++) {
                const o = (by * after.cols + bx) * colour + k;
                // in units of the allowed error: half a level on each hole pixel, spread over the block
                worst = Math.max(worst, (Math.abs(after.data[o]! - means.data[o]!) * max) / ((0.5 * holes) / n));
              }
            }
          expect(worst).toBeLessThanOrEqual(1 + 1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves an image that already has the block means as it is', () => {
    const w = 40;
    const h = 30;
    const img = toRaster(mangaPlanes(w, h, 3, rng(3)), w, h, 4, 255);
    const grid = { block: 6, ox: 2, oy: 5 };
    const mask: Mask = { width: w, height: h, data: ellipse(w, h, 20, 15, 12, 9) };
    const out: Raster = { ...img, data: img.data.slice() };
    projectBlockMeans(out, mask, grid, blockMeans(img, grid, whole(img)));
    expect(Buffer.from(out.data).equals(Buffer.from(img.data))).toBe(true);
  });
});

describe('detectMosaicGrid', () => {
  it('recovers block and phase for blocks 3..32 at random phases (margin 0-6 px, ±2 noise, gray/RGB(A), 8/16-bit)', () => {
    let ok = 0;
    let total = 0;
    const misses: string[] = [];
    for (let block = 3; block <= 32; block++) {
      for (let s = 0; s < 4; s++) {
        const channels = ([1, 2, 3, 4] as const)[(block + s) % 4];
        const maxValue = s % 2 ? 65535 : 255;
        const c = mosaicCase(block, 7919 * block + s, { channels, maxValue });
        const g = detectMosaicGrid(c.page, c.mask);
        total++;
        if (g && g.block === block && g.ox === c.grid.ox && g.oy === c.grid.oy) ok++;
        else misses.push(`block ${block} at (${c.grid.ox}, ${c.grid.oy}), margin ${c.margin}, ${channels} ch: ${g ? `${g.block} at (${g.ox}, ${g.oy})` : 'null'}`);
      }
    }
    // measured with this generator: 1200/1200 and 2996/3000 exact on two seed sets, the rest null
    // (blocks 3-5 in holes ~25 px wide with 3-6 px of margin), never a wrong grid
    expect(misses.length).toBeLessThanOrEqual(Math.floor(total * 0.02));
    expect(ok).toBeGreaterThanOrEqual(total - 2);
  });

  it('without margin and noise: the exact grid, or null when a small hole shows too little (property, fixed seed)', () => {
    // measured over 3000 such cases: 3 nulls (holes ~20 px across over nearly flat content), no wrong grid
    let nulls = 0;
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 24 }), fc.integer({ min: 1, max: 1 << 30 }), (block, seed) => {
        const c = mosaicCase(block, seed, { maxMargin: 0, noise: 0, channels: 3 });
        const g = detectMosaicGrid(c.page, c.mask);
        if (g === null) nulls++;
        else expect(g).toEqual(c.grid);
      }),
      { numRuns: 60, seed: 20251121 },
    );
    expect(nulls).toBeLessThanOrEqual(2);
  });

  it('a large block-10 mosaic is not taken for a coarser block that lands on a few of its boundaries', () => {
    // found on a Black Jack page (a 300 px mosaic of 10 px blocks was taken for block 48): the
    // coarse grid's off positions hold one in ten of the true boundaries, under the loud-fraction cap
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const w = 340;
      const h = 340;
      const grid = { block: 10, ox: 0, oy: 0 };
      // sparse line art (white paper, thin dark strokes): many block boundaries see nothing
      const r = rng(seed);
      const plane = new Float64Array(w * h).fill(0.96);
      for (let n = 0; n < 14; n++) {
        const x0 = r() * w, y0 = r() * h, a = r() * Math.PI, len = 40 + r() * 200;
        for (let t = 0; t < len; t += 0.5) {
          const x = Math.round(x0 + t * Math.cos(a)), y = Math.round(y0 + t * Math.sin(a));
          if (x >= 0 && y >= 0 && x < w && y < h) plane[y * w + x] = 0.1;
        }
      }
      const img = toRaster([plane], w, h, 3, 255);
      const censor = new Uint8Array(w * h);
      for (let y = 20; y < 320; y++) censor.fill(1, y * w + 20, y * w + 320);
      const page = pixelate(img, censor, grid);
      const mask = { width: w, height: h, data: mosaicArea(censor, w, h, grid) };
      expect(detectMosaicGrid(page, mask)).toEqual(grid);
    }
  });

  it('follows the given bounds (a hole part outside them is not looked at)', () => {
    const c = mosaicCase(9, 42, { maxMargin: 0 });
    const bounds = maskBounds(c.mask)!;
    expect(detectMosaicGrid(c.page, c.mask, bounds)).toEqual(c.grid);
    // a sliver of the hole: too little to tell
    expect(detectMosaicGrid(c.page, c.mask, { ...bounds, right: bounds.left + 3 })).toBeNull();
  });

  it('returns null on a non-mosaic: line art, screentone, a smooth gradient, a flat area, an empty mask', () => {
    let found = 0;
    for (let s = 0; s < 40; s++) {
      const r = rng(1000 + s);
      const w = 60 + Math.floor(r() * 100);
      const h = 60 + Math.floor(r() * 100);
      const img = toRaster(mangaPlanes(w, h, s % 2 ? 3 : 1, r), w, h, s % 2 ? 3 : 1, s % 3 ? 255 : 65535);
      if (s % 4 === 0) addNoise(img, 2, r);
      const mask: Mask = { width: w, height: h, data: ellipse(w, h, w / 2, h / 2, 10 + r() * w * 0.4, 10 + r() * h * 0.4) };
      if (detectMosaicGrid(img, mask)) found++;
    }
    expect(found).toBe(0);
    const w = 120;
    const h = 90;
    const mask: Mask = { width: w, height: h, data: ellipse(w, h, 60, 45, 50, 40) };
    const grad = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < 3; k++) grad[(y * w + x) * 3 + k] = Math.round(((x + y) / (w + h)) * 255);
    expect(detectMosaicGrid({ width: w, height: h, channels: 3, data: grad, maxValue: 255 }, mask)).toBeNull();
    const flat: Raster = { width: w, height: h, channels: 4, data: new Uint8Array(w * h * 4).fill(180), maxValue: 255 };
    expect(detectMosaicGrid(flat, mask)).toBeNull();
    const noisy: Raster = { ...flat, data: flat.data.slice() };
    addNoise(noisy, 2, rng(5));
    expect(detectMosaicGrid(noisy, mask)).toBeNull();
    expect(detectMosaicGrid(flat, { width: w, height: h, data: new Uint8Array(w * h) })).toBeNull();
  });

  it('looks only at the hole: a mosaic elsewhere on the page does not count, its cost follows the hole', () => {
    const c = mosaicCase(8, 5, { maxMargin: 0 });
    const { width: w, height: h } = c.page;
    // a big page with the case pasted at an offset that keeps the grid's phase, hole only there
    const W = 3000;
    const H = 2000;
    const ch = c.page.channels;
    const data = new Uint8Array(W * H * ch);
    const mask = new Uint8Array(W * H);
    const dx = 1600;
    const dy = 800;
    for (let y = 0; y < h; y++) {
      data.set(c.page.data.subarray(y * w * ch, (y + 1) * w * ch), ((y + dy) * W + dx) * ch);
      mask.set(c.mask.data.subarray(y * w, (y + 1) * w), (y + dy) * W + dx);
    }
    const page: Raster = { width: W, height: H, channels: ch, data, maxValue: 255 };
    const bounds = maskBounds({ width: W, height: H, data: mask })!;
    // speed is not asserted here (a loaded CI machine makes any bound flaky): bench/ section 7
    // (`node bench/run.js --only mosaic`) times this same detection
    const g = detectMosaicGrid(page, { width: W, height: H, data: mask }, bounds);
    expect(g).toEqual({ block: 8, ox: (c.grid.ox + dx) % 8, oy: (c.grid.oy + dy) % 8 });
  });
});
