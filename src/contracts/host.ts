/**
 * @file The Host interface: what the shared UI and jobs need from an editor.
 * Implemented by Photoshop (UXP), Photopea (postMessage), the standalone page and an
 * in-memory host used by tests. Adapters stay thin: all decisions live in jobs/ and core/.
 */
import type { Channel, Raster, Rect } from '../core/types';

/** Pixels of one layer, positioned in document coordinates (layer bounds may be smaller than the document). */
export interface LayerPixels {
  readonly raster: Raster;
  /** Where raster pixel (0,0) sits in the document. */
  readonly left: number;
  readonly top: number;
}

/** The selection as a gray channel positioned in document coordinates; null when there is none. */
export interface SelectionPixels {
  readonly channel: Channel;
  readonly bounds: Rect;
}

export interface HostDocument {
  readonly id: string | number;
  readonly title: string;
  /** Throws InpaintError('unsupported' | 'bad-input', …) with an actionable message for layers/modes it cannot read. */
  readLayer(): Promise<LayerPixels>;
  readSelection(): Promise<SelectionPixels | null>;
  /**
   * Adds a new pixel layer directly above the source layer, named `name`, holding `pixels`
   * (transparent outside the filled area), as one undo step where the host has undo.
   * A host that names its results itself (the standalone page numbers them) returns that name.
   */
  addLayer(name: string, pixels: LayerPixels, options?: AddLayerOptions): Promise<string | void>;
  /**
   * The guide layer named `name` (black strokes: lines; other colours: colour hints), or null
   * when the document has none. Hosts without layers leave it out.
   */
  readGuide?(name: string): Promise<LayerPixels | null>;
}

export interface AddLayerOptions {
  /** The new layer's blend mode; default normal. 'color': the layer gives hue and saturation, the page below keeps its luminosity (Colorize). */
  readonly blend?: 'normal' | 'color';
}

export interface Host {
  readonly name: string;
  /**
   * How job messages speak of the pixels and of what is added. 'layers' (default): an editor with
   * layers ("the active layer", `into layer "Inpainted"`). 'results': a page without layers (the
   * standalone page): "the image", and the names addLayer returns ("Result 2").
   */
  readonly wording?: 'layers' | 'results';
  activeDocument(): Promise<HostDocument | null>;
  documents(): Promise<readonly HostDocument[]>;
  /**
   * Runs `fn` for one document as a single undoable, cancellable operation where the host
   * supports it (Photoshop: executeAsModal + suspendHistory). Hosts without undo just call fn.
   */
  transaction?<T>(doc: HostDocument, name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}
