#!/usr/bin/env node
/**
 * The whole default fill of a 512² hole region with onnxruntime-web's WASM backend on one thread
 * (issue 10's speed target: ≤ 1.5 s for the whole fill, not only the model call): `inpaint()`
 * (flat areas, classical reconstruction, network, texture detail on grey pages, lines) on the
 * evaluation's 512² crops, one per hole bucket plus a censor bar, in one Node process; the model
 * runs on onnxruntime-web (WASM, SIMD, 1 thread), as in Photoshop and inside Photopea's iframe.
 * Median of --runs after one warm-up call per crop. Needs ../shared/data/eval (skips without it)
 * and dist/bench/pipeline-node.js (built here when missing).
 *
 *   node bench/fill-wasm.js [--runs 3] [--ids 005,085] [--fill classical|model] [--write]
 *   (--write: appends the table to bench/results.md)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { ROOT, IDS, arg, evalCases, benchBundle, loadCrop, timeInpaint, cropTable, report, run } = require('./lib/eval-crops');

const LIMIT_MS = 1500;

async function main() {
  const all = evalCases();
  if (!all) return;
  const { inpaint } = benchBundle();
  const ort = require('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'models.json'), 'utf8'));
  const info = manifest.models.find((m) => m.name === 'pconv-bar');
  const session = await ort.InferenceSession.create(new Uint8Array(fs.readFileSync(path.join(ROOT, 'models', info.file))), { executionProviders: ['wasm'] });
  const model = {
    info,
    backend: 'wasm',
    async run(image, mask, w, h) {
      const out = await session.run({ image: new ort.Tensor('float32', image, [1, 3, h, w]), mask: new ort.Tensor('float32', mask, [1, 1, h, w]) });
      return out.output.data;
    },
    async dispose() {},
  };
  const runs = Number(arg('runs', '3'));
  const ids = arg('ids', IDS.join(',')).split(',');
  // --fill classical|model: one part alone, to split the time (default: the default fill)
  const opts = { model, ...(arg('fill', '') ? { fill: arg('fill', '') } : {}) };
  const rows = [];
  for (const id of ids) {
    const c = all.find((x) => x.id === id);
    const { page, mask, holes } = await loadCrop(c);
    const t = await timeInpaint(inpaint, page, mask, opts, runs);
    rows.push({ id, group: c.bucket ?? c.kind, holes, median: t[Math.floor(t.length / 2)], max: t[t.length - 1] });
    console.log(`case ${id} (${c.bucket ?? c.kind}, ${holes} hole px): median ${t[Math.floor(t.length / 2)].toFixed(0)} ms`);
  }
  const worst = Math.max(...rows.map((r) => r.median));
  const lines = [
    '',
    '## 10. The whole fill of a 512² region, WASM, 1 thread',
    '',
    `\`node bench/fill-wasm.js --runs ${runs}\` (${new Date().toISOString().slice(0, 10)}): \`inpaint()\` with default options (classical reconstruction, network on onnxruntime-web WASM 1 thread, texture detail on grey pages, lines) on 512² evaluation crops, in one Node process, median of ${runs} after a warm-up. Target: ≤ ${LIMIT_MS} ms for the whole fill.`,
    '',
    ...cropTable(rows),
    '',
    `Slowest median: ${worst.toFixed(0)} ms (${worst <= LIMIT_MS ? 'met' : '**missed**'}).`,
    '',
  ];
  report(lines);
}

run(main);
