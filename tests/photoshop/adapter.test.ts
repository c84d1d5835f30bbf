/**
 * The real Photoshop adapter and the real jobs + pipeline, on the in-memory Photoshop double, with the
 * tiny random-weight fixture model run by onnxruntime-node (the UXP bundle test runs the WASM runner).
 */
import '../inference/realm';
import * as path from 'path';
import { PhotoshopHost } from '../../src/hosts/photoshop/adapter';
import { loadNodeModel } from '../../src/inference/node';
import type { ModelKind, ModelRunner } from '../../src/inference/types';
import { inpaintAllDocuments, inpaintDocument } from '../../src/jobs';
import type { JobSettings } from '../../src/contracts/settings';
import type { ModelProvider } from '../../src/inference/provider';
import { PanelController } from '../../src/ui/controller';
import { lazyModels } from '../../src/inference/provider';
import { BitsPerChannelType, DocumentMode, LayerKind, PhotoshopDouble, type FakeDocument, type FakeLayer } from './double';
import { fakeRunner } from '../helpers/fakeRunner';

const MANIFEST = path.join(__dirname, '..', 'fixtures', 'models.json');
const base = lazyModels((kind) => loadNodeModel(MANIFEST, kind === 'mosaic' ? 'tiny-pconv-mosaic' : 'tiny-pconv'));
let onRun: (() => void) | null = null;
let runs = 0;
const models: ModelProvider = {
  async get(kind: ModelKind): Promise<ModelRunner> {
    const m = await base.get(kind);
    return {
      info: m.info,
      backend: m.backend,
      run: async (image, mask, w, h) => {
        runs++;
        onRun?.();
        return m.run(image, mask, w, h);
      },
      dispose: () => m.dispose(),
    };
  },
};
afterAll(() => base.dispose());
beforeEach(() => {
  onRun = null;
  runs = 0;
});

const HOLES: JobSettings = { mode: 'holes', grow: 0, variations: 1 };
const SEL = { left: 20, top: 15, width: 8, height: 6 };
const PAINT = { left: 10, top: 8, width: 40, height: 30 };

/** Background + "Paint" (smaller than the document, active) + "Top"; a rectangular selection inside Paint. */
function makeDoc(ps: PhotoshopDouble, title: string, mode: string = DocumentMode.RGB, bits: string = BitsPerChannelType.EIGHT, select = true): { doc: FakeDocument; paint: FakeLayer } {
  const doc = ps.openDocument(title, 64, 48, mode, bits);
  doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 64, height: 48 }, 1);
  const paint = doc.addLayer('Paint').texture(PAINT, 3);
  doc.addLayer('Top').fill({ left: 0, top: 0, width: 5, height: 5 }, [200, 10, 10]);
  doc.active = [paint];
  if (select) doc.select(SEL);
  return { doc, paint };
}

function alphaAt(doc: FakeDocument, layer: FakeLayer, x: number, y: number): number {
  const c = doc.layerChannels;
  return layer.pixels[(y * doc.width + x) * c + c - 1];
}

/** Document coordinates where the layer has alpha > 0. */
function opaque(doc: FakeDocument, layer: FakeLayer): Set<string> {
  const s = new Set<string>();
  for (let y = 0; y < doc.height; y++) for (let x = 0; x < doc.width; x++) if (alphaAt(doc, layer, x, y) > 0) s.add(`${x},${y}`);
  return s;
}

function rectSet(r: { left: number; top: number; width: number; height: number }): Set<string> {
  const s = new Set<string>();
  for (let y = r.top; y < r.top + r.height; y++) for (let x = r.left; x < r.left + r.width; x++) s.add(`${x},${y}`);
  return s;
}

function withoutLayers(snap: ReturnType<FakeDocument['snapshot']>, ids: number[]) {
  return { ...snap, layers: snap.layers.filter((l) => !ids.includes(l.id)) };
}

