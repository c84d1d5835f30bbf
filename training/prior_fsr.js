#!/usr/bin/env node
/**
 * Adds the classical fill to the shards of training/prior_data.py: for every sample, the hole
 * filled by src/core/fsr.ts fsrFillBox (the function the pipeline runs before the network; grey
 * samples on one plane, as the pipeline does for grey boxes). Writes shard_k.prior beside
 * shard_k.img; shards that already have one are skipped. Needs dist/bench/pipeline-node.js
 * (npx webpack --config build/webpack.bench.js --config-name bench-node).
 *   node training/prior_fsr.js DIR [--bundle FILE]
 */
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node training/prior_fsr.js DIR [--bundle FILE]');
  process.exit(2);
}
const bi = process.argv.indexOf('--bundle');
const bundle = bi > 0 ? process.argv[bi + 1] : path.join(__dirname, '..', 'dist', 'bench', 'pipeline-node.js');
const { fsrFillBox } = require(path.resolve(bundle));

for (const f of fs.readdirSync(dir).filter((x) => /^shard_\d+\.json$/.test(x)).sort()) {
  const base = path.join(dir, f.replace(/\.json$/, ''));
  if (fs.existsSync(base + '.prior')) continue;
  const meta = JSON.parse(fs.readFileSync(base + '.json', 'utf8'));
  const S = meta.size;
  const imgs = fs.readFileSync(base + '.img');
  const masks = fs.readFileSync(base + '.mask');
  const out = Buffer.alloc(imgs.length);
  const t0 = Date.now();
  for (let i = 0; i < meta.n; i++) {
    const data = new Uint8Array(imgs.subarray(i * S * S * 3, (i + 1) * S * S * 3));
    const known = masks.subarray(i * S * S, (i + 1) * S * S);
    const hole = new Uint8Array(S * S);
    for (let j = 0; j < S * S; j++) hole[j] = known[j] ? 0 : 1;
    const raster = { width: S, height: S, channels: 3, data, maxValue: 255 };
    fsrFillBox(raster, { left: 0, top: 0, right: S, bottom: S }, hole, { width: S, height: S, data: hole }, !!meta.grey[i]);
    out.set(data, i * S * S * 3);
  }
  fs.writeFileSync(base + '.prior.tmp', out);
  fs.renameSync(base + '.prior.tmp', base + '.prior');
  console.log(`${base}.prior: ${meta.n} samples in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
