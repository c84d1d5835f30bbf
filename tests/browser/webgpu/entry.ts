/**
 * Test page for tests/browser/webgpu.test.ts, bundled by webpack.config.js: runs each shipped model
 * through src/inference/web.ts (the pages' own loader) on WebGPU and on WASM with the same
 * deterministic input and reports how far the outputs are apart.
 */
import { chooseModel, parseManifest } from '../../../src/inference/manifest';
import { webRuntime } from '../../../src/inference/web';
import { webGpuUnavailable } from '../../../src/inference/web-core';

interface Comparison {
  readonly model: string;
  readonly side: number;
  readonly backends: readonly string[];
  readonly maxAbs: number;
  readonly meanAbs: number;
  readonly gpuMs: number;
  readonly wasmMs: number;
}

/** A page-like input: smooth gradients, stripes, a disc; a square hole in the middle. */
function input(side: number): { image: Float32Array; mask: Float32Array } {
  const n = side * side;
  const image = new Float32Array(3 * n);
  const mask = new Float32Array(n).fill(1);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      const disc = (x - side * 0.3) ** 2 + (y - side * 0.4) ** 2 < (side * 0.2) ** 2;
      const stripe = Math.floor(x / 6) % 2 === 0 && y > side * 0.7;
      image[i] = disc ? 0.85 : 0.2 + 0.6 * (x / side) * (stripe ? 0.5 : 1);
      image[n + i] = disc ? 0.55 : 0.35 + 0.4 * (y / side);
      image[2 * n + i] = disc ? 0.25 : 0.7 - 0.3 * (x / side);
      if (Math.abs(x - side / 2) < side / 6 && Math.abs(y - side / 2) < side / 6) {
        mask[i] = 0;
        image[i] = image[n + i] = image[2 * n + i] = 0;
      }
    }
  }
  return { image, mask };
}

async function compare(manifestUrl: string, ortUrl: string, side: number): Promise<{ skip: string } | { results: Comparison[] }> {
  const why = await webGpuUnavailable();
  if (why) return { skip: why };
  const manifest = parseManifest(await (await fetch(manifestUrl)).text(), manifestUrl);
  const gpu = await webRuntime(['webgpu']);
  const wasm = await webRuntime(['wasm']);
  const results: Comparison[] = [];
  for (const name of manifest.models.map((m) => m.name)) {
    const info = chooseModel(manifest, name);
    const bytes = new Uint8Array(await (await fetch(new URL(info.file, manifestUrl).href)).arrayBuffer());
    const a = await gpu.load(info, bytes, { wasmPaths: ortUrl });
    const b = await wasm.load(info, bytes, { wasmPaths: ortUrl });
    const { image, mask } = input(side);
    let t = performance.now();
    const outA = await a.run(image, mask, side, side);
    const gpuMs = performance.now() - t;
    t = performance.now();
    const outB = await b.run(image, mask, side, side);
    const wasmMs = performance.now() - t;
    let maxAbs = 0;
    let sum = 0;
    for (let i = 0; i < outA.length; i++) {
      const d = Math.abs(outA[i] - outB[i]);
      if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
      sum += d;
    }
    results.push({ model: info.name, side, backends: [a.backend, b.backend], maxAbs, meanAbs: sum / outA.length, gpuMs, wasmMs });
    await a.dispose();
    await b.dispose();
  }
  return { results };
}

(window as unknown as { compareBackends: typeof compare }).compareBackends = compare;
