#!/usr/bin/env node
/**
 * Pictures for judging fills by eye: one PNG montage per fixed crop, with the columns
 *
 *   input (hole green) | ours (default fill) | classical (--fill classical) |
 *   network alone (--fill model) | DeepCreamPy (mermaid only) | truth (where known)
 *
 * over four groups of fixed crops (so that pictures stay comparable across sessions):
 *   mermaid    DeepCreamPy's sample (../shared/data/deepcreampy), its three largest painted areas
 *   demo       examples/demo.png; truth rebuilt the way examples/make-demo.js does (needs openclipart-png)
 *   blackjack  a Black Jack page (../shared/data/train/blackjack) with four fixed green blobs
 *   eval       six OpenMantra evaluation cases (../shared/data/eval, CC BY-NC: for looking, never commit)
 *
 *   npm run build:cli && npm run compare [-- --only mermaid|demo|blackjack|eval] [--cli FILE] [--out DIR]
 *
 * The CLI runs once per group and fill method over a temporary input folder. Reads ../shared,
 * never writes there; writes only into the output folder (default compare-out/, git-ignored) and
 * its own temporary folder, removed at the end.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const sharp = require('sharp');

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, '..', 'shared', 'data');
const GROUPS = ['mermaid', 'demo', 'blackjack', 'eval'];
const METHODS = [
  { key: 'ours', label: 'ours (default fill)', fill: null },
  { key: 'classical', label: 'classical (FSR)', fill: 'classical' },
  { key: 'model', label: 'network alone', fill: 'model' },
];
const LABELS = ['input (hole green)', ...METHODS.map((m) => m.label), 'DeepCreamPy', 'truth'];

const GAP = 8; // px between tiles
const FONT = 'DejaVu Sans, Liberation Sans, sans-serif';

/** Black Jack vol. 1 page pdf021 (1414x2000): fixed ellipses [name, cx, cy, rx, ry], pure green. */
const BLACKJACK_PAGE = 'black_jack_v01_pdf021.jpg';
const BLACKJACK_BLOBS = [
  ['eye', 365, 1652, 28, 18], // the boy's eye (lower left panel), lashes and cheek hatching
  ['tone', 300, 1150, 24, 24], // dot screentone on the nurse's shirt, a fold line through it
  ['rails', 508, 1080, 26, 13], // two vertical bed rails over hatching
  ['mask', 1190, 793, 30, 12], // the masked doctor's eyes (right of the middle panel)
];

/** OpenMantra evaluation case ids: 2 of 0.01-0.10, 1 of 0.20-0.30, 1 of 0.50-0.60, 2 bars. */
const EVAL_IDS = ['001', '003', '041', '102', '122', '123'];

const DEMO_SOURCE = '/usr/share/openclipart/png/animals/crawfish1_bw_ganson.png';

function usage(code) {
  (code ? console.error : console.log)(
    'usage: node scripts/compare.js [--only mermaid|demo|blackjack|eval] [--cli dist/cli.js] [--out compare-out]',
  );
  process.exit(code);
}

function parseArgs(argv) {
  const o = { cli: path.join(ROOT, 'dist', 'cli.js'), out: path.join(ROOT, 'compare-out'), only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) {
        console.error(`${a} needs a value`);
        usage(2);
      }
      return argv[++i];
    };
    if (a === '--cli') o.cli = path.resolve(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--only') {
      o.only = val();
      if (!GROUPS.includes(o.only)) {
        console.error(`--only: one of ${GROUPS.join(', ')}`);
        usage(2);
      }
    } else if (a === '-h' || a === '--help') usage(0);
    else {
      console.error(`unknown argument: ${a}`);
      usage(2);
    }
  }
  return o;
}

// ---------------------------------------------------------------- pixels

/** Decodes any picture to 8-bit sRGB, 3 channels: { data, width, height }. */
async function readRgb(file) {
  const { data, info } = await sharp(file)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

function writePng(img, file) {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toFile(file);
}

const isGreen = (d, o) => d[o] === 0 && d[o + 1] === 255 && d[o + 2] === 0;

/** Connected components (8-neighbour) of the pure green pixels, largest first: {count, x0, y0, x1, y1}. */
function greenComponents(img) {
  const { data, width: w, height: h } = img;
  const label = new Int32Array(w * h).fill(-1);
  const comps = [];
  const stack = new Int32Array(w * h);
  for (let s = 0; s < w * h; s++) {
    if (label[s] >= 0 || !isGreen(data, s * 3)) continue;
    const c = { count: 0, x0: w, y0: h, x1: -1, y1: -1 };
    let top = 0;
    stack[top++] = s;
    label[s] = comps.length;
    while (top) {
      const p = stack[--top];
      const x = p % w, y = (p - x) / w;
      c.count++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (label[q] < 0 && isGreen(data, q * 3)) {
            label[q] = comps.length;
            stack[top++] = q;
          }
        }
    }
    comps.push(c);
  }
  return comps.sort((a, b) => b.count - a.count);
}

