/**
 * Colorize layer in Photoshop: the real adapter, jobs and pipeline on the Photoshop double, with the
 * tiny random-weight colorize fixture (onnxruntime-node). A new "Colorized" layer in Color blend
 * mode above the source, one undo step, the source and every other layer untouched; the "Guide"
 * layer's colour dots are the hints; a Grayscale document is refused with what to do.
 */
import '../inference/realm';
import * as path from 'path';
import { PhotoshopHost } from '../../src/hosts/photoshop/adapter';
import { loadNodeModel } from '../../src/inference/node';
import { inpaintDocument } from '../../src/jobs';
import type { JobSettings } from '../../src/contracts/settings';
import { lazyModels } from '../../src/inference/provider';
import { BitsPerChannelType, BlendMode, DocumentMode, PhotoshopDouble } from './double';

const MANIFEST = path.join(__dirname, '..', 'fixtures', 'models.json');
const models = lazyModels((kind) => loadNodeModel(MANIFEST, kind === 'colorize' ? 'tiny-colorize' : 'tiny-pconv'));
afterAll(() => models.dispose());

const COLORIZE: JobSettings = { action: 'colorize', mode: 'holes', grow: 0, variations: 1 };

function page(ps: PhotoshopDouble, mode: string = DocumentMode.RGB, guide = false) {
  const doc = ps.openDocument('page.psd', 64, 48, mode, BitsPerChannelType.EIGHT);
  const paint = doc.addLayer('Background', { background: true }).texture({ left: 0, top: 0, width: 64, height: 48 }, 1);
  if (guide) {
    const g = doc.addLayer('Guide');
    g.fill({ left: 30, top: 20, width: 3, height: 3 }, [30, 90, 220]); // a blue dot: a colour hint
    g.fill({ left: 0, top: 40, width: 60, height: 1 }, [0, 0, 0]); // a black line: not a colour hint
  }
  doc.active = [paint];
  return { doc, paint };
}

describe('Photoshop: Colorize layer', () => {
  test('one "Colorized" layer in Color blend mode directly above the source, one undo step, nothing else changed', async () => {
    const ps = new PhotoshopDouble();
    const { doc, paint } = page(ps);
    const before = doc.snapshot();
    const history = [...doc.history];
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, COLORIZE, models);
    expect(r).toMatchObject({ status: 'done', layersAdded: 1 });
    expect(r.message).toBe('page.psd: colorized into layer "Colorized" (Color blend mode).');
    expect(doc.history).toEqual([...history, 'Colorize layer']);
    const added = doc.layers.find((l) => !before.layers.some((b) => b.id === l.id))!;
    expect(added.name).toBe('Colorized');
    expect(added.blendMode).toBe(BlendMode.COLOR);
    expect(doc.layers.indexOf(added)).toBe(doc.layers.indexOf(paint) - 1);
    expect({ ...doc.snapshot(), layers: doc.snapshot().layers.filter((l) => l.id !== added.id) }).toEqual(before);
    expect(ps.modals.map((m) => m.commandName)).toEqual(['Colorize layer']);
    expect(ps.liveImageData.size).toBe(0);
  });

  test('the "Guide" layer\'s colour dots are hints (the black line is not); the guide is not modified', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = page(ps, DocumentMode.RGB, true);
    const guide = doc.layers.find((l) => l.name === 'Guide')!;
    const guideBefore = guide.pixels.slice();
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, COLORIZE, models);
    expect(r.message).toBe('page.psd: colorized following 9 hint px into layer "Colorized" (Color blend mode).');
    expect(guide.pixels).toEqual(guideBefore);
    const added = doc.layers.find((l) => l.name === 'Colorized')!;
    const o = (21 * 64 + 31) * 4;
    expect(added.pixels[o + 2]).toBeGreaterThan(added.pixels[o]! + 20); // blue where the blue dot is
  });

  test('a Grayscale document is refused with what to do, and nothing is added', async () => {
    const ps = new PhotoshopDouble();
    const { doc } = page(ps, DocumentMode.GRAYSCALE);
    const before = doc.snapshot();
    const host = new PhotoshopHost(ps.module);
    const r = await inpaintDocument(host, (await host.activeDocument())!, COLORIZE, models);
    expect(r.status).toBe('skipped');
    expect(r.message).toMatch(/Grayscale mode.*Image > Mode > RGB Color/);
    expect(doc.snapshot()).toEqual(before);
  });
});
