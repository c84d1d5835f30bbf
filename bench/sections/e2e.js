'use strict';
/**
 * @file Section 2: whole pages end to end (decode -> mask -> model calls -> composite -> encode):
 * DeepCreamPy's sample page and 20 evaluation pages through the CLI, and the sample page
 * through the browser harness in headless Chromium (WASM).
 */
const fs = require('fs');
const path = require('path');
const { SHARED, ROOT, table, fmt } = require('../lib/util');
const measure = require('../lib/measure');
const pages = require('../lib/pages');
const build = require('../lib/build');

const MERMAID = path.join(SHARED, 'data', 'deepcreampy', 'mermaid_censored.png');

/** Model calls the pipeline makes on a page: context boxes of its green mask. */
async function boxesOf(ctx, file) {
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  if (!model || build.bench()) return null;
  const p = require(path.join(ROOT, 'dist', 'bench', 'pipeline-node.js'));
  const { data, info } = await require('sharp')(file, { limitInputPixels: false }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const mask = p.greenMask({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length), maxValue: 255 });
  const boxes = p.contextBoxes(mask, { minSide: model.info.input.size, scale: 1.5 });
  return { holePixels: p.maskCount(mask), boxes, sides: boxes.map((b) => Math.max(b.right - b.left, b.bottom - b.top)) };
}

/** Splits a CLI run on one page into codec (measured alone), model (from section 1) and the rest. */
function cliBreakdown(ctx, c, codec, bx) {
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  if (!model || !bx || codec.skipped) return null;
  const maxSide = model.info.input.maxSide;
  const side = Math.min(maxSide, Math.max(...bx.sides));
  const S = [256, 512, 1024].reduce((a, b) => (Math.abs(b - side) < Math.abs(a - side) ? b : a));
  const lat = ctx.data.latency?.[`${model.info.name}/native/${S}`];
  const total = c.medianMs / 1000;
  const codecS = (codec.decodeMs + codec.encodeMs) / 1000;
  const parts = [`decode ${fmt(codec.decodeMs / 1000)} s + PNG encode ${fmt(codec.encodeMs / 1000)} s (sharp alone, same options)`];
  let modelS = NaN;
  if (lat) {
    modelS = (lat.createMs + lat.firstMs + (bx.boxes.length - 1) * lat.warmMedianMs) / 1000;
    parts.push(
      `model ≈ ${fmt(modelS)} s (section 1 at ${S}²: session ${fmt(lat.createMs / 1000)} s + first call ${fmt(lat.firstMs / 1000)} s` +
        (bx.boxes.length > 1 ? ` + ${bx.boxes.length - 1} × ${fmt(lat.warmMedianMs / 1000)} s` : '') + ')',
    );
  }
  const rest = total - codecS - (Number.isNaN(modelS) ? 0 : modelS);
  parts.push(`the rest ≈ ${fmt(rest)} s (Node start, sha256 of the model, green mask, resampling, composite)`);
  return { text: `of ${fmt(total)} s: ${parts.join('; ')}`, codecS, modelS, rest, total };
}

