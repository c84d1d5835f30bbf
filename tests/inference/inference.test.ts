/**
 * Inference on the committed tiny random-weight fixture with the real onnxruntime-node.
 */
import './realm';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseModel, parseManifest, sha256Hex, verifySha256 } from '../../src/inference/manifest';
import { loadNodeModel } from '../../src/inference/node';
import { sessionRunner, type OrtLikeSession } from '../../src/inference/runner';
import type { ModelInfo } from '../../src/inference/types';
import { inpaint } from '../../src/pipeline';
import type { InpaintError, Raster } from '../../src/core/types';

const FIX = path.join(__dirname, '..', 'fixtures');
const MANIFEST = path.join(FIX, 'models.json');

describe('manifest', () => {
  const good = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  it('parses the fixture manifest and chooses by name, file and kind', () => {
    const m = parseManifest(JSON.stringify(good));
    expect(m.models.map((x) => x.kind)).toEqual(['bar', 'mosaic', 'colorize']);
    expect(chooseModel(m).name).toBe('tiny-pconv');
    expect(chooseModel(m, undefined, 'colorize').name).toBe('tiny-colorize');
    // with no name and no kind, a colorize model listed first is not taken for a fill
    const first = parseManifest(JSON.stringify({ models: [good.models[2], good.models[0], good.models[1]] }));
    expect(chooseModel(first).name).toBe('tiny-pconv');
    expect(chooseModel(m, undefined, 'mosaic').name).toBe('tiny-pconv-mosaic');
    expect(chooseModel(m, 'tiny-pconv-mosaic.onnx').kind).toBe('mosaic');
    expect(chooseModel(m, '/some/where/tiny-pconv.onnx').name).toBe('tiny-pconv');
    expect(() => chooseModel(m, 'tiny-pconv', 'mosaic')).toThrow(/not a "mosaic" model/);
    expect(() => chooseModel(m, 'nope')).toThrow(/no model "nope".*tiny-pconv \(bar/);
  });
  it('refuses broken manifests with the field at fault', () => {
    const bad = (patch: (m: any) => void) => {
      const m = JSON.parse(JSON.stringify(good));
      patch(m);
      return () => parseManifest(JSON.stringify(m), 'x.json');
    };
    expect(() => parseManifest('{', 'x.json')).toThrow(/x.json: is not valid JSON/);
    expect(() => parseManifest('{"models": []}')).toThrow(/lists no models/);
    expect(bad((m) => (m.models[0].kind = 'blur'))).toThrow(/models\[0\] \(tiny-pconv\): "kind" must be one of bar, mosaic, colorize/);
    expect(bad((m) => (m.models[0].sha256 = 'abc'))).toThrow(/"sha256" must be 64 hex digits/);
    expect(bad((m) => (m.models[1].input.multiple = 0))).toThrow(/input.multiple/);
    expect(bad((m) => (m.models[0].file = '../evil.onnx'))).toThrow(/plain path/);
    expect(bad((m) => (m.models[1].name = 'tiny-pconv'))).toThrow(/appears twice/);
    expect(bad((m) => (m.models[1].input.mosaic = 'blocky'))).toThrow(/models\[1\] \(tiny-pconv-mosaic\): "input.mosaic" must be one of raw, block-prior, got "blocky"/);
    expect(bad((m) => (m.models[1].input.mosaic = 3))).toThrow(/"input.mosaic" must be one of raw, block-prior, got 3/);
    expect(bad((m) => (m.models[0].input.mosaic = 'block-prior'))).toThrow(/models\[0\] \(tiny-pconv\): "input.mosaic" is "block-prior" but the model is a "bar" model/);
  });
  it('reads input.mosaic: absent stays absent (raw), raw and block-prior are kept', () => {
    const m = parseManifest(JSON.stringify(good));
    expect(m.models.map((x) => x.input.mosaic)).toEqual([undefined, undefined, undefined]);
    for (const v of ['raw', 'block-prior'] as const) {
      const j = JSON.parse(JSON.stringify(good));
      j.models[1].input.mosaic = v;
      expect(parseManifest(JSON.stringify(j)).models[1]!.input.mosaic).toBe(v);
    }
  });
  it('reads input.prior: only "classical", only on bar models', () => {
    expect(parseManifest(JSON.stringify(good)).models[0]!.input.prior).toBeUndefined();
    const j = JSON.parse(JSON.stringify(good));
    j.models[0].input.prior = 'classical';
    expect(parseManifest(JSON.stringify(j)).models[0]!.input.prior).toBe('classical');
    const bad = (patch: (m: any) => void) => {
      const m = JSON.parse(JSON.stringify(good));
      patch(m);
      return () => parseManifest(JSON.stringify(m), 'x.json');
    };
    expect(bad((m) => (m.models[0].input.prior = 'fsr'))).toThrow(/models\[0\] \(tiny-pconv\): "input.prior" must be "classical", got "fsr"/);
    expect(bad((m) => (m.models[1].input.prior = 'classical'))).toThrow(/"input.prior" is given but the model is a "mosaic" model/);
  });
});

describe('sha256', () => {
  it('hashes like the manifest and refuses a mismatch naming file, expected and actual', () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(FIX, 'tiny-pconv.onnx')));
    const info = chooseModel(parseManifest(fs.readFileSync(MANIFEST, 'utf8')));
    expect(sha256Hex(bytes)).toBe(info.sha256);
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(() => verifySha256(bytes, info.sha256, 'tiny-pconv.onnx')).not.toThrow();
    const damaged = bytes.slice();
    damaged[100] ^= 1;
    let msg = '';
    try { verifySha256(damaged, info.sha256, 'tiny-pconv.onnx'); } catch (e) { msg = (e as Error).message; }
    expect(msg).toContain('tiny-pconv.onnx');
    expect(msg).toContain(info.sha256);
    expect(msg).toContain(sha256Hex(damaged));
  });

  it('loadNodeModel refuses a damaged model file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inf-'));
    fs.copyFileSync(MANIFEST, path.join(dir, 'models.json'));
    const b = fs.readFileSync(path.join(FIX, 'tiny-pconv.onnx'));
    b[b.length - 1] ^= 0xff;
    fs.writeFileSync(path.join(dir, 'tiny-pconv.onnx'), b);
    await expect(loadNodeModel(path.join(dir, 'models.json'))).rejects.toMatchObject({ code: 'model', message: expect.stringMatching(/tiny-pconv.onnx.*sha256 is [0-9a-f]{64}, expected a356/) });
    await expect(loadNodeModel(path.join(dir, 'models.json'), 'tiny-pconv-mosaic')).rejects.toThrow(/cannot read model file .*tiny-pconv-mosaic.onnx/);
    await expect(loadNodeModel(path.join(dir, 'nope.json'))).rejects.toThrow(/cannot read the model manifest/);
  });
});

