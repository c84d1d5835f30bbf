'use strict';
/**
 * @file OpenCV Telea (@techstark/opencv-js, WASM, 1 thread) on the same green regions as the
 * pipeline, in its own process:
 *   node telea-child.js '{"files":[...],"minSide":S,"radius":5}'
 * Per file: decode (sharp, not timed), green mask (the pipeline's greenMask, so the same holes), then
 *  - "page": cv.inpaint on the whole page with the whole mask;
 *  - "boxes": cv.inpaint on each context box of the pipeline (same boxes as the model calls).
 * Prints one JSON line: { loadMs, pages: [{ file, mp, holePixels, boxes, pageMs, boxesMs }] }.
 */
const path = require('path');
const { ROOT } = require('./util');

async function main() {
  const a = JSON.parse(process.argv[2]);
  const sharp = require('sharp');
  const p = require(path.join(ROOT, 'dist', 'bench', 'pipeline-node.js'));
  let t = performance.now();
  let cv = require('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise((r) => (cv.onRuntimeInitialized = r));
  const loadMs = performance.now() - t;
  const pages = [];
  for (const file of a.files) {
    const { data, info } = await sharp(file, { limitInputPixels: false }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const W = info.width;
    const H = info.height;
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const mask = p.greenMask({ width: W, height: H, channels: 3, data: rgb, maxValue: 255 });
    const boxes = p.contextBoxes(mask, { minSide: a.minSide, scale: 1.5 });
    const res = { file: path.basename(file), mp: (W * H) / 1e6, holePixels: p.maskCount(mask), boxes: boxes.length };
    if (a.wholePage) {
      const img = cv.matFromArray(H, W, cv.CV_8UC3, rgb);
      const m = cv.matFromArray(H, W, cv.CV_8UC1, mask.data.map((v) => v * 255));
      const dst = new cv.Mat();
      t = performance.now();
      cv.inpaint(img, m, dst, a.radius, cv.INPAINT_TELEA);
      res.pageMs = performance.now() - t;
      img.delete(); m.delete(); dst.delete();
    }
    t = performance.now();
    for (const b of boxes) {
      const bw = b.right - b.left;
      const bh = b.bottom - b.top;
      const crop = new Uint8Array(bw * bh * 3);
      const cm = new Uint8Array(bw * bh);
      for (let y = 0; y < bh; y++) {
        crop.set(rgb.subarray(((b.top + y) * W + b.left) * 3, ((b.top + y) * W + b.right) * 3), y * bw * 3);
        for (let x = 0; x < bw; x++) cm[y * bw + x] = mask.data[(b.top + y) * W + b.left + x] * 255;
      }
      const img = cv.matFromArray(bh, bw, cv.CV_8UC3, crop);
      const m = cv.matFromArray(bh, bw, cv.CV_8UC1, cm);
      const dst = new cv.Mat();
      cv.inpaint(img, m, dst, a.radius, cv.INPAINT_TELEA);
      // paste the hole pixels back, as the pipeline's composite does
      const d = dst.data;
      for (let y = 0; y < bh; y++)
        for (let x = 0; x < bw; x++)
          if (cm[y * bw + x]) {
            const o = ((b.top + y) * W + b.left + x) * 3;
            const s = (y * bw + x) * 3;
            rgb[o] = d[s]; rgb[o + 1] = d[s + 1]; rgb[o + 2] = d[s + 2];
          }
      img.delete(); m.delete(); dst.delete();
    }
    res.boxesMs = performance.now() - t;
    pages.push(res);
  }
  process.stdout.write(JSON.stringify({ loadMs, pages, peakRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

main().then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.stack ? e.stack : e) + '\n'); process.exit(1); });
