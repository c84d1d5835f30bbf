'use strict';
/**
 * @file Section 3: memory. Peak RSS of the CLI process; in the browser, sampled peaks of the JS
 * heap, ArrayBuffer backing stores and WebAssembly memory, and the renderer process's peak RSS,
 * for DeepCreamPy's sample page and a synthetic 8000x8000 page with ten holes.
 */
const fs = require('fs');
const path = require('path');
const { SHARED, table, fmt, mb } = require('../lib/util');
const measure = require('../lib/measure');
const pages = require('../lib/pages');

const MERMAID = path.join(SHARED, 'data', 'deepcreampy', 'mermaid_censored.png');

module.exports = async function memory(ctx) {
  if (!ctx.models.length) return ctx.skip('3. Memory', 'no model'), 'Skipped: no model.';
  const inputs = [];
  if (fs.existsSync(MERMAID)) inputs.push({ key: 'mermaid', label: 'DeepCreamPy sample (2604×2513)', file: MERMAID, mp: 6.54 });
  else ctx.skip('3. Memory, sample page', `${MERMAID} is missing`);
  const syn = await pages.syntheticPage(8000);
  inputs.push({ key: 'synthetic8000', label: `synthetic 8000×8000, ten holes (${syn.holePixels.toLocaleString('en-US')} px; ${syn.content})`, file: syn.file, mp: syn.megapixels });

  const cliRows = [];
  const brRows = [];
  const stepRows = [];
  let stepNote = '';
  for (const p of inputs) {
    const c = await measure.cli(ctx, p.key, [p.file], 1);
    if (c.skipped) ctx.skip(`3. CLI memory, ${p.key}`, c.skipped);
    else cliRows.push([p.label, c.peakRssMB, c.medianMs / 1000]);
    if (p.key === 'synthetic8000') {
      ctx.target('8000×8000 page, CLI peak RSS', 1536, c.skipped ? NaN : c.peakRssMB, 'MB',
        'decode the page once into the output buffer and process boxes in place; avoid a second full-page copy');
    }
    if (p.key === 'mermaid') {
      const sp = await measure.standalone(ctx, 'mermaid', p.file);
      if (!sp.skipped) {
        brRows.push([`${p.label}, **browser page** (open + 2 Inpaints)`, mb(sp.peaks.jsHeap), mb(sp.peaks.backing), mb(sp.peaks.wasm), mb(sp.peaks.sum), sp.baselineRssMB, sp.peakRssMB, sp.peakRssMB - sp.baselineRssMB, (sp.openMs + sp.firstMs) / 1000]);
      }
    }
    const b = await measure.page(ctx, p.key, p.file, 1);
    if (b.skipped) {
      ctx.skip(`3. browser memory, ${p.key}`, b.skipped);
      continue;
    }
    const own = b.peakRssMB - b.baselineRssMB;
    brRows.push([`${p.label}, harness`, mb(b.peaks.jsHeap), mb(b.peaks.backing), mb(b.peaks.wasm), mb(b.peaks.sum), b.baselineRssMB, b.peakRssMB, own, (b.loadMs + b.firstMs) / 1000]);
    if (p.key === 'synthetic8000') {
      // the same run in steps, to split the harness's own decode and encode from the pipeline
      const ph = await measure.phases(ctx, p.key, p.file);
      if (ph.skipped) {
        ctx.skip('3. browser memory in steps, synthetic8000', ph.skipped);
        ctx.target('8000×8000 page, browser whole harness run peak (renderer peak RSS above the idle page)', 400, own, 'MB', 'see section 3: the steps were not measured');
      } else {
        const modelMB = ph.model - ph.idle;
        const jobMB = ph.jobPeak - ph.decoded;
        ctx.target('8000×8000 page, browser pipeline peak (model resident + the job\'s peak above the decoded page, renderer RSS)', 400, modelMB + jobMB, 'MB',
          'the new layer covers the holes\' bounding box (6500×6900 RGBA here): layers per group of boxes (a host contract change) would cut it; the mask is page-sized by contract');
        stepRows.push(
          ['idle page', fmt(ph.idle), '', ''],
          ['model loaded (onnxruntime-web WASM, session)', fmt(ph.model), fmt(ph.model - ph.idle), 'pipeline'],
          ['decode, peak (fetch + createImageBitmap + canvas + getImageData)', fmt(ph.decodePeak), fmt(ph.decodePeak - ph.model), 'harness'],
          ['decoded page held (after a GC)', fmt(ph.decoded), fmt(ph.decoded - ph.model), 'harness (the layer a host reads)'],
          [`job, peak (green mask → inpaint() → new layer ${ph.job.layer})`, fmt(ph.jobPeak), fmt(jobMB), 'pipeline'],
          ['after the job (after a GC; the layer and WASM heap kept)', fmt(ph.afterJob), fmt(ph.afterJob - ph.decoded), ''],
          ['PNG encode of the layer, peak (OffscreenCanvas)', fmt(ph.encodePeak), fmt(ph.encodePeak - ph.afterJob), 'harness'],
        );
        stepNote = `Pipeline's own peak: model ${fmt(modelMB)} MB + job ${fmt(jobMB)} MB = **${fmt(modelMB + jobMB)} MB**; the whole harness run (decode and encode included) peaks at ${fmt(own)} MB above idle (row above). ` +
          `Job ${fmt(ph.job.ms / 1000)} s, decode ${fmt(ph.job.decodeMs / 1000)} s, encode ${fmt(ph.job.encodeMs / 1000)} s; peak reset with /proc/PID/clear_refs: ${ph.peakResetWorks ? 'yes' : 'no (figures are whole-run peaks)'}.`;
      }
    }
  }
  return [
    '**CLI** — peak resident set size of the whole `node dist/cli.js` process (getrusage ru_maxrss, what `/usr/bin/time -v` reports as "Maximum resident set size"), one page per process:',
    '',
    cliRows.length ? table(['page', 'CLI peak RSS MB', 'wall s'], cliRows) : '_not measured (see Skipped)_',
    '',
    '**Browser** — each row is a fresh headless Chromium: the real page (open the file, Green paint, Inpaint twice) or the harness (load the model, run the page once). JS heap, ArrayBuffer backing stores ' +
      '(rasters, ImageData, model bytes) and WebAssembly memory (every `WebAssembly.Memory` the page made, via a hook) are sampled every 100 ms over CDP ' +
      '(`Runtime.getHeapUsage`: usedSize, backingStorageSize); their sampled peaks can miss a short spike. The renderer peak RSS (VmHWM of the renderer ' +
      'process in /proc) cannot: it is the figure held against the 400 MB target, after subtracting the idle page (before the model loads).',
    '',
    brRows.length
      ? table(['page', 'JS heap peak MB', 'ArrayBuffer peak MB', 'WASM memory MB', 'sampled sum peak MB', 'idle renderer RSS MB', 'renderer peak RSS MB', 'pipeline peak (peak − idle) MB', 'wall s (model load + page)'], brRows)
      : '_not measured (see Skipped)_',
    '',
    `The browser page itself refuses documents over 50 MP (src/browser/limits.ts), so the 8000×8000 (64 MP) figures come from the harness, which runs the same job code without that check.`,
    '',
    ...(stepRows.length
      ? [
          '**8000×8000 harness in steps** — a fresh Chromium; between steps a full GC, the renderer\'s RSS read, and its peak (VmHWM) reset to it (`/proc/PID/clear_refs` 5), so each peak belongs to its step. ' +
            'The decode is the harness\'s way to get the pixels (a host reading a whole layer holds them too: the job reads and fills the layer\'s own buffer, `inPlace`); the target counts the pipeline: the model and the job\'s peak above the decoded page.',
          '',
          table(['step', 'renderer RSS MB (peak for peaks)', 'added MB', 'whose'], stepRows),
          '',
          stepNote,
        ]
      : []),
    '',
    'Photoshop warns plugins near 600 MB; the UXP panel runs the same pipeline and onnxruntime-web WASM build, so the browser figures are the closest stand-in measured here.',
  ].join('\n');
};
