#!/usr/bin/env node
'use strict';
/**
 * @file Green paint on lossy pages (issue 13): on the test files of scripts/make-test-files.js,
 * how many painted pixels each green mask leaves out, how much visible green stays beside the
 * paint, and how many pixels of a colour illustration it takes that were never painted.
 *
 *   node bench/lossy-green.js [DIR]      # DIR: where the test files are made (default bench/out/lossy-green)
 *
 * Compiles src/core/mask.ts and src/core/green-lossy.ts with tsc into DIR/core first.
 */
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const sharp = require('sharp');
const ROOT = path.join(__dirname, '..');
const { makeTestFiles } = require('../scripts/make-test-files');

async function main() {
  const dir = path.resolve(process.argv[2] || path.join(ROOT, 'bench', 'out', 'lossy-green'));
  const core = path.join(dir, 'core');
  cp.execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--outDir', core, '--module', 'commonjs', '--target', 'es2020', '--strict', '--skipLibCheck',
    path.join(ROOT, 'src/core/mask.ts'), path.join(ROOT, 'src/core/green-lossy.ts')], { stdio: 'inherit' });
  const { greenMask, growMask } = require(path.join(core, 'mask.js'));
  const { lossyGreenMask } = require(path.join(core, 'green-lossy.js'));
  const m = await makeTestFiles(path.join(dir, 'files'));
  const rows = [];
  for (const [name, f] of Object.entries(m.files)) {
    if (!f.lossy || f.upright || !/^(manga|colour)/.test(name)) continue;
    const { data, info } = await sharp(f.file).raw().toBuffer({ resolveWithObject: true });
    const r = { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data), maxValue: 255 };
    const n = r.width * r.height;
    const a = f.paint ? new Float32Array(fs.readFileSync(f.file.replace(/[^/]*$/, `${name.split('-')[0]}.paint.bin`)).buffer.slice(0)) : new Float32Array(n);
    // painted: opacity >= 0.5; "near": within 8 px of any paint (where a halo can be)
    const painted = new Uint8Array(n);
    let nPainted = 0;
    for (let i = 0; i < n; i++) if (a[i] >= 0.5) (painted[i] = 1), nPainted++;
    const any = { width: r.width, height: r.height, data: Uint8Array.from(a, (v) => (v > 0 ? 1 : 0)) };
    const near = growMask(any, 8).data;
    const near2 = growMask(any, 2).data;
    const out = (mask) => {
      let left = 0;
      let tint = 0;
      let falseHoles = 0;
      let far = 0;
      for (let i = 0; i < n; i++) {
        if (painted[i] && !mask.data[i]) left++;
        if (mask.data[i] && !any.data[i]) falseHoles++;
        if (mask.data[i] && !near2[i]) far++;
        // visible green left beside the paint on the grey page (it has no green of its own)
        if (name.startsWith('manga') && near[i] && !mask.data[i]) {
          const e = r.data[i * 3 + 1] - Math.max(r.data[i * 3], r.data[i * 3 + 2]);
          if (e >= 32) tint++;
        }
      }
      return { left, tint, falseHoles, far };
    };
    const ex = out(greenMask(r));
    const lo = out(lossyGreenMask(r));
    rows.push([name, nPainted, ex.left, lo.left, name.startsWith('manga') ? `${ex.tint} / ${lo.tint}` : '-', `${ex.falseHoles} / ${lo.falseHoles}`, `${ex.far} / ${lo.far}`]);
  }
  const lines = ['| file | painted px (opacity >= 0.5) | left out: exact + fringe | left out: lossy mask | visible green (excess >= 32) within 8 px, exact / lossy | taken outside the paint, exact / lossy | of those, more than 2 px from it |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