/** A box 1.6x the extent (x0..x1, y0..y1 inclusive), at least `min` px a side, kept inside the image. */
function cropBox(x0, y0, x1, y1, w, h, min = 192) {
  const side = (lo, hi, size) => {
    const ext = hi - lo + 1;
    const len = Math.min(size, Math.max(min, Math.round(ext * 1.6)));
    const start = Math.round((lo + hi + 1) / 2 - len / 2);
    return [Math.max(0, Math.min(size - len, start)), len];
  };
  const [left, width] = side(x0, x1, w);
  const [top, height] = side(y0, y1, h);
  return { left, top, width, height };
}

// ---------------------------------------------------------------- groups
// Each returns null (skipped, with a printed reason) or
// { name, pages: [{ file, image, truth?, deepcreampy? }], crops: [{ out, page, box, caption }] }

async function groupMermaid() {
  const dir = path.join(DATA, 'deepcreampy');
  const input = path.join(dir, 'mermaid_censored.png');
  const theirs = path.join(dir, 'mermaid_deepcreampy_output.png');
  if (!fs.existsSync(input) || !fs.existsSync(theirs))
    return skip('mermaid', `${path.relative(ROOT, dir)}/mermaid_censored.png or mermaid_deepcreampy_output.png is missing`);
  const image = await readRgb(input);
  const comps = greenComponents(image).slice(0, 3);
  const credit = 'art Shurajo & AVALANCHE Game Studio, modified by DeepCreamPy, CC BY 3.0';
  return {
    name: 'mermaid',
    pages: [{ file: 'mermaid_censored.png', image, deepcreampy: theirs }],
    crops: comps.map((c, i) => {
      const box = cropBox(c.x0, c.y0, c.x1, c.y1, image.width, image.height);
      return {
        out: `mermaid-${i + 1}.png`,
        page: 'mermaid_censored.png',
        box,
        caption: `DeepCreamPy's sample mermaid_censored.png (${credit}): painted area ${i + 1} of 3 (${c.count} px), ${boxText(box)}; no truth`,
      };
    }),
  };
}

async function groupDemo() {
  const file = path.join(ROOT, 'examples', 'demo.png');
  if (!fs.existsSync(file)) return skip('demo', 'examples/demo.png is missing');
  const image = await readRgb(file);
  let truth = null, note = 'no truth (apt-get install openclipart-png to rebuild it)';
  if (fs.existsSync(DEMO_SOURCE)) {
    // the clean drawing, made exactly as examples/make-demo.js makes it before painting
    const meta = await sharp(DEMO_SOURCE).metadata();
    const { data, info } = await sharp(DEMO_SOURCE)
      .flatten({ background: '#ffffff' })
      .resize(meta.width * 2, meta.height * 2, { kernel: 'lanczos3' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width === image.width && info.height === image.height && info.channels === 3) {
      // accept it only if it matches demo.png wherever demo.png shows no green at all
      let unpainted = 0, differ = 0;
      for (let o = 0; o < data.length; o += 3) {
        const d = image.data;
        if (d[o + 1] > Math.max(d[o], d[o + 2]) + 2) continue; // green or tinted by the soft edge
        unpainted++;
        if (d[o] !== data[o] || d[o + 1] !== data[o + 1] || d[o + 2] !== data[o + 2]) differ++;
      }
      if (differ <= unpainted * 0.001) {
        truth = { data, width: info.width, height: info.height };
        note = `truth rebuilt from openclipart-png as make-demo.js does (${differ} of ${unpainted} unpainted px differ)`;
      } else note = `no truth: the rebuilt drawing differs from demo.png in ${differ} unpainted px`;
    } else note = 'no truth: the rebuilt drawing has another size than demo.png';
  }
  let x0 = image.width, y0 = image.height, x1 = -1, y1 = -1;
  for (const c of greenComponents(image)) {
    x0 = Math.min(x0, c.x0), y0 = Math.min(y0, c.y0), x1 = Math.max(x1, c.x1), y1 = Math.max(y1, c.y1);
  }
  if (x1 < 0) return skip('demo', 'examples/demo.png has no green');
  const box = cropBox(x0, y0, x1, y1, image.width, image.height);
  return {
    name: 'demo',
    pages: [{ file: 'demo.png', image, truth }],
    crops: [
      {
        out: 'demo.png',
        page: 'demo.png',
        box,
        caption: `examples/demo.png ("crawfish1_bw" by ganson, Open Clip Art, public domain), all holes, ${boxText(box)}; ${note}`,
      },
    ],
  };
}

async function groupBlackjack() {
  const file = path.join(DATA, 'train', 'blackjack', BLACKJACK_PAGE);
  if (!fs.existsSync(file)) return skip('blackjack', `${path.relative(ROOT, file)} is missing`);
  const truth = await readRgb(file);
  const image = { data: Buffer.from(truth.data), width: truth.width, height: truth.height };
  const { width: w, height: h } = image;
  for (const [, cx, cy, rx, ry] of BLACKJACK_BLOBS)
    for (let y = Math.max(0, cy - ry); y <= Math.min(h - 1, cy + ry); y++)
      for (let x = Math.max(0, cx - rx); x <= Math.min(w - 1, cx + rx); x++)
        if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) image.data.set([0, 255, 0], (y * w + x) * 3);
  const name = BLACKJACK_PAGE.replace(/\.[^.]+$/, '.png');
  return {
    name: 'blackjack',
    pages: [{ file: name, image, truth }],
    crops: BLACKJACK_BLOBS.map(([what, cx, cy, rx, ry], i) => {
      const box = cropBox(cx - rx, cy - ry, cx + rx, cy + ry, w, h);
      return {
        out: `blackjack-${i + 1}-${what}.png`,
        page: name,
        box,
        caption:
          `Give My Regards to Black Jack, Shuho Sato (vol. 1, ${BLACKJACK_PAGE}): blob ${i + 1} "${what}", ellipse at (${cx}, ${cy}) ` +
          `radii ${rx}x${ry}, ${boxText(box)}; truth = the page`,
      };
    }),
  };
}

