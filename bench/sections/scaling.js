'use strict';
/**
 * @file Section 4: pipeline time against hole area (fixed page) and against page size (fixed
 * hole), in memory (no decode/encode), onnxruntime-node, first bar model of the manifest.
 */
const path = require('path');
const build = require('../lib/build');
const { median, table, runNode, fmt } = require('../lib/util');

module.exports = async function scaling(ctx) {
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  if (!model) return ctx.skip('4. Scaling', 'no bar model in the manifest'), 'Skipped: no bar model.';
  const why = build.bench();
  if (why) return ctx.skip('4. Scaling', why), `Skipped: ${why}`;
  const reps = ctx.quick ? 1 : 3;
  const H = 160; // hole side for the count and page-size series
  const grid = (n, page) => Array.from({ length: n }, (_, i) => [352 + (i % 4) * 1024, 352 + Math.floor(i / 4) * 1024, H, H]).map(([x, y, w, h]) => [Math.min(x, page - w - 1), Math.min(y, page - h - 1), w, h]);
  const byCount = [1, 2, 4, 8, 16].map((n) => ({ series: 'count', n, page: 4096, holes: grid(n, 4096) }));
  const bySide = [64, 128, 256, 512, 1024].map((s) => ({ series: 'side', s, page: 4096, holes: [[2048 - s / 2, 2048 - s / 2, s, s]] }));
  const byPage = [1024, 2048, 4096, 8192].map((W) => ({ series: 'page', page: W, holes: [[W / 2 - H / 2, W / 2 - H / 2, H, H]] }));
  const all = [...byCount, ...bySide, ...byPage];
  const r = await runNode(path.join(__dirname, '..', 'lib', 'scaling-child.js'), [
    JSON.stringify({ manifest: ctx.manifest, model: model.info.name, reps, cases: all.map(({ page, holes }) => ({ page, holes })) }),
  ]);
  if (r.code !== 0) throw new Error(`scaling child failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop());
  res.forEach((x, i) => Object.assign(x, all[i], { ms: median(x.inpaintMs), composeMsMedian: median(x.composeMs) }));
  ctx.data.scaling = res;
  const row = (x) => [`${x.page}²`, fmt(x.page * x.page / 1e6, 1), x.holePixels.toLocaleString('en-US'), fmt((100 * x.holePixels) / (x.page * x.page), 3), String(x.boxes), x.ms, fmt(x.ms / (x.holePixels / 1e4), 1), x.boundsMs, x.boxesMs, x.maskMs, x.composeMsMedian];
  const head = ['page', 'page MP', 'hole px', 'hole % of page', 'model calls', 'inpaint() ms', 'ms per 10k hole px', 'of which: hole bounds (mask scan) ms', 'of which: region search ms', 'greenMask ms (page scan, outside inpaint)', 'whole page composed on request ms (outside inpaint)'];
  const c = res.filter((x) => x.series === 'count');
  const s = res.filter((x) => x.series === 'side');
  const p = res.filter((x) => x.series === 'page');
  const pageFactor = p[p.length - 1].ms / p[0].ms;
  const holeFactor = c[c.length - 1].ms / c[0].ms;
  ctx.target(
    `cost follows the hole: inpaint() time at ${fmt((p[p.length - 1].page / p[0].page) ** 2, 0)}× the page area, same hole (ratio of times)`,
    2,
    pageFactor,
    '×',
    `at ${p[p.length - 1].page}²: hole bounds scan ${fmt(p[p.length - 1].boundsMs)} ms + region search ${fmt(p[p.length - 1].boxesMs)} ms of ${fmt(p[p.length - 1].ms)} ms — ` +
      'the rest is per box; on a loaded machine the ratio moves with the load (rerun alone)',
  );
  return [
    `pipeline \`inpaint()\` (regions → context boxes → model calls → composite) on in-memory RGB rasters, model ${model.info.name} on onnxruntime-node, ` +
      `median of ${reps}; the mask scan (\`greenMask\`, proportional to the page by nature) is timed separately. Inside \`inpaint()\`, the hole's bounds (\`maskBounds\`, a word-at-a-time scan of the mask: the one page-proportional pass left) and the region search inside them (\`contextBoxes\`) are timed alone beside it. \`inpaint()\` fills a sparse working copy of its context boxes (no page copy); the whole filled page is composed only when \`result.image\` is read (one page copy), timed in the last column, outside \`inpaint()\` (the hosts fill in place and never ask for it). No decode/encode here (see section 2 for those).`,
    '',
    `**Against hole area, fixed 4096² page** — ${H}² holes, 1 to 16 of them (${fmt(holeFactor, 1)}× the time for 16× the hole area):`,
    '',
    table(head, c.map(row)),
    '',
    '**Against hole size, fixed 4096² page** — one square hole (boxes larger than the model\'s maxSide are downscaled to it, so one call covers them):',
    '',
    table(head, s.map(row)),
    '',
    `**Against page size, fixed ${H}² hole** (${fmt(pageFactor, 2)}× the time for ${fmt((p[p.length - 1].page / p[0].page) ** 2, 0)}× the page area):`,
    '',
    table(head, p.map(row)),
  ].join('\n');
};
