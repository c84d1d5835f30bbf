#!/usr/bin/env node
// Time one model call at SIZE x SIZE with onnxruntime-node (default) or onnxruntime-web's
// WASM backend (--wasm, single thread). Prints min and median over --runs after one warm-up.
//   node training/speed.js models/pconv-bar.onnx [--size 512] [--runs 7] [--wasm] [--threads N]
'use strict';
const fs = require('fs');

async function main() {
  const args = process.argv.slice(2);
  const opt = (n, d) => {
    const i = args.indexOf(n);
    return i >= 0 ? args[i + 1] : d;
  };
  const file = args[0];
  const size = Number(opt('--size', 512));
  const runs = Number(opt('--runs', 7));
  const wasm = args.includes('--wasm');
  const threads = Number(opt('--threads', wasm ? 1 : 0));
  let ort;
  let session;
  if (wasm) {
    ort = require('onnxruntime-web');
    ort.env.wasm.numThreads = threads || 1;
    session = await ort.InferenceSession.create(new Uint8Array(fs.readFileSync(file)), { executionProviders: ['wasm'] });
  } else {
    ort = require('onnxruntime-node');
    const o = threads ? { intraOpNumThreads: threads } : {};
    session = await ort.InferenceSession.create(file, o);
  }
  const n = size * size;
  const image = new Float32Array(3 * n).map(() => Math.random());
  const mask = new Float32Array(n).fill(1);
  for (let y = size / 4; y < size / 2; y++) for (let x = size / 4; x < (3 * size) / 4; x++) mask[y * size + x] = 0;
  const feeds = {
    image: new ort.Tensor('float32', image, [1, 3, size, size]),
    mask: new ort.Tensor('float32', mask, [1, 1, size, size]),
  };
  await session.run(feeds);
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  const kb = Math.round(fs.statSync(file).size / 1024);
  console.log(`${file} ${size}x${size} ${wasm ? 'wasm x' + (threads || 1) : 'node'}: min ${t[0].toFixed(1)} ms, median ${t[Math.floor(t.length / 2)].toFixed(1)} ms (${runs} runs, ${kb} KiB)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
