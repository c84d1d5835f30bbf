#!/usr/bin/env node
/**
 * @file Makes the real-world test files of the CLI (issue 13) with sharp: green-painted pages as
 * JPEG (q70/85/95) and lossy WebP, a colour illustration with natural greens (with and without
 * paint), an EXIF-rotated JPEG and PNG, an ICC-tagged (wide-gamut, Adobe-RGB-like: Display P3)
 * 8- and 16-bit PNG, an RGBA PNG whose invisible RGB under alpha 0 is black next to the paint, a
 * JPEG mosaic original, and the ground truth of where the paint is.
 *
 *     node scripts/make-test-files.js OUTDIR     # writes the files and OUTDIR/manifest.json
 *
 * tests/cli/files.test.ts calls `makeTestFiles(dir)` from here. Deterministic (fixed seeds).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const sharp = require('sharp');

/** Small deterministic generator (LCG). */
function rng(seed) {
  let s = (seed >>> 0) ^ 0x5bd1e995;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Paint opacity of the green strokes at (x, y): hard bars and soft round strokes (3 px falloff). */
function paintAlpha(strokes, x, y) {
  let a = 0;
  for (const s of strokes) {
    if (s.bar) {
      const [x0, y0, x1, y1] = s.bar;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) a = 1;
    } else {
      const d = Math.hypot(x - s.cx, y - s.cy);
      const v = d <= s.r ? 1 : d >= s.r + 3 ? 0 : 1 - (d - s.r) / 3;
      if (v > a) a = v;
    }
  }
  return a;
}

/** Blends pure green over an RGB(A) buffer with the strokes' opacity; returns the opacity plane. */
function paint(buf, w, h, c, strokes) {
  const alpha = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = paintAlpha(strokes, x, y);
      if (a <= 0) continue;
      const o = (y * w + x) * c;
      alpha[y * w + x] = a;
      buf[o] = Math.round((1 - a) * buf[o]);
      buf[o + 1] = Math.round(a * 255 + (1 - a) * buf[o + 1]);
      buf[o + 2] = Math.round((1 - a) * buf[o + 2]);
    }
  return alpha;
}

/** A grey manga-like page: paper with grain, a dot screentone, ink lines. */
function mangaPage(w, h, seed) {
  const r = rng(seed);
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 238 + Math.round((r() - 0.5) * 8);
      if (x >= w / 2 && y < h / 2) {
        const dx = (x % 6) - 2.5;
        const dy = (y % 6) - 2.5;
        if (dx * dx + dy * dy < 5) v = 40;
      }
      // ink lines: two diagonals and a curve
      const l1 = Math.abs(y - 0.6 * x - 10);
      const l2 = Math.abs(y + 0.4 * x - 200);
      const l3 = Math.abs(Math.hypot(x - w * 0.3, y - h * 0.75) - 40);
      if (Math.min(l1, l2, l3) < 1.2) v = 20;
      const o = (y * w + x) * 3;
      b[o] = b[o + 1] = b[o + 2] = v;
    }
  return b;
}

/**
 * A colour illustration with natural greens: sky, hills in forest/lime/teal/spring/lawn greens
 * with foliage texture, a skin-coloured face, dark hair.
 */
