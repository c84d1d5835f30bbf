'use strict';
/**
 * @file Mosaic grid detection timed in its own process, on the workload of the unit test
 * 'looks only at the hole' (tests/core/mosaic.test.ts): the synthetic case mosaicCase(8, 5,
 * { maxMargin: 0 }) pasted at (1600, 800) into a 3000×2000 RGB page, the hole only there, the
 * mask's bounds given (as inpaint() gives them). For comparison the same case on its own small
 * page, and the page-proportional maskBounds scan alone.
 *   node mosaic-child.js '{"reps":R}'
 * Prints one JSON line: { page, casePage, holePixels, grid, expected, firstMs, warmMs: [..], ownPageMs: [..], boundsMs }.
 */
const path = require('path');
const { ROOT } = require('./util');

function main() {
  const a = JSON.parse(process.argv[2]);
  const p = require(path.join(ROOT, 'dist', 'bench', 'pipeline-node.js'));
  const c = p.mosaicCase(8, 5, { maxMargin: 0 });
  const { width: w, height: h, channels: ch } = c.page;
  const W = 3000;
  const H = 2000;
  const dx = 1600;
  const dy = 800;
  const data = new Uint8Array(W * H * ch);
  const mdata = new Uint8Array(W * H);
  for (let y = 0; y < h; y++) {
    data.set(c.page.data.subarray(y * w * ch, (y + 1) * w * ch), ((y + dy) * W + dx) * ch);
    mdata.set(c.mask.data.subarray(y * w, (y + 1) * w), (y + dy) * W + dx);
  }
  const page = { width: W, height: H, channels: ch, data, maxValue: 255 };
  const mask = { width: W, height: H, data: mdata };
  let t = performance.now();
  const bounds = p.maskBounds(mask);
  const boundsMs = performance.now() - t;
  const expected = { block: 8, ox: (c.grid.ox + dx) % 8, oy: (c.grid.oy + dy) % 8 };
  // the first call is what the unit test used to time (a fresh process: nothing compiled yet)
  t = performance.now();
  const grid = p.detectMosaicGrid(page, mask, bounds);
  const firstMs = performance.now() - t;
  const warmMs = [];
  for (let i = 0; i < a.reps; i++) {
    t = performance.now();
    p.detectMosaicGrid(page, mask, bounds);
    warmMs.push(performance.now() - t);
  }
  const ownBounds = p.maskBounds(c.mask);
  const ownPageMs = [];
  for (let i = 0; i < a.reps; i++) {
    t = performance.now();
    p.detectMosaicGrid(c.page, c.mask, ownBounds);
    ownPageMs.push(performance.now() - t);
  }
  process.stdout.write(
    JSON.stringify({ page: [W, H], casePage: [w, h], holePixels: p.maskCount(c.mask), grid, expected, firstMs, warmMs, ownPageMs, boundsMs }) + '\n',
  );
}

try {
  main();
  process.exit(0);
} catch (e) {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
}
