/**
 * The committed random-weight fixtures (tests/fixtures, made by training/export.py) and the
 * shipped models (models/, when present) honour the ONNX I/O contract of
 * src/inference/types.ts: manifest entries match their files (sha256), inputs "image" /
 * "mask", output "output" in [0, 1], dynamic H and W, known pixels passed through (a model
 * trained with guides: its own values there, exported without compositing).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import type { ModelInfo, ModelManifest } from '../../src/inference/types';

const root = path.resolve(__dirname, '..', '..');

function manifest(dir: string): ModelManifest | null {
  const file = path.join(root, dir, 'models.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ModelManifest) : null;
}

function pattern(h: number, w: number, seed: number): { image: Float32Array; mask: Float32Array } {
  let s = seed >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const image = new Float32Array(3 * h * w).map(() => rand());
  const mask = new Float32Array(h * w).fill(1);
  for (let y = Math.floor(h / 4); y < Math.floor((3 * h) / 4); y++) {
    for (let x = Math.floor(w / 3); x < Math.floor((2 * w) / 3); x++) mask[y * w + x] = 0;
  }
  return { image, mask };
}

async function check(dir: string, info: ModelInfo, sizes: Array<[number, number]>): Promise<void> {
  const file = path.join(root, dir, info.file);
  const bytes = fs.readFileSync(file);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(info.sha256);
  expect(info.input.layout).toBe('NCHW');
  expect(info.input.channels).toBe(3);
  expect(info.input.range).toEqual([0, 1]);
  expect(['bar', 'mosaic', 'colorize']).toContain(info.kind);
  expect(info.input.maxSide % info.input.multiple).toBe(0);
  const session = await ort.InferenceSession.create(file);
  try {
    expect([...session.inputNames].sort()).toEqual(['image', 'mask']);
    expect([...session.outputNames]).toEqual(['output']);
    const run = async (image: Float32Array, mask: Float32Array, h: number, w: number): Promise<Float32Array> => {
      const out = await session.run({
        image: new ort.Tensor('float32', image, [1, 3, h, w]),
        mask: new ort.Tensor('float32', mask, [1, 1, h, w]),
      });
      expect(out.output.dims).toEqual([1, 3, h, w]);
      return out.output.data as Float32Array;
    };
    for (const [h, w] of sizes) {
      const { image, mask } = pattern(h, w, h * 31 + w);
      const data = await run(image, mask, h, w);
      let outOfRange = 0;
      let knownChanged = 0;
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < h * w; i++) {
          const v = data[c * h * w + i];
          if (!(v >= 0 && v <= 1)) outOfRange++;
          if (mask[i] === 1 && Math.abs(v - image[c * h * w + i]) > 1e-6) knownChanged++;
        }
      }
      expect(outOfRange).toBe(0);
      if (info.kind === 'colorize') {
        // colorize: "image" = (Y, hint chroma), "mask" = 1 where a hint is; the output's plane 0 is Y
        // passed through, planes 1-2 the chroma, which follows the hints
        let yChanged = 0;
        for (let i = 0; i < h * w; i++) if (Math.abs(data[i] - image[i]) > 1e-6) yChanged++;
        expect(yChanged).toBe(0);
        const hinted = image.slice();
        for (let i = 0; i < h * w; i++) hinted[h * w + i] = 1 - hinted[h * w + i];
        const data3 = await run(hinted, new Float32Array(h * w).fill(1), h, w);
        const data4 = await run(hinted, new Float32Array(h * w).fill(0), h, w);
        let d = 0;
        for (let i = h * w; i < data3.length; i++) d = Math.max(d, Math.abs(data3[i] - data4[i]));
        expect(d).toBeGreaterThan(1e-4);
        continue;
      }
      // a model trained with guides is exported without compositing: its own values on known pixels
      // (its line under the guide's ink; the pipeline keeps the other known pixels itself)
      if (info.input.guides === 'known-pixels') expect(knownChanged).toBeGreaterThan(0);
      else expect(knownChanged).toBe(0);
      // Bar models never read hole pixels; mosaic models use them as hints, and so do bar models
      // that correct the classical fill (input.prior 'classical': the fill is in the hole pixels).
      const other = image.slice();
      for (let c = 0; c < 3; c++) for (let i = 0; i < h * w; i++) if (mask[i] === 0) other[c * h * w + i] = 1 - other[c * h * w + i];
      const data2 = await run(other, mask, h, w);
      let diff = 0;
      for (let i = 0; i < data.length; i++) diff = Math.max(diff, Math.abs(data[i] - data2[i]));
      if (info.kind === 'bar' && info.input.prior !== 'classical') expect(diff).toBeLessThan(1e-5);
      else expect(diff).toBeGreaterThan(1e-4);
    }
  } finally {
    await session.release();
  }
}

describe('tiny random-weight fixtures', () => {
  const m = manifest('tests/fixtures');
  it('lists a bar, a mosaic and a colorize model', () => {
    expect(m).not.toBeNull();
    const kinds = m!.models.map((x) => x.kind).sort();
    expect(kinds).toEqual(['bar', 'colorize', 'mosaic']);
    for (const x of m!.models) expect(fs.statSync(path.join(root, 'tests/fixtures', x.file)).size).toBeLessThan(200_000);
  });
  for (const info of m?.models ?? []) {
    it(`${info.name} follows the ONNX contract at several sizes`, async () => {
      const k = info.input.multiple;
      await check('tests/fixtures', info, [[k, k], [2 * k, 5 * k], [info.input.size, info.input.size]]);
    });
  }
});

describe('shipped models', () => {
  const m = manifest('models');
  const maybe = m ? it : it.skip;
  maybe('follow the ONNX contract at their training size and a non-square size', async () => {
    for (const info of m!.models) {
      const k = info.input.multiple;
      await check('models', info, [[info.input.size, info.input.size], [k, 2 * k]]);
    }
  });
});
