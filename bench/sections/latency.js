'use strict';
/**
 * @file Section 1: model call latency at 256², 512², 1024² for each shipped model, on
 * onnxruntime-node (CPU) and onnxruntime-web WASM in Node with 1 and 2 threads.
 * Every (model, backend, size) runs in its own fresh process: cold = read + session + first call.
 */
const path = require('path');
const { median, table, runNode, log } = require('../lib/util');

const BACKENDS = [
  { id: 'native', label: 'onnxruntime-node CPU', backend: 'native', threads: 0 },
  { id: 'wasm1', label: 'onnxruntime-web WASM, 1 thread', backend: 'wasm', threads: 1 },
  { id: 'wasm2', label: 'onnxruntime-web WASM, 2 threads', backend: 'wasm', threads: 2 },
];

module.exports = async function latency(ctx) {
  const sizes = [256, 512, 1024];
  const reps = ctx.quick ? 3 : 10;
  const rows = [];
  const data = {};
  const notes = [];
  for (const m of ctx.models) {
    const mult = m.info.input.multiple || 1;
    for (const b of BACKENDS) {
      for (const S0 of sizes) {
        const S = Math.ceil(S0 / mult) * mult;
        log(`latency ${m.info.name} ${b.id} ${S}²`);
        const r = await runNode(path.join(__dirname, '..', 'lib', 'latency-child.js'), [
          JSON.stringify({ backend: b.backend, threads: b.threads, model: m.file, size: S, reps }),
        ]);
        if (r.code !== 0) {
          notes.push(`${m.info.name} ${b.label} ${S}²: failed (${(r.stderr.trim().split('\n').pop() || 'exit ' + r.code).slice(0, 200)})`);
          rows.push([m.info.name, b.label, `${S}²`, 'failed', 'failed', '', '', '']);
          continue;
        }
        const j = JSON.parse(r.stdout.trim().split('\n').pop());
        const warm = median(j.warmMs);
        data[`${m.info.name}/${b.id}/${S0}`] = { ...j, warmMedianMs: warm };
        rows.push([
          m.info.name,
          b.label,
          `${S}²`,
          j.coldMs,
          warm,
          Math.min(...j.warmMs),
          Math.max(...j.warmMs),
          j.peakRssMB,
        ]);
      }
    }
  }
  ctx.data.latency = data;

  // targets: 512² warm <= 150 ms native, <= 1.5 s WASM single-threaded (first = main model)
  for (const m of ctx.models) {
    const n = data[`${m.info.name}/native/512`];
    const w = data[`${m.info.name}/wasm1/512`];
    ctx.target(`512² warm model call, native (${m.info.name})`, 150, n?.warmMedianMs, 'ms');
    ctx.target(`512² warm model call, WASM 1 thread (${m.info.name})`, 1500, w?.warmMedianMs, 'ms');
  }

  const md = [
    `Median of ${reps} warm calls after one cold call, each (model, backend, size) in a fresh Node process. ` +
      `Cold = read the .onnx + create the session + first call. Input: textured image with a centred hole of 1/4 of the area ` +
      `(partial-convolution cost does not depend on the content). Session options as in src/inference (graphOptimizationLevel 'all'; ` +
      `native: ORT's default intra-op threads = all cores; WASM: onnxruntime-web's Node build, SIMD, proxy off).`,
    '',
    table(['model', 'backend', 'size', 'cold ms', 'warm median ms', 'warm min ms', 'warm max ms', 'process peak RSS MB'], rows),
    '',
    '**WebGPU in headless Chromium: not measured.** No GPU is lent to this session (the machine has 2 CPU cores and no GPU; ' +
      'Chromium runs with --disable-gpu). On a machine with a GPU, run the browser model calls with `backends: [\'webgpu\']` (src/inference/web.ts).',
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
  return md;
};
