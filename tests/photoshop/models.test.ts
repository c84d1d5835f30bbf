/** Model loading inside UXP (src/hosts/photoshop/models.ts) over the fs double, with a recording loader. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { uxpModels, type WebModelLoader } from '../../src/hosts/photoshop/models';
import type { ModelInfo, ModelRunner } from '../../src/inference/types';
import { pluginFs } from './double';

const ROOT = path.join(__dirname, '..', '..');

/** A plugin folder like dist/photoshop: models/ from the fixtures, ort/ from onnxruntime-web. */
function pluginDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-plugin-'));
  fs.mkdirSync(path.join(dir, 'models'));
  fs.mkdirSync(path.join(dir, 'ort'));
  for (const f of ['models.json', 'tiny-pconv.onnx', 'tiny-pconv-mosaic.onnx']) fs.copyFileSync(path.join(ROOT, 'tests/fixtures', f), path.join(dir, 'models', f));
  fs.copyFileSync(path.join(ROOT, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'), path.join(dir, 'ort/ort-wasm-simd-threaded.wasm'));
  return dir;
}

function recorder(fail?: (info: ModelInfo) => Error | null) {
  const calls: { info: ModelInfo; bytes: number; opts: Parameters<WebModelLoader>[2] }[] = [];
  const load: WebModelLoader = async (info, modelBytes, opts) => {
    calls.push({ info, bytes: modelBytes.length, opts });
    const err = fail?.(info);
    if (err) throw err;
    return { info, backend: 'wasm', run: async () => new Float32Array(0), dispose: async () => {} } as ModelRunner;
  };
  return { calls, load };
}

describe('uxpModels', () => {
  test('reads models.json, the model and the ORT wasm from plugin:/ once; WASM backend, one thread', async () => {
    const dir = pluginDir();
    const pfs = pluginFs(dir);
    const rec = recorder();
    const models = uxpModels(pfs, rec.load);
    expect(pfs.reads).toEqual([]); // nothing at creation
    const bar = await models.get('bar');
    expect(bar.info.name).toBe('tiny-pconv');
    await models.get('bar');
    const mosaic = await models.get('mosaic');
    expect(mosaic.info.name).toBe('tiny-pconv-mosaic');
    expect(rec.calls).toHaveLength(2);
    expect(rec.calls[0].bytes).toBe(fs.statSync(path.join(dir, 'models/tiny-pconv.onnx')).size);
    expect(rec.calls[0].opts).toMatchObject({ backends: ['wasm'], numThreads: 1 });
    expect(rec.calls[0].opts.wasmBinary!.length).toBe(fs.statSync(path.join(dir, 'ort/ort-wasm-simd-threaded.wasm')).size);
    expect(pfs.reads.filter((p) => p.endsWith('.wasm'))).toEqual(['plugin:/ort/ort-wasm-simd-threaded.wasm']);
    expect(pfs.reads.filter((p) => p.endsWith('.onnx')).sort()).toEqual(['plugin:/models/tiny-pconv-mosaic.onnx', 'plugin:/models/tiny-pconv.onnx']);
  });

  test('missing model list or model file: a clear error, and the next click retries', async () => {
    const dir = pluginDir();
    fs.renameSync(path.join(dir, 'models/models.json'), path.join(dir, 'models/hidden.json'));
    const models = uxpModels(pluginFs(dir), recorder().load);
    await expect(models.get('bar')).rejects.toThrow(/Cannot read the model list plugin:\/models\/models.json: .*Reinstall the plugin/);
    fs.renameSync(path.join(dir, 'models/hidden.json'), path.join(dir, 'models/models.json'));
    fs.unlinkSync(path.join(dir, 'models/tiny-pconv.onnx'));
    await expect(models.get('bar')).rejects.toThrow(/Cannot read model tiny-pconv \(plugin:\/models\/tiny-pconv.onnx\)/);
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/tiny-pconv.onnx'), path.join(dir, 'models/tiny-pconv.onnx'));
    await expect(models.get('bar')).resolves.toBeDefined();
  });

  test('WebAssembly blocked by the host: the message names the manifest permission', async () => {
    const models = uxpModels(pluginFs(pluginDir()), recorder(() => new Error('WebAssembly.instantiate(): Wasm code generation disallowed by embedder')).load);
    await expect(models.get('bar')).rejects.toThrow(/allowCodeGenerationFromStrings/);
  });
});
