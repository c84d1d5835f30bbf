/**
 * @file Photoshop (UXP) implementation of the Host interface. Thin: it reads the active layer and the
 * selection with the Imaging API, refuses what it cannot handle with an actionable message, and writes
 * the fill to a new pixel layer directly above the source layer. `transaction` runs a job inside
 * core.executeAsModal with history suspended, so the whole job is one undo step and Photoshop's
 * progress dialog can cancel it. Facts: /work/shared/docs/uxp-photoshop.md §2–4.
 */
import { alphaBounds } from '../../core/composite';
import { paintLayerHoles } from '../../core/paint';
import { InpaintError, type Mask, type Raster, type Rect } from '../../core/types';
import type { AddLayerOptions, Host, HostDocument, LayerPixels, ReadLayerOptions, SelectionPixels } from '../../contracts/host';
import type { PhotoshopApi, PsDocument, PsExecutionContext, PsImageData, PsLayer } from './api';

const CONVERT_MODE = 'convert it with Image > Mode > RGB Color (and Image > Mode > 8 Bits/Channel or 16 Bits/Channel), then try again';

interface DocFormat {
  readonly gray: boolean;
  readonly componentSize: 8 | 16;
  readonly maxValue: number;
}

/** The document's colour mode and depth, or an 'unsupported' error saying how to convert. */
export function documentFormat(ps: PhotoshopApi, doc: PsDocument): DocFormat {
  const M = ps.constants.DocumentMode;
  const B = ps.constants.BitsPerChannelType;
  const names: Record<string, string> = {
    [M.CMYK]: 'CMYK',
    [M.LAB]: 'Lab',
    [M.BITMAP]: 'Bitmap',
    [M.INDEXEDCOLOR]: 'Indexed Color',
    [M.DUOTONE]: 'Duotone',
    [M.MULTICHANNEL]: 'Multichannel',
  };
  if (doc.mode !== M.RGB && doc.mode !== M.GRAYSCALE) {
    throw new InpaintError('unsupported', `"${doc.title}" is in ${names[doc.mode] ?? doc.mode} mode, which this plugin cannot read: ${CONVERT_MODE}.`);
  }
  if (doc.bitsPerChannel === B.EIGHT) return { gray: doc.mode === M.GRAYSCALE, componentSize: 8, maxValue: 255 };
  if (doc.bitsPerChannel === B.SIXTEEN) return { gray: doc.mode === M.GRAYSCALE, componentSize: 16, maxValue: 32768 };
  const depth = doc.bitsPerChannel === B.THIRTYTWO ? '32 bits per channel' : doc.bitsPerChannel === B.ONE ? '1 bit per channel' : doc.bitsPerChannel;
  throw new InpaintError('unsupported', `"${doc.title}" has ${depth}, which this plugin cannot read: use Image > Mode > 16 Bits/Channel (or 8 Bits/Channel), then try again.`);
}

/** The single active layer, checked to be a visible, unlocked, non-empty pixel layer. */
export function sourceLayer(ps: PhotoshopApi, doc: PsDocument): PsLayer {
  const active = doc.activeLayers;
  if (active.length === 0) throw new InpaintError('bad-input', `No layer is selected in "${doc.title}": select the pixel layer to fill in the Layers panel.`);
  if (active.length > 1) throw new InpaintError('bad-input', `${active.length} layers are selected in "${doc.title}": select just the one pixel layer to fill.`);
  return checkSource(ps, active[0]);
}

/**
 * `layer`, checked to be a visible, unlocked, non-empty pixel layer (the layer a fill reads; it is
 * never written). The Background layer is accepted whatever lock flags UXP reports for it:
 * Photoshop shows it with a lock (no transparency, no moving), and whether Layer.allLocked /
 * pixelsLocked are true for it is UNVERIFIED (no real Photoshop here; the shared UXP notes do not
 * say). Reading it and adding a new layer above it need neither lock off.
 */