function colourPage(w, h, seed) {
  const r = rng(seed);
  const b = Buffer.alloc(w * h * 3);
  const greens = [
    [34, 139, 34], // forest green
    [50, 205, 50], // lime green
    [0, 128, 128], // teal
    [0, 255, 127], // spring green
    [124, 252, 0], // lawn green
    [107, 142, 35], // olive drab
  ];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      let c;
      const horizon = h * 0.45 + 18 * Math.sin(x / 29);
      if (y < horizon) {
        const t = y / horizon;
        c = [100 + 80 * t, 160 + 50 * t, 230 + 10 * t];
      } else {
        const band = Math.floor((x + 12 * Math.sin(y / 17)) / (w / greens.length));
        const g = greens[Math.max(0, Math.min(greens.length - 1, band))];
        const leaf = 0.8 + 0.35 * r() + 0.1 * Math.sin(x / 3) * Math.cos(y / 4);
        c = g.map((v) => v * leaf);
      }
      const face = Math.hypot(x - w * 0.72, y - h * 0.3);
      if (face < 30) c = [240, 200, 170];
      if (face >= 30 && face < 36 && y < h * 0.3) c = [60, 40, 30];
      b[o] = Math.max(0, Math.min(255, Math.round(c[0])));
      b[o + 1] = Math.max(0, Math.min(255, Math.round(c[1])));
      b[o + 2] = Math.max(0, Math.min(255, Math.round(c[2])));
    }
  return b;
}

function raw(buf, w, h, c) {
  return sharp(buf, { raw: { width: w, height: h, channels: c } }); // a Uint16Array is read as 16-bit
}

/** PNG CRC-32 (ISO 3309). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG with an iCCP chunk holding `icc` inserted after IHDR: the pixels stay as stored (no transform). */
function tagPng(png, icc, name = 'Display P3') {
  const data = Buffer.concat([Buffer.from(name, 'latin1'), Buffer.from([0, 0]), zlib.deflateSync(icc)]);
  const type = Buffer.from('iCCP', 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  const ihdrEnd = 8 + 8 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), len, type, data, crc, png.subarray(ihdrEnd)]);
}

/** libvips' built-in Display P3 profile (a wide-gamut RGB profile, like Adobe RGB). */
async function p3Profile() {
  const tagged = await raw(Buffer.from([128, 128, 128]), 1, 1, 3).withIccProfile('p3').png().toBuffer();
  const { icc } = await sharp(tagged).metadata();
  if (!icc) throw new Error('sharp did not attach the p3 profile');
  return icc;
}

/** Rotates an RGB buffer 90° counter-clockwise (what a camera stores for EXIF orientation 6). */
function rotateCcw(buf, w, h, c) {
  const out = Buffer.alloc(buf.length);
  // stored (w' = h, h' = w): stored(x', y') = upright(x = w - 1 - y', y = x')
  for (let y2 = 0; y2 < w; y2++)
    for (let x2 = 0; x2 < h; x2++) {
      const x = w - 1 - y2;
      const y = x2;
      buf.copy(out, (y2 * h + x2) * c, (y * w + x) * c, (y * w + x + 1) * c);
    }
  return out;
}

const W = 320;
const H = 240;
/** Where the paint goes on the manga page: bars on paper, on lines, on screentone; soft strokes. */
const MANGA_STROKES = [
  { bar: [40, 60, 110, 84] },
  { bar: [200, 30, 262, 52] },
  { bar: [60, 150, 76, 220] },
  { cx: 230, cy: 170, r: 14 },
  { cx: 130, cy: 120, r: 6 },
];
/** On the colour page: a bar in the sky, one on the face, one lying on the green hills, a soft stroke on the hills. */
const COLOUR_STROKES = [{ bar: [30, 30, 90, 50] }, { bar: [215, 60, 245, 80] }, { bar: [60, 170, 160, 186] }, { cx: 250, cy: 200, r: 10 }];

/**
 * Writes every test file into `dir`; resolves to the manifest (also written as manifest.json):
 * file paths, sizes, and per painted page the paint opacity (`<name>.paint.bin`, float32 w*h).
 */
