#!/usr/bin/env node
/**
 * The classical reconstruction alone (src/core/fsr.ts, fsrFillBox) on the evaluation's 512² crops,
 * one per hole bucket plus a censor bar: the largest part of the default fill's time on large
 * holes (bench/fill-wasm.js times the whole fill). Median of --runs after one warm-up per crop.
 * Needs ../shared/data/eval (skips without it) and dist/bench/pipeline-node.js (built when missing).
 *
 *   node bench/fsr.js [--runs 3] [--ids 005,085] [--options '{"maxIter":100,"fineDepth":null}'] [--write]
 *   (--options: FsrOptions as JSON, null for Infinity; --write appends the table to bench/results.md)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const EVAL = path.join(ROOT, '..', 'shared', 'data', 'eval');
const IDS = ['005', '025', '045', '065', '085', '105', '125'];

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main() {
  const cases = path.join(EVAL, 'cases', 'cases.json');
  if (!fs.existsSync(cases)) {
    console.log(`skipped: ${cases} is absent (the evaluation crops are read from ../shared)`);
    return;
  }
  const bundle = path.join(ROOT, 'dist', 'bench', 'pipeline-node.js');
  if (!fs.existsSync(bundle)) {
    const r = spawnSync('npx', ['webpack', '--config', 'build/webpack.bench.js', '--config-name', 'bench-node'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building dist/bench/pipeline-node.js failed');
  }
  const { fsrFillBox } = require(bundle);
  if (!fsrFillBox) throw new Error(`${bundle} has no fsrFillBox: rebuild it (npx webpack --config build/webpack.bench.js --config-name bench-node)`);
  const sharp = require('sharp');
  const runs = Number(arg('runs', '3'));
  const ids = arg('ids', IDS.join(',')).split(',');
  const options = JSON.parse(arg('options', '{}'), (_k, v) => (v === null ? Infinity : v));
  const all = JSON.parse(fs.readFileSync(cases, 'utf8')).cases;
  const rows = [];
  for (const id of ids) {
    const c = all.find((x) => x.id === id);
    const { data, info: im } = await sharp(path.join(EVAL, 'openmantra', c.source))
      .removeAlpha()
      .toColourspace('srgb')
      .extract({ left: c.x, top: c.y, width: c.size, height: c.size })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const m = await sharp(path.join(EVAL, 'cases', 'masks', `${id}.png`)).greyscale().raw().toBuffer();
    const unknown = { width: im.width, height: im.height, data: new Uint8Array(m.length) };
    let holes = 0;
    for (let i = 0; i < m.length; i++) if (m[i] > 127) (unknown.data[i] = 1), holes++;
    let grey = true;
    for (let i = 0; i < data.length && grey; i += 3) grey = data[i] === data[i + 1] && data[i] === data[i + 2];
    const box = { left: 0, top: 0, right: im.width, bottom: im.height };
    const t = [];
    for (let r = 0; r <= runs; r++) {
      const page = { width: im.width, height: im.height, channels: 3, data: new Uint8Array(data), maxValue: 255 };
      const t0 = performance.now();
      fsrFillBox(page, box, unknown.data, unknown, grey, options);
      if (r > 0) t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    const median = t[Math.floor(t.length / 2)];
    rows.push({ id, group: c.bucket ?? c.kind, holes, median, max: t[t.length - 1] });
    console.log(`case ${id} (${c.bucket ?? c.kind}, ${holes} hole px): median ${median.toFixed(0)} ms`);
  }
  const lines = [
    '',
    '## 11. The classical reconstruction alone, 512² crops',
    '',
    `\`node bench/fsr.js --runs ${runs}${arg('options', '') ? ` --options '${arg('options', '')}'` : ''}\` (${new Date().toISOString().slice(0, 10)}): \`fsrFillBox\` on the whole crop (grey pages: luma only), one Node process, median of ${runs} after a warm-up.`,
    '',
    '| case | group | hole px | median ms | max ms |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.group} | ${r.holes} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} |`),
    '',
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--write')) fs.appendFileSync(path.join(ROOT, 'bench', 'results.md'), lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