function checkSource(ps: PhotoshopApi, layer: PsLayer): PsLayer {
  const K = ps.constants.LayerKind;
  const name = `"${layer.name}"`;
  if (layer.kind !== K.NORMAL) {
    const why =
      layer.kind === K.GROUP
        ? 'is a group: select a pixel layer inside it'
        : layer.kind === K.TEXT
          ? 'is a text layer: rasterize it (Layer > Rasterize > Type) or select a pixel layer'
          : layer.kind === K.SMARTOBJECT
            ? 'is a smart object: rasterize it (Layer > Rasterize > Smart Object) or select a pixel layer'
            : `is a ${layer.kind} layer, not a pixel layer: select a pixel layer`;
    throw new InpaintError('unsupported', `The layer ${name} ${why}.`);
  }
  if (!layer.visible) throw new InpaintError('bad-input', `The layer ${name} is hidden: show it (eye icon in the Layers panel) or select a visible layer.`);
  if (!layer.isBackgroundLayer && (layer.allLocked || layer.pixelsLocked)) throw new InpaintError('bad-input', `The layer ${name} is locked: unlock it in the Layers panel, then try again.`);
  const b = layer.boundsNoEffects;
  if (b.right <= b.left || b.bottom <= b.top) throw new InpaintError('bad-input', `The layer ${name} is empty: select a layer with pixels around the area to fill.`);
  return layer;
}

async function dispose(d: PsImageData): Promise<void> {
  await d.dispose();
}

/** Copies the box out of an RGBA raster; for gray documents keeps gray + alpha (R and A). */
function cropForWrite(r: Raster, box: Rect, gray: boolean): Uint8Array | Uint16Array {
  const outC = gray ? 2 : 4;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const out = r.data instanceof Uint16Array ? new Uint16Array(bw * bh * outC) : new Uint8Array(bw * bh * outC);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const s = ((box.top + y) * r.width + box.left + x) * 4;
      const d = (y * bw + x) * outC;
      if (gray) {
        out[d] = r.data[s]!;
        out[d + 1] = r.data[s + 3]!;
      } else {
        out[d] = r.data[s]!;
        out[d + 1] = r.data[s + 1]!;
        out[d + 2] = r.data[s + 2]!;
        out[d + 3] = r.data[s + 3]!;
      }
    }
  }
  return out;
}

/** `a` ∩ `b`, or null when they do not overlap. */
function intersect(a: Rect, b: Rect): Rect | null {
  const r = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return r.right > r.left && r.bottom > r.top ? r : null;
}

export class PhotoshopDocument implements HostDocument {
  /** The layer the fill read (the result goes above it, or above `paint`). */
  private source: PsLayer | null = null;
  private profile: string | undefined;
  /** Green paint on a layer of its own (readGreenPaint): the paint layer and the layer below it. */
  private paint: { readonly layer: PsLayer; readonly below: PsLayer } | null = null;
  /** The active layer read whole by readGreenPaint when it was not a paint layer: readLayer's answer. */
  private readAhead: { readonly layer: PsLayer; readonly pixels: LayerPixels } | null = null;

  constructor(
    private readonly ps: PhotoshopApi,
    readonly doc: PsDocument,
  ) {}

  get id(): number {
    return this.doc.id;
  }

  get title(): string {
    return this.doc.title;
  }

  /** The layer a fill reads: the active layer, or the layer below a green paint layer (readGreenPaint). */
  private fillLayer(): PsLayer {
    return this.paint ? this.paint.below : sourceLayer(this.ps, this.doc);
  }

  async layerBounds(): Promise<Rect> {
    documentFormat(this.ps, this.doc);
    const b = this.fillLayer().boundsNoEffects;
    return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
  }

  /**
   * The fill layer's pixels; with `options.region`, only that rectangle (clamped to the layer and
   * the document) is read (imaging.getPixels with sourceBounds), never the whole layer.
   */
  async readLayer(options?: ReadLayerOptions): Promise<LayerPixels> {
    const layer = this.fillLayer();
    const ahead = this.readAhead;
    this.readAhead = null;
    const px = ahead && ahead.layer.id === layer.id && !options?.region ? ahead.pixels : await this.readPixels(layer, options?.region);
    this.source = layer;
    return px;
  }