async function makeTestFiles(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const m = { w: W, h: H, files: {} };
  const put = (key, file, extra = {}) => (m.files[key] = { file: path.join(dir, file), ...extra });
  const saveAlpha = (name, a) => {
    const f = path.join(dir, `${name}.paint.bin`);
    fs.writeFileSync(f, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    return f;
  };

  // --- lossy pages ----------------------------------------------------------------------------
  const manga = mangaPage(W, H, 1);
  const mangaPainted = Buffer.from(manga);
  const mangaAlpha = saveAlpha('manga', paint(mangaPainted, W, H, 3, MANGA_STROKES));
  await raw(mangaPainted, W, H, 3).png().toFile(path.join(dir, 'manga.png'));
  put('manga.png', 'manga.png', { paint: mangaAlpha });
  for (const q of [70, 85, 95]) {
    await raw(mangaPainted, W, H, 3).jpeg({ quality: q }).toFile(path.join(dir, `manga-q${q}.jpg`));
    put(`manga-q${q}.jpg`, `manga-q${q}.jpg`, { paint: mangaAlpha, lossy: true });
  }
  for (const q of [75, 90]) {
    await raw(mangaPainted, W, H, 3).webp({ quality: q }).toFile(path.join(dir, `manga-q${q}.webp`));
    put(`manga-q${q}.webp`, `manga-q${q}.webp`, { paint: mangaAlpha, lossy: true });
  }
  await raw(mangaPainted, W, H, 3).webp({ lossless: true }).toFile(path.join(dir, 'manga-lossless.webp'));
  put('manga-lossless.webp', 'manga-lossless.webp', { paint: mangaAlpha });

  const colour = colourPage(W, H, 2);
  const colourPainted = Buffer.from(colour);
  const colourAlpha = saveAlpha('colour', paint(colourPainted, W, H, 3, COLOUR_STROKES));
  await raw(colour, W, H, 3).png().toFile(path.join(dir, 'colour-clean.png'));
  put('colour-clean.png', 'colour-clean.png');
  for (const q of [70, 85, 95]) {
    await raw(colourPainted, W, H, 3).jpeg({ quality: q }).toFile(path.join(dir, `colour-q${q}.jpg`));
    put(`colour-q${q}.jpg`, `colour-q${q}.jpg`, { paint: colourAlpha, lossy: true });
    await raw(colour, W, H, 3).jpeg({ quality: q }).toFile(path.join(dir, `colour-clean-q${q}.jpg`));
    put(`colour-clean-q${q}.jpg`, `colour-clean-q${q}.jpg`, { lossy: true });
  }
  await raw(colourPainted, W, H, 3).webp({ quality: 80 }).toFile(path.join(dir, 'colour-q80.webp'));
  put('colour-q80.webp', 'colour-q80.webp', { paint: colourAlpha, lossy: true });
  await raw(colour, W, H, 3).webp({ quality: 80 }).toFile(path.join(dir, 'colour-clean-q80.webp'));
  put('colour-clean-q80.webp', 'colour-clean-q80.webp', { lossy: true });

  // --- EXIF orientation 6: stored rotated 90° counter-clockwise, shown upright ----------------
  const upright = Buffer.from(mangaPainted);
  const stored = rotateCcw(upright, W, H, 3);
  await raw(stored, H, W, 3).withMetadata({ orientation: 6 }).png().toFile(path.join(dir, 'rotated.png'));
  put('rotated.png', 'rotated.png', { paint: mangaAlpha, upright: 'manga.png' });
  await raw(stored, H, W, 3).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(path.join(dir, 'rotated.jpg'));
  put('rotated.jpg', 'rotated.jpg', { paint: mangaAlpha, lossy: true, upright: 'manga.png' });

  // --- ICC-tagged (wide gamut, Adobe-RGB-like) 8- and 16-bit PNG -------------------------------
  const icc = await p3Profile();
  fs.writeFileSync(path.join(dir, 'p3.icc'), icc);
  const tagged8 = tagPng(await raw(mangaPainted, W, H, 3).png().toBuffer(), icc);
  fs.writeFileSync(path.join(dir, 'icc.png'), tagged8);
  put('icc.png', 'icc.png', { paint: mangaAlpha, icc: path.join(dir, 'p3.icc') });
  const deep = new Uint16Array(W * H * 3);
  for (let i = 0; i < deep.length; i++) deep[i] = mangaPainted[i] * 257 + (mangaPainted[i] === 255 || mangaPainted[i] === 0 ? 0 : (i * 37) % 200);
  const deepPng = await raw(deep, W, H, 3).toColourspace('rgb16').png().toBuffer();
  fs.writeFileSync(path.join(dir, 'icc16.png'), tagPng(deepPng, icc));
  put('icc16.png', 'icc16.png', { paint: mangaAlpha, icc: path.join(dir, 'p3.icc'), depth: 16 });

  // --- RGBA: the right part is transparent with black RGB under alpha 0, the paint beside it ----
  const rgba = Buffer.alloc(W * H * 4);
  const rr = rng(3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      if (x >= 170) {
        rgba.set([0, 0, 0, 0], o); // invisible black
      } else {
        const v = 205 + Math.round((rr() - 0.5) * 20) + ((x >> 2) + (y >> 2)) % 2 * 6;
        rgba.set([v, v - 5, v - 10, 255], o);
      }
    }
  // a bar that ends at the transparent edge, one that runs into the transparent part
  const rgbaStrokes = [{ bar: [130, 60, 170, 100] }, { bar: [140, 150, 200, 180] }];
  const rgbaAlpha = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (paintAlpha(rgbaStrokes, x, y) > 0) {
        const o = (y * W + x) * 4;
        rgba[o] = 0;
        rgba[o + 1] = 255;
        rgba[o + 2] = 0;
        rgbaAlpha[y * W + x] = 1;
      }
  await raw(rgba, W, H, 4).png().toFile(path.join(dir, 'rgba.png'));
  put('rgba.png', 'rgba.png', { paint: saveAlpha('rgba', rgbaAlpha), opaqueRight: 170 });

  // --- mosaic: a green PNG page and its original saved as JPEG ---------------------------------
  const mosaic = Buffer.from(manga);
  // block 10 at (3, 5): not aligned with JPEG's 8x8 blocks, whose compression then blurs the block edges
  const block = 10;
  const [mx0, my0, mx1, my1] = [93, 45, 173, 125];
  for (let by = my0; by < my1; by += block)
    for (let bx = mx0; bx < mx1; bx += block) {
      let s = 0;
      for (let y = by; y < by + block; y++) for (let x = bx; x < bx + block; x++) s += mosaic[(y * W + x) * 3];
      const v = Math.round(s / (block * block));
      for (let y = by; y < by + block; y++) for (let x = bx; x < bx + block; x++) mosaic.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  const mosaicGreen = Buffer.from(mosaic);
  for (let y = my0 - 2; y < my1 + 2; y++) for (let x = mx0 - 2; x < mx1 + 2; x++) mosaicGreen.set([0, 255, 0], (y * W + x) * 3);
  fs.mkdirSync(path.join(dir, 'mosaic-green'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'mosaic-orig'), { recursive: true });
  await raw(mosaicGreen, W, H, 3).png().toFile(path.join(dir, 'mosaic-green', 'm.png'));
  await raw(mosaic, W, H, 3).jpeg({ quality: 70 }).toFile(path.join(dir, 'mosaic-orig', 'm.jpg'));
  put('mosaic-green', 'mosaic-green/m.png', { originals: path.join(dir, 'mosaic-orig'), grid: { block, ox: mx0 % block, oy: my0 % block } });

  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 1));
  return m;
}

module.exports = { makeTestFiles, tagPng, crc32, MANGA_STROKES, COLOUR_STROKES };

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/make-test-files.js OUTDIR\n');
    process.exit(2);
  }
  makeTestFiles(dir).then(
    (m) => process.stdout.write(`${Object.keys(m.files).length} test files written to ${dir}\n`),
    (e) => {
      process.stderr.write(`${e.stack || e}\n`);
      process.exit(1);
    },
  );
}
