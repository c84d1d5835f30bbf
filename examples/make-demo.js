#!/usr/bin/env node
/**
 * Makes examples/demo.png: a public-domain line drawing from Debian's openclipart-png with green
 * paint over it, DeepCreamPy style (a hard-edged bar, hard dabs and a soft-brush stroke).
 *   apt-get install openclipart-png && node examples/make-demo.js
 * Then `npm run demo` fills the green and writes examples/out/demo.png.
 */
const fs = require('fs');
const path = require('path');
const sharp = require('sharp');

const SOURCE = '/usr/share/openclipart/png/animals/crawfish1_bw_ganson.png';
const OUT = path.join(__dirname, 'demo.png');
const SCALE = 2;

/** Paints pure green with coverage `cover(x, y)` in [0, 1] (1 = pure green, between = soft edge). */
function paint(buf, w, h, cover) {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = cover(x, y);
      if (a <= 0) continue;
      const o = (y * w + x) * 3;
      if (a >= 1) {
        buf[o] = 0;
        buf[o + 1] = 255;
        buf[o + 2] = 0;
      } else {
        buf[o] = Math.round((1 - a) * buf[o]);
        buf[o + 1] = Math.round(a * 255 + (1 - a) * buf[o + 1]);
        buf[o + 2] = Math.round((1 - a) * buf[o + 2]);
      }
    }
}

/** Distance from (x, y) to the segment (ax, ay)-(bx, by). */
function segDist(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

async function main() {
  if (!fs.existsSync(SOURCE)) {
    console.error(`${SOURCE} is missing: apt-get install openclipart-png`);
    process.exit(1);
  }
  const meta = await sharp(SOURCE).metadata();
  const w = meta.width * SCALE, h = meta.height * SCALE;
  const { data } = await sharp(SOURCE)
    .flatten({ background: '#ffffff' })
    .resize(w, h, { kernel: 'lanczos3' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  // 1. a hard censor bar over the eyes
  paint(data, w, h, (x, y) => (x >= 360 && x < 530 && y >= 296 && y < 336 ? 1 : 0));
  // 2. hard round dabs on the legs
  for (const [cx, cy, r] of [[290, 640, 26], [560, 700, 22], [330, 820, 20]])
    paint(data, w, h, (x, y) => (Math.hypot(x - cx, y - cy) <= r ? 1 : 0));
  // 3. a soft-brush stroke across the right claw: core 9 px, 1.5 px anti-aliased edge
  paint(data, w, h, (x, y) => {
    const d = segDist(x, y, 600, 560, 820, 600);
    return d <= 9 ? 1 : d >= 10.5 ? 0 : 1 - (d - 9) / 1.5;
  });
  await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png({ compressionLevel: 9, palette: false }).toFile(OUT);
  console.log(`wrote ${OUT} (${w}x${h}, ${fs.statSync(OUT).size} bytes)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
