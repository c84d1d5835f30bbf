/**
 * Issue 13, Photoshop: only the part of the layer the fill reads is read (imaging.getPixels with
 * sourceBounds; the selection with its own box), with a result identical to a whole-layer read;
 * green paint on a layer of its own above the picture; the Background layer (reported locked or not).
 * The real adapter, jobs and pipeline on the Photoshop double, with the tiny fixture models.
 */
import '../inference/realm';
import * as path from 'path';
import { PhotoshopDocument, PhotoshopHost } from '../../src/hosts/photoshop/adapter';
import { loadNodeModel } from '../../src/inference/node';
import { lazyModels } from '../../src/inference/provider';
import { inpaintDocument } from '../../src/jobs';
import type { JobSettings } from '../../src/contracts/settings';
import type { HostDocument } from '../../src/contracts/host';
import { inpaint } from '../../src/pipeline';
import { inpaintReadRegion } from '../../src/pipeline/region';
import { paintLayerHoles } from '../../src/core/paint';
import { maskBounds } from '../../src/core/mask';
import type { Mask, Raster } from '../../src/core/types';
import { BitsPerChannelType, DocumentMode, PhotoshopDouble, type FakeDocument, type FakeLayer } from './double';
import { fakeRunner } from '../helpers/fakeRunner';

const MANIFEST = path.join(__dirname, '..', 'fixtures', 'models.json');
const models = lazyModels((kind) => loadNodeModel(MANIFEST, kind === 'mosaic' ? 'tiny-pconv-mosaic' : 'tiny-pconv'));
afterAll(() => models.dispose());

type R = { left: number; top: number; width: number; height: number };
const area = (b: { left: number; top: number; right: number; bottom: number }) => (b.right - b.left) * (b.bottom - b.top);

/** The same document's fill with whole-layer reads: the adapter without layerBounds (the job then reads the whole layer). */
function wholeLayer(d: HostDocument): HostDocument {
  const w = Object.create(d) as HostDocument & { layerBounds?: unknown };
  w.layerBounds = undefined;
  return w;
}

async function run(ps: PhotoshopDouble, settings: JobSettings, whole = false) {
  const host = new PhotoshopHost(ps.module);
  const d = (await host.activeDocument())!;
  return inpaintDocument(host, whole ? wholeLayer(d) : d, settings, models);
}

function added(doc: FakeDocument, before: ReturnType<FakeDocument['snapshot']>): FakeLayer[] {
  return doc.layers.filter((l) => !before.layers.some((b) => b.id === l.id));
}

function withoutLayers(snap: ReturnType<FakeDocument['snapshot']>, ids: number[]) {
  return { ...snap, layers: snap.layers.filter((l) => !ids.includes(l.id)) };
}

/** A cheap copy of what a user sees (large pages: Buffer compares instead of deep-equal arrays). */
function keep(doc: FakeDocument) {
  return { layers: doc.layers.map((l) => ({ l, name: l.name, visible: l.visible, px: Buffer.from(l.pixels.slice().buffer) })), sel: doc.selectionChannel?.slice() ?? null };
}
/** Every layer kept is unchanged and in the same order; the selection too; `extra` layers were added. */
function unchangedBut(doc: FakeDocument, kept: ReturnType<typeof keep>, extra: FakeLayer[]) {
  expect(doc.layers.filter((l) => !extra.includes(l)).map((l) => l.id)).toEqual(kept.layers.map((k) => k.l.id));
  for (const k of kept.layers) {
    expect([k.l.name, k.l.visible]).toEqual([k.name, k.visible]);
    expect(Buffer.from(k.l.pixels.buffer, k.l.pixels.byteOffset, k.l.pixels.byteLength).equals(k.px)).toBe(true);
  }
  expect(doc.selectionChannel).toEqual(kept.sel);
}

/** A large page: Background + a textured "Picture" layer smaller than the document (active). */
function bigPage(ps: PhotoshopDouble, bits: string = BitsPerChannelType.EIGHT): { doc: FakeDocument; picture: FakeLayer } {
  const doc = ps.openDocument('big.psd', 640, 480, DocumentMode.RGB, bits);
  doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 640, height: 480 }, 2);
  const picture = doc.addLayer('Picture').texture({ left: 40, top: 30, width: 560, height: 420 }, 5);
  picture.fill({ left: 300, top: 200, width: 200, height: 3 }, [20, 20, 20]); // an ink line into a hole
  return { doc, picture };
}