module.exports = async function e2e(ctx) {
  if (!ctx.models.length) return ctx.skip('2. End to end', 'no model'), 'Skipped: no model.';
  const lines = [];
  const rows = [];
  const reps = ctx.quick ? 1 : 3;
  const notes = [];
  if (!fs.existsSync(MERMAID)) {
    ctx.skip('2. DeepCreamPy sample page', `${MERMAID} is missing`);
  } else {
    const meta = await require('sharp')(MERMAID).metadata();
    const mp = (meta.width * meta.height) / 1e6;
    const bx = await boxesOf(ctx, MERMAID);
    ctx.data.mermaidBoxes = bx;
    if (bx) {
      lines.push(
        `DeepCreamPy's sample page: ${meta.width}×${meta.height} (${fmt(mp, 2)} MP), ${bx.holePixels.toLocaleString('en-US')} green pixels ` +
          `(${fmt((100 * bx.holePixels) / (meta.width * meta.height), 2)} % of the page) in ${bx.boxes.length} context box${bx.boxes.length === 1 ? '' : 'es'} = ${bx.boxes.length} model call${bx.boxes.length === 1 ? '' : 's'} ` +
          `(box sides ${bx.sides.join(', ')} px; boxes above the model's maxSide are downscaled to it).`,
        '',
      );
    }
    const c = await measure.cli(ctx, 'mermaid', [MERMAID], reps);
    if (c.skipped) ctx.skip('2. CLI on the sample page', c.skipped);
    else {
      rows.push([`CLI (\`node dist/cli.js\`), median of ${reps}`, 'DeepCreamPy sample', '1', fmt(mp, 2), c.medianMs / 1000, `${fmt(Math.min(...c.wallMs) / 1000)}–${fmt(Math.max(...c.wallMs) / 1000)}`, mp / (c.medianMs / 1000)]);
      notes.push(`CLI's own line: \`${c.stdout}\``);
    }
    const bd = c.skipped ? null : cliBreakdown(ctx, c, await measure.codec(ctx, 'mermaid', MERMAID), bx);
    if (bd) notes.push(`CLI time on the sample page, ${bd.text}.`);
    ctx.target('DeepCreamPy sample page, CLI end to end (process start to exit, model load included)', 3, c.skipped ? NaN : c.medianMs / 1000, 's',
      bd
        ? `parts: ${Number.isNaN(bd.modelS) ? '' : `model ${fmt(bd.modelS)} s, `}codec ${fmt(bd.codecS)} s, rest ${fmt(bd.rest)} s — a smaller/faster model (fewer channels, or int8), and a lower PNG compression level or writing only the filled region`
        : 'see section 2');
    const sp = await measure.standalone(ctx, 'mermaid', MERMAID);
    if (sp.skipped) ctx.skip('2. Browser page (standalone) on the sample page', sp.skipped);
    else {
      const first = (sp.openMs + sp.firstMs) / 1000;
      rows.push(['**browser page** (dist/photopea standalone), open + first Inpaint (model load included)', 'DeepCreamPy sample', '1', fmt(mp, 2), first, '', mp / first]);
      rows.push(['browser page, a second Inpaint (model loaded)', 'DeepCreamPy sample', '1', fmt(mp, 2), sp.warmMs / 1000, '', mp / (sp.warmMs / 1000)]);
      notes.push(
        `Browser page: the production page (src/web, built to dist/bench/photopea) driven as a user: file input → "Green paint" → "Inpaint selection" until the result shows; ` +
          `open (decode + display) ${fmt(sp.openMs / 1000)} s, first Inpaint ${fmt(sp.firstMs / 1000)} s (lazy model load + job), second ${fmt(sp.warmMs / 1000)} s; ` +
          `onnxruntime-web ${sp.backend}, page defaults (grow ${sp.grow} px); the page said "${sp.status}".`,
      );
    }
    ctx.target('DeepCreamPy sample page, browser page end to end (open + first Inpaint, model load included)', 10, sp.skipped ? NaN : (sp.openMs + sp.firstMs) / 1000, 's',
      sp.skipped
        ? ''
        : `open ${fmt(sp.openMs / 1000)} s + first Inpaint ${fmt(sp.firstMs / 1000)} s, of which a second Inpaint needs ${fmt(sp.warmMs / 1000)} s: load and warm the model (one dummy call at its size) while the page opens, ` +
            'use 2 WASM threads where the page can be cross-origin isolated (standalone), and a smaller model');
    const b = await measure.page(ctx, 'mermaid', MERMAID, ctx.quick ? 2 : 3);
    if (b.skipped) ctx.skip('2. Browser harness on the sample page', b.skipped);
    else {
      rows.push(['browser harness (same code path, no UI), model load + first page', 'DeepCreamPy sample', '1', fmt(mp, 2), (b.loadMs + b.firstMs) / 1000, '', mp / ((b.loadMs + b.firstMs) / 1000)]);
      if (b.runs.length > 1) rows.push([`browser harness, later pages (median of ${b.runs.length - 1})`, 'DeepCreamPy sample', '1', fmt(mp, 2), b.warmMs / 1000, '', mp / (b.warmMs / 1000)]);
      const t0 = b.runs[0].t;
      const t = b.runs[b.runs.length - 1].t;
      notes.push(
        `Browser harness (${b.browserVersion}, onnxruntime-web ${b.backend}, 1 thread: not cross-origin isolated, as inside Photopea's iframe): model fetch + session ${fmt(b.loadMs / 1000)} s; ` +
          `first page: decode ${fmt(t0.decode)} ms, job ${fmt(t0.job)} ms, encode ${fmt(t0.encode)} ms; ` +
          `last page: decode (createImageBitmap + getImageData) ${fmt(t.decode)} ms, job (green mask → model calls → composite → layer) ${fmt(t.job)} ms, encode (OffscreenCanvas PNG) ${fmt(t.encode)} ms.`,
      );
    }
  }

  const ev = await pages.evalPages(ctx.quick ? 5 : 20);
  if (!ev) ctx.skip('2. evaluation pages', 'the evaluation cases under ../shared/data/eval are missing');
  else {
    const c = await measure.cli(ctx, `pages${ev.files.length}`, [ev.dir], 1);
    if (c.skipped) ctx.skip('2. CLI on the evaluation pages', c.skipped);
    else {
      const s = c.medianMs / 1000;
      rows.push([`CLI, one call on the folder`, `${ev.files.length} OpenMantra pages, one evaluation hole each`, String(ev.files.length), fmt(ev.megapixels, 1), s / ev.files.length, '', ev.megapixels / s]);
      notes.push(`CLI on the folder: \`${c.stdout}\` (${ev.holePixels.toLocaleString('en-US')} hole pixels in all; cases ${ev.cases.join(', ')}).`);
    }
  }
  lines.push(
    table(['path', 'input', 'pages', 'MP per page', 's per page', 'range s', 'MP/s'], rows),
    '',
    'Times are wall-clock. The CLI rows are whole processes (Node start, model load with sha256 check, decode with sharp, green mask, model calls, composite, PNG encode); ' +
      'the folder row divides one process by the number of pages, so the model load is shared. The browser page rows are the real page as a user drives it (the result is shown, not encoded); ' +
      'the harness rows run the same code path (src/jobs inpaintDocument over a one-document host, src/inference/web.ts) without UI in a bare page (dist/bench/web), to split the time — see bench/README.md.',
    '',
    ...notes.map((n) => `- ${n}`),
  );
  return lines.join('\n');
};
