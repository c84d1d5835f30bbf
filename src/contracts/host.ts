/**
 * @file The Host interface: what the shared UI and jobs need from an editor.
 * Implemented by Photoshop (UXP), Photopea (postMessage), the standalone page and an
 * in-memory host used by tests. Adapters stay thin: all decisions live in jobs/ and core/.
 */
import type { Channel, Mask, Raster, Rect } from '../core/types';

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
  /**
   * Throws InpaintError('unsupported' | 'bad-input', …) with an actionable message for layers/modes it cannot read.
   * `options.region` (document coordinates): only that part is needed; a host may read just it,
   * clamped to the layer (Photoshop does), or return more.
   */
  readLayer(options?: ReadLayerOptions): Promise<LayerPixels>;
  /**
   * Optional: the bounds (document coordinates) of the layer readLayer reads, with readLayer's
   * checks and refusals, without reading its pixels. A job asks it before reading a region.
   */
  layerBounds?(): Promise<Rect>;
  /**
   * Optional, hosts with layers, green-paint mode: when the active layer is a separate paint layer
   * (green strokes on transparency, core/paint.ts) above the layer to fill, its pixels and its holes
   * (`holes`: the layer's own grid). From then on layerBounds and readLayer are those of the
   * layer below it (the source) and addLayer puts the result directly above the paint layer; no
   * existing layer is changed. null: the active layer is not a paint layer.
   */
  readGreenPaint?(): Promise<(LayerPixels & { readonly holes: Mask }) | null>;
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

/** What a job tells readLayer about the pixels it needs. */
export interface ReadLayerOptions {
  /** Only this rectangle (document coordinates) is needed. */
  readonly region?: Rect;
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
