/**
 * "Select mosaics" in Photoshop, against the typed double of the photoshop module: the mosaics
 * found on the active layer become the document's selection (imaging.putSelection inside one
 * modal scope, one history state), pixels untouched; no mosaic leaves the selection as it was;
 * the panel's controller reports both.
 */
import '../inference/realm';
import { PhotoshopHost } from '../../src/hosts/photoshop/adapter';
import { selectMosaics } from '../../src/jobs/mosaics';
import { detectMosaics } from '../../src/core/mosaic-detect';
import { PanelController } from '../../src/ui/controller';
import type { ModelProvider } from '../../src/inference/provider';
import { mosaicPage, page, raster } from '../helpers/mosaicPages';
import { PhotoshopDouble, type FakeDocument, type FakeLayer } from './double';

const noModels: ModelProvider = {
  get: async () => {
    throw new Error('Select mosaics loads no model');
  },
};

/** A document whose active layer, placed at (dx, dy), holds `img` (RGB) opaque; transparent elsewhere. */
function docWith(ps: PhotoshopDouble, img: { width: number; height: number; data: Uint8Array | Uint16Array }, dx: number, dy: number): { doc: FakeDocument; layer: FakeLayer } {
  const doc = ps.openDocument('mosaic.psd', img.width + dx + 7, img.height + dy + 5);
  doc.addLayer('Background', { background: true });
  const layer = doc.addLayer('Page');
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3;
      const d = ((y + dy) * doc.width + x + dx) * 4;
      layer.pixels[d] = img.data[s]!;
      layer.pixels[d + 1] = img.data[s + 1]!;
      layer.pixels[d + 2] = img.data[s + 2]!;
      layer.pixels[d + 3] = 255;
    }
  doc.active = [layer];
  return { doc, layer };
}

describe('Select mosaics (Photoshop)', () => {
  it('selects the detected blocks, in document coordinates, as one history state; no pixel changes', async () => {
    const ps = new PhotoshopDouble();
    const c = mosaicPage(8, 3, 6, { seed: 31 });
    const { doc, layer } = docWith(ps, c.image as { width: number; height: number; data: Uint8Array }, 10, 4);
    const before = Array.from(layer.pixels);
    const history = doc.history.length;
    const host = new PhotoshopHost(ps);
    const r = await selectMosaics(host, (await host.activeDocument())!);
    expect(r.status).toBe('done');
    expect(r.message).toMatch(/selected 1 mosaic region \(block 8: /);
    expect(Array.from(layer.pixels)).toEqual(before);
    expect(doc.history.length).toBe(history + 1);
    expect(ps.modals.length).toBe(1);
    // the layer's pixels start at (10, 4) in the document (the layer is trimmed to its content)
    const want = detectMosaics(c.image).mask;
    const sel = doc.selectionChannel!;
    let diff = 0;
    let on = 0;
    for (let y = 0; y < doc.height; y++)
      for (let x = 0; x < doc.width; x++) {
        const inside = x >= 10 && y >= 4 && x < 10 + c.image.width && y < 4 + c.image.height;
        const w = inside && want.data[(y - 4) * c.image.width + x - 10] ? 255 : 0;
        if (sel[y * doc.width + x] !== w) diff++;
        if (w) on++;
      }
    expect(on).toBeGreaterThan(0);
    expect(diff).toBe(0);
    expect(ps.liveImageData.size).toBe(0);
  });

  it('a layer without a mosaic: skipped, the selection left as it was', async () => {
    const ps = new PhotoshopDouble();
    const clean = raster(page(180, 140, 3, 5, { cx: 90, cy: 70, r: 40 }), 180, 140, 3);
    const { doc } = docWith(ps, clean as { width: number; height: number; data: Uint8Array }, 0, 0);
    doc.select({ left: 5, top: 6, width: 20, height: 10 });
    const sel = Array.from(doc.selectionChannel!);
    const host = new PhotoshopHost(ps);
    const r = await selectMosaics(host, (await host.activeDocument())!);
    expect(r.status).toBe('skipped');
    expect(r.message).toMatch(/no mosaic found/);
    expect(Array.from(doc.selectionChannel!)).toEqual(sel);
  });

  it('the panel controller runs it and shows the result in the status line', async () => {
    const ps = new PhotoshopDouble();
    const c = mosaicPage(12, 5, 1, { seed: 32 });
    const { doc } = docWith(ps, c.image as { width: number; height: number; data: Uint8Array }, 0, 0);
    const ctl = new PanelController({ host: new PhotoshopHost(ps), models: noModels });
    await ctl.selectMosaics();
    expect(ctl.current.busy).toBeNull();
    expect(ctl.current.statusKind).toBe('ok');
    expect(ctl.current.status).toMatch(/selected 1 mosaic region \(block 12/);
    expect(doc.selectionChannel).not.toBeNull();
  });
});
