/**
 * The BUILT UXP plugin (same webpack config as dist/photoshop, with the tiny fixture model) loads and
 * runs inference in a sandbox without Worker / SharedArrayBuffer / fetch / process, with
 * require('photoshop' | 'uxp' | 'fs') served by the double: the bundle makes no call UXP cannot serve.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PanelController } from '../../src/ui/controller';
import { ABSENT, NOT_ASSUMED, createUxpSandbox, type UxpSandbox } from './sandbox';
import { BitsPerChannelType, DocumentMode } from './double';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(os.tmpdir(), 'inpaint-uxp-bundle-test');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

/** Builds once; reuses the folder while it is newer than every input. */
function build(): void {
  const inputs = ['src', 'manifest.json', 'icons', 'build/webpack.photoshop.js', 'tests/fixtures', 'package-lock.json'].map((p) => path.join(ROOT, p));
  const bundle = path.join(OUT, 'index.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs > Math.max(...inputs.map(newestMtime))) return;
  const cli = require.resolve('webpack-cli/bin/cli.js', { paths: [ROOT] });
  execFileSync(process.execPath, [cli, '--mode', 'production', '--env', 'target=photoshop', '--env', 'models=tests/fixtures', '--env', `out=${OUT}`], { cwd: ROOT, stdio: 'pipe' });
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface PanelHandlers {
  create(node?: unknown): void;
  show(node?: unknown): void;
  destroy(): void;
  menuItems: { id: string; label: string }[];
  invokeMenu(id: string): void;
}

describe('built UXP bundle in a UXP-like sandbox', () => {
  let sb: UxpSandbox;
  let panel: PanelHandlers;
  let controller: () => PanelController;

  beforeAll(() => {
    build();
    sb = createUxpSandbox(OUT);
  }, 120000);

  test('the plugin folder has manifest.json at its root, index.html, the bundle, icons, the ORT wasm and the model', () => {
    for (const f of ['manifest.json', 'index.html', 'index.js', 'ort/ort-wasm-simd-threaded.wasm', 'models/models.json', 'models/tiny-pconv.onnx', 'icons/dark-panel@1x.png', 'icons/light-panel@2x.png', 'icons/plugin@2x.png']) {
      expect(fs.existsSync(path.join(OUT, f))).toBe(true);
    }
    expect(fs.readFileSync(path.join(OUT, 'index.html'), 'utf8')).toMatch(/<script src="?index\.js"?>/);
    expect(fs.readdirSync(OUT).filter((f) => f.endsWith('.js'))).toEqual(['index.js']); // one chunk
    // ASCII only, so the script reads the same whatever encoding UXP assumes
    expect(/[^\x00-\x7f]/.test(fs.readFileSync(path.join(OUT, 'index.js'), 'latin1'))).toBe(false);
  });

  test('the sandbox really lacks what UXP lacks', () => {
    for (const g of [...ABSENT, ...NOT_ASSUMED]) expect([g, sb.evaluate(`typeof globalThis.${g}`)]).toEqual([g, 'undefined']);
    expect(() => sb.evaluate('new Function("return 1")')).toThrow(/Code generation from strings disallowed/);
  });

  test('loading registers the panel and does no heavy work (no file read, no model)', () => {
    sb.run(path.join(OUT, 'index.js'));
    expect(sb.required.sort()).toEqual(['fs', 'photoshop', 'uxp']);
    expect(sb.uxp.setupCalls).toHaveLength(1);
    const setup = sb.uxp.setupCalls[0] as { panels: Record<string, PanelHandlers> };
    const manifest = JSON.parse(fs.readFileSync(path.join(OUT, 'manifest.json'), 'utf8'));
    expect(Object.keys(setup.panels)).toEqual([manifest.entrypoints[0].id]);
    panel = setup.panels[manifest.entrypoints[0].id];
    expect(typeof panel.create).toBe('function');
    expect(panel.menuItems.map((m) => m.id)).toEqual(['inpaintSelection', 'inpaintAll', 'cancel']);
    expect(sb.fs.reads).toEqual([]);
    controller = () => sb.evaluate<{ controller: PanelController }>('globalThis.__inpaintPanel').controller;
    expect(controller().busy).toBe(false);
    expect(sb.errors).toEqual([]);
  });

  test('Inpaint selection from the panel menu: WASM inference, one new layer, one undo step', async () => {
    const doc = sb.ps.openDocument('sandbox.psd', 48, 40);
    doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 48, height: 40 });
    doc.select({ left: 14, top: 12, width: 9, height: 7 });
    const before = doc.snapshot();
    const history = doc.history.length;
    controller().setSettings({ mode: 'holes', grow: 0, variations: 1 }); // defaults grow by 4 px
    panel.invokeMenu('inpaintSelection');
    await until(() => !controller().busy, 60000);
    const state = controller().current;
    expect(state.status).toMatch(/^sandbox\.psd: filled 63 px into layer "Inpainted"\.$/);
    expect(state.statusKind).toBe('ok');
    expect(state.reports[0]).toMatchObject({ status: 'done', layersAdded: 1, holePixels: 63 });
    expect(doc.history.length).toBe(history + 1);
    expect(doc.layers.map((l) => l.name)).toEqual(['Inpainted', 'Background']);
    expect({ ...doc.snapshot(), layers: doc.snapshot().layers.slice(1) }).toEqual(before);
    expect(sb.ps.liveImageData.size).toBe(0);
    expect(sb.fs.reads.sort()).toEqual(['plugin:/models/models.json', 'plugin:/models/tiny-pconv.onnx', 'plugin:/ort/ort-wasm-simd-threaded.wasm']);
    const runner = await sb.evaluate<{ models: { get(k: string): Promise<{ backend: string }> } }>('globalThis.__inpaintPanel').models.get('bar');
    expect(runner.backend).toBe('wasm');
    expect(sb.errors).toEqual([]);
  }, 90000);

  test('batch from the menu reuses the loaded model (no second read), 16-bit included', async () => {
    const d16 = sb.ps.openDocument('sixteen.psd', 40, 32, DocumentMode.RGB, BitsPerChannelType.SIXTEEN);
    d16.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 40, height: 32 }, 5);
    d16.select({ left: 5, top: 5, width: 6, height: 6 });
    const reads = sb.fs.reads.length;
    panel.invokeMenu('inpaintAll');
    await until(() => !controller().busy, 60000);
    expect(controller().current.reports.map((r) => r.status)).toEqual(['done', 'done']);
    expect(d16.layers[0].name).toBe('Inpainted');
    expect(sb.fs.reads.length).toBe(reads);
    expect(sb.errors).toEqual([]);
  }, 90000);
});