  /**
   * Green-paint mode: when the active layer is a paint layer (core/paint.ts: its visible pixels are
   * green paint on transparency) among the document's top-level layers, the layer to fill is the
   * nearest visible layer below it; the result goes directly above the paint layer, so it covers
   * the paint at once, and neither layer is changed (hide or delete the paint layer afterwards).
   * null (the green is then looked for on the active layer itself, as before): the active layer is
   * not a pixel layer, is the Background, is hidden, is inside a group, or is not paint.
   */
  async readGreenPaint(): Promise<(LayerPixels & { readonly holes: Mask }) | null> {
    this.paint = null;
    this.readAhead = null;
    const active = this.doc.activeLayers;
    if (active.length !== 1) return null;
    const layer = active[0];
    if (layer.kind !== this.ps.constants.LayerKind.NORMAL || layer.isBackgroundLayer || !layer.visible) return null;
    const top = Array.from(this.doc.layers);
    const at = top.findIndex((l) => l.id === layer.id);
    if (at < 0) return null;
    const b = layer.boundsNoEffects;
    if (b.right <= b.left || b.bottom <= b.top) return null;
    const pixels = await this.readPixels(layer);
    const holes = paintLayerHoles(pixels.raster);
    if (!holes) {
      this.readAhead = { layer, pixels }; // not paint: the fill reads this same layer whole
      return null;
    }
    const below = top.slice(at + 1).find((l) => l.visible);
    if (!below) {
      throw new InpaintError('bad-input', `The layer "${layer.name}" holds only green paint and there is no visible layer below it: put the paint layer above the picture to fill, or paint on the picture itself.`);
    }
    checkSource(this.ps, below);
    this.paint = { layer, below };
    return { ...pixels, holes };
  }

  /**
   * The top-level layer named `name` (the guide: black strokes are lines, other colours are colour
   * hints), or null when there is none; a hidden guide is still read (guides are often hidden).
   */
  async readGuide(name: string): Promise<LayerPixels | null> {
    const layers = Array.from(this.doc.layers);
    const guide = layers.find((l) => l.name === name);
    if (!guide) return null;
    if (guide.kind !== this.ps.constants.LayerKind.NORMAL) {
      throw new InpaintError('bad-input', `The guide layer "${name}" is not a pixel layer: rasterize it (Layer > Rasterize) or rename it.`);
    }
    const b = guide.boundsNoEffects;
    if (b.right <= b.left || b.bottom <= b.top) return null; // an empty guide: no hints
    return this.readPixels(guide);
  }

  /**
   * `layer`'s pixels: its whole content (getPixels trims to it), or only `region` of it. A region
   * read comes back exactly as asked (clamped to the layer and the document): where Photoshop trims
   * it further to the pixels it holds, the rest is transparent, as in a whole-layer read.
   */
  private async readPixels(layer: PsLayer, region?: Rect): Promise<LayerPixels> {
    const fmt = documentFormat(this.ps, this.doc);
    let want: Rect | null = null;
    if (region) {
      const lb = layer.boundsNoEffects;
      const doc = { left: 0, top: 0, right: this.doc.width, bottom: this.doc.height };
      want = intersect(intersect(lb, doc) ?? lb, region) ?? { left: lb.left, top: lb.top, right: lb.left + 1, bottom: lb.top + 1 };
    }
    const { imageData, sourceBounds } = await this.ps.imaging.getPixels({
      documentID: this.doc.id,
      layerID: layer.id,
      ...(want ? { sourceBounds: want } : {}),
      colorSpace: fmt.gray ? 'Grayscale' : 'RGB',
      componentSize: fmt.componentSize,
    });
    try {
      const raw = await imageData.getData({ chunky: true });
      if (raw instanceof Float32Array || imageData.componentSize !== fmt.componentSize) {
        throw new InpaintError('unsupported', `Photoshop returned ${imageData.componentSize}-bit pixels for a ${fmt.componentSize}-bit document; ${CONVERT_MODE}.`);
      }
      const channels = imageData.components;
      if (channels < 1 || channels > 4) throw new InpaintError('unsupported', `Photoshop returned ${channels} channels per pixel; ${CONVERT_MODE}.`);
      this.profile = imageData.colorProfile || undefined;
      const raster: Raster = {
        width: imageData.width,
        height: imageData.height,
        channels: channels as Raster['channels'],
        data: raw.slice(),
        maxValue: fmt.maxValue,
      };
      const trimmed = want && (sourceBounds.left !== want.left || sourceBounds.top !== want.top || raster.width !== want.right - want.left || raster.height !== want.bottom - want.top);
      if (want && trimmed && (channels === 2 || channels === 4)) return { raster: padTo(raster, sourceBounds, want), left: want.left, top: want.top };
      return { raster, left: sourceBounds.left, top: sourceBounds.top };
    } finally {
      await dispose(imageData);
    }
  }

