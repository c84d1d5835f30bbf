#!/usr/bin/env node
'use strict';
/**
 * @file `npm run bench`: speed, memory and quality benchmarks, written to bench/results.md.
 *
 *   node bench/run.js [--quick] [--only latency,e2e,...] [--manifest models/models.json] [--out FILE] [--all-sizes]
 *
 * --quick: fewer repetitions, 5 pages instead of 20, 24 quality cases instead of 160 (for
 *          development; the results file says so). Without it the run is the full one.
 * Each section skips itself with a line in the results when ../shared, Chromium, a model or
 * a build is missing. --all-sizes: time every model at every size (default: a model with the
 * same architecture as the bar model is timed at 512² only). See bench/README.md.
 */
const fs = require('fs');
const path = require('path');
const { ROOT, SHARED, OUT, table, fmt, machine, versions, readManifest, ensureDir, log, sh } = require('./lib/util');

const SECTIONS = [
  ['latency', '1. Model call latency', './sections/latency'],
  ['e2e', '2. Whole page, end to end', './sections/e2e'],
  ['memory', '3. Memory', './sections/memory'],
  ['scaling', '4. Scaling: cost follows the hole, not the page', './sections/scaling'],
  ['quality', '5. Quality (evaluation cases)', './sections/quality'],
  ['reference', '6. Reference points', './sections/reference'],
  ['mosaic', '7. Mosaic grid detection: cost follows the hole', './sections/mosaic'],
];

