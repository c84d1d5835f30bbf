/**
 * @file The exact subset of the `photoshop` and `uxp` modules the adapter uses, as narrow interfaces.
 * The real modules (typed by @types/photoshop) are checked to satisfy them below, so the in-memory
 * double in tests/photoshop implements these same interfaces and cannot drift from the real API shape.
 * Names and shapes: /work/shared/docs/uxp-photoshop.md §2–4 (imaging, executeAsModal, DOM).
 */
import type * as RealPhotoshop from 'photoshop';

export interface PsBounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface PsLayer {
  readonly id: number;
  readonly name: string;
  /** LayerKind value: "pixel" for a normal pixel layer. */
  readonly kind: string;
  readonly visible: boolean;
  readonly allLocked: boolean;
  readonly pixelsLocked: boolean;
  readonly isBackgroundLayer: boolean;
  /** Pixel bounds of the layer's content (may be smaller than the document, or empty). */
  readonly boundsNoEffects: PsBounds;
  /** "placeBefore" puts this layer directly above `relativeObject`. */
  move(relativeObject: PsLayer, insertLocation: string): void | Promise<void>;
}

export interface PsDocument {
  readonly id: number;
  readonly title: string;
  /** The canvas size in pixels (a layer's bounds may reach beyond it). */
  readonly width: number;
  readonly height: number;
  /** DocumentMode value, e.g. "RGBColorMode". */
  readonly mode: string;
  /** BitsPerChannelType value, e.g. "bitDepth8". */
  readonly bitsPerChannel: string;
  readonly activeLayers: ArrayLike<PsLayer>;
  /** PS 25.0+: bounds is null when there is no selection. */
  readonly selection: { readonly bounds: PsBounds | null };
  /** The top-level layers, top first (a guide layer is looked up here by name). */
  readonly layers: ArrayLike<PsLayer>;
  createPixelLayer(options?: { name?: string; blendMode?: string }): Promise<PsLayer | null>;
}

export interface PsApp {
  activeDocument: PsDocument | null;
  readonly documents: ArrayLike<PsDocument>;
}

export interface PsImageData {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly componentSize: 8 | 16 | 32;
  readonly colorProfile: string;
  readonly hasAlpha: boolean;
  getData(options: { chunky?: boolean; fullRange?: boolean }): Promise<Uint8Array | Uint16Array | Float32Array>;
  dispose(): Promise<void> | void;
}

export interface PsImaging {
  getPixels(options: {
    documentID?: number;
    layerID?: number;
    sourceBounds?: PsBounds;
    colorSpace?: string;
    componentSize?: -1 | 8 | 16 | 32;
  }): Promise<{ imageData: PsImageData; sourceBounds: PsBounds; level: number }>;
  getSelection(options: { documentID?: number; sourceBounds?: PsBounds }): Promise<{ imageData: PsImageData; sourceBounds: PsBounds }>;
  createImageDataFromBuffer(
    data: Uint8Array | Uint16Array | Float32Array,
    options: { width: number; height: number; components: number; chunky?: boolean; colorProfile?: string; colorSpace: string },
  ): Promise<PsImageData>;
  /** Replaces (replace: true) the selection with a one-component grey image placed at targetBounds (PS 24.4+, shared uxp-photoshop.md §3). */
  putSelection(options: { documentID?: number; imageData: PsImageData; replace?: boolean; targetBounds?: { left: number; top: number } & Partial<PsBounds>; commandName?: string }): Promise<void>;
  putPixels(options: {
    documentID?: number;
    layerID: number;
    imageData: PsImageData;
    replace?: boolean;
    targetBounds?: { left: number; top: number } & Partial<PsBounds>;
    commandName?: string;
  }): Promise<void>;
}

export interface PsHistorySuspension {
  readonly historySuspensionID: number;
}

export interface PsExecutionContext {
  readonly isCancelled: boolean;
  onCancel: undefined | ((e?: { reason: string }) => void);
  reportProgress(params: { value?: number; commandName?: string }): void;
  readonly hostControl: {
    suspendHistory(params: { name: string; documentID: number }): Promise<PsHistorySuspension>;
    resumeHistory(params: PsHistorySuspension & { finalName?: string }, commit?: boolean): Promise<void>;
  };
}

export interface PsCore {
  executeAsModal<T>(fn: (ctx: PsExecutionContext, descriptor?: object) => Promise<T>, options: { commandName: string }): Promise<T>;
}

export interface PsConstants {
  readonly LayerKind: { readonly NORMAL: string; readonly GROUP: string; readonly TEXT: string; readonly SMARTOBJECT: string };
  readonly DocumentMode: { readonly RGB: string; readonly GRAYSCALE: string; readonly CMYK: string; readonly LAB: string; readonly BITMAP: string; readonly INDEXEDCOLOR: string; readonly DUOTONE: string; readonly MULTICHANNEL: string };
  readonly BitsPerChannelType: { readonly ONE: string; readonly EIGHT: string; readonly SIXTEEN: string; readonly THIRTYTWO: string };
  readonly ElementPlacement: { readonly PLACEBEFORE: string };
  readonly BlendMode: { readonly NORMAL: string; readonly COLOR: string };
}

/** What the adapter needs from `require('photoshop')`. */
export interface PhotoshopApi {
  readonly app: PsApp;
  readonly core: PsCore;
  readonly imaging: PsImaging;
  readonly constants: PsConstants;
}

/** What the model loader needs from UXP: `require('fs')` (reads `plugin:/…` paths). */
export interface UxpFs {
  readFile(path: string, options?: { encoding?: string }): Promise<ArrayBuffer | string>;
}

// Compile-time proof that the real module (as typed by @types/photoshop) fits these interfaces.
// `tsc --noEmit` fails here if a name or shape the adapter relies on does not exist.
type Fits<A, B> = [A] extends [B] ? true : false;
export const REAL_PHOTOSHOP_FITS: Fits<Pick<typeof RealPhotoshop, 'app' | 'imaging' | 'constants' | 'core'>, PhotoshopApi> = true;

/** What the panel entry needs from `require('uxp')`. */
export interface UxpModule {
  readonly entrypoints: { setup(config: object): void };
}
