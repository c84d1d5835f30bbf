#!/usr/bin/env node
// PyTorch vs onnxruntime-node parity: reads the vectors written by training/export.py
// (DIR/meta.json + raw little-endian float32 files), runs the ONNX model, prints the max
// absolute difference per case and exits 1 if any exceeds the tolerance (default 1e-3).
//   node training/parity.js training/runs/parity/<name> [--model FILE] [--tol 1e-3]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function readF32(file) {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

async function main() {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (!dir) {
    console.error('usage: node training/parity.js VECTOR_DIR [--model FILE] [--tol X]');
    process.exit(2);
  }
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const model = opt('--model') || meta.model;
  const tol = Number(opt('--tol') || meta.tolerance || 1e-3);
  const session = await ort.InferenceSession.create(model);
  let worst = 0;
  for (const c of meta.cases) {
    const image = readF32(path.join(dir, `${c.id}_image.bin`));
    const mask = readF32(path.join(dir, `${c.id}_mask.bin`));
    const expected = readF32(path.join(dir, `${c.id}_expected.bin`));
    const out = await session.run({
      image: new ort.Tensor('float32', image, [1, 3, c.h, c.w]),
      mask: new ort.Tensor('float32', mask, [1, 1, c.h, c.w]),
    });
    const got = out.output.data;
    if (got.length !== expected.length) throw new Error(`case ${c.id}: output length ${got.length} != ${expected.length}`);
    let d = 0;
    for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - expected[i]));
    worst = Math.max(worst, d);
    console.log(`case ${c.id} ${c.h}x${c.w}: max abs diff ${d.toExponential(2)}`);
  }
  const ok = worst <= tol;
  console.log(`${ok ? 'PASS' : 'FAIL'}: max abs diff ${worst.toExponential(2)} (tolerance ${tol}) for ${path.basename(model)}`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
