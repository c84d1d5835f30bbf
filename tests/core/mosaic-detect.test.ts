/**
 * core/mosaic-detect: mosaics found from the page alone (no paint, no selection) on synthetic
 * pages — block sizes 3..64 at random phases, grey, colour, RGBA, 16-bit, JPEG q70 — with the
 * exact grid and the pixelated blocks as the mask; nothing found on pages without a mosaic:
 * synthetic flat areas, screentone, text-like strokes and panel borders, and the real training
 * pages of ../shared (skipped with a notice when absent). Speed is measured in
 * bench/mosaic-detect.js, not asserted here.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { detectMosaics, lumaPlane, type MosaicDetection } from '../../src/core/mosaic-detect';
import type { Channels, Raster } from '../../src/core/types';
import { rng } from '../helpers/mosaicSynth';
import { iou, jpeg, mosaicPage, page, raster, strays, type Case } from '../helpers/mosaicPages';

function expectFound(c: Case, minIoU: number): MosaicDetection {
  const d = detectMosaics(c.image);
  const grids = d.regions.map((g) => g.grid);
  expect(grids).toContainEqual(c.grid);
  for (const g of grids) expect(g.block).toBe(c.grid.block);
  expect(iou(d, c.truth)).toBeGreaterThanOrEqual(minIoU);
  // what is found outside the pixelated blocks lies beside them: a flat block of the page next
  // to the mosaic cannot be told from a mosaic block of that colour, and the region's convex
  // hull takes flat blocks in (at most two blocks out, measured on these pages)
  expect(strays(d, c.truth, c.image.width, 2 * c.grid.block)).toBe(0);
  let marked = 0;
  for (const v of d.mask.data) marked += v;
  expect(d.regions.reduce((s, g) => s + g.pixels, 0)).toBe(marked);
  return d;
}

describe('detectMosaics finds synthetic mosaics from the page alone', () => {
  it.each([3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64])('block %i, colour, random phase: exact grid, IoU >= 0.7', (block) => {
    const r = rng(block);
    const c = mosaicPage(block, Math.floor(r() * block), Math.floor(r() * block));
    const d = expectFound(c, 0.7);
    const reg = d.regions.find((g) => g.grid.block === block)!;
    expect(reg.blocks).toBeGreaterThanOrEqual(9);
    expect(reg.edges.x).toBeGreaterThanOrEqual(4);
    expect(reg.edges.y).toBeGreaterThanOrEqual(4);
  });

  it('every phase of a 5-px grid and a sample of a 16-px one', () => {
    for (let ox = 0; ox < 5; ox++) for (let oy = 0; oy < 5; oy++) expectFound(mosaicPage(5, ox, oy, { seed: 500 + ox * 5 + oy }), 0.7);
    for (const [ox, oy] of [[0, 0], [15, 15], [3, 11], [8, 1]] as const) expectFound(mosaicPage(16, ox, oy), 0.7);
  });

  it.each([
    ['grey', 1],
    ['grey + alpha', 2],
    ['RGB', 3],
    ['RGBA', 4],
  ] as const)('%s pages, 8 and 16 bit', (_name, channels) => {
    expectFound(mosaicPage(7, 2, 5, { channels, seed: 70 + channels }), 0.7);
    expectFound(mosaicPage(12, 9, 0, { channels, maxValue: 65535, seed: 90 + channels }), 0.7);
  });

  // JPEG q70 is found where the blocks' steps survive the ringing, not everywhere (block 8 and
  // 10 on these pages are not found; rates on real crops: bench/mosaic-detect.js); these four
  // are pinned so that a regression shows
  it.each([
    [12, 3],
    [16, 1],
    [24, 3],
    [32, 1],
  ] as const)('JPEG q70: block %i (%i channel(s)): exact grid, IoU >= 0.6', async (block, channels) => {
    const c = mosaicPage(block, block - 3, Math.floor(block / 3), { channels, seed: 700 + block });
    const image = await jpeg(c.image, 70);
    const d = detectMosaics(image);
    expect(d.regions.map((g) => g.grid)).toContainEqual(c.grid);
    expect(iou(d, c.truth)).toBeGreaterThanOrEqual(0.6);
    expect(strays(d, c.truth, image.width, 2 * c.grid.block)).toBe(0);
  });

  it('two mosaics of different block sizes on one page: both, each with its own grid', () => {
    const a = mosaicPage(6, 1, 4, { seed: 11 });
    const b = mosaicPage(20, 7, 13, { seed: 12 });
    // b's page with a's mosaic pasted into its top-left corner, far from b's mosaic
    const W = a.image.width + b.image.width;
    const H = Math.max(a.image.height, b.image.height);
    const data = new Uint8Array(W * H * 3).fill(246);
    const truth = new Uint8Array(W * H);
    const put = (c: Case, x0: number) => {
      for (let y = 0; y < c.image.height; y++) {
        data.set(c.image.data.subarray(y * c.image.width * 3, (y + 1) * c.image.width * 3) as Uint8Array, (y * W + x0) * 3);
        truth.set(c.truth.subarray(y * c.image.width, (y + 1) * c.image.width), y * W + x0);
      }
    };
    put(a, 0);
    put(b, a.image.width);
    const d = detectMosaics({ width: W, height: H, channels: 3, data, maxValue: 255 });
    const bx = a.image.width % 20;
    expect(d.regions.map((g) => g.grid)).toEqual(expect.arrayContaining([{ block: 6, ox: 1, oy: 4 }, { block: 20, ox: (7 + bx) % 20, oy: 13 }]));
    expect(iou(d, truth)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('detectMosaics finds nothing where there is no mosaic', () => {
  const none = (img: Raster) => {
    const d = detectMosaics(img);
    expect(d.regions).toEqual([]);
    expect(d.mask.data.every((v) => v === 0)).toBe(true);
  };

  it('flat pages, and pages of flat shapes and strokes', () => {
    none(raster([new Float64Array(300 * 200).fill(255)], 300, 200, 3));
    none(raster([new Float64Array(300 * 200).fill(37)], 300, 200, 1));
    for (let s = 0; s < 6; s++) none(raster(page(400, 300, s % 2 ? 3 : 1, 1000 + s, { cx: 200, cy: 150, r: 80 }), 400, 300, s % 2 ? 3 : 1));
  });

  it('screentone: round dots at 0° and 45°, and line tone', () => {
    const w = 320;
    const h = 240;
    for (const [period, rad, angle] of [
      [6, 1.6, 0],
      [8, 2.2, 0],
      [5, 1.2, Math.PI / 4],
      [10, 3.2, Math.PI / 4],
    ] as const) {
      const p = new Float64Array(w * h);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const u = (x * c + y * s) / period;
          const v = (-x * s + y * c) / period;
          const d = Math.hypot(u - Math.round(u), v - Math.round(v)) * period;
          p[y * w + x] = d <= rad - 0.5 ? 20 : d < rad + 0.5 ? 20 + 225 * (d - rad + 0.5) : 245;
        }
      none(raster([p], w, h, 1));
    }
    const lines = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) lines[y * w + x] = y % 4 < 2 ? 30 : 240;
    none(raster([lines], w, h, 1));
  });

  it('hard-edged text-like glyphs and a page of panel borders', () => {
    const w = 400;
    const h = 300;
    const p = new Float64Array(w * h).fill(255);
    const r = rng(5);
    // panels: 3-px black frames (no anti-aliasing) on a white page
    for (const [x0, y0, x1, y1] of [
      [10, 10, 190, 140],
      [200, 10, 390, 140],
      [10, 150, 390, 290],
    ] as const)
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (x < x0 + 3 || x >= x1 - 3 || y < y0 + 3 || y >= y1 - 3) p[y * w + x] = 0;
    // glyphs: hard 3-px strokes, horizontal and vertical, in 24-px cells
    for (let gy = 0; gy < 4; gy++)
      for (let gx = 0; gx < 8; gx++) {
        const x0 = 30 + gx * 40;
        const y0 = 170 + gy * 28;
        for (let k = 0; k < 4; k++) {
          const vert = r() < 0.5;
          const a = Math.floor(r() * 20);
          const b = Math.floor(r() * 20);
          const len = 6 + Math.floor(r() * 14);
          for (let t = 0; t < len; t++)
            for (let q = 0; q < 3; q++) {
              const x = vert ? x0 + a + q : x0 + Math.min(23, a + t);
              const y = vert ? y0 + Math.min(23, b + t) : y0 + b + q;
              p[y * w + x] = 0;
            }
        }
      }
    none(raster([p], w, h, 1));
    none(raster([p], w, h, 3));
  });

  const TRAIN = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'train');
  const pages = ['blackjack', 'peppercarrot'].flatMap((d) =>
    fs.existsSync(path.join(TRAIN, d)) ? fs.readdirSync(path.join(TRAIN, d)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).map((f) => path.join(TRAIN, d, f)) : [],
  );
  if (pages.length === 0) console.warn(`mosaic-detect.test: training pages skipped, ${TRAIN} is absent`);
  (pages.length ? it : it.skip)(`the ${pages.length || ''} training pages of ../shared (Black Jack, Pepper&Carrot), unpainted`, async () => {
    for (const f of pages) {
      const { data, info } = await sharp(f, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
      const d = detectMosaics({ width: info.width, height: info.height, channels: info.channels as Channels, data: new Uint8Array(data), maxValue: 255 });
      expect({ page: path.basename(f), regions: d.regions }).toEqual({ page: path.basename(f), regions: [] });
    }
  });
});

describe('detectMosaics input handling', () => {
  it('luma of grey, RGB and 16-bit rasters in 8-bit levels', () => {
    expect(Array.from(lumaPlane({ width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 200]), maxValue: 255 }))).toEqual([0, 200]);
    expect(Array.from(lumaPlane({ width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 255, 255]), maxValue: 255 }))).toEqual([255]);
    expect(Array.from(lumaPlane({ width: 1, height: 1, channels: 4, data: Uint16Array.from([32768, 32768, 32768, 0]), maxValue: 32768 }))).toEqual([255]);
  });

  it('tiny pages give nothing; a raster whose data does not match its size is refused', () => {
    expect(detectMosaics({ width: 5, height: 5, channels: 1, data: new Uint8Array(25), maxValue: 255 }).regions).toEqual([]);
    expect(() => detectMosaics({ width: 5, height: 5, channels: 3, data: new Uint8Array(25), maxValue: 255 })).toThrow(/bad raster/);
  });
});
