/**
 * @file Shared raster and mask types. Pure data: no DOM, no Node, no ORT.
 *
 * Conventions used everywhere in the project:
 * - Rasters are interleaved, row-major, top-left origin.
 * - `maxValue` is the value of full intensity for the raster's depth:
 *   255 for 8-bit, 32768 for Photoshop 16-bit, 65535 for PNG 16-bit.
 * - Masks are binary: 1 = hole (pixel to be filled), 0 = keep. Never soft.
 */

export type Channels = 1 | 2 | 3 | 4;

export interface Raster {
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. Alpha, when present, is the last channel. */
  readonly channels: Channels;
  /** Uint8Array for 8-bit, Uint16Array for 16-bit. Length = width * height * channels. */
  readonly data: Uint8Array | Uint16Array;
  /** Full-intensity value: 255, 32768 (Photoshop 16-bit) or 65535 (PNG 16-bit). */
  readonly maxValue: number;
}

export interface Mask {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 1 = hole, 0 = keep. */
  readonly data: Uint8Array;
}

/** Gray channel such as a Photoshop selection: 0 = unselected, maxValue = fully selected. */
export interface Channel {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint16Array;
  readonly maxValue: number;
}

/** Axis-aligned rectangle in pixel coordinates; right/bottom exclusive. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A user-facing error: its message says what is wrong and what to do. */
export class InpaintError extends Error {
  constructor(
    readonly code: InpaintErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InpaintError';
  }
}

export type InpaintErrorCode =
  | 'bad-input' // sizes, channels, depths that do not fit
  | 'empty-mask' // nothing to fill
  | 'no-green' // green-paint mode found no #00FF00
  | 'model' // model missing, bad hash, failed to load or run
  | 'aborted' // cancelled by the user
  | 'too-large' // over a stated size limit
  | 'unsupported' // e.g. a layer kind or colour mode the host cannot handle
  | 'host' // the editor did not do what was asked (no layer added in time, no layer created)
  | 'internal'; // a bug: a caller broke a contract (reported as a failure, never as a skip)
