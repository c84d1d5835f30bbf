/**
 * In-memory Host used by tests: documents with one positioned layer, an optional selection,
 * and a log of added layers and undo steps. Faithful to the Host contract, nothing more.
 */
import type { Channel, Raster, Rect } from '../../src/core/types';
import { InpaintError } from '../../src/core/types';
import type { AddLayerOptions, Host, HostDocument, LayerPixels, SelectionPixels } from '../../src/contracts/host';

export interface MemoryDocInit {
  title: string;
  layer: LayerPixels;
  selection?: SelectionPixels | null;
  /** Makes readLayer refuse, as a host does for a text or group layer. */
  unsupported?: string;
  /** Other layers by name (a "Guide" layer with strokes and colour dots). */
  others?: Record<string, LayerPixels>;
}

export class MemoryDocument implements HostDocument {
  readonly id: number;
  readonly title: string;
  readonly layer: LayerPixels;
  readonly selection: SelectionPixels | null;
  readonly added: { name: string; pixels: LayerPixels; options?: AddLayerOptions }[] = [];
  readonly others: Record<string, LayerPixels>;
  readonly unsupported?: string;
  undoSteps = 0;
  private static next = 1;

  constructor(init: MemoryDocInit) {
    this.id = MemoryDocument.next++;
    this.title = init.title;
    this.layer = init.layer;
    this.selection = init.selection ?? null;
    this.unsupported = init.unsupported;
    this.others = init.others ?? {};
  }
  async readLayer(): Promise<LayerPixels> {
    if (this.unsupported) throw new InpaintError('unsupported', this.unsupported);
    return this.layer;
  }
  async readSelection(): Promise<SelectionPixels | null> {
    return this.selection;
  }
  async addLayer(name: string, pixels: LayerPixels, options?: AddLayerOptions): Promise<void> {
    this.added.push({ name, pixels, ...(options ? { options } : {}) });
  }
  async readGuide(name: string): Promise<LayerPixels | null> {
    return this.others[name] ?? null;
  }
}

export class MemoryHost implements Host {
  readonly name = 'memory';
  transactions = 0;
  constructor(readonly docs: MemoryDocument[]) {}
  async activeDocument(): Promise<HostDocument | null> {
    return this.docs[0] ?? null;
  }
  async documents(): Promise<readonly HostDocument[]> {
    return this.docs;
  }
  async transaction<T>(doc: HostDocument, _name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.transactions++;
    const d = doc as MemoryDocument;
    const before = d.added.length;
    const r = await fn(new AbortController().signal);
    if (d.added.length > before) d.undoSteps++;
    return r;
  }
}

/** An RGBA 8-bit raster with a deterministic pattern (lines and a screentone-like dot grid). */
export function patternRaster(width: number, height: number, channels: 3 | 4 = 4, maxValue = 255): Raster {
  const data = maxValue > 255 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const v = (x % 6 < 2 && y % 6 < 2) || (x + y) % 37 === 0 ? 0.1 : 0.9;
      data[i] = Math.round(v * maxValue);
      data[i + 1] = Math.round(v * maxValue * 0.95);
      data[i + 2] = Math.round(v * maxValue * 0.9);
      if (channels === 4) data[i + 3] = maxValue;
    }
  }
  return { width, height, channels, data, maxValue };
}

/** A selection channel covering `bounds` (document coordinates) with a filled disc, optionally feathered. */
export function discSelection(bounds: Rect, cx: number, cy: number, r: number, feather = 0, maxValue = 255): SelectionPixels {
  const w = bounds.right - bounds.left;
  const h = bounds.bottom - bounds.top;
  const data = maxValue > 255 ? new Uint16Array(w * h) : new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(bounds.left + x - cx, bounds.top + y - cy);
      const a = feather > 0 ? Math.min(1, Math.max(0, (r + feather / 2 - d) / feather)) : d <= r ? 1 : 0;
      data[y * w + x] = Math.round(a * maxValue);
    }
  }
  const channel: Channel = { width: w, height: h, data, maxValue };
  return { channel, bounds };
}