describe('built UXP bundle where the host forbids WebAssembly code generation', () => {
  test('the panel reports the manifest permission to add, and the document is untouched', async () => {
    build();
    const sb = createUxpSandbox(OUT, { wasm: false });
    sb.run(path.join(OUT, 'index.js'));
    const doc = sb.ps.openDocument('blocked.psd', 32, 32);
    doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 32, height: 32 });
    doc.select({ left: 8, top: 8, width: 6, height: 6 });
    const before = doc.snapshot();
    const history = [...doc.history];
    const setup = sb.uxp.setupCalls[0] as { panels: Record<string, PanelHandlers> };
    Object.values(setup.panels)[0].invokeMenu('inpaintSelection');
    const ctl = () => sb.evaluate<{ controller: PanelController }>('globalThis.__inpaintPanel').controller;
    await until(() => !ctl().busy, 60000);
    expect(ctl().current.reports[0].status).toBe('failed');
    expect(ctl().current.status).toMatch(/allowCodeGenerationFromStrings/);
    expect(doc.snapshot()).toEqual(before);
    expect(doc.history).toEqual(history);
  }, 90000);
});

describe('built UXP bundle: opening the panel loads the model (not the first click)', () => {
  test('create() returns at once; the model is read, checked and compiled in the background; the first click finds it loaded', async () => {
    build();
    const sb = createUxpSandbox(OUT);
    sb.run(path.join(OUT, 'index.js'));
    // UXP passes the panel's root node to create(); this sandbox has no DOM, so give the panel nowhere to render.
    sb.evaluate('globalThis.document = { getElementById: () => null }');
    const setup = sb.uxp.setupCalls[0] as { panels: Record<string, PanelHandlers> };
    const panel = Object.values(setup.panels)[0];
    const t0 = Date.now();
    panel.create();
    expect(Date.now() - t0).toBeLessThan(300); // UXP allows lifecycle handlers 300 ms
    expect(sb.fs.reads).toEqual([]); // nothing heavy inside the handler itself
    const state = () => sb.evaluate<{ controller: PanelController; models: { isLoaded(kind: string): boolean } }>('globalThis.__inpaintPanel');
    await until(() => state().models.isLoaded('bar'), 60000);
    expect(sb.fs.reads.sort()).toEqual(['plugin:/models/models.json', 'plugin:/models/tiny-pconv.onnx', 'plugin:/ort/ort-wasm-simd-threaded.wasm']);
    expect(state().controller.current.reports).toEqual([]); // no job ran

    const doc = sb.ps.openDocument('preloaded.psd', 40, 32);
    doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 40, height: 32 });
    doc.select({ left: 10, top: 10, width: 6, height: 6 });
    const statuses: string[] = [];
    state().controller.subscribe((s) => statuses.push(s.status));
    panel.invokeMenu('inpaintSelection');
    await until(() => !state().controller.busy && state().controller.current.reports.length > 0, 60000);
    expect(state().controller.current.reports[0].status).toBe('done');
    expect(statuses.filter((s) => /Loading model/.test(s))).toEqual([]); // never waited for a load
    expect(sb.fs.reads).toHaveLength(3); // nothing read again
    expect(sb.errors).toEqual([]);
  }, 120000);
});
