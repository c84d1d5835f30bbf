/**
 * @file The Photopea Host: documents, the active layer and the selection read through
 * scripts (transport.ts + scripts.ts), results placed back as a new layer of the same document.
 *
 * Pixels travel as PNG only (lossless): Photopea → plugin via saveToOE("png") ArrayBuffers,
 * plugin → Photopea as a document-sized PNG data URL given to app.open(url, null, true), which
 * lands at 100 % centred, i.e. aligned with the document; it is then renamed and rasterized in
 * later scripts (Photopea finishes the placement only after the placing script ended).
 */
import { alphaBounds } from '../../core/composite';
import { InpaintError, type Raster, type Rect } from '../../core/types';
import type { AddLayerOptions, Host, HostDocument, LayerPixels, SelectionPixels } from '../../contracts/host';
import { checkDocumentSize } from '../../browser/limits';
import { decodePngRaster, encodePlacedRgba8Png, encodePngRaster, pngDataUrl } from '../../browser/png';
import {
  activateScript,
  colorBlendScript,
  exportActiveLayerScript,
  exportNamedLayerScript,
  exportSelectionScript,
  layerBoundsScript,
  listDocumentsScript,
  placeScript,
  placedLayerScript,
  rasterizeScript,
  selectRectsScript,
  translateScript,
  type DocRef,
} from './scripts';
import { PhotopeaError, type PhotopeaTransport } from './transport';

export interface PhotopeaHostOptions {
  /** Timeout for exports of big documents (ms). Default 120 s. */
  readonly exportTimeoutMs?: number;
  /** How long to wait for a placed layer to appear (ms). Default 20 s. */
  readonly placeTimeoutMs?: number;
  /** Pause between polls for the placed layer (ms). Default 150. */
  readonly pollMs?: number;
  /**
   * Where PNGs are decoded and encoded: a document-sized PNG takes the main thread for hundreds of
   * milliseconds, so the plugin page does it in its Web Worker (src/web/fill-client.ts). Default:
   * here, synchronously (browser/png.ts).
   */
  readonly codec?: PngCodec;
}

/** PNG work the host hands off (same results as browser/png.ts's decodePngRaster and encodePlacedRgba8Png). */
export interface PngCodec {
  decode(png: ArrayBuffer | Uint8Array): Promise<Raster>;
  /** A width×height RGBA PNG, transparent except `layer` placed at (left, top). */
  encodePlaced(layer: Raster, left: number, top: number, width: number, height: number): Promise<Uint8Array>;
}

const HERE: PngCodec = {
  decode: async (png) => decodePngRaster(png),
  encodePlaced: async (layer, left, top, width, height) => encodePlacedRgba8Png(layer, left, top, width, height),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function asDocList(v: unknown): { docs: DocRef[]; active: number } {
  const o = v as { docs?: unknown; active?: unknown } | null;
  if (!o || !Array.isArray(o.docs) || typeof o.active !== 'number') throw new PhotopeaError('protocol', 'Photopea sent an unexpected document list.');
  const docs = o.docs.map((d, index) => {
    if (!Array.isArray(d) || typeof d[0] !== 'string' || typeof d[1] !== 'number' || typeof d[2] !== 'number') {
      throw new PhotopeaError('protocol', 'Photopea sent an unexpected document entry.');
    }
    return { index, name: d[0], width: Math.round(d[1]), height: Math.round(d[2]) };
  });
  return { docs, active: o.active };
}

/** Forces a raster to 8-bit RGBA (what a PNG for Photopea needs). */
function toRgba8(r: Raster): Raster {
  if (r.channels === 4 && r.maxValue === 255) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n * 4);
  const c = r.channels;
  const s = 255 / r.maxValue;
  for (let i = 0; i < n; i++) {
    const gray = c <= 2;
    const v0 = r.data[i * c] * s;
    out[i * 4] = Math.round(v0);
    out[i * 4 + 1] = Math.round(gray ? v0 : r.data[i * c + 1] * s);
    out[i * 4 + 2] = Math.round(gray ? v0 : r.data[i * c + 2] * s);
    out[i * 4 + 3] = c === 2 || c === 4 ? Math.round(r.data[i * c + c - 1] * s) : 255;
  }
  return { width: r.width, height: r.height, channels: 4, data: out, maxValue: 255 };
}

/** The layer pixels placed into a transparent document-sized RGBA raster. */
function docSized(p: LayerPixels, width: number, height: number): Raster {
  const src = toRgba8(p.raster);
  if (p.left === 0 && p.top === 0 && src.width === width && src.height === height) return src;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < src.height; y++) {
    const dy = y + p.top;
    if (dy < 0 || dy >= height) continue;
    for (let x = 0; x < src.width; x++) {
      const dx = x + p.left;
      if (dx < 0 || dx >= width) continue;
      out.set(src.data.subarray((y * src.width + x) * 4, (y * src.width + x) * 4 + 4), (dy * width + dx) * 4);
    }
  }
  return { width, height, channels: 4, data: out, maxValue: 255 };
}