/**
 * The one-at-a-time queue every runner (node.ts, web-core.ts) gets from sessionRunner, against a
 * session double whose run() takes a timer's time: a real session is too quick, and its own
 * concurrency invisible, to tell serial calls from overlapping ones.
 */
describe('sessionRunner: overlapping run() calls execute one at a time', () => {
  const info: ModelInfo = {
    name: 'double', file: 'double.onnx', kind: 'bar', sha256: '0'.repeat(64), licence: 'test',
    input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 8, maxSide: 16, multiple: 8 },
  };
  const w = 16, h = 8;
  /** Call `id` is told by its image (every value id / 100); it takes `delays[id]` ms and throws for the ids in `fail`. */
  function sessionDouble(delays: number[], fail: number[] = []) {
    const log: string[] = [];
    const st = { inFlight: 0, maxInFlight: 0 };
    const session: OrtLikeSession = {
      inputNames: ['mask', 'image'],
      outputNames: ['output'],
      async run(feeds) {
        const id = Math.round((feeds.image as { data: Float32Array }).data[0]! * 100);
        st.inFlight++;
        st.maxInFlight = Math.max(st.maxInFlight, st.inFlight);
        log.push(`start ${id}`);
        await new Promise((r) => setTimeout(r, delays[id]));
        log.push(`end ${id}`);
        st.inFlight--;
        if (fail.includes(id)) throw new Error(`session failure ${id}`);
        return { output: { data: new Float32Array(3 * w * h).fill(id / 100), dims: [1, 3, h, w] } };
      },
      async release() {
        log.push(`release, ${st.inFlight} in flight`);
      },
    };
    return { session, log, st };
  }
  const input = (id: number, width = w) => [new Float32Array(3 * width * h).fill(id / 100), new Float32Array(width * h).fill(1), width, h] as const;

  it('at most one call in flight, all complete in call order, a failing call does not block the next', async () => {
    // later calls are quicker: run concurrently they would overlap and finish in reverse order
    const { session, log, st } = sessionDouble([60, 50, 40, 30, 20, 10], [2]);
    const r = sessionRunner(info, 'double', session, (data, dims) => ({ data, dims }));
    const settled: string[] = [];
    // six calls issued without awaiting: 2 fails in the session, 3 is refused before it (12 px wide)
    const calls = [0, 1, 2, 3, 4, 5].map((id) => {
      const p = id === 3 ? r.run(...input(id, 12)) : r.run(...input(id));
      p.then(() => settled.push(`${id} ok`), (e) => settled.push(`${id} ${(e as InpaintError).code}`));
      return p;
    });
    const res = await Promise.allSettled(calls);
    expect(st.maxInFlight).toBe(1);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 4', 'end 4', 'start 5', 'end 5']);
    expect(settled).toEqual(['0 ok', '1 ok', '2 model', '3 bad-input', '4 ok', '5 ok']);
    for (const id of [0, 1, 4, 5]) {
      const out = (res[id] as PromiseFulfilledResult<Float32Array>).value;
      expect(out.length).toBe(3 * w * h);
      expect(out.every((v) => v === Math.fround(id / 100))).toBe(true);
    }
    expect((res[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'model', message: expect.stringMatching(/double failed to run on 16x8 \(double\): session failure 2/) });
    expect((res[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/multiple of 8/) });
    // the queue is free again afterwards
    await expect(r.run(...input(1))).resolves.toHaveLength(3 * w * h);
    expect(st.maxInFlight).toBe(1);
  });

  it('dispose waits for the call in flight before releasing the session; later calls are refused', async () => {
    const { session, log } = sessionDouble([30]);
    const r = sessionRunner(info, 'double', session, (data, dims) => ({ data, dims }));
    const p = r.run(...input(0));
    while (!log.includes('start 0')) await new Promise((res) => setImmediate(res));
    const d = r.dispose();
    await expect(p).resolves.toHaveLength(3 * w * h);
    await d;
    expect(log).toEqual(['start 0', 'end 0', 'release, 0 in flight']);
    await expect(r.run(...input(0))).rejects.toMatchObject({ code: 'model', message: expect.stringMatching(/disposed/) });
    await r.dispose();
    expect(log).toHaveLength(3);
  });
});

