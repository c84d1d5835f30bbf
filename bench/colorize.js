#!/usr/bin/env node
'use strict';
/**
 * @file Colorize speed (issue 12 targets), rerunnable by anyone with ../shared and the models:
 *
 *   node bench/colorize.js [--write] [--manifest models/models.json]
 *
 * - CLI end to end (`node dist/cli.js colorize`, a fresh process each run: model load, decode,
 *   model, recomposition, PNG write) on a 2000×1500 grey page made from a Pepper&Carrot training
 *   page (target ≤ 3 s), and on a 1024² page; median of 3;
 * - the browser path (the bench harness page: jobs → pipeline → onnxruntime-web WASM, one thread)
 *   on the 1024² page (target ≤ 5 s): model load, then the first and a second colorize.
 * --write puts the table into bench/results.md as section "9. Colorize" (replacing an older one).
 */
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SHARED, OUT, table, fmt, median, ensureDir, log } = require('./lib/util');
const { browserAvailable, startServer, openHarness } = require('./lib/browser');

const BEGIN = '<!-- colorize:begin -->';
const END = '<!-- colorize:end -->';
const SOURCE = path.join(SHARED, 'data', 'train', 'peppercarrot', 'ep1_02.webp');

function args() {
  const a = { write: false, manifest: path.join(ROOT, 'models', 'models.json') };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '--write') a.write = true;
    else if (v[i] === '--manifest') a.manifest = path.resolve(v[++i]);
    else throw new Error(`unknown argument ${v[i]}`);
  }
  return a;
}

async function greyPage(sharp, w, h, file) {
  await sharp(SOURCE).resize(w, h, { fit: 'cover' }).greyscale().png().toFile(file);
}

function cliRun(page, out, manifest) {
  fs.rmSync(out, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = cp.spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'colorize', page, '--out', out, '--manifest', manifest, '--verbose'], { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`colorize failed: ${r.stderr}`);
  const work = /model at (\d+x\d+)/.exec(r.stderr);
  return { s, work: work ? work[1] : '?' };
}

async function main() {
  const a = args();
  if (!fs.existsSync(SOURCE)) return console.log(`SKIPPED: ${SOURCE} is absent (../shared/data/train)`);
  const manifest = JSON.parse(fs.readFileSync(a.manifest, 'utf8'));
  const info = manifest.models.find((m) => m.kind === 'colorize');
  if (!info) return console.log(`SKIPPED: no colorize model in ${a.manifest}`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) cp.execSync('npm run build:cli', { cwd: ROOT, stdio: 'inherit' });
  const sharp = require(require.resolve('sharp', { paths: [ROOT] }));
  const dir = ensureDir(path.join(OUT, 'colorize'));
  const big = path.join(dir, 'page-2000x1500.png');
  const mid = path.join(dir, 'page-1024.png');
  await greyPage(sharp, 2000, 1500, big);
  await greyPage(sharp, 1024, 1024, mid);
  const rows = [];
  for (const [label, page, target] of [['2000×1500', big, 3], ['1024×1024', mid, null]]) {
    const runs = [0, 1, 2].map(() => cliRun(page, path.join(dir, 'out'), a.manifest));
    const s = median(runs.map((r) => r.s));
    log(`CLI ${label}: ${runs.map((r) => r.s.toFixed(2)).join(', ')} s`);
    rows.push([`CLI (onnxruntime-node, all cores), ${label} grey page`, runs[0].work, fmt(s, 2), target === null ? '—' : `≤ ${target}`, target === null ? '' : s <= target ? 'met' : `**missed by ${fmt(s - target, 2)} s**`]);
  }
  const why = browserAvailable();
  if (why) rows.push(['browser (WASM, 1 thread), 1024² page', '—', `skipped: ${why}`, '≤ 5', '']);
  else {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'bench', 'web', 'bench.js'))) cp.execSync('npx webpack --config build/webpack.bench.js --mode production', { cwd: ROOT, stdio: 'inherit' });
    const server = await startServer();
    const h = await openHarness({ origin: server.origin, threads: 1 });
    try {
      const modelFile = path.join(path.dirname(a.manifest), info.file);
      const [load] = await h.loadModel(info, modelFile, ['wasm']);
      const [first] = await h.runPage(mid, 'colorize');
      const [second] = await h.runPage(mid, 'colorize');
      if (first.status !== 'done') throw new Error(`browser colorize: ${first.message}`);
      log(`browser: load ${load.ms.toFixed(0)} ms, first ${first.t.total.toFixed(0)} ms, second ${second.t.total.toFixed(0)} ms`);
      const s = second.t.job / 1000;
      rows.push([`browser (harness page, onnxruntime-web ${load.backend}, 1 thread), 1024² page: colorize job`, '512x512', `${fmt(s, 2)} (first ${fmt(first.t.job / 1000, 2)}; model load ${fmt(load.ms / 1000, 2)})`, '≤ 5', s <= 5 ? 'met' : `**missed by ${fmt(s - 5, 2)} s**`]);
    } finally {
      await h.close();
      server.close();
    }
  }
  const md = [
    BEGIN,
    '## 9. Colorize',
    '',
    `\`node bench/colorize.js --write\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, model ${info.name} (${info.params} params, maxSide ${info.input.maxSide}). ` +
      'Grey pages made from Pepper&Carrot ep1_02 (training page, CC BY 4.0, David Revoy). CLI: a fresh process per run (model load included), median of 3. ' +
      'Browser: the bench harness page (jobs → pipeline → onnxruntime-web WASM, one thread), the job alone (decode and PNG encode excluded).',
    '',
    table(['what', 'model input', 'seconds', 'target', ''], rows),
    END,
  ].join('\n');
  if (a.write) {
    const file = path.join(ROOT, 'bench', 'results.md');
    let text = fs.readFileSync(file, 'utf8');
    const i = text.indexOf(BEGIN);
    const j = text.indexOf(END);
    text = i >= 0 && j > i ? text.slice(0, i) + md + text.slice(j + END.length) : `${text.trimEnd()}\n\n${md}\n`;
    fs.writeFileSync(file, text);
    log('bench/results.md: section 9 written');
  } else console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
