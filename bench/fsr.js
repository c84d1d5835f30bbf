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
const { IDS, arg, evalCases, benchBundle, loadCrop, cropTable, report, run } = require('./lib/eval-crops');

async function main() {
  const all = evalCases();
  if (!all) return;
  const { fsrFillBox } = benchBundle();
  if (!fsrFillBox) throw new Error('dist/bench/pipeline-node.js has no fsrFillBox: rebuild it (npx webpack --config build/webpack.bench.js --config-name bench-node)');
  const runs = Number(arg('runs', '3'));
  const ids = arg('ids', IDS.join(',')).split(',');
  const options = JSON.parse(arg('options', '{}'), (_k, v) => (v === null ? Infinity : v));
  const rows = [];
  for (const id of ids) {
    const c = all.find((x) => x.id === id);
    const { page: crop, mask: unknown, holes } = await loadCrop(c);
    const { data } = crop;
    let grey = true;
    for (let i = 0; i < data.length && grey; i += 3) grey = data[i] === data[i + 1] && data[i] === data[i + 2];
    const box = { left: 0, top: 0, right: crop.width, bottom: crop.height };
    const t = [];
    for (let r = 0; r <= runs; r++) {
      const page = { ...crop, data: data.slice() };
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
    ...cropTable(rows),
    '',
  ];
  report(lines);
}

run(main);