async function groupEval() {
  const casesFile = path.join(DATA, 'eval', 'cases', 'cases.json');
  if (!fs.existsSync(casesFile)) return skip('eval', `${path.relative(ROOT, casesFile)} is missing`);
  const all = JSON.parse(fs.readFileSync(casesFile, 'utf8')).cases;
  const pages = [], crops = [];
  for (const id of EVAL_IDS) {
    const c = all.find((k) => k.id === id);
    const maskFile = path.join(DATA, 'eval', 'cases', 'masks', `${id}.png`);
    const pageFile = c && path.join(DATA, 'eval', 'openmantra', c.source);
    if (!c || !fs.existsSync(maskFile) || !fs.existsSync(pageFile)) {
      console.log(`eval: case ${id} skipped (case, mask or page missing)`);
      continue;
    }
    const box = { left: c.x, top: c.y, width: c.size, height: c.size };
    const { data } = await sharp(pageFile).flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha()
      .extract(box).raw().toBuffer({ resolveWithObject: true });
    const truth = { data, width: c.size, height: c.size };
    const mask = await sharp(maskFile).greyscale().resize(c.size, c.size, { kernel: 'nearest' }).raw().toBuffer();
    const image = { data: Buffer.from(data), width: c.size, height: c.size };
    let holes = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] > 127) image.data.set([0, 255, 0], i * 3), holes++;
    const file = `case_${id}.png`;
    pages.push({ file, image, truth });
    const kind = c.kind === 'bucket' ? `bucket ${c.bucket}` : c.kind;
    crops.push({
      out: `eval-${id}.png`,
      page: file,
      box: { left: 0, top: 0, width: c.size, height: c.size },
      caption:
        `eval case ${id}: OpenMantra ${c.source} crop ${c.size}x${c.size} at (${c.x}, ${c.y}), ${kind}, hole ${((100 * holes) / mask.length).toFixed(1)}%; ` +
        'CC BY-NC 4.0 (c) Mantra Inc. evaluation page: for looking, never commit',
    });
  }
  if (!pages.length) return skip('eval', 'none of the chosen cases is available');
  return { name: 'eval', pages, crops };
}

function skip(name, why) {
  console.log(`${name}: skipped, ${why}`);
  return null;
}

const boxText = (b) => `crop ${b.width}x${b.height} at (${b.left}, ${b.top})`;

// ---------------------------------------------------------------- running the CLI

/** Runs the CLI over `inDir` with --fill `fill` (null: the default); returns an error line or null. */
function runCli(cli, inDir, outDir, fill) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, inDir, '--out', outDir, ...(fill ? ['--fill', fill] : [])], { encoding: 'utf8' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || String(r.error || '')).trim().split('\n').slice(-3).join(' | ');
    return `exit ${r.status} after ${secs}s: ${why}`;
  }
  return null;
}

