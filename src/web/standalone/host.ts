/**
 * @file The standalone page's Host: one in-page document whose pixels are the opened image and
 * whose selection is the brush mask. The page has no layers: addLayer hands each result to the
 * page, which numbers it ("Result 1", "Result 2", …), shows it composited over the image and
 * offers it for download; a job that used the brush mask then has the page clear it (undoably).
 * Nothing here touches the DOM.
 */
import { InpaintError, type Channel, type Raster } from '../../core/types';
import type { Host, HostDocument, LayerPixels, SelectionPixels } from '../../contracts/host';
import { checkDocumentSize } from '../../browser/limits';

export interface StandaloneImage {
  readonly title: string;
  readonly raster: Raster;
}

export interface StandaloneState {
  /** The opened image, or null before one is opened. */
  image(): StandaloneImage | null;
  /** The brush mask as a gray channel the size of the image (0 = not painted, 255 = painted). */
  mask(): Channel | null;
  /** Receives each result (transparent outside the filled area); returns the name the page shows it under. */
  onResult(pixels: LayerPixels): string;
  /** A job filled the brush mask and its results are in: the page clears the mask (undoably). */
  onMaskUsed(): void;
  /** The colour-hint strokes (RGBA, the image's size; transparent where none), or null when there are none. */
  hints?(): Raster | null;
  /** "Select mosaics": the page shows `mask` (image-sized, 255 = selected) as the brush mask, undoably. */
  setMask?(mask: Channel): void;
}

/** True when any mask pixel is at least half painted (what jobs/ counts as selected). */
function anyPainted(c: Channel): boolean {
  const half = c.maxValue / 2;
  for (let i = 0; i < c.data.length; i++) if (c.data[i] >= half) return true;
  return false;
}

class StandaloneDocument implements HostDocument {
  readonly id = 'page';
  /** Whether this job read the brush mask (holes and mosaic modes; green paint does not). */
  private maskRead = false;
  private maskCleared = false;
  constructor(
    private readonly state: StandaloneState,
    readonly title: string,
  ) {}

  async readLayer(): Promise<LayerPixels> {
    const img = this.state.image();
    if (!img) throw new InpaintError('bad-input', 'No image is open: open an image first.');
    checkDocumentSize(img.title, img.raster.width, img.raster.height);
    return { raster: img.raster, left: 0, top: 0 };
  }

  async readSelection(): Promise<SelectionPixels | null> {
    const m = this.state.mask();
    if (!m || !anyPainted(m)) return null;
    this.maskRead = true;
    return { channel: m, bounds: { left: 0, top: 0, right: m.width, bottom: m.height } };
  }

  /** "Select mosaics": the detected regions become the brush mask (jobs/mosaics.ts). */
  async writeSelection(sel: SelectionPixels): Promise<void> {
    const img = this.state.image();
    if (!img || !this.state.setMask) throw new InpaintError('unsupported', 'This page cannot show a mask.');
    const { width, height } = img.raster;
    const data = new Uint8Array(width * height);
    const { channel: c, bounds: b } = sel;
    for (let y = Math.max(0, b.top); y < Math.min(height, b.top + c.height); y++)
      for (let x = Math.max(0, b.left); x < Math.min(width, b.left + c.width); x++) {
        data[y * width + x] = Math.round((c.data[(y - b.top) * c.width + x - b.left]! * 255) / c.maxValue);
      }
    this.state.setMask({ width, height, data, maxValue: 255 });
  }

  /** The page's "guide" is its colour-hint layer (Colorize reads its strokes as hints). */
  async readGuide(): Promise<LayerPixels | null> {
    const h = this.state.hints?.() ?? null;
    return h ? { raster: h, left: 0, top: 0 } : null;
  }

  async addLayer(_name: string, pixels: LayerPixels): Promise<string> {
    const shown = this.state.onResult(pixels);
    if (this.maskRead && !this.maskCleared) {
      this.maskCleared = true;
      this.state.onMaskUsed();
    }
    return shown;
  }
}

export class StandaloneHost implements Host {
  readonly name = 'Standalone page';
  readonly wording = 'results';
  constructor(private readonly state: StandaloneState) {}

  async activeDocument(): Promise<HostDocument | null> {
    const img = this.state.image();
    return img ? new StandaloneDocument(this.state, img.title) : null;
  }

  async documents(): Promise<readonly HostDocument[]> {
    const d = await this.activeDocument();
    return d ? [d] : [];
  }
}
