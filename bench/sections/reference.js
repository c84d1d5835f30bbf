'use strict';
/**
 * @file Section 6: reference points measured in the same run — OpenCV's Telea through
 * @techstark/opencv-js on the same regions (the classical speed floor; its quality is in
 * section 5 as opencv-telea) — and DeepCreamPy's published speed.
 */
const fs = require('fs');
const path = require('path');
const { SHARED, ROOT, table, fmt, runNode, pkgVersion } = require('../lib/util');
const build = require('../lib/build');
const pages = require('../lib/pages');

const MERMAID = path.join(SHARED, 'data', 'deepcreampy', 'mermaid_censored.png');

module.exports = async function reference(ctx) {
  const out = [];
  const cvv = pkgVersion('@techstark/opencv-js');
  const why = cvv === 'not installed' ? '@techstark/opencv-js is not installed (npm install)' : build.bench();
  const model = ctx.models.find((m) => m.info.kind === 'bar');
  const minSide = model ? model.info.input.size : 256;
  if (why) ctx.skip('6. OpenCV Telea', why);
  else {
    const rows = [];
    const runs = [];
    if (fs.existsSync(MERMAID)) runs.push({ label: 'DeepCreamPy sample', files: [MERMAID], whole: true, key: 'mermaid' });
    const ev = await pages.evalPages(ctx.quick ? 5 : 20);
    if (ev) runs.push({ label: `${ev.files.length} evaluation pages`, files: ev.files, whole: true, key: `pages${ev.files.length}` });
    const syn = await pages.syntheticPage(8000);
    runs.push({ label: 'synthetic 8000×8000, ten holes', files: [syn.file], whole: false, key: 'synthetic8000' });
    for (const r of runs) {
      const res = await runNode(path.join(ROOT, 'bench', 'lib', 'telea-child.js'), [JSON.stringify({ files: r.files, minSide, radius: 5, wholePage: r.whole })]);
      if (res.code !== 0) {
        ctx.skip(`6. OpenCV Telea, ${r.label}`, res.stderr.trim().split('\n').pop().slice(0, 200));
        continue;
      }
      const j = JSON.parse(res.stdout.trim().split('\n').pop());
      const n = j.pages.length;
      const sum = (k) => j.pages.reduce((a, p) => a + (p[k] ?? 0), 0);
      ctx.data.telea = ctx.data.telea || {};
      ctx.data.telea[r.key] = j;
      const ours = ctx.data.cli?.[r.key];
      rows.push([
        r.label,
        String(n),
        String(sum('boxes')),
        r.whole ? sum('pageMs') / n / 1000 : 'not run',
        sum('boxesMs') / n / 1000,
        ours && !ours.skipped ? ours.medianMs / n / 1000 : 'n/a',
        j.peakRssMB,
      ]);
    }
    out.push(
      `OpenCV ${cvv.replace(/-.*/, '')} Telea (radius 5, as in eval_cases.py) compiled to WASM (@techstark/opencv-js ${cvv}, Node, 1 thread) on the same holes as the pipeline ` +
        `(its greenMask), timed on the whole page and on the pipeline's context boxes (crop, inpaint, paste the hole pixels back). Decode is not timed; OpenCV.js load took ` +
        `about ${fmt(((ctx.data.telea && Object.values(ctx.data.telea)[0]?.loadMs) || NaN) / 1000)} s once. "ours" is the CLI's whole process per page from section 2/3 (model load, decode and encode included).`,
      '',
      table(['pages', 'n', 'boxes', 'Telea whole page s/page', 'Telea on the boxes s/page', 'ours (CLI) s/page', 'Telea process peak RSS MB'], rows),
      '',
      'Quality of the same classical floor: the opencv-telea and opencv-ns rows of section 5 (OpenCV through Python on the same cases).',
    );
  }
  const c = ctx.data.cli?.mermaid;
  out.push(
    '',
    `**DeepCreamPy** (the desktop tool we follow, TensorFlow): its usage guide says a run "takes a few minutes per image" (\`deeppomf/DeepCreamPy docs/USAGE.md\`; published, not measured here). ` +
      (c && !c.skipped
        ? `Our CLI did DeepCreamPy's own sample page in ${fmt(c.medianMs / 1000)} s, i.e. ${fmt(120 / (c.medianMs / 1000), 0)}× to ${fmt(300 / (c.medianMs / 1000), 0)}× faster if "a few minutes" is read as 2 to 5 minutes.`
        : 'Our CLI time on its sample page was not measured in this run.'),
  );
  return out.join('\n');
};