describe('Photoshop adapter: one document', () => {
  test('RGB 8-bit: one undo step, new layer directly above the source, fill only in the selection, nothing else touched', async () => {
    const ps = new PhotoshopDouble();
    const { doc, paint } = makeDoc(ps, 'rgb8.psd');
    const before = doc.snapshot();
    const historyBefore = [...doc.history];
    const host = new PhotoshopHost(ps.module);
    const report = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(report).toMatchObject({ status: 'done', layersAdded: 1, holePixels: SEL.width * SEL.height });
    expect(doc.history).toEqual([...historyBefore, 'Inpaint selection']);
    const added = doc.layers.find((l) => !before.layers.some((b) => b.id === l.id))!;
    expect(added.name).toBe('Inpainted');
    expect(added.kind).toBe(LayerKind.NORMAL);
    expect(doc.layers.indexOf(added)).toBe(doc.layers.indexOf(paint) - 1);
    expect(opaque(doc, added)).toEqual(rectSet(SEL));
    // every other layer and the selection are byte-identical
    expect(withoutLayers(doc.snapshot(), [added.id])).toEqual(before);
    expect(ps.liveImageData.size).toBe(0);
    expect(ps.modals.map((m) => m.commandName)).toEqual(['Inpaint selection']);
    expect(ps.inModal).toBe(false);
  });

  test('selection partly outside a layer that is smaller than the document: only the overlap is filled, at document coordinates', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = makeDoc(ps, 'edge.psd', DocumentMode.RGB, BitsPerChannelType.EIGHT, false);
    doc.select({ left: 4, top: 30, width: 12, height: 14 }); // Paint spans x 10..49, y 8..37
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(r.status).toBe('done');
    const added = doc.layers.find((l) => l.name === 'Inpainted')!;
    expect(opaque(doc, added)).toEqual(rectSet({ left: 10, top: 30, width: 6, height: 8 }));
  });

  test('grow enlarges the hole around the selection, still inside the layer', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = makeDoc(ps, 'grow.psd');
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, { ...HOLES, grow: 3 }, models);
    expect(r.status).toBe('done');
    const got = opaque(doc, doc.layers.find((l) => l.name === 'Inpainted')!);
    for (const p of rectSet(SEL)) expect(got.has(p)).toBe(true);
    expect(got.size).toBeGreaterThan(SEL.width * SEL.height);
    expect(got.has(`${SEL.left - 3},${SEL.top + 2}`)).toBe(true);
    expect(got.has(`${SEL.left - 4},${SEL.top + 2}`)).toBe(false);
    for (const p of got) expect(rectSet(PAINT).has(p)).toBe(true);
  });

  test('16-bit RGB is read and written at its own depth (0..32768), 16-bit selection too', async () => {
    const ps = new PhotoshopDouble();
    ps.selectionDepth = 16;
    const { doc } = makeDoc(ps, 'rgb16.psd', DocumentMode.RGB, BitsPerChannelType.SIXTEEN);
    const before = doc.snapshot();
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(r.status).toBe('done');
    const added = doc.layers.find((l) => l.name === 'Inpainted')!;
    expect(added.pixels).toBeInstanceOf(Uint16Array);
    expect(opaque(doc, added)).toEqual(rectSet(SEL));
    expect(Math.max(...added.pixels)).toBeLessThanOrEqual(32768);
    expect(alphaAt(doc, added, SEL.left, SEL.top)).toBe(32768);
    // colour values use the 16-bit range, not 8-bit values in a 16-bit container
    let big = 0;
    for (let i = 0; i < added.pixels.length; i += 4) if (added.pixels[i + 3] && Math.max(added.pixels[i], added.pixels[i + 1], added.pixels[i + 2]) > 255) big++;
    expect(big).toBeGreaterThan(0);
    expect(withoutLayers(doc.snapshot(), [added.id])).toEqual(before);
    expect(doc.history.slice(-1)).toEqual(['Inpaint selection']);
  });

  test('Grayscale 8-bit is written as a gray layer', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = makeDoc(ps, 'gray.psd', DocumentMode.GRAYSCALE);
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(r.status).toBe('done');
    expect(opaque(doc, doc.layers.find((l) => l.name === 'Inpainted')!)).toEqual(rectSet(SEL));
  });

  test('green paint mode: the pure-green pixels are filled, no selection needed', async () => {
    const ps = new PhotoshopDouble();
    const { doc, paint } = makeDoc(ps, 'green.psd', DocumentMode.RGB, BitsPerChannelType.EIGHT, false);
    const green = { left: 30, top: 20, width: 5, height: 4 };
    paint.fill(green, [0, 255, 0]);
    const before = doc.snapshot();
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, { mode: 'green', grow: 0, variations: 1 }, models);
    expect(r.status).toBe('done');
    const added = doc.layers.find((l) => l.name === 'Inpainted')!;
    const got = opaque(doc, added);
    for (const p of rectSet(green)) expect(got.has(p)).toBe(true);
    for (const p of got) expect(rectSet(PAINT).has(p)).toBe(true);
    expect(withoutLayers(doc.snapshot(), [added.id])).toEqual(before);
  });

  test('two variations: two layers, still one undo step; mosaic mode uses the mosaic model', async () => {
    const ps = new PhotoshopDouble();
    const { doc, paint } = makeDoc(ps, 'vars.psd');
    const h0 = doc.history.length;
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, { mode: 'mosaic', grow: 0, variations: 2 }, models);
    expect(r).toMatchObject({ status: 'done', layersAdded: 2 });
    expect(doc.history.length).toBe(h0 + 1);
    const names = doc.layers.map((l) => l.name);
    expect(names).toContain('Inpainted 1');
    expect(names).toContain('Inpainted 2');
    // both directly above the source layer (the later one closest to it)
    expect(doc.layers[doc.layers.indexOf(paint) - 1].name).toBe('Inpainted 2');
    expect(doc.layers[doc.layers.indexOf(paint) - 2].name).toBe('Inpainted 1');
  });
});