  async readSelection(): Promise<SelectionPixels | null> {
    const bounds = this.doc.selection.bounds;
    if (!bounds || bounds.right <= bounds.left || bounds.bottom <= bounds.top) return null;
    // the selection's own box only (its bounds), never the whole document
    const { imageData, sourceBounds } = await this.ps.imaging.getSelection({ documentID: this.doc.id, sourceBounds: { left: bounds.left, top: bounds.top, right: bounds.right, bottom: bounds.bottom } });
    try {
      const raw = await imageData.getData({ chunky: true });
      // Selections are one gray component; normalise by the depth Photoshop actually returned.
      let data: Uint8Array | Uint16Array;
      let maxValue: number;
      if (raw instanceof Float32Array) {
        data = Uint16Array.from(raw, (v) => Math.round(Math.min(1, Math.max(0, v)) * 32768));
        maxValue = 32768;
      } else {
        data = raw.slice();
        maxValue = imageData.componentSize === 16 ? 32768 : 255;
      }
      return {
        channel: { width: imageData.width, height: imageData.height, data, maxValue },
        bounds: { left: sourceBounds.left, top: sourceBounds.top, right: sourceBounds.left + imageData.width, bottom: sourceBounds.top + imageData.height },
      };
    } finally {
      await dispose(imageData);
    }
  }

  /**
   * "Select mosaics": replaces the document's selection with `sel` (imaging.putSelection, a
   * one-component grey image placed at its bounds; must run inside the job's modal scope).
   */
  async writeSelection(sel: SelectionPixels): Promise<void> {
    const { channel, bounds } = sel;
    const data = channel.maxValue === 255 && channel.data instanceof Uint8Array ? channel.data : Uint8Array.from(channel.data, (v) => Math.round((v * 255) / channel.maxValue));
    const imageData = await this.ps.imaging.createImageDataFromBuffer(data, {
      width: channel.width,
      height: channel.height,
      components: 1,
      chunky: true,
      colorSpace: 'Grayscale',
      colorProfile: 'Gray Gamma 2.2',
    });
    try {
      await this.ps.imaging.putSelection({ documentID: this.doc.id, imageData, replace: true, targetBounds: { left: bounds.left, top: bounds.top }, commandName: 'Select mosaics' });
    } finally {
      await dispose(imageData);
    }
  }

  async addLayer(name: string, pixels: LayerPixels, options?: AddLayerOptions): Promise<void> {
    const source = this.source;
    if (!source) throw new InpaintError('internal', 'Internal error: addLayer before readLayer.');
    const fmt = documentFormat(this.ps, this.doc);
    const r = pixels.raster;
    if (r.channels !== 4) throw new InpaintError('internal', `Internal error: the fill layer must be RGBA (got ${r.channels} channels).`);
    const colour = options?.blend === 'color';
    if (colour && fmt.gray) {
      throw new InpaintError('unsupported', 'The document is in Grayscale mode, which cannot show colour: convert it (Image > Mode > RGB Color), then Colorize again.');
    }
    const layer = await this.doc.createPixelLayer({ name, ...(colour ? { blendMode: this.ps.constants.BlendMode.COLOR } : {}) });
    if (!layer) throw new InpaintError('host', `Photoshop did not create the layer "${name}".`);
    // directly above the source, or above the green paint layer over it (readGreenPaint)
    const above = this.paint && this.paint.below.id === source.id ? this.paint.layer : source;
    await layer.move(above, this.ps.constants.ElementPlacement.PLACEBEFORE);
    const box = alphaBounds(r);
    if (!box) return; // nothing to paint: the (empty) layer still marks the run
    const buf = cropForWrite(r, box, fmt.gray);
    const imageData = await this.ps.imaging.createImageDataFromBuffer(buf, {
      width: box.right - box.left,
      height: box.bottom - box.top,
      components: fmt.gray ? 2 : 4,
      chunky: true,
      colorSpace: fmt.gray ? 'Grayscale' : 'RGB',
      colorProfile: this.profile ?? (fmt.gray ? 'Gray Gamma 2.2' : 'sRGB IEC61966-2.1'),
    });
    try {
      await this.ps.imaging.putPixels({
        documentID: this.doc.id,
        layerID: layer.id,
        imageData,
        replace: true,
        targetBounds: { left: pixels.left + box.left, top: pixels.top + box.top },
        commandName: name,
      });
    } finally {
      await dispose(imageData);
    }
  }
}