/** A script's own __fail message (group layer, document closed) is a reason to skip, not a crash. */
function asUserError(e: unknown): never {
  if (e instanceof PhotopeaError && e.code === 'script') throw new InpaintError('unsupported', e.message);
  throw e;
}

/**
 * A selection channel (document coordinates) as pixel rectangles [left, top, right, bottom): the
 * runs of each row at 50 % or more, a rectangle growing down while the next rows have the same run.
 */
export function selectionRects(sel: SelectionPixels): [number, number, number, number][] {
  const { channel: c, bounds: b } = sel;
  const half = c.maxValue / 2;
  const done: [number, number, number, number][] = [];
  let open = new Map<string, [number, number, number, number]>();
  for (let y = 0; y <= c.height; y++) {
    const next = new Map<string, [number, number, number, number]>();
    if (y < c.height) {
      for (let x = 0; x < c.width; ) {
        if (c.data[y * c.width + x]! < half) {
          x++;
          continue;
        }
        const x0 = x;
        while (x < c.width && c.data[y * c.width + x]! >= half) x++;
        const key = `${x0},${x}`;
        const r = open.get(key);
        if (r) {
          r[3] = b.top + y + 1;
          open.delete(key);
          next.set(key, r);
        } else next.set(key, [b.left + x0, b.top + y, b.left + x, b.top + y + 1]);
      }
    }
    for (const r of open.values()) done.push(r);
    open = next;
  }
  return done;
}

export class PhotopeaDocument implements HostDocument {
  readonly id: string;
  readonly title: string;
  private sourceLayerId: unknown = null;

  constructor(
    private readonly host: PhotopeaHost,
    readonly ref: DocRef,
  ) {
    this.id = `${ref.index}:${ref.name}`;
    this.title = ref.name;
  }

  async readLayer(): Promise<LayerPixels> {
    checkDocumentSize(this.title, this.ref.width, this.ref.height);
    const r = await this.host.transport
      .run(exportActiveLayerScript(this.ref), {
        maxFiles: 1,
        timeoutMs: this.host.opts.exportTimeoutMs ?? 120000,
        what: `exporting the active layer of "${this.title}"`,
      })
      .catch(asUserError);
    const info = r.values[0] as { id?: unknown; name?: unknown } | undefined;
    if (!info || r.files.length !== 1) throw new PhotopeaError('protocol', `Photopea did not send the layer of "${this.title}".`);
    this.sourceLayerId = info.id;
    const raster = await this.host.codec.decode(r.files[0]);
    if (raster.width !== this.ref.width || raster.height !== this.ref.height) {
      throw new PhotopeaError('protocol', `Photopea sent a ${raster.width}×${raster.height} image for a ${this.ref.width}×${this.ref.height} document.`);
    }
    return { raster, left: 0, top: 0 };
  }