describe('Photoshop: only the part of the layer the fill reads is read', () => {
  const cases: [string, JobSettings, R[]][] = [
    ['one small hole, default fill', { mode: 'holes', grow: 0, variations: 1 }, [{ left: 400, top: 195, width: 12, height: 14 }]],
    ['holes near the layer edges and each other, grown, 2 variations, texture', { mode: 'holes', grow: 2, variations: 2, texture: 'auto' }, [
      { left: 36, top: 300, width: 10, height: 8 }, // crosses the layer's left edge
      { left: 585, top: 440, width: 30, height: 20 }, // crosses its bottom-right corner
      { left: 420, top: 190, width: 6, height: 20 },
      { left: 440, top: 196, width: 6, height: 6 },
    ]],
    ['mosaic mode', { mode: 'mosaic', grow: 0, variations: 1 }, [{ left: 500, top: 400, width: 24, height: 16 }]],
  ];

  test.each(cases)('%s: a small box is read, and the new layers are identical to a whole-layer read', async (_n, settings, holes) => {
    const make = () => {
      const ps = new PhotoshopDouble();
      const { doc, picture } = bigPage(ps);
      for (const h of holes) doc.select(h);
      return { ps, doc, picture };
    };
    const a = make();
    const b = make();
    const keptA = keep(a.doc);
    const ra = await run(a.ps, settings);
    const rb = await run(b.ps, settings, true);
    expect(ra.status).toBe('done');
    expect(ra).toMatchObject({ layersAdded: rb.layersAdded, holePixels: rb.holePixels, message: rb.message });
    // the region read: one getPixels with sourceBounds, a small part of the 560x420 layer
    const reads = a.ps.pixelReads.filter((r) => r.layerID === a.picture.id);
    expect(reads).toHaveLength(1);
    expect(reads[0].asked).not.toBeNull();
    expect(reads[0].returned).toEqual(reads[0].asked);
    const lb = a.picture.boundsNoEffects;
    expect(reads[0].asked!.left).toBeGreaterThanOrEqual(lb.left);
    expect(reads[0].asked!.right).toBeLessThanOrEqual(lb.right);
    // one hole: a small box; a mosaic's fill also reads the examples around it (core/mosaic-examples.ts,
    // MOSAIC_EXAMPLES.searchMargin px beyond its blocks), still well under the layer
    if (holes.length === 1) expect(area(reads[0].asked!)).toBeLessThan(area(lb) / (settings.mode === 'mosaic' ? 2 : 20));
    // the whole-layer run read it whole
    expect(b.ps.pixelReads.filter((r) => r.layerID === b.picture.id).map((r) => r.asked)).toEqual([null]);
    // the selection read by its own box
    expect(a.ps.selectionReads.map((r) => r.asked)).toEqual([a.doc.selection.bounds]);
    const la = a.doc.layers.filter((l) => !keptA.layers.some((k) => k.l === l));
    const lb2 = b.doc.layers.filter((l) => !keptA.layers.some((k) => k.name === l.name));
    expect(la.map((l) => l.name)).toEqual(lb2.map((l) => l.name));
    for (let i = 0; i < la.length; i++) {
      expect(la[i].boundsNoEffects).toEqual(lb2[i].boundsNoEffects);
      expect(Buffer.from(la[i].pixels.buffer).equals(Buffer.from(lb2[i].pixels.buffer))).toBe(true);
    }
    // one undo step, nothing else touched, image data disposed
    expect(a.doc.history.slice(-1)).toEqual(['Inpaint selection']);
    unchangedBut(a.doc, keptA, la);
    expect(a.ps.liveImageData.size).toBe(0);
  });

  test('16-bit: the region read is placed right and matches the whole-layer read', async () => {
    const make = () => {
      const ps = new PhotoshopDouble();
      ps.selectionDepth = 16;
      const { doc, picture } = bigPage(ps, BitsPerChannelType.SIXTEEN);
      doc.select({ left: 100, top: 420, width: 9, height: 9 });
      return { ps, doc, picture };
    };
    const a = make();
    const b = make();
    const settings: JobSettings = { mode: 'holes', grow: 1, variations: 1 };
    expect((await run(a.ps, settings)).status).toBe('done');
    expect((await run(b.ps, settings, true)).status).toBe('done');
    const pa = a.doc.layers.find((l) => l.name === 'Inpainted')!;
    const pb = b.doc.layers.find((l) => l.name === 'Inpainted')!;
    expect(pa.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(pa.pixels)).toEqual(Array.from(pb.pixels));
    expect(area(a.ps.pixelReads.find((r) => r.layerID === a.picture.id)!.asked!)).toBeLessThan(100 * 100);
  });

  test('nothing to fill (no selection, or a selection outside the layer): one pixel is read, not the layer', async () => {
    const ps = new PhotoshopDouble();
    const { doc, picture } = bigPage(ps);
    const r1 = await run(ps, { mode: 'holes', grow: 0, variations: 1 });
    expect(r1.message).toMatch(/no selection/);
    doc.select({ left: 2, top: 2, width: 20, height: 20 }); // outside the Picture layer (40..600, 30..450)
    const r2 = await run(ps, { mode: 'holes', grow: 0, variations: 1 });
    expect(r2.message).toMatch(/outside the active layer/);
    for (const r of ps.pixelReads.filter((x) => x.layerID === picture.id)) expect(area(r.returned)).toBe(1);
  });

  test('pipeline: inpaint() on the crop inpaintReadRegion names gives the same fill as on the whole page (holes anywhere, block-prior mosaic)', async () => {
    const makePage = (W: number, H: number): Raster => {
      const page: Raster = { width: W, height: H, channels: 4, maxValue: 255, data: new Uint8Array(W * H * 4) };
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const o = (y * W + x) * 4;
        page.data[o] = (x * 7 + y * 3) % 256; page.data[o + 1] = (x * y) % 251; page.data[o + 2] = ((x >> 3) * 40 + (y >> 3) * 13) % 256; page.data[o + 3] = 255;
      }
      return page;
    };
    const small = makePage(300, 220);
    // the mosaic's page is larger: its fill reads the examples MOSAIC_EXAMPLES.searchMargin px around it
    const big = makePage(900, 700);
    const MX = 600, MY = 480;
    // an 8-px mosaic over one hole, so the block-prior path finds its grid
    for (let y = MY; y < MY + 32; y++) for (let x = MX; x < MX + 40; x++) for (let k = 0; k < 3; k++) big.data[(y * 900 + x) * 4 + k] = big.data[((y & ~7) * 900 + (x & ~7)) * 4 + k];
    const echo = (kind: 'bar' | 'mosaic', input = {}) => fakeRunner(kind, (c) => c.image.map((v, i) => (v * 0.7 + 0.3 * Math.sin(i * 0.37 + c.mask[i % c.mask.length]!)) % 1), input);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const trials: [string, Mask, ReturnType<typeof echo>, Raster][] = [];
    for (let t = 0; t < 6; t++) {
      const W = 300, H = 220;
      const m = new Uint8Array(W * H);
      for (let k = 0; k < 1 + (t % 3); k++) {
        const w = 3 + Math.floor(rnd() * 30), h = 3 + Math.floor(rnd() * 30);
        const x0 = Math.floor(rnd() * (W - w)), y0 = Math.floor(rnd() * (H - h));
        for (let y = y0; y < y0 + h; y++) m.fill(1, y * W + x0, y * W + x0 + w);
      }
      trials.push([`holes ${t}`, { width: W, height: H, data: m }, echo('bar', t % 2 ? { size: 48, maxSide: 96, multiple: 16 } : {}), small]);
    }
    const mm = new Uint8Array(900 * 700);
    for (let y = MY; y < MY + 32; y++) mm.fill(1, y * 900 + MX, y * 900 + MX + 40);
    trials.push(['mosaic', { width: 900, height: 700, data: mm }, echo('mosaic', { mosaic: 'block-prior' }), big]);
    for (const [name, mask, model, page] of trials) {
      const { width: W, height: H } = page;
      const mode = model.info.kind === 'mosaic' ? 'mosaic' : 'holes';
      const full = await inpaint(page, mask, { model, mode, texture: 'auto' });
      const r = inpaintReadRegion(mask, model.info.input, mode)!;
      const cw = r.right - r.left, ch = r.bottom - r.top;
      expect({ name, small: cw * ch < W * H }).toEqual({ name, small: true });
      const crop: Raster = { ...page, width: cw, height: ch, data: new Uint8Array(cw * ch * 4) };
      const cm: Mask = { width: cw, height: ch, data: new Uint8Array(cw * ch) };
      for (let y = 0; y < ch; y++) {
        crop.data.set(page.data.subarray(((r.top + y) * W + r.left) * 4, ((r.top + y) * W + r.right) * 4), y * cw * 4);
        cm.data.set(mask.data.subarray((r.top + y) * W + r.left, (r.top + y) * W + r.right), y * cw);
      }
      const part = await inpaint(crop, cm, { model, mode, texture: 'auto' });
      if (mode === 'mosaic') expect([full.mosaicGrid?.block, part.mosaicGrid?.block]).toEqual([8, 8]); // the block-prior path ran
      let diff = 0;
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const inside = x >= r.left && x < r.right && y >= r.top && y < r.bottom;
        for (let k = 0; k < 4; k++) {
          const f = full.image.data[(y * W + x) * 4 + k];
          const p = inside ? part.image.data[((y - r.top) * cw + x - r.left) * 4 + k] : page.data[(y * W + x) * 4 + k];
          if (f !== p) diff++;
        }
      }
      expect({ name, diff }).toEqual({ name, diff: 0 });
    }
  });
});

