/**
 * @file The pages' FillEngine (main thread): every job's fill runs in a Web Worker
 * (dist/photopea/worker.js, src/web/fill-worker.ts) that loads the model once and keeps it. The
 * main thread reads the pixels, forwards the worker's progress events and adds the layers it sends
 * back, so it never runs a long task of its own.
 *
 * Cancel: the job's promise rejects at once with InpaintError('aborted') (nothing is applied) and
 * the worker is told to stop; the pipeline yields between steps, so it normally stops within one
 * step and keeps the loaded model. A worker that has not stopped after `graceMs` (busy in one long
 * synchronous call: compiling the runtime, one model run) is terminated; the next job starts a
 * fresh one (and loads the model again).
 */
import { InpaintError } from '../core/types';
import type { JobSettings } from '../contracts/settings';
import { nextTask } from '../inference/tasks';
import type { FillEngine, JobContext, PageFill, PageInput } from '../jobs';
import type { Raster } from '../core/types';
import type { PngCodec } from '../hosts/photopea/host';
import { receiveError, type FromWorker, type ToWorker, type WorkerConfig } from './fill-protocol';

/** Only same-origin, relative manifest URLs are accepted from the page's query string. */
export function manifestUrlFromQuery(search: string, fallback = 'models/models.json'): string {
  const v = new URLSearchParams(search).get('models');
  if (!v) return fallback;
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('//') || v.includes('..')) return fallback;
  return v;
}

export interface WorkerFillOptions {
  /** Absolute URL of worker.js. */
  readonly workerUrl: string;
  readonly config: WorkerConfig;
  /** Told the model's name and backend once it is loaded in the worker. */
  readonly onLoaded?: (name: string, backend: string) => void;
  /** How long a cancelled job may take to stop before its worker is terminated. Default 300 ms. */
  readonly graceMs?: number;
  /** Makes the worker (tests: a double). Default `new Worker(workerUrl)`. */
  readonly createWorker?: (url: string) => Worker;
}

interface Pending {
  readonly id: number;
  readonly ctx: JobContext;
  resolve(fill: PageFill): void;
  reject(e: unknown): void;
  /** Resolves when the worker has finished with the job (done, failed or terminated). */
  ended: () => void;
  /** Set once the job's promise has settled (e.g. rejected at cancel) */
  settled: boolean;
}

export class WorkerFill implements FillEngine {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly jobs = new Map<number, Pending>();
  /** The cancelled job still winding down in the worker, if any: a new job waits for it. */
  private windingDown: Promise<void> | null = null;
  /** How many workers were started (1 unless a cancel had to terminate one). */
  started = 0;
  /** PNG calls in flight (pngCodec). */
  private readonly pngCalls = new Map<number, { resolve(v: Raster | Uint8Array): void; reject(e: unknown): void }>();

  constructor(private readonly opts: WorkerFillOptions) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const make = this.opts.createWorker ?? ((url: string) => new Worker(url));
    const w = make(this.opts.workerUrl);
    this.started++;
    w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      this.dropWorker(
        new InpaintError('model', `The page's worker (${this.opts.workerUrl}) failed: ${e.message || 'it did not start'}. Reload the page; if it persists, rebuild with npm run build.`),
      );
    };
    w.postMessage({ type: 'init', config: this.opts.config } satisfies ToWorker);
    this.worker = w;
    return w;
  }

  /** Terminates the worker; every job in it fails with `why` (or just ends, when already settled). */
  private dropWorker(why: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const c of this.pngCalls.values()) c.reject(why);
    this.pngCalls.clear();
    for (const job of this.jobs.values()) {
      if (!job.settled) {
        job.settled = true;
        job.reject(why);
      }
      job.ended();
    }
    this.jobs.clear();
  }

  private receive(m: FromWorker): void {
    if (m.type === 'loaded') {
      this.opts.onLoaded?.(m.name, m.backend);
      return;
    }
    if (m.type === 'png-done' || m.type === 'png-failed') {
      const c = this.pngCalls.get(m.id);
      this.pngCalls.delete(m.id);
      if (m.type === 'png-failed') c?.reject(receiveError(m.error));
      else c?.resolve((m.raster ?? m.png)!);
      return;
    }
    const job = this.jobs.get(m.id);
    if (!job) return;
    if (m.type === 'event') {
      if (!job.settled) job.ctx.onEvent?.(m.event);
      return;
    }
    this.jobs.delete(m.id);
    job.ended();
    if (job.settled) return;
    job.settled = true;
    if (m.type === 'done') job.resolve(m.fill);
    else job.reject(receiveError(m.error));
  }

  async fillPage(page: PageInput, settings: JobSettings, ctx: JobContext): Promise<PageFill> {
    const { signal } = ctx;
    if (this.windingDown) await this.windingDown;
    if (signal?.aborted) throw new InpaintError('aborted', 'Cancelled: nothing was changed in this document.');
    const worker = this.ensureWorker();
    // The pixels were read in this task; copying them to the worker is a task of its own.
    await nextTask();
    if (signal?.aborted) throw new InpaintError('aborted', 'Cancelled: nothing was changed in this document.');
    const id = this.nextId++;
    return new Promise<PageFill>((resolve, reject) => {
      let ended!: () => void;
      const end = new Promise<void>((r) => (ended = r));
      const job: Pending = { id, ctx, resolve, reject, ended, settled: false };
      this.jobs.set(id, job);
      const onAbort = () => {
        if (job.settled) return;
        job.settled = true;
        reject(new InpaintError('aborted', 'Cancelled: nothing was changed in this document.'));
        worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        const timer = setTimeout(() => {
          if (this.jobs.has(id) && this.worker === worker) this.dropWorker(new InpaintError('aborted', 'Cancelled.'));
        }, this.opts.graceMs ?? 300);
        this.windingDown = end.then(() => {
          clearTimeout(timer);
          this.windingDown = null;
        });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void end.then(() => signal?.removeEventListener('abort', onAbort));
      // The layer is copied to the worker (structured clone): the page keeps its own pixels.
      worker.postMessage({ type: 'fill', id, page, settings } satisfies ToWorker);
    });
  }

  /** The Photopea host's PNG decoding and encoding, done in the worker (the same functions, browser/png.ts). */
  pngCodec(): PngCodec {
    const call = <T extends Raster | Uint8Array>(msg: ToWorker): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        this.pngCalls.set((msg as { id: number }).id, { resolve: resolve as (v: Raster | Uint8Array) => void, reject });
        this.ensureWorker().postMessage(msg);
      });
    return {
      decode: (png) => call<Raster>({ type: 'png-decode', id: this.nextId++, png }),
      encodePlaced: (layer, left, top, width, height) => call<Uint8Array>({ type: 'png-encode-placed', id: this.nextId++, layer, left, top, width, height }),
    };
  }

  /** Stops the worker (the page is going away). */
  dispose(): void {
    this.dropWorker(new InpaintError('aborted', 'The page closed the fill worker.'));
  }
}