  async readSelection(): Promise<SelectionPixels | null> {
    const r = await this.host.transport
      .run(exportSelectionScript(this.ref), {
        maxFiles: 1,
        timeoutMs: this.host.opts.exportTimeoutMs ?? 120000,
        what: `exporting the selection of "${this.title}"`,
      })
      .catch(asUserError);
    if (r.values[0] === null) return null;
    if (r.files.length !== 1) throw new PhotopeaError('protocol', `Photopea did not send the selection of "${this.title}".`);
    const png = toRgba8(await this.host.codec.decode(r.files[0]));
    const { width, height } = png;
    // White fill on a transparent layer: coverage is alpha (times the gray level, which also reads
    // a black/white export correctly if Photopea ever flattens it).
    const data = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) data[i] = Math.round((png.data[i * 4] * png.data[i * 4 + 3]) / 255);
    return { channel: { width, height, data, maxValue: 255 }, bounds: { left: 0, top: 0, right: width, bottom: height } };
  }

  /** The layer named `name` (the guide: colour dots are Colorize's hints), or null when there is none. */
  async readGuide(name: string): Promise<LayerPixels | null> {
    const r = await this.host.transport
      .run(exportNamedLayerScript(this.ref, name), {
        maxFiles: 1,
        timeoutMs: this.host.opts.exportTimeoutMs ?? 120000,
        what: `exporting the layer "${name}" of "${this.title}"`,
      })
      .catch(asUserError);
    if (r.values[0] === null) return null;
    if (r.files.length !== 1) throw new PhotopeaError('protocol', `Photopea did not send the layer "${name}" of "${this.title}".`);
    const raster = await this.host.codec.decode(r.files[0]);
    if (raster.width !== this.ref.width || raster.height !== this.ref.height) {
      throw new PhotopeaError('protocol', `Photopea sent a ${raster.width}×${raster.height} image for a ${this.ref.width}×${this.ref.height} document.`);
    }
    return { raster, left: 0, top: 0 };
  }

  /**
   * "Select mosaics": replaces the selection with `sel` (pixels at 50 % or more), sent as the
   * rectangles of its runs (rows with the same runs merged: a mosaic's blocks give few).
   */
  async writeSelection(sel: SelectionPixels): Promise<void> {
    const rects = selectionRects(sel);
    if (rects.length === 0) return;
    await this.host.transport.run(selectRectsScript(this.ref, rects), { what: `selecting in "${this.title}"` }).catch(asUserError);
  }

  async addLayer(name: string, pixels: LayerPixels, options?: AddLayerOptions): Promise<void> {
    const t = this.host.transport;
    const { width: W, height: H } = this.ref;
    const src = toRgba8(pixels.raster);
    const { left, top } = pixels;
    let expected: Rect | null;
    let png: Uint8Array;
    if (left >= 0 && top >= 0 && left + src.width <= W && top + src.height <= H) {
      // the usual case (a layer of the hole's box): the document-sized PNG is written row by row
      // from it, without a document-sized raster in memory
      const b = alphaBounds(src);
      expected = b && { left: b.left + left, top: b.top + top, right: b.right + left, bottom: b.bottom + top };
      png = expected ? await this.host.codec.encodePlaced(src, left, top, W, H) : new Uint8Array(0);
    } else {
      const raster = docSized({ raster: src, left, top }, W, H);
      expected = alphaBounds(raster);
      png = expected ? encodePngRaster(raster) : new Uint8Array(0);
    }
    if (!expected) return; // nothing to add
    const url = pngDataUrl(png);
    const placed = await t.run(placeScript(this.ref, this.sourceLayerId, url), { what: `placing the result into "${this.title}"`, timeoutMs: 120000 });
    const before = placed.values[0];
    if (!Array.isArray(before)) throw new PhotopeaError('protocol', 'Photopea sent an unexpected layer list.');
    const deadline = Date.now() + (this.host.opts.placeTimeoutMs ?? 20000);
    let id: unknown = null;
    for (;;) {
      const r = await t.run(placedLayerScript(this.ref, before, name), { what: 'looking for the placed layer' });
      const v = r.values[0] as { id?: unknown } | null;
      if (v && v.id !== undefined) {
        id = v.id;
        break;
      }
      if (Date.now() > deadline) throw new InpaintError('host', `Photopea did not add the result layer to "${this.title}" in time; nothing else was changed.`);
      await sleep(this.host.opts.pollMs ?? 150);
    }
    await t.run(rasterizeScript(this.ref, id, this.sourceLayerId), { what: 'rasterizing the new layer' });
    if (options?.blend === 'color') {
      const mode = (await t.run(colorBlendScript(this.ref, id), { what: 'setting the new layer to Color blend mode' })).values[0];
      if (!/colou?r/i.test(String(mode))) throw new InpaintError('host', `Photopea did not set the layer "${name}" to Color blend mode (it reports "${String(mode)}"); set it in the Layers panel.`);
    }
    // Check alignment: a rasterized layer's bounds are its opaque pixels. Move it only when the size
    // matches exactly and the offset differs (bounds may report something else while a selection is active).
    const b = (await t.run(layerBoundsScript(this.ref, id), { what: 'checking the new layer' })).values[0];
    if (Array.isArray(b) && b.length === 4) {
      const [l, tp, r, bt] = b.map((x) => Math.round(Number(x)));
      const sameSize = r - l === expected.right - expected.left && bt - tp === expected.bottom - expected.top;
      const dx = expected.left - l;
      const dy = expected.top - tp;
      if (sameSize && (dx !== 0 || dy !== 0)) await t.run(translateScript(this.ref, id, dx, dy), { what: 'aligning the new layer' });
    }
  }
}

export class PhotopeaHost implements Host {
  readonly name = 'Photopea';
  readonly codec: PngCodec;

  constructor(
    readonly transport: PhotopeaTransport,
    readonly opts: PhotopeaHostOptions = {},
  ) {
    this.codec = opts.codec ?? HERE;
  }

  private async list(): Promise<{ docs: DocRef[]; active: number }> {
    const r = await this.transport.run(listDocumentsScript(), { what: 'listing the open documents' });
    return asDocList(r.values[0]);
  }

  async activeDocument(): Promise<HostDocument | null> {
    const { docs, active } = await this.list();
    if (docs.length === 0) return null;
    return new PhotopeaDocument(this, docs[active >= 0 ? active : 0]);
  }

  async documents(): Promise<readonly HostDocument[]> {
    const { docs } = await this.list();
    return docs.map((d) => new PhotopeaDocument(this, d));
  }

  /**
   * Scripts can only read a document by making it active, so a batch switches documents; afterwards
   * the document that was active before is made active again. Photopea has no history grouping
   * (no suspendHistory), so there is nothing else to wrap.
   */
  async transaction<T>(_doc: HostDocument, _name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { docs, active } = await this.list();
    const before = active >= 0 ? docs[active] : null;
    try {
      return await fn(new AbortController().signal);
    } finally {
      if (before) await this.transport.run(activateScript(before), { what: 'switching back to your document' }).catch(() => undefined);
    }
  }
}
