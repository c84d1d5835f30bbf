/**
 * The shared job (one document, and the batch) driven through the in-memory host with the real
 * pipeline and the tiny random-weight fixture model on onnxruntime-node.
 */
import * as path from 'path';
import { layerFromFill } from '../../src/core/composite';
import { maskCount, selectionToMask } from '../../src/core/mask';
import type { Raster } from '../../src/core/types';
import { loadNodeModel } from '../../src/inference/node';
import type { ModelKind, ModelRunner } from '../../src/inference/types';
import { inpaintAllDocuments, inpaintDocument, selectionMaskForLayer, summarise } from '../../src/jobs';
import type { JobSettings } from '../../src/contracts/settings';
import type { ModelProvider } from '../../src/inference/provider';
import { inpaint } from '../../src/pipeline';
import { discSelection, MemoryDocument, MemoryHost, patternRaster } from '../helpers/memoryHost';

const MANIFEST = path.join(__dirname, '..', 'fixtures', 'models.json');

let runners: Partial<Record<ModelKind, ModelRunner>> = {};
let loads = 0;
const models: ModelProvider = {
  async get(kind) {
    if (!runners[kind]) {
      loads++;
      runners[kind] = await loadNodeModel(MANIFEST, { bar: 'tiny-pconv', mosaic: 'tiny-pconv-mosaic', colorize: 'tiny-colorize' }[kind]);
    }
    return runners[kind]!;
  },
};
afterAll(async () => {
  for (const r of Object.values(runners)) await r?.dispose();
  runners = {};
});

const holes: JobSettings = { mode: 'holes', grow: 0, variations: 1 };

function snapshot(r: Raster): Uint8Array | Uint16Array {
  return r.data.slice();
}

/** Layer pixels at document position (dx, dy): alpha of the added layer. */
function alphaAt(added: { pixels: { raster: Raster; left: number; top: number } }, dx: number, dy: number): number {
  const { raster, left, top } = added.pixels;
  const x = dx - left;
  const y = dy - top;
  if (x < 0 || y < 0 || x >= raster.width || y >= raster.height) return 0;
  return raster.data[(y * raster.width + x) * 4 + 3];
}

/** The added layer's RGBA at document position (dx, dy); transparent black outside its raster. */
function pixelAt(added: { pixels: { raster: Raster; left: number; top: number } }, dx: number, dy: number): number[] {
  const { raster, left, top } = added.pixels;
  const x = dx - left;
  const y = dy - top;
  if (x < 0 || y < 0 || x >= raster.width || y >= raster.height) return [0, 0, 0, 0];
  return [...raster.data.subarray((y * raster.width + x) * 4, (y * raster.width + x) * 4 + 4)];
}