describe('onnxruntime-node runner', () => {
  // (that overlapping calls run one at a time is checked with a slow session double above)
  it('runs the tiny model: right shape, finite values in [0, 1], deterministic, serialised', async () => {
    const m = await loadNodeModel(MANIFEST);
    expect(m.backend).toBe('native-cpu');
    expect(m.info.name).toBe('tiny-pconv');
    const w = 40, h = 32;
    const img = Float32Array.from({ length: 3 * w * h }, (_, i) => ((i * 7919) % 255) / 255);
    const mask = Float32Array.from({ length: w * h }, (_, i) => (i % w > 10 && i % w < 20 ? 0 : 1));
    const [a, b] = await Promise.all([m.run(img, mask, w, h), m.run(img, mask, w, h)]);
    expect(a.length).toBe(3 * w * h);
    expect(a.every((v) => Number.isFinite(v) && v >= -1e-6 && v <= 1 + 1e-6)).toBe(true);
    expect([...a]).toEqual([...b]);
    await expect(m.run(img, mask, 41, 32)).rejects.toThrow(/multiple of 8/);
    await m.dispose();
    await expect(m.run(img, mask, w, h)).rejects.toThrow(/disposed/);
  });

  it('inpaints through the pipeline with the real model (holes and mosaic)', async () => {
    const bar = await loadNodeModel(MANIFEST, undefined, { kind: 'bar' });
    const mos = await loadNodeModel(MANIFEST, undefined, { kind: 'mosaic' });
    expect(mos.info.kind).toBe('mosaic');
    const w = 150, h = 90;
    const data = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 200 : (i * 31) % 256));
    const img: Raster = { width: w, height: h, channels: 4, data, maxValue: 255 };
    const md = new Uint8Array(w * h);
    for (let y = 20; y < 70; y++) for (let x = 30; x < 130; x++) md[y * w + x] = 1;
    for (const [model, mode] of [[bar, 'holes'], [mos, 'mosaic']] as const) {
      const res = await inpaint(img, { width: w, height: h, data: md }, { model, mode });
      let outside = 0, inside = 0;
      for (let i = 0; i < w * h; i++)
        for (let k = 0; k < 4; k++) {
          const d = res.image.data[i * 4 + k] !== data[i * 4 + k];
          if (d && (!md[i] || k === 3)) outside++;
          if (d && md[i]) inside++;
        }
      expect(outside).toBe(0);
      expect(inside).toBeGreaterThan(0);
    }
    await bar.dispose();
    await mos.dispose();
  });
});
