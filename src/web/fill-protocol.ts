/**
 * @file The messages between the pages (main thread, src/web/fill-client.ts) and their Web Worker
 * (src/web/fill-worker.ts), which loads the model and runs the whole fill (jobs' `localFill`:
 * mask, model, every variation) off the main thread. Rasters travel as typed arrays (structured
 * clone in, transferred out); errors as their code and message.
 */
import { InpaintError, type InpaintErrorCode, type Raster } from '../core/types';
import type { JobSettings } from '../contracts/settings';
import type { JobEvent, PageFill, PageInput } from '../jobs';
import type { WebBackend } from '../inference/web-core';

export interface WorkerConfig {
  /** Absolute URL of models.json. */
  readonly manifestUrl: string;
  /** Absolute URL prefix of ONNX Runtime's files (…/ort/). */
  readonly ortUrl: string;
  /** Backends to try, in order. */
  readonly backends: readonly WebBackend[];
}

export type ToWorker =
  | { readonly type: 'init'; readonly config: WorkerConfig }
  | { readonly type: 'fill'; readonly id: number; readonly page: PageInput; readonly settings: JobSettings }
  | { readonly type: 'cancel'; readonly id: number }
  /** PNG work for the Photopea host (hosts/photopea/host.ts PngCodec), off the main thread. */
  | { readonly type: 'png-decode'; readonly id: number; readonly png: ArrayBuffer | Uint8Array }
  | { readonly type: 'png-encode-placed'; readonly id: number; readonly layer: Raster; readonly left: number; readonly top: number; readonly width: number; readonly height: number };

export interface SentError {
  readonly code?: InpaintErrorCode;
  readonly name?: string;
  readonly message: string;
}

export type FromWorker =
  | { readonly type: 'event'; readonly id: number; readonly event: JobEvent }
  | { readonly type: 'loaded'; readonly name: string; readonly backend: string }
  | { readonly type: 'done'; readonly id: number; readonly fill: PageFill }
  | { readonly type: 'failed'; readonly id: number; readonly error: SentError }
  | { readonly type: 'png-done'; readonly id: number; readonly raster?: Raster; readonly png?: Uint8Array }
  | { readonly type: 'png-failed'; readonly id: number; readonly error: SentError };

export function sendError(e: unknown): SentError {
  if (e instanceof InpaintError) return { code: e.code, name: e.name, message: e.message };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { message: String(e) };
}

export function receiveError(e: SentError): Error {
  if (e.code) return new InpaintError(e.code, e.message);
  const err = new Error(e.message);
  if (e.name) err.name = e.name;
  return err;
}
