'use strict';
/**
 * @file Builds the bench's input pages under bench/out/ (cached, regenerated when missing):
 *  - pages20/: 20 OpenMantra evaluation pages with green holes, each the hole of one evaluation
 *    case (hole and bar cases, spread over the buckets) painted #00FF00 at the case's crop;
 *  - synthetic 8000x8000 page with ten green holes (manga pages tiled, or a procedural page
 *    when ../shared is absent).
 * Pixels are made with sharp (decode/encode) and plain loops (painting).
 */
const fs = require('fs');
const path = require('path');
const { SHARED, OUT, ensureDir, log } = require('./util');

const sharp = () => require('sharp');
const CASES = path.join(SHARED, 'data', 'eval', 'cases', 'cases.json');
const OPENMANTRA = path.join(SHARED, 'data', 'eval', 'openmantra');

function paintGreen(rgb, W, x0, y0, maskGray, mw, mh) {
  for (let y = 0; y < mh; y++)
    for (let x = 0; x < mw; x++) {
      if (maskGray[y * mw + x] > 127) {
        const o = ((y0 + y) * W + x0 + x) * 3;
        rgb[o] = 0;
        rgb[o + 1] = 255;
        rgb[o + 2] = 0;
      }
    }
}

/** The 20 evaluation pages (n of them); returns { dir, files, megapixels, holePixels }. */
async function evalPages(n = 20) {
  if (!fs.existsSync(CASES)) return null;
  const dir = path.join(OUT, `pages${n}`);
  const stamp = path.join(dir, 'pages.json');
  if (fs.existsSync(stamp)) return JSON.parse(fs.readFileSync(stamp, 'utf8'));
  ensureDir(dir);
  const cases = JSON.parse(fs.readFileSync(CASES, 'utf8')).cases.filter((c) => c.kind !== 'mosaic');
  const step = Math.max(1, Math.floor(cases.length / n));
  const chosen = [];
  const used = new Set();
  for (let i = 0; chosen.length < n && i < cases.length * 2; i += step) {
    const c = cases[i % cases.length];
    if (used.has(c.source)) {
      i = i - step + 1; // try the next case
      continue;
    }
    used.add(c.source);
    chosen.push(c);
  }
  log(`building ${chosen.length} evaluation pages with green holes in ${dir}`);
  const files = [];
  let mp = 0;
  let holes = 0;
  for (const c of chosen) {
    const { data, info } = await sharp()(path.join(OPENMANTRA, c.source)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const m = await sharp()(path.join(path.dirname(CASES), 'masks', `${c.id}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
    paintGreen(rgb, info.width, c.x, c.y, m.data, m.info.width, m.info.height);
    holes += m.data.reduce((a, v) => a + (v > 127 ? 1 : 0), 0);
    const file = path.join(dir, `${c.source.replace(/[/.]/g, '_')}_case${c.id}.png`);
    await sharp()(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(file);
    files.push(file);
    mp += (info.width * info.height) / 1e6;
  }
  const res = { dir, files, megapixels: mp, holePixels: holes, cases: chosen.map((c) => c.id) };
  fs.writeFileSync(stamp, JSON.stringify(res, null, 1));
  return res;
}

/** Ten holes on an 8000x8000 page: [x, y, w, h, shape] with shape 'rect' | 'ellipse'. */
const TEN_HOLES = [
  [600, 700, 120, 480, 'rect'],
  [2100, 900, 400, 400, 'ellipse'],
  [4300, 500, 900, 140, 'rect'],
  [6500, 1400, 300, 300, 'rect'],
  [1000, 3300, 640, 640, 'ellipse'],
  [3800, 3600, 160, 900, 'rect'],
  [6000, 4000, 500, 250, 'ellipse'],
  [1500, 6100, 260, 260, 'rect'],
  [4200, 6300, 700, 400, 'ellipse'],
  [6900, 6800, 200, 600, 'rect'],
];

/** Synthetic W x W page with TEN_HOLES (scaled to W/8000); cached. Returns { file, megapixels, holePixels, content }. */
async function syntheticPage(W = 8000) {
  const file = path.join(OUT, `synthetic-${W}.png`);
  const stampFile = file + '.json';
  if (fs.existsSync(stampFile) && fs.existsSync(file)) return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  ensureDir(OUT);
  log(`building synthetic ${W}x${W} page with ten holes`);
  let rgb;
  let content;
  if (fs.existsSync(OPENMANTRA)) {
    // tile 8 x 6 manga pages (each resized to W/8 x W/6) into one poster
    const series = fs.readdirSync(OPENMANTRA).filter((d) => fs.statSync(path.join(OPENMANTRA, d)).isDirectory()).sort();
    const pages = series.flatMap((s) => fs.readdirSync(path.join(OPENMANTRA, s)).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(OPENMANTRA, s, f)));
    const cols = 8;
    const rows = 6;
    const tw = Math.floor(W / cols);
    const th = Math.floor(W / rows);
    const tiles = [];
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const src = pages[(r * cols + c) * 2 % pages.length];
        tiles.push({ input: await sharp()(src).resize(tw, th, { fit: 'fill' }).removeAlpha().png().toBuffer(), left: c * tw, top: r * th });
      }
    const { data: buf, info } = await sharp()({ create: { width: W, height: W, channels: 3, background: { r: 255, g: 255, b: 255 } }, limitInputPixels: false })
      .composite(tiles)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || buf.length !== W * W * 3) throw new Error(`synthetic page: expected ${W}x${W}x3, got ${info.width}x${info.height}x${info.channels}`);
    rgb = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    content = '48 OpenMantra pages tiled 8 x 6';
  } else {
    rgb = new Uint8Array(W * W * 3);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) {
        const v = ((x >> 3) + (y >> 3)) % 2 ? 230 : 40;
        const o = (y * W + x) * 3;
        rgb[o] = rgb[o + 1] = rgb[o + 2] = (x * 7 + y * 13) % 97 < 3 ? 0 : v;
      }
    content = 'procedural checker and lines (../shared absent)';
  }
  const s = W / 8000;
  let holes = 0;
  for (const [hx, hy, hw, hh, shape] of TEN_HOLES) {
    const x0 = Math.round(hx * s);
    const y0 = Math.round(hy * s);
    const w = Math.max(1, Math.round(hw * s));
    const h = Math.max(1, Math.round(hh * s));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (shape === 'ellipse') {
          const dx = (x + 0.5) / w - 0.5;
          const dy = (y + 0.5) / h - 0.5;
          if (dx * dx + dy * dy > 0.25) continue;
        }
        const o = ((y0 + y) * W + x0 + x) * 3;
        rgb[o] = 0;
        rgb[o + 1] = 255;
        rgb[o + 2] = 0;
        holes++;
      }
  }
  await sharp()(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width: W, height: W, channels: 3 } }, { limitInputPixels: false })
    .png({ compressionLevel: 6 })
    .toFile(file);
  const res = { file, width: W, height: W, megapixels: (W * W) / 1e6, holePixels: holes, content };
  fs.writeFileSync(stampFile, JSON.stringify(res, null, 1));
  return res;
}

module.exports = { evalPages, syntheticPage, TEN_HOLES };
