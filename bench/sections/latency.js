'use strict';
/**
 * @file Section 1: model call latency at 256², 512², 1024² for each shipped model, on
 * onnxruntime-node (CPU) and onnxruntime-web WASM in Node with 1 and 2 threads.
 * Every (model, backend, size) runs in its own fresh process: cold = read + session + first call.
 */
const path = require('path');
const { median, table, runNode, log, fmt } = require('../lib/util');

const BACKENDS = [
  { id: 'native', label: 'onnxruntime-node CPU', backend: 'native', threads: 0 },
  { id: 'native1', label: 'onnxruntime-node CPU, 1 thread', backend: 'native', threads: 1, only512: true },
  { id: 'wasm1', label: 'onnxruntime-web WASM, 1 thread', backend: 'wasm', threads: 1 },
  { id: 'wasm2', label: 'onnxruntime-web WASM, 2 threads', backend: 'wasm', threads: 2 },
];

module.exports = async function latency(ctx) {
  if (!ctx.models.length) {
    ctx.skip('1. Model call latency', 'no model');
    return 'Skipped: no model. **WebGPU: not measured** (no GPU lent to this run).';
  }
  const sizes = [256, 512, 1024];
  const reps = ctx.quick ? 3 : 10;
  const rows = [];
  const data = {};
  const notes = [];
  const primary = ctx.models.find((m) => m.info.kind === 'bar') ?? ctx.models[0];
  for (const m of ctx.models) {
    const mult = m.info.input.multiple || 1;
    // A model with the primary's architecture (same parameter count: the mosaic model is a fine-tune
    // of the bar model's graph) is timed at 512² only unless --all-sizes; its other sizes are the primary's.
    const sameGraph = m !== primary && m.info.params && m.info.params === primary.info.params;
    if (sameGraph && !ctx.allSizes) {
      notes.push(`${m.info.name} has the same architecture as ${primary.info.name} (${m.info.params} parameters, same input contract): timed at 512² only; its 256² and 1024² follow ${primary.info.name}'s rows (\`--all-sizes\` times every size).`);
    }
    for (const b of BACKENDS) {
      if (b.only512 && m !== primary) continue;
      for (const S0 of b.only512 || (sameGraph && !ctx.allSizes) ? [512] : sizes) {
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
    const n1 = data[`${m.info.name}/native1/512`];
    const w = data[`${m.info.name}/wasm1/512`];
    const w2 = data[`${m.info.name}/wasm2/512`];
    ctx.target(
      `512² warm model call, native (${m.info.name})`,
      150,
      n?.warmMedianMs,
      'ms',
      (n1 ? `1 thread: ${fmt(n1.warmMedianMs)} ms (${n1.warmMedianMs < (n?.warmMedianMs ?? 0) ? 'faster than 2 threads: the cores were contended' : 'threads help'}); ` : '') +
        (w ? `WASM 1 thread: ${fmt(w.warmMedianMs)} ms; ` : '') +
        'measure on an idle machine first; then int8 (onnxruntime quantize_static: Conv → QLinearConv) or fewer channels in the first encoder/last decoder layers, which dominate at 512²',
    );
    ctx.target(
      `512² warm model call, WASM 1 thread (${m.info.name})`,
      1500,
      w?.warmMedianMs,
      'ms',
      (w2 ? `2 threads: ${fmt(w2.warmMedianMs)} ms; ` : '') + 'int8 weights or fewer channels; WebGPU where an adapter exists',
    );
  }

  const md = [
    `Median of ${reps} warm calls after one cold call, each (model, backend, size) in a fresh Node process. ` +
      `Cold = read the .onnx + create the session + first call. Input: textured image with a centred hole of 1/4 of the area ` +
      `(partial-convolution cost does not depend on the content). Session options as in src/inference (graphOptimizationLevel 'all'; ` +
      `native: ORT's default intra-op threads = all cores, and 1 thread at 512² for comparison; WASM: onnxruntime-web's Node build, SIMD, proxy off). ` +
      'On a machine shared with other work, multi-threaded runs suffer most (a thread waits for a busy core).',
    '',
    table(['model', 'backend', 'size', 'cold ms', 'warm median ms', 'warm min ms', 'warm max ms', 'process peak RSS MB'], rows),
    '',
    '**WebGPU in headless Chromium: not measured.** No GPU is lent to this session (the machine has 2 CPU cores and no GPU; ' +
      'Chromium runs with --disable-gpu). On a machine with a GPU, run the browser model calls with `backends: [\'webgpu\']` (src/inference/web.ts).',
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
  return md;
};