describe('Photoshop: green paint on a layer of its own', () => {
  const STROKES: R[] = [
    { left: 60, top: 40, width: 14, height: 9 },
    { left: 100, top: 70, width: 5, height: 22 },
  ];

  /** Background (the picture) + a transparent "Green" layer above it with the strokes (active). */
  function painted(ps: PhotoshopDouble, where: 'layer' | 'picture', soft = false): { doc: FakeDocument; bg: FakeLayer; green: FakeLayer | null } {
    const doc = ps.openDocument('paint.psd', 400, 300);
    const bg = doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 400, height: 300 }, 4);
    if (where === 'picture') {
      for (const s of STROKES) bg.fill(s, [0, 255, 0]);
      return { doc, bg, green: null };
    }
    const green = doc.addLayer('Green');
    for (const s of STROKES) green.fill(s, [0, 255, 0]);
    if (soft) {
      // a soft edge: half-transparent green beside the first stroke
      for (let y = 40; y < 49; y++) {
        const o = (y * 400 + 74) * 4;
        green.pixels.set([0, 255, 0, 128], o);
      }
    }
    return { doc, bg, green };
  }

  test('the holes are the visible green of the paint layer; the picture below is filled, read by region; the result goes above the paint layer; no layer is changed; one undo step', async () => {
    const ps = new PhotoshopDouble();
    const { doc, bg, green } = painted(ps, 'layer');
    const before = doc.snapshot();
    const r = await run(ps, { mode: 'green', grow: 0, variations: 1 });
    expect(r).toMatchObject({ status: 'done', holePixels: 14 * 9 + 5 * 22 });
    const [res] = added(doc, before);
    expect(doc.layers.map((l) => l.name)).toEqual(['Inpainted', 'Green', 'Background']);
    expect(withoutLayers(doc.snapshot(), [res.id])).toEqual(before);
    expect(doc.history.slice(-1)).toEqual(['Inpaint selection']);
    expect(res.boundsNoEffects).toEqual({ left: 60, top: 40, right: 105, bottom: 92 });
    // the Background is read by region, not whole; the paint layer whole (its own small bounds)
    const bgReads = ps.pixelReads.filter((x) => x.layerID === bg.id);
    expect(bgReads).toHaveLength(1);
    expect(area(bgReads[0].asked!)).toBeLessThan(400 * 300);
    expect(ps.pixelReads.filter((x) => x.layerID === green!.id).map((x) => x.returned)).toEqual([{ left: 60, top: 40, right: 105, bottom: 92 }]);
    expect(ps.liveImageData.size).toBe(0);
  });

  test('the same fill as the strokes selected on the picture in Holes mode (and as with whole-layer reads)', async () => {
    const a = new PhotoshopDouble();
    const pa = painted(a, 'layer');
    const b = new PhotoshopDouble();
    const pb = painted(b, 'picture');
    for (const s of STROKES) pb.bg.fill(s, [0, 0, 0]).texture(s, 4); // the picture as it was
    for (const s of STROKES) pb.doc.select(s);
    const c = new PhotoshopDouble();
    const pc = painted(c, 'layer');
    const settings: JobSettings = { mode: 'green', grow: 2, variations: 1 };
    expect((await run(a, settings)).status).toBe('done');
    expect((await run(b, { ...settings, mode: 'holes' })).status).toBe('done');
    expect((await run(c, settings, true)).status).toBe('done');
    const res = (ps: PhotoshopDouble) => Array.from(ps.documents[0].layers.find((l) => l.name === 'Inpainted')!.pixels);
    expect(res(a)).toEqual(res(b));
    expect(res(a)).toEqual(res(c));
    expect(a.pixelReads.filter((x) => x.layerID === pa.bg.id).map((x) => x.asked === null)).toEqual([false]);
    expect(c.pixelReads.filter((x) => x.layerID === pc.bg.id).map((x) => x.asked)).toEqual([null]);
  });

  test('a soft edge (half-transparent green) is part of the hole', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = painted(ps, 'layer', true);
    const before = doc.snapshot();
    const r = await run(ps, { mode: 'green', grow: 0, variations: 1 });
    expect(r).toMatchObject({ status: 'done', holePixels: 15 * 9 + 5 * 22 });
    expect(added(doc, before)[0].boundsNoEffects.left).toBe(60);
  });

  test('a paint layer above a pixel layer that is not the Background, with a hidden layer between: the nearest visible layer is filled', async () => {
    const ps = new PhotoshopDouble();
    const doc = ps.openDocument('stack.psd', 200, 150);
    doc.addLayer('Background', { background: true }).fill({ left: 0, top: 0, width: 200, height: 150 }, [250, 250, 250]);
    const art = doc.addLayer('Art').texture({ left: 10, top: 10, width: 180, height: 130 }, 9);
    const hidden = doc.addLayer('Hidden').fill({ left: 0, top: 0, width: 200, height: 150 }, [255, 0, 0]);
    hidden.visible = false;
    const green = doc.addLayer('Green').fill({ left: 50, top: 50, width: 10, height: 10 }, [0, 255, 0]);
    expect(doc.active).toEqual([green]);
    const before = doc.snapshot();
    const r = await run(ps, { mode: 'green', grow: 0, variations: 1 });
    expect(r).toMatchObject({ status: 'done', holePixels: 100 });
    expect(doc.layers.map((l) => l.name)).toEqual(['Inpainted', 'Green', 'Hidden', 'Art', 'Background']);
    expect(ps.pixelReads.some((x) => x.layerID === art.id)).toBe(true);
    expect(ps.pixelReads.some((x) => x.layerID === hidden.id)).toBe(false);
    expect(withoutLayers(doc.snapshot(), [doc.layers[0].id])).toEqual(before);
  });

  test('refusals: nothing visible below the paint, or a text layer below it; nothing is changed', async () => {
    for (const [setup, message] of [
      [(doc: FakeDocument) => doc.addLayer('Green').fill({ left: 5, top: 5, width: 6, height: 6 }, [0, 255, 0]), /holds only green paint and there is no visible layer below it/],
      [(doc: FakeDocument) => {
        doc.addLayer('Words', { kind: 'text' });
        doc.addLayer('Green').fill({ left: 5, top: 5, width: 6, height: 6 }, [0, 255, 0]);
      }, /"Words" is a text layer/],
    ] as const) {
      const ps = new PhotoshopDouble();
      const doc = ps.openDocument('r.psd', 40, 30);
      setup(doc);
      const before = doc.snapshot();
      const r = await run(ps, { mode: 'green', grow: 0, variations: 1 });
      expect(r.status).toBe('skipped');
      expect(r.message).toMatch(message);
      expect(doc.snapshot()).toEqual(before);
    }
  });

  test('core: what a paint layer is', () => {
    const px = (pixels: number[][]): Raster => ({ width: pixels.length, height: 1, channels: 4, maxValue: 255, data: Uint8Array.from(pixels.flat()) });
    expect(paintLayerHoles(px([[0, 255, 0, 255], [0, 0, 0, 0], [10, 240, 20, 40]]))!.data).toEqual(Uint8Array.from([1, 0, 1]));
    expect(paintLayerHoles(px([[0, 255, 0, 255], [200, 180, 170, 255]]))).toBeNull(); // picture content: not a paint layer
    expect(paintLayerHoles(px([[0, 160, 160, 255]]))).toBeNull(); // teal is not green paint
    expect(paintLayerHoles(px([[0, 0, 0, 0]]))).toBeNull(); // nothing visible
    expect(paintLayerHoles(px([[0, 255, 0, 10]]))).toBeNull(); // under 1/16: not visible
    expect(paintLayerHoles({ width: 1, height: 1, channels: 3, maxValue: 255, data: Uint8Array.from([0, 255, 0]) })).toBeNull();
    const many = Array.from({ length: 100 }, (_, i) => (i === 0 ? [255, 255, 255, 255] : [0, 255, 0, 255]));
    expect(maskBounds(paintLayerHoles(px(many))!)).toEqual({ left: 1, top: 0, right: 100, bottom: 1 }); // a stray mark tolerated, not a hole
  });
});

