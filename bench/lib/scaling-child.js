'use strict';
/**
 * @file Scaling measurement in its own process: times pipeline.inpaint() (regions -> model calls
 * -> composite; in memory, no decode/encode) and greenMask-equivalent page scans on synthetic
 * rasters, for a list of (page side, holes) cases.
 *   node scaling-child.js '{"manifest":PATH,"model":NAME,"reps":R,"cases":[{"page":S,"holes":[[x,y,w,h],...]}]}'
 * Prints one JSON line: [{ page, holePixels, boxes, inpaintMs: [..], maskMs }].
 */
const path = require('path');
const { ROOT } = require('./util');

async function main() {
  const a = JSON.parse(process.argv[2]);
  const p = require(path.join(ROOT, 'dist', 'bench', 'pipeline-node.js'));
  const model = await p.loadNodeModel(a.manifest, a.model);
  const out = [];
  // warm the session once so the first case does not pay for it
  {
    const S = model.info.input.size;
    const img = { width: S, height: S, channels: 3, data: new Uint8Array(S * S * 3).fill(128), maxValue: 255 };
    const m = { width: S, height: S, data: new Uint8Array(S * S) };
    m.data[(S >> 1) * S + (S >> 1)] = 1;
    await p.inpaint(img, m, { model });
  }
  for (const c of a.cases) {
    const W = c.page;
    const data = new Uint8Array(W * W * 3);
    for (let y = 0, o = 0; y < W; y++)
      for (let x = 0; x < W; x++, o += 3) {
        const v = ((x >> 2) + (y >> 2)) & 1 ? 235 : 30;
        data[o] = v;
        data[o + 1] = (v + x) & 255;
        data[o + 2] = (v + y) & 255;
      }
    for (const [x0, y0, w, h] of c.holes)
      for (let y = y0; y < y0 + h; y++)
        for (let x = x0; x < x0 + w; x++) {
          const o = (y * W + x) * 3;
          data[o] = 0;
          data[o + 1] = 255;
          data[o + 2] = 0;
        }
    const image = { width: W, height: W, channels: 3, data, maxValue: 255 };
    let t = performance.now();
    const mask = p.greenMask(image);
    const maskMs = performance.now() - t;
    // parts of inpaint(), timed alone: the hole's bounds (a word-at-a-time scan of the mask, the one
    // page-proportional pass left inside it) and the region search inside those bounds (contextBoxes)
    t = performance.now();
    const bounds = p.maskBounds(mask);
    const boundsMs = performance.now() - t;
    t = performance.now();
    p.contextBoxes(mask, { minSide: model.info.input.size, scale: 1.5, maxMergeSide: model.info.input.maxSide, bounds });
    const boxesMs = performance.now() - t;
    const inpaintMs = [];
    const composeMs = [];
    let boxes = 0;
    for (let r = 0; r < a.reps; r++) {
      t = performance.now();
      const res = await p.inpaint(image, mask, { model });
      inpaintMs.push(performance.now() - t);
      boxes = res.boxes.length;
      // the whole filled page, composed on request (one page copy), outside inpaint()
      t = performance.now();
      void res.image.data.length;
      composeMs.push(performance.now() - t);
    }
    out.push({ page: W, holePixels: p.maskCount(mask), boxes, inpaintMs, maskMs, boundsMs, boxesMs, composeMs });
  }
  await model.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  },
);
