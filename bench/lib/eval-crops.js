/**
 * What the stand-alone crop benchmarks (bench/fill-wasm.js, bench/fsr.js) share: their flags,
 * the evaluation's fixed cases (read from ../shared, never copied), the Node bench bundle, and one
 * 512² crop with its hole as a raster and a mask.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..', '..');
const EVAL = path.join(ROOT, '..', 'shared', 'data', 'eval');
const CASES = path.join(EVAL, 'cases', 'cases.json');
/** One crop per hole bucket plus a censor bar. */
const IDS = ['005', '025', '045', '065', '085', '105', '125'];

/** The value after --name on the command line, or def. */
function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** The evaluation's cases, or null (with a line saying so) where ../shared is absent. */
function evalCases() {
  if (!fs.existsSync(CASES)) {
    console.log(`skipped: ${CASES} is absent (the evaluation crops are read from ../shared)`);
    return null;
  }
  return JSON.parse(fs.readFileSync(CASES, 'utf8')).cases;
}

/** dist/bench/pipeline-node.js, built when missing. */
function benchBundle() {
  const bundle = path.join(ROOT, 'dist', 'bench', 'pipeline-node.js');
  if (!fs.existsSync(bundle)) {
    const r = spawnSync('npx', ['webpack', '--config', 'build/webpack.bench.js', '--config-name', 'bench-node'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building dist/bench/pipeline-node.js failed');
  }
  return require(bundle);
}

/** Case `c`'s crop (RGB raster) and its hole (mask, 1 = hole) and the hole's pixel count. */
async function loadCrop(c) {
  const sharp = require('sharp');
  const { data, info: im } = await sharp(path.join(EVAL, 'openmantra', c.source))
    .removeAlpha()
    .toColourspace('srgb')
    .extract({ left: c.x, top: c.y, width: c.size, height: c.size })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const page = { width: im.width, height: im.height, channels: 3, data: new Uint8Array(data), maxValue: 255 };
  const m = await sharp(path.join(EVAL, 'cases', 'masks', `${c.id}.png`)).greyscale().raw().toBuffer();
  const mask = { width: im.width, height: im.height, data: new Uint8Array(m.length) };
  let holes = 0;
  for (let i = 0; i < m.length; i++) if (m[i] > 127) (mask.data[i] = 1), holes++;
  return { page, mask, holes };
}

/** Times of `runs` calls of inpaint(page, mask, opts) after one warm-up call, ascending (ms). */
async function timeInpaint(inpaint, page, mask, opts, runs) {
  await inpaint(page, mask, opts); // warm-up
  const t = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await inpaint(page, mask, opts);
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b);
}

/** The Markdown table of per-crop timings (rows: id, group, holes, median, max in ms). */
function cropTable(rows) {
  return [
    '| case | group | hole px | median ms | max ms |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.group} | ${r.holes} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} |`),
  ];
}

/** Prints a section; with --write also appends it to bench/results.md. */
function report(lines) {
  console.log(lines.join('\n'));
  if (process.argv.includes('--write')) fs.appendFileSync(path.join(ROOT, 'bench', 'results.md'), lines.join('\n'));
}

/** Runs an async main, exiting 1 with the error on failure. */
function run(main) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { ROOT, IDS, arg, evalCases, benchBundle, loadCrop, timeInpaint, cropTable, report, run };