describe('inpaintDocument', () => {
  test('fills the selection into one new layer, positioned at the layer offset, as one undo step', async () => {
    // Layer trimmed to (20,10)-(84,74) inside a larger document; selection disc centred at (50,40), r=8.
    const layerRaster = patternRaster(64, 64);
    const before = snapshot(layerRaster);
    const sel = discSelection({ left: 30, top: 20, right: 70, bottom: 60 }, 50, 40, 8);
    const selBefore = sel.channel.data.slice();
    const doc = new MemoryDocument({ title: 'page.psd', layer: { raster: layerRaster, left: 20, top: 10 }, selection: sel });
    const host = new MemoryHost([doc]);
    const report = await inpaintDocument(host, doc, holes, models);
    expect(report.status).toBe('done');
    expect(report.layersAdded).toBe(1);
    expect(doc.added).toHaveLength(1);
    expect(doc.added[0].name).toBe('Inpainted');
    expect(doc.undoSteps).toBe(1);
    // Source layer and selection untouched.
    expect(Buffer.from(layerRaster.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    expect(Buffer.from(sel.channel.data.buffer).equals(Buffer.from(selBefore.buffer))).toBe(true);
    // The new layer is opaque exactly on the selected disc, transparent elsewhere, at the layer's offset.
    // It covers only the hole's bounding box (the disc: document x, y 42..58), placed there.
    const added = doc.added[0];
    expect([added.pixels.left, added.pixels.top, added.pixels.raster.width, added.pixels.raster.height]).toEqual([42, 32, 17, 17]);
    expect(alphaAt(added, 50, 40)).toBe(255);
    expect(alphaAt(added, 58, 40)).toBe(255);
    expect(alphaAt(added, 59, 40)).toBe(0);
    expect(alphaAt(added, 22, 12)).toBe(0);
    expect(report.holePixels).toBe(maskCount(selectionToMask(sel.channel)));
  });

  test('grow N enlarges the hole by an exact disk', async () => {
    const layer = { raster: patternRaster(64, 64), left: 0, top: 0 };
    const sel = discSelection({ left: 0, top: 0, right: 64, bottom: 64 }, 32, 32, 5);
    const doc = new MemoryDocument({ title: 'a', layer, selection: sel });
    const report = await inpaintDocument(new MemoryHost([doc]), doc, { ...holes, grow: 4 }, models);
    expect(report.status).toBe('done');
    expect(alphaAt(doc.added[0], 32 + 9, 32)).toBe(255);
    expect(alphaAt(doc.added[0], 32 + 10, 32)).toBe(0);
    expect(report.holePixels).toBeGreaterThan(maskCount(selectionToMask(sel.channel)));
  });

  test('a feathered selection is binarised at 50 %: no partial alpha in the result layer', async () => {
    const layer = { raster: patternRaster(48, 48), left: 0, top: 0 };
    const sel = discSelection({ left: 0, top: 0, right: 48, bottom: 48 }, 24, 24, 8, 6);
    const doc = new MemoryDocument({ title: 'f', layer, selection: sel });
    await inpaintDocument(new MemoryHost([doc]), doc, holes, models);
    const a = doc.added[0].pixels.raster;
    for (let i = 3; i < a.data.length; i += 4) expect(a.data[i] === 0 || a.data[i] === 255).toBe(true);
  });

  test('green mode finds #00FF00 paint without a selection', async () => {
    const raster = patternRaster(40, 40);
    for (let y = 10; y < 16; y++) for (let x = 10; x < 30; x++) raster.data.set([0, 255, 0, 255], (y * 40 + x) * 4);
    const doc = new MemoryDocument({ title: 'g', layer: { raster, left: 0, top: 0 } });
    const report = await inpaintDocument(new MemoryHost([doc]), doc, { mode: 'green', grow: 0, variations: 1 }, models);
    expect(report.status).toBe('done');
    expect(report.holePixels).toBe(120);
    const p = pixelAt(doc.added[0], 20, 12);
    expect(p[3]).toBe(255);
    expect(p.slice(0, 3)).not.toEqual([0, 255, 0]);
  });

  test('variations add one layer per variation in a single undo step', async () => {
    const layer = { raster: patternRaster(40, 40), left: 0, top: 0 };
    const doc = new MemoryDocument({ title: 'v', layer, selection: discSelection({ left: 0, top: 0, right: 40, bottom: 40 }, 20, 20, 6) });
    const report = await inpaintDocument(new MemoryHost([doc]), doc, { ...holes, variations: 3 }, models);
    expect(report.layersAdded).toBe(3);
    expect(doc.added.map((a) => a.name)).toEqual(['Inpainted 1', 'Inpainted 2', 'Inpainted 3']);
    expect(doc.undoSteps).toBe(1);
  });

  test('16-bit layers are filled at their own depth', async () => {
    const raster = patternRaster(40, 40, 4, 32768);
    const doc = new MemoryDocument({ title: '16', layer: { raster, left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 40, bottom: 40 }, 20, 20, 6, 0, 32768) });
    const report = await inpaintDocument(new MemoryHost([doc]), doc, holes, models);
    expect(report.status).toBe('done');
    const out = doc.added[0].pixels.raster;
    expect(out.maxValue).toBe(32768);
    expect(out.data).toBeInstanceOf(Uint16Array);
    expect(pixelAt(doc.added[0], 20, 20)[3]).toBe(32768);
  });

  test('the layer holds exactly what the pipeline fills (a page-sized fill layer, cropped), and the source ends byte-identical', async () => {
    // two holes far apart (two context boxes), mosaic mode (hole pixels are hints, so they must be
    // the originals for every variation), 16-bit RGB and 8-bit RGBA, 2 variations, layer offset
    for (const [raster, mode] of [
      [patternRaster(150, 90, 3, 32768), 'mosaic'],
      [patternRaster(150, 90, 4, 255), 'holes'],
    ] as [Raster, 'holes' | 'mosaic'][]) {
      const max = raster.maxValue;
      const sel = discSelection({ left: 5, top: 7, right: 155, bottom: 97 }, 20, 25, 6, 0, max);
      const sel2 = discSelection({ left: 5, top: 7, right: 155, bottom: 97 }, 140, 80, 5, 0, max);
      for (let i = 0; i < sel.channel.data.length; i++) sel.channel.data[i] = Math.max(sel.channel.data[i]!, sel2.channel.data[i]!);
      const layer = { raster, left: 5, top: 7 };
      const before = snapshot(raster);
      const doc = new MemoryDocument({ title: 'x', layer, selection: sel });
      const report = await inpaintDocument(new MemoryHost([doc]), doc, { mode, grow: 0, variations: 2 }, models);
      expect(report.status).toBe('done');
      expect(Buffer.from(raster.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
      const mask = selectionMaskForLayer(sel, layer);
      const model = await models.get(mode === 'mosaic' ? 'mosaic' : 'bar');
      for (let v = 0; v < 2; v++) {
        const full = layerFromFill((await inpaint(raster, mask, { model, mode, variation: v })).image, mask);
        let opaque = 0;
        for (let y = 0; y < 90; y++)
          for (let x = 0; x < 150; x++) {
            const want = [...full.data.subarray((y * 150 + x) * 4, (y * 150 + x) * 4 + 4)];
            if (want[3]) opaque++;
            expect(pixelAt(doc.added[v]!, x + 5, y + 7)).toEqual(want);
          }
        expect(opaque).toBe(maskCount(mask));
      }
    }
  });

  test('cancel or a model error after a box was filled leaves the source layer byte-identical', async () => {
    const bar = await models.get('bar');
    for (const how of ['cancel', 'error'] as const) {
      const raster = patternRaster(150, 90);
      const before = snapshot(raster);
      const sel = discSelection({ left: 0, top: 0, right: 150, bottom: 90 }, 20, 20, 6);
      const sel2 = discSelection({ left: 0, top: 0, right: 150, bottom: 90 }, 130, 70, 6);
      for (let i = 0; i < sel.channel.data.length; i++) sel.channel.data[i] = Math.max(sel.channel.data[i]!, sel2.channel.data[i]!);
      const doc = new MemoryDocument({ title: how, layer: { raster, left: 0, top: 0 }, selection: sel });
      let calls = 0;
      const flaky: ModelProvider = {
        get: async () => ({
          info: bar.info,
          backend: bar.backend,
          run: async (img, known, w, h) => {
            if (++calls === 2 && how === 'error') throw new Error('model exploded');
            return bar.run(img, known, w, h);
          },
          dispose: async () => {},
        }),
      };
      const ctrl = new AbortController();
      const report = await inpaintDocument(new MemoryHost([doc]), doc, holes, flaky, {
        signal: ctrl.signal,
        onEvent: (e) => {
          if (how === 'cancel' && e.type === 'pipeline' && e.event.type === 'region' && e.event.index === 1) ctrl.abort();
        },
      });
      expect(report.status).toBe(how === 'cancel' ? 'cancelled' : 'failed');
      expect(calls).toBe(how === 'cancel' ? 1 : 2); // the first box was filled (in place) before it stopped
      expect(doc.added).toHaveLength(0);
      expect(Buffer.from(raster.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    }
  });

  test('texture auto re-synthesises the hole from page pixels (only values the page has)', async () => {
    // two-level dot screentone; the hole is a disc in the middle
    const raster = patternRaster(64, 64, 4);
    for (let i = 0; i < 64 * 64; i++) {
      const x = i % 64;
      const y = Math.floor(i / 64);
      const v = x % 4 < 2 && y % 4 < 2 ? 40 : 230;
      raster.data.set([v, v, v, 255], i * 4);
    }
    const sel = discSelection({ left: 0, top: 0, right: 64, bottom: 64 }, 32, 32, 9);
    const auto = new MemoryDocument({ title: 'tone', layer: { raster, left: 0, top: 0 }, selection: sel });
    expect((await inpaintDocument(new MemoryHost([auto]), auto, { ...holes, texture: 'auto' }, models)).status).toBe('done');
    const off = new MemoryDocument({ title: 'tone', layer: { raster, left: 0, top: 0 }, selection: sel });
    expect((await inpaintDocument(new MemoryHost([off]), off, { ...holes, texture: 'off' }, models)).status).toBe('done');
    const a = auto.added[0].pixels.raster;
    const o = off.added[0].pixels.raster;
    const levels = new Set<number>();
    let differ = 0;
    for (let i = 0; i < a.width * a.height; i++) {
      if (a.data[i * 4 + 3] === 0) continue;
      levels.add(a.data[i * 4]);
      if (a.data[i * 4] !== o.data[i * 4]) differ++;
    }
    expect([...levels].sort((p, q) => p - q)).toEqual([40, 230]);
    expect(differ).toBeGreaterThan(0);
  });

  describe('bad input changes nothing and says why', () => {
    const cases: [string, () => MemoryDocument, JobSettings, RegExp][] = [
      ['no selection', () => new MemoryDocument({ title: 'n', layer: { raster: patternRaster(20, 20), left: 0, top: 0 } }), holes, /no selection/],
      [
        'empty selection',
        () => new MemoryDocument({ title: 'e', layer: { raster: patternRaster(20, 20), left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 20, bottom: 20 }, -50, -50, 1) }),
        holes,
        /empty|50 %/,
      ],
      [
        'selection outside the layer',
        () => new MemoryDocument({ title: 'o', layer: { raster: patternRaster(20, 20), left: 0, top: 0 }, selection: discSelection({ left: 100, top: 100, right: 120, bottom: 120 }, 110, 110, 5) }),
        holes,
        /outside the active layer/,
      ],
      ['no green paint', () => new MemoryDocument({ title: 'ng', layer: { raster: patternRaster(20, 20), left: 0, top: 0 } }), { mode: 'green', grow: 0, variations: 1 }, /green/],
      ['unsupported layer', () => new MemoryDocument({ title: 't', layer: { raster: patternRaster(20, 20), left: 0, top: 0 }, unsupported: 'the active layer is a text layer; rasterize it first.' }), holes, /text layer/],
    ];
    test.each(cases)('%s', async (_name, make, settings, why) => {
      const doc = make();
      const before = snapshot(doc.layer.raster);
      const report = await inpaintDocument(new MemoryHost([doc]), doc, settings, models);
      expect(report.status).toBe('skipped');
      expect(report.message).toMatch(why);
      expect(doc.added).toHaveLength(0);
      expect(doc.undoSteps).toBe(0);
      expect(Buffer.from(doc.layer.raster.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    });

    test.each([
      ['grow out of range', { mode: 'holes', grow: 65, variations: 1 }, /Grow/],
      ['fractional grow', { mode: 'holes', grow: 1.5, variations: 1 }, /Grow/],
      ['too many variations', { mode: 'holes', grow: 0, variations: 5 }, /Variations/],
      ['unknown texture', { mode: 'holes', grow: 0, variations: 1, texture: 'on' as 'auto' }, /Texture must be auto or off/],
    ] as [string, JobSettings, RegExp][])('%s', async (_n, settings, why) => {
      const doc = new MemoryDocument({ title: 's', layer: { raster: patternRaster(20, 20), left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 20, bottom: 20 }, 10, 10, 4) });
      const report = await inpaintDocument(new MemoryHost([doc]), doc, settings, models);
      expect(report.status).toBe('skipped');
      expect(report.message).toMatch(why);
      expect(doc.added).toHaveLength(0);
    });
  });

  test('a model that fails to load is reported as failed, nothing added', async () => {
    const doc = new MemoryDocument({ title: 'm', layer: { raster: patternRaster(20, 20), left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 20, bottom: 20 }, 10, 10, 4) });
    const broken: ModelProvider = { get: () => loadNodeModel(path.join(__dirname, 'no-such-models.json')) };
    const report = await inpaintDocument(new MemoryHost([doc]), doc, holes, broken);
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(/manifest/);
    expect(doc.added).toHaveLength(0);
  });
});

describe('selectionMaskForLayer', () => {
  test('places the selection into the layer grid and drops what lies outside', () => {
    const sel = discSelection({ left: 5, top: 5, right: 15, bottom: 15 }, 10, 10, 100); // fully selected square 5..15
    const mask = selectionMaskForLayer(sel, { raster: patternRaster(10, 10), left: 8, top: 0 });
    // Layer covers x 8..18, y 0..10; selection covers x 5..15, y 5..15 -> overlap x 8..15, y 5..10.
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 10; x++) {
        const inside = x + 8 < 15 && y >= 5;
        expect(mask.data[y * 10 + x]).toBe(inside ? 1 : 0);
      }
    }
  });
});

describe('inpaintAllDocuments', () => {
  function mixedDocs(): MemoryDocument[] {
    return [
      new MemoryDocument({ title: 'one', layer: { raster: patternRaster(40, 40), left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 40, bottom: 40 }, 20, 20, 6) }),
      new MemoryDocument({ title: 'no-sel', layer: { raster: patternRaster(40, 40), left: 0, top: 0 } }),
      new MemoryDocument({ title: 'cmyk', layer: { raster: patternRaster(40, 40), left: 0, top: 0 }, unsupported: 'CMYK documents are not supported: Image > Mode > RGB Color.' }),
      new MemoryDocument({ title: 'three', layer: { raster: patternRaster(40, 40), left: 0, top: 0 }, selection: discSelection({ left: 0, top: 0, right: 40, bottom: 40 }, 10, 10, 5) }),
    ];
  }

  test('reports per document what was done or why it was skipped', async () => {
    const docs = mixedDocs();
    const reports = await inpaintAllDocuments(new MemoryHost(docs), holes, models);
    expect(reports.map((r) => r.status)).toEqual(['done', 'skipped', 'skipped', 'done']);
    expect(summarise(reports)).toBe('2 done, 2 skipped, 0 failed');
    expect(docs.map((d) => d.added.length)).toEqual([1, 0, 0, 1]);
  });

  test('cancel during the first document: it and the rest stay untouched', async () => {
    const docs = mixedDocs();
    const ctrl = new AbortController();
    const reports = await inpaintAllDocuments(new MemoryHost(docs), holes, models, {
      signal: ctrl.signal,
      onEvent: (e) => {
        if (e.type === 'pipeline' && e.event.type === 'region') ctrl.abort();
      },
    });
    expect(reports.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(docs.every((d) => d.added.length === 0)).toBe(true);
  });

  test('cancel after the first document leaves it finished and the rest untouched', async () => {
    const docs = mixedDocs();
    const ctrl = new AbortController();
    const reports = await inpaintAllDocuments(new MemoryHost(docs), holes, models, {
      signal: ctrl.signal,
      onEvent: (e) => {
        if (e.type === 'report' && e.report.status === 'done') ctrl.abort();
      },
    });
    expect(reports.map((r) => r.status)).toEqual(['done', 'cancelled', 'cancelled', 'cancelled']);
    expect(docs.map((d) => d.added.length)).toEqual([1, 0, 0, 0]);
  });

  test('no open document is a clear error', async () => {
    await expect(inpaintAllDocuments(new MemoryHost([]), holes, models)).rejects.toThrow(/No document is open/);
  });

  test('the model is loaded once for the whole batch', async () => {
    const before = loads;
    await inpaintAllDocuments(new MemoryHost(mixedDocs()), { mode: 'mosaic', grow: 0, variations: 1 }, models);
    await inpaintAllDocuments(new MemoryHost(mixedDocs()), { mode: 'mosaic', grow: 0, variations: 1 }, models);
    expect(loads - before).toBeLessThanOrEqual(1);
  });
});

describe('Colorize layer (the same job path, action colorize)', () => {
  const colorizeSettings: JobSettings = { action: 'colorize', mode: 'holes', grow: 0, variations: 1 };

  test('adds one "Colorized" layer over the whole layer in Color blend mode, one undo step, the source untouched', async () => {
    const layer = { raster: patternRaster(40, 30, 4), left: 5, top: 7 };
    const before = snapshot(layer.raster);
    const doc = new MemoryDocument({ title: 'page', layer, selection: null });
    const host = new MemoryHost([doc]);
    const r = await inpaintDocument(host, doc, colorizeSettings, models);
    expect(r.status).toBe('done');
    expect(r.message).toBe('page: colorized into layer "Colorized" (Color blend mode).');
    expect(doc.added).toHaveLength(1);
    const added = doc.added[0]!;
    expect(added.name).toBe('Colorized');
    expect(added.options).toEqual({ blend: 'color' });
    expect([added.pixels.left, added.pixels.top, added.pixels.raster.width, added.pixels.raster.height, added.pixels.raster.channels]).toEqual([5, 7, 40, 30, 4]);
    expect(doc.undoSteps).toBe(1);
    expect(layer.raster.data).toEqual(before);
  });

  test('the guide layer\'s colour dots are hints (its black strokes are not), placed by document position', async () => {
    const layer = { raster: patternRaster(40, 30, 4), left: 5, top: 7 };
    const g = new Uint8Array(20 * 20 * 4);
    const put = (x: number, y: number, rgba: number[]) => g.set(rgba, (y * 20 + x) * 4);
    for (let i = 0; i < 3; i++) put(2 + i, 2, [200, 30, 30, 255]); // a red dot of 3 px
    for (let i = 0; i < 10; i++) put(i, 10, [10, 10, 10, 255]); // a black line: not a colour hint
    const guide = { raster: { width: 20, height: 20, channels: 4 as const, data: g, maxValue: 255 }, left: 10, top: 10 };
    const doc = new MemoryDocument({ title: 'page', layer, selection: null, others: { Guide: guide } });
    const r = await inpaintDocument(new MemoryHost([doc]), doc, colorizeSettings, models);
    expect(r.message).toBe('page: colorized following 3 hint px into layer "Colorized" (Color blend mode).');
    // the hint pixel is pinned: the layer is red there (guide (2,2) = document (12,12) = layer (7,5))
    const px = pixelAt(doc.added[0]!, 12, 12);
    expect(px[0]!).toBeGreaterThan(px[1]! + 20);
  });

  test('cancel while the colorize model runs: nothing is added, the source and the guide are untouched', async () => {
    const layer = { raster: patternRaster(40, 30, 4), left: 0, top: 0 };
    const before = snapshot(layer.raster);
    const g = new Uint8Array(40 * 30 * 4);
    g.set([200, 30, 30, 255], (5 * 40 + 5) * 4);
    const guide = { raster: { width: 40, height: 30, channels: 4 as const, data: g, maxValue: 255 }, left: 0, top: 0 };
    const guideBefore = g.slice();
    const doc = new MemoryDocument({ title: 'page', layer, selection: null, others: { Guide: guide } });
    const ctrl = new AbortController();
    // the user presses Cancel while the model is running: its result must not be applied
    const cancelling: ModelProvider = {
      async get(kind) {
        const real = await models.get(kind);
        return {
          info: real.info,
          run: async (...args: Parameters<ModelRunner['run']>) => {
            const out = await real.run(...args);
            ctrl.abort();
            return out;
          },
          dispose: async () => undefined,
        } as ModelRunner;
      },
    };
    const r = await inpaintDocument(new MemoryHost([doc]), doc, colorizeSettings, cancelling, { signal: ctrl.signal });
    expect(r.status).toBe('cancelled');
    expect(doc.added).toHaveLength(0);
    expect(layer.raster.data).toEqual(before);
    expect(g).toEqual(guideBefore);
  });

  test('no colorize model installed: the job fails with the model\'s message and adds nothing', async () => {
    const doc = new MemoryDocument({ title: 'page', layer: { raster: patternRaster(20, 20, 4), left: 0, top: 0 }, selection: null });
    const none: ModelProvider = {
      async get() {
        throw new Error('no "colorize" model in the manifest');
      },
    };
    const r = await inpaintDocument(new MemoryHost([doc]), doc, colorizeSettings, none);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/no "colorize" model/);
    expect(doc.added).toHaveLength(0);
  });
});

describe('guide strokes (issue 15): the "Guide" layer\'s pixels in the hole are drawn and filled around', () => {
  test('a black line on the guide layer crosses the filled hole; the guide and the source are untouched', async () => {
    const layer = { raster: patternRaster(64, 48, 4), left: 0, top: 0 };
    const before = snapshot(layer.raster);
    const g = new Uint8Array(64 * 48 * 4);
    for (let x = 0; x < 64; x++) g.set([0, 0, 0, 255], (24 * 64 + x) * 4);
    const guide = { raster: { width: 64, height: 48, channels: 4 as const, data: g, maxValue: 255 }, left: 0, top: 0 };
    const guideBefore = g.slice();
    const doc = new MemoryDocument({ title: 'page', layer, selection: discSelection({ left: 0, top: 0, right: 64, bottom: 48 }, 32, 24, 10), others: { Guide: guide } });
    const r = await inpaintDocument(new MemoryHost([doc]), doc, holes, models);
    expect(r.status).toBe('done');
    const added = doc.added[0]!;
    for (let x = 26; x < 38; x++) expect(pixelAt(added, x, 24)).toEqual([0, 0, 0, 255]);
    expect(layer.raster.data).toEqual(before);
    expect(g).toEqual(guideBefore);
  });
});
