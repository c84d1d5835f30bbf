'use strict';
/**
 * @file The page-level measurements shared by sections 2 and 3 (memoised in ctx.data so a
 * full run does each once): the CLI on a page or folder (wall time, peak RSS), and the browser
 * harness on a page in a fresh Chromium (model load, first and later runs, memory).
 */
const fs = require('fs');
const path = require('path');
const { ROOT, OUT, runNode, ensureDir, log, median } = require('./util');
const build = require('./build');
const browser = require('./browser');

/** Runs the CLI `reps` times on `inputs`; returns { wallMs: [], maxRssMB: [], stdout } or { skipped }. */
async function cli(ctx, key, inputs, reps = 1) {
  ctx.data.cli = ctx.data.cli || {};
  if (ctx.data.cli[key]) return ctx.data.cli[key];
  const why = build.cli();
  if (why) return (ctx.data.cli[key] = { skipped: why });
  const res = { wallMs: [], maxRssMB: [], stdout: '' };
  for (let i = 0; i < reps; i++) {
    const out = path.join(OUT, 'cli', key);
    fs.rmSync(out, { recursive: true, force: true });
    ensureDir(out);
    log(`cli ${key} run ${i + 1}/${reps}`);
    const r = await runNode(path.join(ROOT, 'dist', 'cli.js'), [...inputs, '--out', out, '--manifest', ctx.manifest]);
    if (r.code !== 0) return (ctx.data.cli[key] = { skipped: `the CLI failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ').slice(0, 300)}` });
    res.wallMs.push(r.wallMs);
    res.maxRssMB.push(r.maxRssMB);
    res.stdout = (r.stdout + r.stderr).trim().split('\n').pop();
  }
  res.medianMs = median(res.wallMs);
  res.peakRssMB = Math.max(...res.maxRssMB);
  return (ctx.data.cli[key] = res);
}

/**
 * Fresh headless Chromium, the harness's page run in steps with the renderer's memory read between
 * them (a full GC first, then the peak reset with clear_refs): model load, decode (createImageBitmap +
 * canvas + getImageData: the harness's way of getting the page's pixels, as a host reads a layer),
 * the job (green mask -> inpaint() -> the new layer), the layer's PNG encode. Returns MB figures:
 * { idle, model, decodePeak, decoded, jobPeak, afterJob, encodePeak, peakResetWorks, job } or { skipped }.
 */
async function phases(ctx, key, file) {
  const no = browser.browserAvailable() || build.bench();
  if (no) return { skipped: no };
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  if (!model) return { skipped: 'no bar model' };
  const srv = await browser.startServer();
  let h;
  try {
    h = await browser.openHarness({ origin: srv.origin });
    const out = { idle: h.rssMB() };
    log(`browser ${key}, in steps: loading ${model.info.name}`);
    await h.loadModel(model.info, model.file, ['wasm']);
    await h.call('collect');
    out.model = h.rssMB();
    out.peakResetWorks = h.resetPeak();
    const dec = await h.call('decodePage', browser.urlFor(srv.origin, file));
    out.decodePeak = h.peakRssMB();
    await h.call('collect');
    out.decoded = h.rssMB();
    h.resetPeak();
    log(`browser ${key}, in steps: job`);
    const job = await h.call('jobPage');
    if (job.status !== 'done') throw new Error(`page ${path.basename(file)}: ${job.status}: ${job.message}`);
    out.jobPeak = h.peakRssMB();
    await h.call('collect');
    out.afterJob = h.rssMB();
    h.resetPeak();
    const enc = await h.call('encodeLayer');
    out.encodePeak = h.peakRssMB();
    out.job = { ...job, decodeMs: dec.ms, encodeMs: enc.ms, width: dec.width, height: dec.height };
    return out;
  } catch (e) {
    return { skipped: `the browser run failed: ${String(e.message || e).split('\n')[0].slice(0, 300)}` };
  } finally {
    if (h) await h.close();
    srv.close();
  }
}

/**
 * Fresh headless Chromium: load the model (cold), run `file` `runs` times. Returns
 * { loadMs, backend, runs: [{ t, ... }], peaks (sampled heap/backing/wasm), baselineRssMB, peakRssMB } or { skipped }.
 */
async function page(ctx, key, file, runs = 1) {
  ctx.data.browser = ctx.data.browser || {};
  if (ctx.data.browser[key]) return ctx.data.browser[key];
  const no = browser.browserAvailable() || build.bench();
  if (no) return (ctx.data.browser[key] = { skipped: no });
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  if (!model) return (ctx.data.browser[key] = { skipped: 'no bar model' });
  const srv = await browser.startServer();
  let h;
  try {
    h = await browser.openHarness({ origin: srv.origin });
    const baselineRssMB = h.rssMB();
    log(`browser ${key}: loading ${model.info.name}`);
    const [lm, lpeak] = await h.loadModel(model.info, model.file, ['wasm']);
    const afterLoadRssMB = h.rssMB();
    const out = { loadMs: lm.ms, backend: lm.backend, baselineRssMB, afterLoadRssMB, browserVersion: h.browserVersion, runs: [], peaks: { ...lpeak } };
    for (let i = 0; i < runs; i++) {
      log(`browser ${key}: run ${i + 1}/${runs}`);
      const [r, p] = await h.runPage(file);
      if (r.status !== 'done') throw new Error(`page ${path.basename(file)}: ${r.status}: ${r.message}`);
      out.runs.push(r);
      for (const k of ['jsHeap', 'backing', 'wasm', 'sum']) out.peaks[k] = Math.max(out.peaks[k], p[k]);
      if (i === 0) out.firstRunPeakRssMB = h.peakRssMB();
    }
    out.peakRssMB = h.peakRssMB();
    out.firstMs = out.runs[0].t.total;
    out.warmMs = runs > 1 ? median(out.runs.slice(1).map((r) => r.t.total)) : NaN;
    return (ctx.data.browser[key] = out);
  } catch (e) {
    return (ctx.data.browser[key] = { skipped: `the browser run failed: ${String(e.message || e).split('\n')[0].slice(0, 300)}` });
  } finally {
    if (h) await h.close();
    srv.close();
  }
}

/** The real standalone page (dist/bench/photopea) on `file`, in a fresh Chromium; memoised. */
async function standalone(ctx, key, file) {
  ctx.data.standalone = ctx.data.standalone || {};
  if (ctx.data.standalone[key]) return ctx.data.standalone[key];
  const no = browser.browserAvailable() || build.page();
  if (no) return (ctx.data.standalone[key] = { skipped: no });
  const srv = await browser.startServer();
  try {
    log(`standalone page ${key}`);
    return (ctx.data.standalone[key] = await browser.runStandalonePage({ origin: srv.origin, pageDir: path.join(ROOT, 'dist', 'bench', 'photopea'), manifest: ctx.manifest, file }));
  } catch (e) {
    return (ctx.data.standalone[key] = { skipped: `the page run failed: ${String(e.message || e).split('\n')[0].slice(0, 300)}` });
  } finally {
    srv.close();
  }
}

/** The CLI's decode + encode alone on `file` (sharp, same options), memoised. */
async function codec(ctx, key, file) {
  ctx.data.codec = ctx.data.codec || {};
  if (ctx.data.codec[key]) return ctx.data.codec[key];
  const r = await runNode(path.join(__dirname, 'codec-child.js'), [file]);
  return (ctx.data.codec[key] = r.code === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : { skipped: r.stderr.trim().split('\n').pop() });
}

module.exports = { cli, page, phases, codec, standalone };
