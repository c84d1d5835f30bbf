#!/usr/bin/env node
/**
 * Mosaic mode's whole fill (`inpaint()`, mode 'mosaic') on the evaluation's 20 mosaic cases, in one
 * Node process: the default (the mosaic restored from the page's own examples, src/core/mosaic-
 * examples.ts, wherever the grid is found) beside `fill: 'model'` (the block-prior network on
 * onnxruntime-node). Each crop is pixelated as ../shared/tools/eval_cases.py does (every block of
 * the case's size touching the hole becomes its mean). Median of --runs after a warm-up per crop.
 * Needs ../shared/data/eval (skips without it) and dist/bench/pipeline-node.js (built when missing).
 *
 *   node bench/mosaic-fill.js [--runs 3] [--write]   (--write appends the table to bench/results.md)
 */
'use strict';
const path = require('path');
const { ROOT, arg, evalCases, benchBundle, loadCrop, timeInpaint, report, run } = require('./lib/eval-crops');

/** The crop with every block touching the hole replaced by its mean (grid at 0, 0), as the evaluation does. */
function pixelate(page, mask, B) {
  const { width: w, height: h, data } = page;
  const out = data.slice();
  for (let by = 0; by < h; by += B)
    for (let bx = 0; bx < w; bx += B) {
      let hit = false;
      for (let y = by; y < Math.min(h, by + B) && !hit; y++) for (let x = bx; x < Math.min(w, bx + B); x++) if (mask.data[y * w + x]) hit = true;
      if (!hit) continue;
      const s = [0, 0, 0];
      let n = 0;
      for (let y = by; y < Math.min(h, by + B); y++) for (let x = bx; x < Math.min(w, bx + B); x++, n++) for (let k = 0; k < 3; k++) s[k] += data[(y * w + x) * 3 + k];
      for (let y = by; y < Math.min(h, by + B); y++) for (let x = bx; x < Math.min(w, bx + B); x++) for (let k = 0; k < 3; k++) out[(y * w + x) * 3 + k] = Math.round(s[k] / n);
    }
  return { ...page, data: out };
}

async function main() {
  const all = evalCases();
  if (!all) return;
  const { inpaint, loadNodeModel } = benchBundle();
  const runs = Number(arg('runs', '3'));
  const model = await loadNodeModel(path.join(ROOT, 'models', 'models.json'), undefined, { kind: 'mosaic' });
  const rows = [];
  for (const c of all.filter((x) => x.kind === 'mosaic')) {
    const { page, mask, holes } = await loadCrop(c);
    const mosaic = pixelate(page, mask, c.block);
    const median = (t) => t[Math.floor(t.length / 2)];
    const examples = median(await timeInpaint(inpaint, mosaic, mask, { model, mode: 'mosaic' }, runs));
    const network = median(await timeInpaint(inpaint, mosaic, mask, { model, mode: 'mosaic', fill: 'model' }, runs));
    rows.push({ id: c.id, block: c.block, holes, examples, network });
    console.log(`case ${c.id} (block ${c.block}, ${holes} hole px): examples ${examples.toFixed(0)} ms, network ${network.toFixed(0)} ms`);
  }
  const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
  const max = (k) => Math.max(...rows.map((r) => r[k]));
  const lines = [
    '',
    '## 12. Mosaic mode, the whole fill, 512² crops',
    '',
    `\`node bench/mosaic-fill.js --runs ${runs}\` (${new Date().toISOString().slice(0, 10)}): \`inpaint()\` in mosaic mode on the 20 mosaic evaluation crops (pixelated as the evaluation does), one Node process, median of ${runs} after a warm-up; the default (restored from the page's own examples) and \`fill: 'model'\` (the block-prior network, onnxruntime-node).`,
    '',
    '| case | block | hole px | examples ms | network ms |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.block} | ${r.holes} | ${r.examples.toFixed(0)} | ${r.network.toFixed(0)} |`),
    `| median / max | | | ${med('examples').toFixed(0)} / ${max('examples').toFixed(0)} | ${med('network').toFixed(0)} / ${max('network').toFixed(0)} |`,
    '',
  ];
  report(lines);
}

run(main);