// ---------------------------------------------------------------- drawing

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A grey tile with a short centred note (a column with nothing to show). */
function blankTile(w, h, note) {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<rect width="100%" height="100%" fill="#e8e8e8"/>` +
    `<text x="${w / 2}" y="${h / 2}" font-family="${FONT}" font-size="${Math.max(14, Math.round(w / 24))}" fill="#888" text-anchor="middle">${esc(note)}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The crop `box` of a picture (a file or an image object), scaled by `scale` (nearest). */
async function tileOf(src, box, scale) {
  const s = src.data
    ? sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
    : sharp(src).flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha();
  const buf = await s.extract(box).png().toBuffer(); // extract first, then resize: two pipelines
  return scale === 1 ? buf : sharp(buf).resize(box.width * scale, box.height * scale, { kernel: 'nearest' }).png().toBuffer();
}

async function montage(tiles, tw, th, caption, file) {
  const n = tiles.length;
  const width = n * tw + (n + 1) * GAP;
  // text grows with the tiles so that it stays readable when a wide montage is shown scaled down
  const labelPx = Math.max(16, Math.min(32, Math.round(tw / 24)));
  // one line: smaller type when the caption is long for a narrow montage (~0.6 em a character)
  const captionPx = Math.max(10, Math.min(Math.round(labelPx * 0.8), Math.floor((width - 2 * GAP) / (0.6 * caption.length))));
  const CAPTION_H = captionPx + 12, LABEL_H = labelPx + 10;
  const height = CAPTION_H + LABEL_H + th + GAP;
  const text = [
    `<text x="${GAP}" y="${CAPTION_H - 7}" font-family="${FONT}" font-size="${captionPx}" fill="#222">${esc(caption)}</text>`,
    ...LABELS.map(
      (l, i) =>
        `<text x="${GAP + i * (tw + GAP) + tw / 2}" y="${CAPTION_H + LABEL_H - 7}" font-family="${FONT}" ` +
        `font-size="${labelPx}" font-weight="bold" fill="#000" text-anchor="middle">${esc(l)}</text>`,
    ),
  ].join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CAPTION_H + LABEL_H}">${text}</svg>`;
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([
      { input: Buffer.from(svg), left: 0, top: 0 },
      ...tiles.map((t, i) => ({ input: t, left: GAP + i * (tw + GAP), top: CAPTION_H + LABEL_H })),
    ])
    .png()
    .toFile(file);
}

// ---------------------------------------------------------------- main

async function runGroup(g, opts, tmp) {
  const inDir = path.join(tmp, g.name, 'in');
  fs.mkdirSync(inDir, { recursive: true });
  for (const p of g.pages) await writePng(p.image, path.join(inDir, p.file));
  const failed = {};
  for (const m of METHODS) {
    const outDir = path.join(tmp, g.name, m.key);
    const err = runCli(opts.cli, inDir, outDir, m.fill);
    if (err) {
      failed[m.key] = true;
      console.log(`${g.name}: the CLI with ${m.fill ? `--fill ${m.fill}` : 'the default fill'} failed, ${err}`);
    }
  }
  let written = 0;
  for (const c of g.crops) {
    const page = g.pages.find((p) => p.file === c.page);
    const scale = Math.max(c.box.width, c.box.height) < 256 ? 2 : 1;
    const tw = c.box.width * scale, th = c.box.height * scale;
    const tiles = [await tileOf(page.image, c.box, scale)];
    for (const m of METHODS) {
      const f = path.join(tmp, g.name, m.key, c.page);
      tiles.push(fs.existsSync(f) ? await tileOf(f, c.box, scale) : await blankTile(tw, th, failed[m.key] ? 'CLI failed' : 'no output'));
    }
    tiles.push(page.deepcreampy ? await tileOf(page.deepcreampy, c.box, scale) : await blankTile(tw, th, 'n/a'));
    tiles.push(page.truth ? await tileOf(page.truth, c.box, scale) : await blankTile(tw, th, 'unknown'));
    const file = path.join(opts.out, c.out);
    await montage(tiles, tw, th, c.caption + (scale > 1 ? '; tiles x2 (nearest)' : ''), file);
    console.log(`wrote ${path.relative(process.cwd(), file) || file}: ${c.caption}`);
    written++;
  }
  return written;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.cli)) {
    console.error(`${path.relative(process.cwd(), opts.cli)} is missing: run npm run build:cli first`);
    process.exit(2);
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inpaint-compare-'));
  const makers = { mermaid: groupMermaid, demo: groupDemo, blackjack: groupBlackjack, eval: groupEval };
  let written = 0;
  try {
    for (const name of opts.only ? [opts.only] : GROUPS) {
      const g = await makers[name]();
      if (g) written += await runGroup(g, opts, tmp);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${written} montage(s) in ${path.relative(process.cwd(), opts.out) || '.'}`);
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
