'use strict';
/**
 * @file One model-call latency measurement in a fresh process (so "cold" really is cold):
 *   node latency-child.js '{"backend":"native"|"wasm","threads":N,"model":PATH,"size":S,"reps":R}'
 * Cold = read the .onnx + create the session + first call. Warm = the next R calls.
 * Session options mirror src/inference/node.ts and src/inference/web-core.ts
 * (graphOptimizationLevel 'all'; native: ORT's default thread count; wasm: numThreads, no proxy).
 * Prints one JSON line: { coldMs, createMs, firstMs, warmMs: [..], peakRssMB }.
 */
const fs = require('fs');

async function main() {
  const a = JSON.parse(process.argv[2]);
  const S = a.size;
  const native = a.backend === 'native';
  const ort = native ? require('onnxruntime-node') : require('onnxruntime-web');
  if (!native) {
    ort.env.wasm.numThreads = a.threads;
    ort.env.wasm.proxy = false;
  }
  // Inputs: a textured image and a mask with a 1/4-area hole in the middle (compute does not
  // depend on the content, but keep it realistic). Built before the clock starts.
  const image = new Float32Array(3 * S * S);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) image[c * S * S + y * S + x] = 0.5 + 0.4 * Math.sin((x * (c + 1)) / 7 + y / 11);
  const mask = new Float32Array(S * S).fill(1);
  for (let y = S / 4; y < (3 * S) / 4; y++) for (let x = S / 4; x < (3 * S) / 4; x++) mask[y * S + x] = 0;

  const t0 = performance.now();
  const bytes = fs.readFileSync(a.model);
  const session = await ort.InferenceSession.create(native ? bytes : new Uint8Array(bytes), {
    executionProviders: [native ? 'cpu' : 'wasm'],
    graphOptimizationLevel: 'all',
    ...(native && a.threads ? { intraOpNumThreads: a.threads } : {}),
  });
  const t1 = performance.now();
  const feeds = () => ({
    image: new ort.Tensor('float32', image, [1, 3, S, S]),
    mask: new ort.Tensor('float32', mask, [1, 1, S, S]),
  });
  let out = await session.run(feeds());
  if (out.output.data.length !== 3 * S * S) throw new Error(`output has ${out.output.data.length} values`);
  const t2 = performance.now();
  const warmMs = [];
  for (let i = 0; i < a.reps; i++) {
    const t = performance.now();
    out = await session.run(feeds());
    warmMs.push(performance.now() - t);
  }
  await session.release();
  process.stdout.write(
    JSON.stringify({ coldMs: t2 - t0, createMs: t1 - t0, firstMs: t2 - t1, warmMs, peakRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n',
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  },
);
