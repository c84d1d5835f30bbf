#!/usr/bin/env node
'use strict';
/**
 * @file Colorize speed (issue 12 targets), rerunnable by anyone with ../shared and the models:
 *
 *   node bench/colorize.js [--write] [--manifest models/models.json]
 *
 * - CLI end to end (`node dist/cli.js colorize`, a fresh process each run: model load, decode,
 *   model, recomposition, PNG write) on a 2000×1500 grey page made from a Pepper&Carrot training
 *   page (target ≤ 3 s), without and with colour hints (100 dots of 5×5 px in the true colours of
 *   the page, as ../shared/tools/eval_colorize.py draws them; seed 1), and on a 1024² page; median
 *   of 3, with the CLI's own split (pack, model, hints spread, compose) of the median run;
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

/**
 * Colour hints for the w x h page as eval_colorize.py's hints_for draws them: `n` dots of 5x5 px,
 * centres uniform in [2, side - 2), each the mean colour of the true (colour) page under it,
 * opaque; transparent elsewhere. Seeded (mulberry32), so every run draws the same dots.
 */
async function hintsFile(sharp, w, h, n, seed, file) {
  const { data: gt } = await sharp(SOURCE).resize(w, h, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = Buffer.alloc(w * h * 4);
  for (let k = 0; k < n; k++) {
    const y = 2 + Math.floor(rand() * (h - 4));
    const x = 2 + Math.floor(rand() * (w - 4));
    const m = [0, 0, 0];
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) for (let c = 0; c < 3; c++) m[c] += gt[((y + dy) * w + x + dx) * 3 + c];
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const o = ((y + dy) * w + x + dx) * 4;
        for (let c = 0; c < 3; c++) out[o + c] = Math.round(m[c] / 25);
        out[o + 3] = 255;
      }
    }
  }
  await sharp(out, { raw: { width: w, height: h, channels: 4 } }).png().toFile(file);
}

function cliRun(page, hints, out, manifest) {
  fs.rmSync(out, { recursive: true, force: true });
  const argv = [path.join(ROOT, 'dist', 'cli.js'), 'colorize', page, '--out', out, '--manifest', manifest, '--verbose'];
  if (hints) argv.push('--hints', hints);
  const t0 = process.hrtime.bigint();
  const r = cp.spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`colorize failed: ${r.stderr}`);
  const work = /model at (\d+x\d+)/.exec(r.stderr);
  const split = /\(pack (\d+), model (\d+), hints (\d+), compose (\d+) ms\)/.exec(r.stderr);
  return { s, work: work ? work[1] : '?', split: split ? `pack ${split[1]}, model ${split[2]}, hints ${split[3]}, compose ${split[4]} ms` : '' };
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
  const bigHints = path.join(dir, 'page-2000x1500-hints100.png');
  await greyPage(sharp, 2000, 1500, big);
  await hintsFile(sharp, 2000, 1500, 100, 1, bigHints);
  await greyPage(sharp, 1024, 1024, mid);
  const load = () => (fs.existsSync('/proc/loadavg') ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?');
  const loadStart = load();
  const rows = [];
  const cases = [
    ['2000×1500 grey page, no hints', big, null, 3],
    ['2000×1500 grey page, 100 hint dots (5×5 px)', big, bigHints, 3],
    ['1024×1024 grey page, no hints', mid, null, null],
  ];
  for (const [label, page, hints, target] of cases) {
    const runs = [0, 1, 2].map(() => cliRun(page, hints, path.join(dir, 'out'), a.manifest));
    const s = median(runs.map((r) => r.s));
    const mid3 = runs.find((r) => r.s === s);
    log(`CLI ${label}: ${runs.map((r) => r.s.toFixed(2)).join(', ')} s (median run: ${mid3.split})`);
    rows.push([`CLI (onnxruntime-node, all cores), ${label}`, runs[0].work, `${fmt(s, 2)} (${runs.map((r) => fmt(r.s, 2)).join(', ')}; ${mid3.split})`, target === null ? '—' : `≤ ${target}`, target === null ? '' : s <= target ? 'met' : `**missed by ${fmt(s - target, 2)} s**`]);
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
      'Grey pages made from Pepper&Carrot ep1_02 (training page, CC BY 4.0, David Revoy); the hinted row adds 100 dots of 5×5 px in the page\'s true colours (as eval_colorize.py draws hints, seed 1). ' +
      'CLI: a fresh process per run (model load included), median of 3 (the three runs and the CLI\'s own split of the median run in brackets). ' +
      `Load average (1, 5, 15 min) at the start ${loadStart}, at the end ${load()} on ${require('os').cpus().length} cores${Number(loadStart.split(' ')[0]) > require('os').cpus().length / 2 ? ' (shared machine: times are inflated)' : ''}. ` +
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