describe('Photoshop: the Background layer', () => {
  test.each([
    ['reported unlocked', false],
    ['reported locked (allLocked and pixelsLocked, unverified in Photoshop)', true],
  ])('a document whose only layer is the Background (%s): read by region and filled, the result added above it, one undo step', async (_n, locked) => {
    const ps = new PhotoshopDouble();
    const doc = ps.openDocument('flat.jpg', 500, 400);
    const bg = doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 500, height: 400 }, 6);
    bg.allLocked = locked;
    bg.pixelsLocked = locked;
    doc.select({ left: 240, top: 180, width: 16, height: 10 });
    const kept = keep(doc);
    const history = [...doc.history];
    const r = await run(ps, { mode: 'holes', grow: 0, variations: 1 });
    expect(r).toMatchObject({ status: 'done', layersAdded: 1, holePixels: 160 });
    expect(doc.layers.map((l) => l.name)).toEqual(['Inpainted', 'Background']);
    expect(doc.layers[0].boundsNoEffects).toEqual({ left: 240, top: 180, right: 256, bottom: 190 });
    unchangedBut(doc, kept, [doc.layers[0]]);
    expect([bg.allLocked, bg.pixelsLocked]).toEqual([locked, locked]);
    expect(doc.history).toEqual([...history, 'Inpaint selection']);
    const reads = ps.pixelReads.filter((x) => x.layerID === bg.id);
    expect(reads).toHaveLength(1);
    expect(area(reads[0].asked!)).toBeLessThan(500 * 400 / 10);
    expect(ps.liveImageData.size).toBe(0);
  });

  test('green painted on the Background itself (3 components, no alpha): read whole, filled, result above it', async () => {
    const ps = new PhotoshopDouble();
    const doc = ps.openDocument('flat.png', 120, 90);
    const bg = doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 120, height: 90 }, 3);
    bg.allLocked = true;
    bg.fill({ left: 50, top: 40, width: 8, height: 6 }, [0, 255, 0]);
    const r = await run(ps, { mode: 'green', grow: 0, variations: 1 });
    expect(r.status).toBe('done');
    expect(r.holePixels).toBeGreaterThanOrEqual(48); // the paint and its fringe (greenMask)
    expect(doc.layers.map((l) => l.name)).toEqual(['Inpainted', 'Background']);
  });
});

test('the adapter is the one under test (no accidental wrapper)', () => {
  const ps = new PhotoshopDouble();
  ps.openDocument('x', 4, 4).addLayer('Background', { background: true });
  expect(new PhotoshopDocument(ps.module, ps.documents[0]).layerBounds).toBeInstanceOf(Function);
});