function parseArgs(argv) {
  const a = { quick: false, only: null, manifest: path.join(ROOT, 'models', 'models.json'), out: path.join(ROOT, 'bench', 'results.md') };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') a.quick = true;
    else if (k === '--all-sizes') a.allSizes = true;
    else if (k === '--only') a.only = argv[++i].split(',');
    else if (k === '--manifest') a.manifest = path.resolve(argv[++i]);
    else if (k === '--out') a.out = path.resolve(argv[++i]);
    else if (k === '-h' || k === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 12).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${k} (see --help)`);
  }
  if (process.env.BENCH_MANIFEST) a.manifest = path.resolve(process.env.BENCH_MANIFEST);
  return a;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = Date.now();
  ensureDir(OUT);
  const mach = machine();
  const skipped = [];
  const targets = [];
  const ctx = {
    quick: args.quick,
    allSizes: !!args.allSizes,
    manifest: args.manifest,
    models: [],
    data: {},
    skipped,
    skip(what, why) {
      skipped.push(`${what}: ${why}`);
      log(`SKIPPED ${what}: ${why}`);
    },
    /** Records a target: lower is better; `close` says what would close a miss. */
    target(name, limit, measured, unit, close = '') {
      targets.push({ name, limit, measured, unit, close });
    },
    hasShared: fs.existsSync(path.join(SHARED, 'data')),
  };
  let shownManifest = path.relative(ROOT, args.manifest);
  if (fs.existsSync(args.manifest)) {
    // Snapshot the manifest and its models, so a model replaced during the run cannot mix two versions.
    const snap = ensureDir(path.join(OUT, 'models-snapshot'));
    for (const f of fs.readdirSync(snap)) fs.rmSync(path.join(snap, f), { force: true });
    const listed = readManifest(args.manifest);
    for (const m of listed) if (fs.existsSync(m.file)) fs.copyFileSync(m.file, path.join(snap, path.basename(m.file)));
    const mani = JSON.parse(fs.readFileSync(args.manifest, 'utf8'));
    mani.models = mani.models.map((i) => ({ ...i, file: path.basename(i.file) }));
    fs.writeFileSync(path.join(snap, 'models.json'), JSON.stringify(mani, null, 1));
    shownManifest += ` (copied with its models to bench/out/models-snapshot/ at the start, so the whole run uses one version)`;
    args.manifest = path.join(snap, 'models.json');
    ctx.manifest = args.manifest;
    ctx.models = readManifest(args.manifest).filter((m) => {
      if (fs.existsSync(m.file)) return true;
      ctx.skip(`model ${m.info.name}`, `${path.relative(ROOT, m.file)} listed in ${path.relative(ROOT, args.manifest)} is missing`);
      return false;
    });
  } else {
    ctx.skip('model-dependent sections', `no model manifest at ${path.relative(ROOT, args.manifest)} (the shipped models are not in this checkout)`);
  }
  if (!ctx.hasShared) ctx.skip('../shared', `${SHARED} is absent: the DeepCreamPy page, evaluation pages and cases cannot be read`);

  const parts = [];
  for (const [id, title, mod] of SECTIONS) {
    if (args.only && !args.only.includes(id)) continue;
    const file = path.join(__dirname, mod + '.js');
    if (!fs.existsSync(file)) {
      ctx.skip(title, 'section script not written yet');
      continue;
    }
    log(`== ${title}`);
    const s0 = Date.now();
    let md;
    try {
      md = await require(mod)(ctx);
    } catch (e) {
      md = `**Failed:** ${String(e && e.message ? e.message : e).split('\n')[0]}`;
      log(e && e.stack ? e.stack : e);
    }
    parts.push(`## ${title}\n\n${md}\n\n_Section time: ${((Date.now() - s0) / 1000).toFixed(0)} s._`);
  }

  const totalS = (Date.now() - t0) / 1000;
  const mach2 = machine();
  const v = versions();
  const head = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`${args.quick ? ' **--quick** (development run: fewer repetitions and cases; not the numbers to quote)' : ''} ` +
      `on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${fmt(totalS / 60, 1)} min. See bench/README.md for what each table means and how to reproduce a number.`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${mach.cpu}, ${mach.cores} cores`],
        ['memory', `${fmt(mach.memGB, 1)} GB`],
        ['OS', mach.os],
        ['GPU', 'none (no GPU lent to this run; WebGPU not measured)'],
        ['load average at start / end (1 min)', `${fmt(mach.load[0], 2)} / ${fmt(mach2.load[0], 2)}` +
          (Math.max(mach.load[0], mach2.load[0]) > 0.5 * mach.cores ? ' — **the machine was shared with other work during this run; timings are noisy and pessimistic**' : '')],
      ],
    ),
    '',
    table(['software', 'version'], Object.entries(v)),
    '',
    ctx.models.length
      ? table(
          ['model', 'kind', 'params', 'file size MB', 'sha256', 'training side', 'maxSide'],
          ctx.models.map((m) => [
            m.info.name,
            m.info.kind,
            m.info.params ?? 'n/a',
            fmt(fs.statSync(m.file).size / 2 ** 20, 1),
            `\`${m.info.sha256.slice(0, 16)}…\``,
            m.info.input.size,
            m.info.input.maxSide,
          ]),
        ) + `\n\nModels from \`${shownManifest}\`.`
      : '**No models measured** (see Skipped).',
  ];

  const tg = [
    '## Targets',
    '',
    targets.length === 0 ? 'No target was measured in this run (see Skipped).' : table(
      ['target', 'limit', 'measured', 'measured / limit', 'verdict', 'what would close a miss'],
      targets.map((t) => {
        const ok = typeof t.measured === 'number' && !Number.isNaN(t.measured);
        const ratio = ok ? t.measured / t.limit : NaN;
        return [
          t.name,
          `≤ ${fmt(t.limit)} ${t.unit}`,
          ok ? `${fmt(t.measured)} ${t.unit}` : 'not measured',
          ok ? fmt(ratio, 2) : 'n/a',
          ok ? (ratio <= 1 ? 'met' : `**missed by ${fmt((ratio - 1) * 100, 0)} %**`) : 'not measured',
          ok && ratio <= 1 ? '' : t.close,
        ];
      }),
    ),
  ];

  const sk = ['## Skipped', '', skipped.length ? skipped.map((s) => `- ${s}`).join('\n') : 'Nothing was skipped.'];
  const text = [...head, '', ...tg, '', ...parts, '', ...sk, ''].join('\n');
  fs.writeFileSync(args.out, text);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ started, totalS, machine: mach, versions: v, targets, data: ctx.data, skipped }, null, 1));
  log(`wrote ${path.relative(ROOT, args.out)} in ${fmt(totalS, 0)} s`);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
