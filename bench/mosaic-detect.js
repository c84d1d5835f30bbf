#!/usr/bin/env node
'use strict';
/**
 * @file Mosaic detection (issue 14): the target table of `detectMosaics` (src/core/mosaic-detect.ts)
 * and of `inpaint --mosaic --detect`, rerunnable by anyone with ../shared:
 *
 *   node bench/mosaic-detect.js [--restore] [--write] [--module FILE]
 *
 * - the 20 mosaic evaluation cases, pixelated exactly as ../shared/tools/eval_cases.py does
 *   (bench/lib/mosaic-cases.py imports its `crop` and `mosaic`), no green paint: IoU of the
 *   detected mask with the pixelated blocks (every block touching the case's hole), and whether
 *   the block size found is the case's;
 * - false alarms, unpainted: the 140 other evaluation crops, the 124 full OpenMantra pages and
 *   the training pages (Black Jack, Pepper&Carrot): detected area / all pixels, the largest
 *   region, the pages with any region;
 * - speed: DeepCreamPy's 2604×2513 sample page, first call and median of 10, in this Node and
 *   in headless Chromium (the bench harness page, when /usr/bin/chromium is there);
 * - with --restore: eval_cases.py's mosaic group run twice through dist/cli.js, once the
 *   painted-green way (`{in} --originals {orig} --mosaic`) and once from the pixelated page
 *   alone (`{orig} --mosaic --detect`), PSNR side by side (needs the models and python3-opencv).
 *
 * --write puts the table into bench/results.md as section "8. Mosaic detection" (replacing an
 * older one); without it the section is printed. --module: a CommonJS build exporting
 * detectMosaics (default: the bench bundle dist/bench/pipeline-node.js, built when stale).
 */
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SHARED, OUT, table, fmt, median, machine, ensureDir, log } = require('./lib/util');

const CASES = path.join(SHARED, 'data', 'eval', 'cases', 'cases.json');
const MANTRA = path.join(SHARED, 'data', 'eval', 'openmantra');
const TOOL = path.join(SHARED, 'tools', 'eval_cases.py');
const TRAIN = path.join(SHARED, 'data', 'train');
const SAMPLE = path.join(SHARED, 'data', 'deepcreampy', 'mermaid_censored.png');
const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const WORK = path.join(OUT, 'mosaic-detect');
const BEGIN = '<!-- mosaic-detect:begin -->';
const END = '<!-- mosaic-detect:end -->';

function args() {
  const a = { restore: false, write: false, module: null };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--restore') a.restore = true;
    else if (argv[i] === '--write') a.write = true;
    else if (argv[i] === '--module') a.module = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

async function decode(sharp, file) {
  const { data, info } = await sharp(file, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length), maxValue: 255 };
}