describe('Photoshop adapter: bad input changes nothing and says what to do', () => {
  type Case = [string, (ps: PhotoshopDouble) => FakeDocument, RegExp];
  const cases: Case[] = [
    ['no selection', (ps) => makeDoc(ps, 'd', undefined, undefined, false).doc, /no selection: select the area/],
    ['selection below 50 %', (ps) => makeDoc(ps, 'd', undefined, undefined, false).doc.select(SEL, 100), /empty or less than 50 %/],
    ['selection outside the layer', (ps) => makeDoc(ps, 'd', undefined, undefined, false).doc.select({ left: 52, top: 40, width: 6, height: 5 }), /outside the active layer/],
    ['group layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.kind = LayerKind.GROUP; return doc; }, /is a group: select a pixel layer inside it/],
    ['text layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.kind = LayerKind.TEXT; return doc; }, /Layer > Rasterize > Type/],
    ['smart object', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.kind = LayerKind.SMARTOBJECT; return doc; }, /Layer > Rasterize > Smart Object/],
    ['adjustment layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.kind = LayerKind.CURVES; return doc; }, /curves layer, not a pixel layer/],
    ['hidden layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.visible = false; return doc; }, /is hidden: show it/],
    ['locked layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.allLocked = true; return doc; }, /is locked: unlock it/],
    ['pixel-locked layer', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); paint.pixelsLocked = true; return doc; }, /is locked/],
    ['no active layer', (ps) => { const { doc } = makeDoc(ps, 'd'); doc.active = []; return doc; }, /No layer is selected/],
    ['two active layers', (ps) => { const { doc, paint } = makeDoc(ps, 'd'); doc.active = [paint, doc.layers[0]]; return doc; }, /2 layers are selected/],
    ['empty layer', (ps) => { const { doc } = makeDoc(ps, 'd'); const e = doc.addLayer('Empty'); doc.active = [e]; return doc; }, /is empty/],
    ['CMYK', (ps) => makeDoc(ps, 'd', DocumentMode.CMYK).doc, /CMYK mode.*Image > Mode > RGB Color/],
    ['Indexed', (ps) => makeDoc(ps, 'd', DocumentMode.INDEXEDCOLOR).doc, /Indexed Color mode.*Image > Mode > RGB Color/],
    ['Bitmap', (ps) => makeDoc(ps, 'd', DocumentMode.BITMAP).doc, /Bitmap mode.*Image > Mode/],
    ['Lab', (ps) => makeDoc(ps, 'd', DocumentMode.LAB).doc, /Lab mode.*Image > Mode > RGB Color/],
    ['32-bit', (ps) => makeDoc(ps, 'd', DocumentMode.RGB, BitsPerChannelType.THIRTYTWO).doc, /32 bits per channel.*Image > Mode > 16 Bits\/Channel/],
  ];

  test.each(cases)('%s', async (_name, make, message) => {
    const ps = new PhotoshopDouble();
    const doc = make(ps);
    const before = doc.snapshot();
    const history = [...doc.history];
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(r.status).toBe('skipped');
    expect(r.message).toMatch(message);
    expect(doc.snapshot()).toEqual(before);
    expect(doc.history).toEqual(history);
    expect(ps.liveImageData.size).toBe(0);
    expect(runs).toBe(0);
  });

  test('no open document: the panel says so and nothing runs', async () => {
    const ps = new PhotoshopDouble();
    const host = new PhotoshopHost(ps.module);
    const ctl = new PanelController({ host, models });
    await ctl.inpaintSelection();
    expect(ctl.current.statusKind).toBe('error');
    expect(ctl.current.status).toMatch(/No document is open/);
    await expect(inpaintAllDocuments(host, HOLES, models)).rejects.toThrow(/No document is open/);
    expect(ps.modals).toHaveLength(0);
  });
});

describe('Photoshop adapter: batch and cancel', () => {
  function mixed(ps: PhotoshopDouble) {
    const a = makeDoc(ps, 'rgb8.psd').doc;
    const b = makeDoc(ps, 'rgb16.psd', DocumentMode.RGB, BitsPerChannelType.SIXTEEN).doc;
    const c = makeDoc(ps, 'nosel.psd', DocumentMode.RGB, BitsPerChannelType.EIGHT, false).doc;
    const d = makeDoc(ps, 'cmyk.psd', DocumentMode.CMYK).doc;
    const e = makeDoc(ps, 'text.psd');
    e.paint.kind = LayerKind.TEXT;
    return [a, b, c, d, e.doc];
  }

  test('mixed documents: done, done, skipped ×3; only the done ones change, by one undo step each; progress reaches Photoshop', async () => {
    const ps = new PhotoshopDouble();
    const docs = mixed(ps);
    const snaps = docs.map((d) => d.snapshot());
    const hist = docs.map((d) => d.history.length);
    const host = new PhotoshopHost(ps.module);
    const ctl = new PanelController({ host, models, onProgress: (f, s) => host.reportProgress(f, s) });
    await ctl.inpaintAll();
    expect(ctl.current.reports.map((r) => r.status)).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped']);
    expect(ctl.current.reports[2].message).toMatch(/no selection/);
    expect(ctl.current.reports[3].message).toMatch(/CMYK/);
    expect(ctl.current.reports[4].message).toMatch(/text layer/);
    expect(ctl.current.status).toBe('All documents: 2 done, 3 skipped, 0 failed.');
    docs.forEach((d, i) => {
      const added = d.layers.filter((l) => !snaps[i].layers.some((s) => s.id === l.id));
      expect(added).toHaveLength(i < 2 ? 1 : 0);
      expect(d.history.length).toBe(hist[i] + (i < 2 ? 1 : 0));
      expect(withoutLayers(d.snapshot(), added.map((l) => l.id))).toEqual(snaps[i]);
    });
    const progress = ps.modals.flatMap((m) => m.progress);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.value).toBeGreaterThanOrEqual(0);
    expect(ps.liveImageData.size).toBe(0);
  });

  test('Cancel in the panel during the 2nd document: 1st stays done, 2nd rolled back, 3rd untouched', async () => {
    const ps = new PhotoshopDouble();
    const docs = [makeDoc(ps, 'a').doc, makeDoc(ps, 'b').doc, makeDoc(ps, 'c').doc];
    const snaps = docs.map((d) => d.snapshot());
    const hist = docs.map((d) => d.history.length);
    const host = new PhotoshopHost(ps.module);
    const ctl = new PanelController({ host, models });
    onRun = () => {
      if (ps.activeDoc === docs[1]) ctl.cancel();
    };
    await ctl.inpaintAll();
    expect(ctl.current.reports.map((r) => r.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(docs[0].history.length).toBe(hist[0] + 1);
    expect(docs[1].snapshot()).toEqual(snaps[1]);
    expect(docs[1].history.length).toBe(hist[1]);
    expect(docs[2].snapshot()).toEqual(snaps[2]);
    expect(ps.liveImageData.size).toBe(0);
  });

  test("Cancel in Photoshop's progress dialog stops the batch the same way", async () => {
    const ps = new PhotoshopDouble();
    const docs = [makeDoc(ps, 'a').doc, makeDoc(ps, 'b').doc, makeDoc(ps, 'c').doc];
    const snaps = docs.map((d) => d.snapshot());
    const host = new PhotoshopHost(ps.module);
    const ctl = new PanelController({ host, models });
    host.onUserCancel = () => ctl.cancel();
    onRun = () => {
      if (ps.activeDoc === docs[1]) ps.userCancels();
    };
    await ctl.inpaintAll();
    expect(ctl.current.reports.map((r) => r.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(ps.modals[1].cancelled).toBe(true);
    expect(docs[1].snapshot()).toEqual(snaps[1]);
    expect(docs[2].snapshot()).toEqual(snaps[2]);
    expect(ps.modals).toHaveLength(2); // the 3rd document never entered a modal scope
  });

  test('a failure after the layer was created rolls the whole document back', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = makeDoc(ps, 'fail.psd');
    const before = doc.snapshot();
    const history = [...doc.history];
    const putPixels = ps.imaging.putPixels;
    (ps.imaging as { putPixels: typeof putPixels }).putPixels = async () => {
      throw new Error('Photoshop said no');
    };
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, models);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/Photoshop said no/);
    expect(doc.snapshot()).toEqual(before);
    expect(doc.history).toEqual(history);
    expect(ps.liveImageData.size).toBe(0);
  });
});

describe('Photoshop adapter: Cancel heard while onnxruntime-web runs on the main thread (UXP has no Worker)', () => {
  test("Photoshop's Cancel arriving as an event between model runs stops the job: nothing is added, one modal rolled back", async () => {
    const ps = new PhotoshopDouble();
    const doc = ps.openDocument('many-holes.psd', 240, 160);
    doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 240, height: 160 }, 7);
    // Eight holes far apart: eight context boxes, eight model runs.
    for (let i = 0; i < 8; i++) doc.select({ left: 10 + (i % 4) * 60, top: 20 + Math.floor(i / 4) * 80, width: 8, height: 8 });
    const before = doc.snapshot();
    const history = [...doc.history];
    // Like onnxruntime-web's WASM backend in UXP: each run is synchronous work on this thread and
    // its promise settles with microtasks only (onnxruntime-node would hand back a macrotask).
    const RUN_MS = 40;
    const model = fakeRunner('bar', (c) => {
      // The user presses Cancel in Photoshop's progress dialog during the first run: Photoshop
      // delivers it as an event, which the plugin hears only when its code yields to the event loop.
      if (model.calls.length === 1) setTimeout(() => ps.userCancels(), 0);
      const t = Date.now();
      while (Date.now() - t < RUN_MS) {
        /* busy, as a WASM run is */
      }
      return c.image.slice();
    });
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, HOLES, { get: async () => model });
    expect(r.status).toBe('cancelled');
    expect(model.calls.length).toBe(1); // heard before the next step, not after the eighth run
    expect(ps.modals[0].cancelled).toBe(true);
    expect(doc.snapshot()).toEqual(before);
    expect(doc.history).toEqual(history);
    expect(ps.liveImageData.size).toBe(0);
  });
});