/** `r` (placed at `at`) inside a transparent raster covering `want` (document coordinates). */
function padTo(r: Raster, at: Rect, want: Rect): Raster {
  const w = want.right - want.left;
  const h = want.bottom - want.top;
  const c = r.channels;
  const data = r.data instanceof Uint16Array ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  const x0 = Math.max(at.left, want.left);
  const x1 = Math.min(at.left + r.width, want.right);
  for (let y = Math.max(at.top, want.top); y < Math.min(at.top + r.height, want.bottom); y++) {
    if (x1 <= x0) break;
    const s = ((y - at.top) * r.width + (x0 - at.left)) * c;
    data.set(r.data.subarray(s, s + (x1 - x0) * c), ((y - want.top) * w + (x0 - want.left)) * c);
  }
  return { width: w, height: h, channels: c, data, maxValue: r.maxValue };
}

export class PhotoshopHost implements Host {
  readonly name = 'Photoshop';
  private ctx: PsExecutionContext | null = null;
  /**
   * Called when the user presses Cancel in Photoshop's own progress dialog. That cancels the current
   * document's transaction; the entry wires this to the panel's cancel so a batch stops too.
   */
  onUserCancel: (() => void) | null = null;

  constructor(private readonly ps: PhotoshopApi) {}

  async activeDocument(): Promise<HostDocument | null> {
    const d = this.ps.app.activeDocument;
    return d ? new PhotoshopDocument(this.ps, d) : null;
  }

  async documents(): Promise<readonly HostDocument[]> {
    const list = this.ps.app.documents;
    const out: HostDocument[] = [];
    for (let i = 0; i < list.length; i++) out.push(new PhotoshopDocument(this.ps, list[i]));
    return out;
  }

  /** Shows progress in Photoshop's own progress dialog while a transaction runs (no-op otherwise). */
  reportProgress(value: number, label?: string): void {
    this.ctx?.reportProgress({ value: Math.min(1, Math.max(0, value)), ...(label ? { commandName: label } : {}) });
  }

  /**
   * One modal scope per document: activates it, suspends its history, runs `fn`, then commits
   * (one undo step named `name`) or, if `fn` throws, rolls back. Photoshop's Cancel aborts the signal.
   */
  async transaction<T>(doc: HostDocument, name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (!(doc instanceof PhotoshopDocument)) throw new InpaintError('internal', 'Internal error: PhotoshopHost.transaction needs a document from this host.');
    const ps = this.ps;
    return ps.core.executeAsModal(
      async (ctx) => {
        const abort = new AbortController();
        const cancel = () => {
          abort.abort();
          this.onUserCancel?.();
        };
        ctx.onCancel = cancel;
        if (ctx.isCancelled) cancel();
        // The DOM's layer creation on a non-active document is unconfirmed; activate it first.
        if (ps.app.activeDocument?.id !== doc.doc.id) ps.app.activeDocument = doc.doc;
        const suspension = await ctx.hostControl.suspendHistory({ documentID: doc.doc.id, name });
        this.ctx = ctx;
        try {
          const result = await fn(abort.signal);
          await ctx.hostControl.resumeHistory(suspension, true);
          return result;
        } catch (e) {
          // Roll back; the original error is what the user needs to see, not a failed rollback.
          await ctx.hostControl.resumeHistory(suspension, false).catch(() => undefined);
          throw e;
        } finally {
          this.ctx = null;
        }
      },
      { commandName: name },
    );
  }
}