function listImages(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listImages(p));
    else if (/\.(png|jpe?g|webp)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Detected area, largest region and pages with a region over a set of pages. */
async function falseAlarms(det, sharp, files) {
  let pixels = 0;
  let detected = 0;
  let largest = 0;
  const hit = [];
  const ms = [];
  for (const f of files) {
    const img = await decode(sharp, f);
    const t = performance.now();
    const r = det.detectMosaics(img);
    ms.push(performance.now() - t);
    pixels += img.width * img.height;
    let n = 0;
    for (const reg of r.regions) {
      n += reg.pixels;
      largest = Math.max(largest, reg.pixels);
    }
    detected += n;
    if (r.regions.length) hit.push(`${path.relative(SHARED, f)} (${r.regions.map((g) => `${g.pixels} px, block ${g.grid.block}`).join('; ')})`);
  }
  return { pages: files.length, pixels, detected, share: pixels ? detected / pixels : 0, largest, hit, medianMs: median(ms) };
}

function lastRow(report, method) {
  const line = report.split('\n').find((l) => l.startsWith('| mosaic |') && l.split('|')[3].trim() === method);
  if (!line) return null;
  const c = line.split('|').map((s) => s.trim());
  return { psnr: Number(c[4]), ssim: Number(c[5]), l1: Number(c[6]) };
}

function evalRun(cmdMosaic, tag) {
  // a fresh folder: the CLI never replaces an output it did not make in this run
  fs.rmSync(path.join(WORK, `eval-${tag}`), { recursive: true, force: true });
  const keep = ensureDir(path.join(WORK, `eval-${tag}`));
  const report = path.join(WORK, `eval-${tag}.md`);
  // the bar cases are not wanted: a command that copies its input keeps eval_cases.py happy for them
  const copy = `${process.execPath} -e "const fs=require('fs'),p=require('path');const [i,o]=process.argv.slice(1);for(const f of fs.readdirSync(i))fs.copyFileSync(p.join(i,f),p.join(o,f))"`;
  const line = [PY, TOOL, CASES, MANTRA, '--cmd', `${copy} {in} {out}`, '--cmd-mosaic', cmdMosaic, '--keep', keep, '--report', report];
  log(`eval_cases.py (${tag}): ${cmdMosaic}`);
  const r = cp.spawnSync(line[0], line.slice(1), { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`eval_cases.py failed (${tag}): ${(r.stderr || r.stdout).trim().split('\n').slice(-4).join(' ')}`);
  return fs.readFileSync(report, 'utf8');
}

/** A small deterministic generator (LCG), as tests/helpers/mosaicSynth.ts. */
function lcg(seed) {
  let s = (seed >>> 0) ^ 0x5bd1e995;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 4294967296);
}

/**
 * Block sizes 3..64 at random phases over ellipses of 4–8 blocks across, pixelated as eval_cases.py
 * does (every block touching the ellipse takes its mean), on random crops of the training pages,
 * kept when the mosaic shows (its blocks' luma spread >= 15 levels); saved as PNG and as JPEG
 * quality 70. Per block size: found (a region with the exact grid) and mean IoU with the blocks.
 */
async function synthetic(det, sharp) {
  const files = listImages(TRAIN);
  if (!files.length) return null;
  const pages = [];
  for (const f of files) {
    const { data, info } = await sharp(f, { ignoreIcc: true }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    pages.push({ w: info.width, h: info.height, data });
  }
  const r = lcg(7);
  const sizes = [3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64];
  const rows = [];
  for (const B of sizes) {
    const acc = { png: { found: 0, iou: 0 }, jpeg: { found: 0, iou: 0 } };
    let n = 0;
    for (let tries = 0; n < 8 && tries < 200; tries++) {
      const pg = pages[Math.floor(r() * pages.length)];
      const side = Math.max(192, B * 10);
      const x0 = Math.floor(r() * (pg.w - side));
      const y0 = Math.floor(r() * (pg.h - side));
      const ox = Math.floor(r() * B);
      const oy = Math.floor(r() * B);
      const rx = B * (2 + r() * 2);
      const ry = B * (2 + r() * 2);
      const img = new Uint8Array(side * side * 3);
      for (let y = 0; y < side; y++) img.set(pg.data.subarray(((y0 + y) * pg.w + x0) * 3, ((y0 + y) * pg.w + x0 + side) * 3), y * side * 3);
      const truth = new Uint8Array(side * side);
      const lx = (B - ox) % B;
      const ly = (B - oy) % B;
      const lum = [];
      for (let by = 0; by * B - ly < side; by++)
        for (let bx = 0; bx * B - lx < side; bx++) {
          const xa = Math.max(0, bx * B - lx), xb = Math.min(side, (bx + 1) * B - lx);
          const ya = Math.max(0, by * B - ly), yb = Math.min(side, (by + 1) * B - ly);
          let touched = false;
          const sum = [0, 0, 0];
          for (let y = ya; y < yb; y++)
            for (let x = xa; x < xb; x++) {
              if (((x - side / 2) / rx) ** 2 + ((y - side / 2) / ry) ** 2 <= 1) touched = true;
              for (let k = 0; k < 3; k++) sum[k] += img[(y * side + x) * 3 + k];
            }
          if (!touched) continue;
          const cnt = (xb - xa) * (yb - ya);
          const mean = sum.map((v) => Math.floor(v / cnt)); // numpy's float -> uint8 cast truncates
          lum.push(0.299 * mean[0] + 0.587 * mean[1] + 0.114 * mean[2]);
          for (let y = ya; y < yb; y++)
            for (let x = xa; x < xb; x++) {
              truth[y * side + x] = 1;
              for (let k = 0; k < 3; k++) img[(y * side + x) * 3 + k] = mean[k];
            }
        }
      const m = lum.reduce((a, b) => a + b, 0) / lum.length;
      if (Math.sqrt(lum.reduce((a, b) => a + (b - m) ** 2, 0) / lum.length) < 15) continue;
      n++;
      const jpg = await sharp(Buffer.from(img), { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 70 }).toBuffer();
      const dj = await sharp(jpg).raw().toBuffer({ resolveWithObject: true });
      for (const [kind, data] of [['png', img], ['jpeg', new Uint8Array(dj.data)]]) {
        const d = det.detectMosaics({ width: side, height: side, channels: 3, data, maxValue: 255 });
        if (d.regions.some((g) => g.grid.block === B && g.grid.ox === ox && g.grid.oy === oy)) acc[kind].found++;
        let inter = 0;
        let union = 0;
        for (let i = 0; i < truth.length; i++) {
          if (truth[i] && d.mask.data[i]) inter++;
          if (truth[i] || d.mask.data[i]) union++;
        }
        acc[kind].iou += union ? inter / union : 0;
      }
    }
    rows.push({ B, n, png: acc.png.found, pngIoU: acc.png.iou / Math.max(1, n), jpeg: acc.jpeg.found, jpegIoU: acc.jpeg.iou / Math.max(1, n) });
  }
  return rows;
}

async function main() {
  const a = args();
  for (const p of [CASES, MANTRA, TOOL]) if (!fs.existsSync(p)) throw new Error(`needs ${p} (../shared)`);
  ensureDir(WORK);
  let modFile = a.module;
  if (!modFile) {
    const why = require('./lib/build').bench();
    if (why) throw new Error(why);
    modFile = path.join(ROOT, 'dist', 'bench', 'pipeline-node.js');
  }
  const det = require(modFile);
  const sharp = require('sharp');
  const started = new Date();
  const load0 = require('os').loadavg()[0];

  // the inputs, built by eval_cases.py's own functions
  const cases = path.join(WORK, 'cases');
  if (!fs.existsSync(path.join(cases, 'cases.json')) || fs.statSync(path.join(cases, 'cases.json')).mtimeMs < fs.statSync(CASES).mtimeMs) {
    log('writing the pixelated cases (bench/lib/mosaic-cases.py)');
    const r = cp.spawnSync(PY, [path.join(__dirname, 'lib', 'mosaic-cases.py'), CASES, MANTRA, TOOL, cases], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mosaic-cases.py failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  const list = JSON.parse(fs.readFileSync(path.join(cases, 'cases.json'), 'utf8'));

  // 1. the 20 mosaic cases
  const rows = [];
  for (const c of list.filter((x) => x.kind === 'mosaic')) {
    const img = await decode(sharp, path.join(cases, 'mosaic', `${c.id}.png`));
    const truth = await decode(sharp, path.join(cases, 'truth', `${c.id}.png`));
    const t = performance.now();
    const r = det.detectMosaics(img);
    const ms = performance.now() - t;
    let inter = 0;
    let union = 0;
    const tc = truth.channels;
    for (let i = 0; i < img.width * img.height; i++) {
      const T = truth.data[i * tc] > 127;
      const D = r.mask.data[i] === 1;
      if (T && D) inter++;
      if (T || D) union++;
    }
    // the block size of the region overlapping the truth most
    let best = null;
    let bestOverlap = -1;
    for (const reg of r.regions) {
      let o = 0;
      const b = reg.bounds;
      for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) if (r.mask.data[y * img.width + x] && truth.data[(y * img.width + x) * tc] > 127) o++;
      if (o > bestOverlap) (bestOverlap = o), (best = reg);
    }
    rows.push({ id: c.id, block: c.block, found: best ? best.grid.block : null, iou: union ? inter / union : 0, regions: r.regions.length, ms });
  }
  const meanIoU = rows.reduce((s, r) => s + r.iou, 0) / rows.length;
  const exact = rows.filter((r) => r.found === r.block).length;

  // 2. false alarms
  const cleanCrops = await falseAlarms(det, sharp, list.filter((x) => x.kind !== 'mosaic').map((x) => path.join(cases, 'clean', `${x.id}.png`)));
  const pages = await falseAlarms(det, sharp, listImages(MANTRA));
  const train = await falseAlarms(det, sharp, listImages(TRAIN));

  // 2b. synthetic mosaics on training-page crops (the generalisation check; eval pages are not used)
  const synth = await synthetic(det, sharp);

  // 3. speed on the 2604×2513 sample page
  let speed = null;
  if (fs.existsSync(SAMPLE)) {
    const img = await decode(sharp, SAMPLE);
    const t0 = performance.now();
    det.detectMosaics(img);
    const first = performance.now() - t0;
    const warm = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      det.detectMosaics(img);
      warm.push(performance.now() - t);
    }
    speed = { size: `${img.width}×${img.height}`, first, median: median(warm) };
  }

  // 3b. the same page in headless Chromium (the bench harness page, dist/bench/web: decoded by the browser, RGBA)
  let browserSpeed = null;
  const browser = require('./lib/browser');
  const noBrowser = browser.browserAvailable() ?? (fs.existsSync(SAMPLE) ? null : 'no sample page');
  if (!noBrowser) {
    const why = require('./lib/build').bench();
    if (why) throw new Error(why);
    const server = await browser.startServer();
    const h = await browser.openHarness({ origin: server.origin });
    try {
      const r = await h.detect(SAMPLE, 10);
      browserSpeed = { size: `${r.width}×${r.height}`, first: r.firstMs, median: median(r.ms), version: h.browserVersion };
    } finally {
      await h.close();
      server.close();
    }
  }

  // 4. restoration through --detect vs the painted-green path
  let restore = null;
  if (a.restore) {
    const why = require('./lib/build').cli();
    if (why) throw new Error(why);
    const cli = `${process.execPath} ${path.join(ROOT, 'dist', 'cli.js')}`;
    const green = lastRow(evalRun(`${cli} {in} --originals {orig} --mosaic --out {out}`, 'green'), 'command');
    const detect = lastRow(evalRun(`${cli} {orig} --mosaic --detect --out {out}`, 'detect'), 'command');
    restore = { green, detect };
  }
  const load1 = require('os').loadavg()[0];

  const pct = (x) => `${(100 * x).toFixed(4)} %`;
  const fa = (name, f) => [name, String(f.pages), `${(f.pixels / 1e6).toFixed(1)} MP`, pct(f.share), String(f.largest), String(f.hit.length), fmt(f.medianMs)];
  const targets = [
    ['mean IoU, 20 mosaic cases', '≥ 0.90', meanIoU.toFixed(3), meanIoU >= 0.9 ? 'met' : 'missed'],
    ['block size exact', '≥ 19 of 20', `${exact} of 20`, exact >= 19 ? 'met' : 'missed'],
    ...[
      ['140 other evaluation crops', cleanCrops],
      ['124 OpenMantra pages', pages],
      ['training pages', train],
    ].map(([n, f]) => [`false alarms: ${n}`, '≤ 0.05 % of pixels, no region > 1,000 px', `${pct(f.share)}, largest ${f.largest} px`, f.share <= 0.0005 && f.largest <= 1000 ? 'met' : 'missed']),
    speed ? [`detection, ${speed.size} page, Node`, '≤ 0.5 s', `${(speed.first / 1000).toFixed(3)} s first, ${(speed.median / 1000).toFixed(3)} s median`, speed.first <= 500 ? 'met' : 'missed'] : ['detection speed', '≤ 0.5 s', 'not measured (no sample page)', '—'],
    browserSpeed
      ? [`detection, ${browserSpeed.size} page, Chromium ${browserSpeed.version}`, '≤ 0.5 s', `${(browserSpeed.first / 1000).toFixed(3)} s first, ${(browserSpeed.median / 1000).toFixed(3)} s median`, browserSpeed.first <= 500 ? 'met' : 'missed']
      : ['detection in the browser', '≤ 0.5 s', `not measured (${noBrowser})`, '—'],
    restore
      ? [
          '`--mosaic --detect` vs painted green, 20 mosaic cases',
          'within 0.2 dB',
          `${restore.detect.psnr.toFixed(2)} vs ${restore.green.psnr.toFixed(2)} dB (${(restore.detect.psnr - restore.green.psnr >= 0 ? '+' : '') + (restore.detect.psnr - restore.green.psnr).toFixed(2)})`,
          restore.green.psnr - restore.detect.psnr <= 0.2 ? 'met' : 'missed',
        ]
      : ['`--mosaic --detect` vs painted green', 'within 0.2 dB', 'not run (pass --restore)', '—'],
  ];
  const md = [
    BEGIN,
    '## 8. Mosaic detection (issue 14)',
    '',
    `\`node bench/mosaic-detect.js${a.restore ? ' --restore' : ''}\`, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine().cpu}, load average ${load0.toFixed(1)} → ${load1.toFixed(1)}` +
      ' (the machine was shared with a training run). `detectMosaics` (src/core/mosaic-detect.ts) on pages alone, no paint: the 20 mosaic cases pixelated by' +
      ' eval_cases.py\'s own `crop` and `mosaic` (bench/lib/mosaic-cases.py; truth = every block touching the hole), the other 140 crops and the full pages unpainted.',
    '',
    table(['target', 'limit', 'measured', ''], targets),
    '',
    'Per mosaic case (IoU with the pixelated blocks; block size of the region overlapping them most):',
    '',
    table(['case', 'block', 'found', 'IoU', 'regions', 'ms'], rows.map((r) => [r.id, String(r.block), r.found === null ? '—' : String(r.found), r.iou.toFixed(3), String(r.regions), fmt(r.ms)])),
    '',
    'False alarms (unpainted pages; no mosaic on any of them):',
    '',
    table(['set', 'pages', 'pixels', 'detected', 'largest region px', 'pages with a region', 'median ms/page'], [fa('140 other evaluation crops (512²)', cleanCrops), fa('OpenMantra pages', pages), fa('training pages (Black Jack, Pepper&Carrot)', train)]),
    '',
    ...[cleanCrops, pages, train].flatMap((f) => f.hit).map((h) => `- region on ${h}`),
    ...(synth
      ? [
          '',
          'Synthetic mosaics on random crops of the training pages (not the evaluation pages): block sizes 3–64 at random phases over ellipses 4–8 blocks across, pixelated as eval_cases.py does, kept when the blocks\' luma spreads ≥ 15 levels, saved as PNG and as JPEG quality 70 (sharp). Found = a region with the exact grid (block and phase).',
          '',
          table(
            ['block', 'crops', 'PNG found', 'PNG IoU', 'JPEG q70 found', 'JPEG q70 IoU'],
            [
              ...synth.map((x) => [String(x.B), String(x.n), `${x.png}/${x.n}`, x.pngIoU.toFixed(2), `${x.jpeg}/${x.n}`, x.jpegIoU.toFixed(2)]),
              (() => {
                const t = synth.reduce((a, x) => ({ n: a.n + x.n, png: a.png + x.png, jpeg: a.jpeg + x.jpeg, pi: a.pi + x.pngIoU * x.n, ji: a.ji + x.jpegIoU * x.n }), { n: 0, png: 0, jpeg: 0, pi: 0, ji: 0 });
                return ['all', String(t.n), `${t.png}/${t.n}`, (t.pi / t.n).toFixed(2), `${t.jpeg}/${t.n}`, (t.ji / t.n).toFixed(2)];
              })(),
            ],
          ),
        ]
      : []),
    ...(restore
      ? [
          '',
          'Restoration, eval_cases.py mosaic group (PSNR over the 512² crop, SSIM, L1 in the hole), dist/cli.js with the shipped mosaic model:',
          '',
          table(
            ['path', 'command', 'PSNR dB', 'SSIM', 'L1 hole %'],
            [
              ['painted green + originals', '`{in} --originals {orig} --mosaic`', restore.green.psnr, restore.green.ssim, restore.green.l1],
              ['detected', '`{orig} --mosaic --detect`', restore.detect.psnr, restore.detect.ssim, restore.detect.l1],
            ],
          ),
        ]
      : []),
    END,
  ].join('\n');
  fs.writeFileSync(path.join(WORK, 'section.md'), md + '\n');
  fs.writeFileSync(path.join(WORK, 'results.json'), JSON.stringify({ rows, meanIoU, exact, cleanCrops, pages, train, synth, speed, browserSpeed, restore }, null, 1));
  if (a.write) {
    const file = path.join(ROOT, 'bench', 'results.md');
    let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const i = text.indexOf(BEGIN);
    const j = text.indexOf(END);
    text = i >= 0 && j > i ? text.slice(0, i) + md + text.slice(j + END.length) : `${text.trimEnd()}\n\n${md}\n`;
    fs.writeFileSync(file, text);
    log(`wrote section 8 into ${path.relative(ROOT, file)}`);
  }
  process.stdout.write(md + '\n');
}

main().catch((e) => {
  process.stderr.write(`mosaic-detect: ${e.stack || e.message}\n`);
  process.exit(1);
});
