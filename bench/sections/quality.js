'use strict';
/**
 * @file Section 5: quality on the fixed evaluation cases: ../shared/tools/eval_cases.py runs the
 * CLI (bar cases; mosaic cases with --mosaic --originals when a mosaic model is shipped) and
 * scores it beside OpenCV Telea / Navier-Stokes and "mosaic left as is" (--baselines).
 */
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SHARED, OUT, log } = require('../lib/util');
const build = require('../lib/build');

const TOOL = path.join(SHARED, 'tools', 'eval_cases.py');
const CASES = path.join(SHARED, 'data', 'eval', 'cases', 'cases.json');
const DATA = path.join(SHARED, 'data', 'eval', 'openmantra');
const PY = '/usr/bin/python3';

module.exports = async function quality(ctx) {
  for (const [f, what] of [[TOOL, 'the evaluation tool'], [CASES, 'the evaluation cases'], [DATA, 'the evaluation pages']]) {
    if (!fs.existsSync(f)) return ctx.skip('5. Quality', `${what} (${f}) is missing`), `Skipped: ${what} is missing.`;
  }
  const deps = cp.spawnSync(PY, ['-c', 'import cv2, skimage, numpy'], { encoding: 'utf8' });
  if (deps.status !== 0) return ctx.skip('5. Quality', 'python3-opencv / python3-skimage are not installed (apt-get install python3-opencv python3-skimage)'), 'Skipped: Python dependencies missing.';
  const bar = ctx.models.find((m) => m.info.kind === 'bar');
  const mosaic = ctx.models.find((m) => m.info.kind === 'mosaic');
  if (!bar) return ctx.skip('5. Quality', 'no bar model in the manifest'), 'Skipped: no bar model.';
  const why = build.cli();
  if (why) return ctx.skip('5. Quality', why), `Skipped: ${why}`;

  const cli = `node ${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))} --manifest ${JSON.stringify(ctx.manifest)}`;
  const report = path.join(OUT, 'quality.md');
  const args = [TOOL, CASES, DATA, '--cmd', `${cli} --model ${bar.info.name} {in} --out {out}`, '--baselines', '--report', report];
  if (mosaic) args.push('--cmd-mosaic', `${cli} --model ${mosaic.info.name} {in} --originals {orig} --mosaic --out {out}`);
  else ctx.skip('5. Quality, mosaic cases', 'no mosaic model in the manifest: the 20 mosaic cases are left out');
  const limit = ctx.quick ? 24 : 0;
  if (limit) args.push('--limit', String(limit));
  fs.rmSync(report, { force: true });
  log(`quality: eval_cases.py${limit ? ` --limit ${limit}` : ''} (${mosaic ? 'bar + mosaic' : 'bar'} cases)`);
  const t0 = Date.now();
  const r = cp.spawnSync(PY, args, { cwd: ROOT, encoding: 'utf8', timeout: 20 * 60 * 1000, maxBuffer: 64 << 20 });
  const s = (Date.now() - t0) / 1000;
  if (r.status !== 0 || !fs.existsSync(report)) {
    throw new Error(`eval_cases.py failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ').slice(0, 400)}`);
  }
  const text = fs.readFileSync(report, 'utf8').trim();
  ctx.data.quality = { text, seconds: s };
  const models = [bar, mosaic].filter(Boolean).map((m) => `**${m.info.name}** (${m.info.kind}, sha256 \`${m.info.sha256}\`)`);
  return [
    `\`${path.relative(ROOT, TOOL).replace(/^\.\.\//, '../')}\` on ${limit ? `${limit} of the 160 cases (--limit ${limit}, quick run)` : `the ${mosaic ? 160 : 140} cases`} through the CLI, with \`--baselines\`. ` +
      `Models: ${models.join('; ')}. Command "command" = our CLI; opencv-telea / opencv-ns = OpenCV 4 (Python) on the same inputs; mosaic-left-as-is = the censored crop itself. ` +
      `PSNR/SSIM over the 512² crop, L1 over the hole, texture ratio = mean |Laplacian| in the hole, output over truth (1.0 keeps screentone density, a blur falls toward 0). Higher is better except L1.`,
    '',
    text,
    '',
    `Section wall time including scoring: ${s.toFixed(0)} s.`,
  ].join('\n');
};
