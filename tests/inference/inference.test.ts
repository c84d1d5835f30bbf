/**
 * Inference on the committed tiny random-weight fixture with the real onnxruntime-node.
 */
import './realm';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseModel, parseManifest, sha256Hex, verifySha256 } from '../../src/inference/manifest';
import { loadNodeModel } from '../../src/inference/node';
import { inpaint } from '../../src/pipeline';
import type { Raster } from '../../src/core/types';

const FIX = path.join(__dirname, '..', 'fixtures');
const MANIFEST = path.join(FIX, 'models.json');

describe('manifest', () => {
  const good = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  it('parses the fixture manifest and chooses by name, file and kind', () => {
    const m = parseManifest(JSON.stringify(good));
    expect(m.models.map((x) => x.kind)).toEqual(['bar', 'mosaic']);
    expect(chooseModel(m).name).toBe('tiny-pconv');
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
    expect(bad((m) => (m.models[0].kind = 'blur'))).toThrow(/models\[0\] \(tiny-pconv\): "kind" must be one of bar, mosaic/);
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
    expect(m.models.map((x) => x.input.mosaic)).toEqual([undefined, undefined]);
    for (const v of ['raw', 'block-prior'] as const) {
      const j = JSON.parse(JSON.stringify(good));
      j.models[1].input.mosaic = v;
      expect(parseManifest(JSON.stringify(j)).models[1]!.input.mosaic).toBe(v);
    }
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

describe('onnxruntime-node runner', () => {
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
