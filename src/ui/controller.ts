/**
 * @file The panel's logic without JSX: a pure reducer over job events, and a controller that runs
 * jobs against a Host + ModelProvider (or FillEngine) and feeds the reducer. Tested in Node (tests/ui).
 */
import { InpaintError } from '../core/types';
import type { Host } from '../contracts/host';
import { nextTask } from '../inference/tasks';
import type { ModelKind } from '../inference/types';
import { inpaintAllDocuments, inpaintDocument, summarise, type JobEvent, type JobModels, type JobReport } from '../jobs';
import { selectMosaics } from '../jobs/mosaics';
import { loadSettings, normaliseSettings, saveSettings, type PanelSettings, type SettingsStore } from './settings';

export type StatusKind = 'info' | 'busy' | 'ok' | 'warn' | 'error';

export interface PanelState {
  readonly settings: PanelSettings;
  /** What is running, if anything. */
  readonly busy: null | 'single' | 'batch';
  /** True after Cancel was pressed and before the job has wound down. */
  readonly cancelling: boolean;
  /** Overall progress 0..1 while busy. */
  readonly progress: number;
  readonly status: string;
  readonly statusKind: StatusKind;
  /** Per-document results of the last run (one entry for a single run). */
  readonly reports: readonly JobReport[];
  /** Model kinds known to be loaded (so "first run only" is said only once). */
  readonly loadedModels: readonly ModelKind[];
  /** The kind the job asked for last ('model-loading'); loaded once the pipeline reports progress. */
  readonly modelLoading: ModelKind | null;
  /**
   * While a model loads in this job: the part of the bar its load fills (`from`..`to`, half of what
   * is left of the document's share); the fill then uses the rest, so the bar only moves forward.
   */
  readonly loadBar: { readonly kind: ModelKind; readonly from: number; readonly to: number } | null;
  /** Whether the current/last run was "Inpaint all open documents" (the panel then lists every document). */
  readonly lastBatch: boolean;
  /** Position inside a batch. */
  readonly doc: { readonly index: number; readonly total: number; readonly title: string } | null;
}

export type PanelAction =
  | { readonly type: 'settings'; readonly patch: Partial<PanelSettings> }
  | { readonly type: 'start'; readonly batch: boolean }
  | { readonly type: 'event'; readonly event: JobEvent }
  | { readonly type: 'cancel' }
  | { readonly type: 'finish'; readonly reports: readonly JobReport[] }
  | { readonly type: 'error'; readonly message: string }
  /** A job without reports ended (Select mosaics): its one-line result. */
  | { readonly type: 'status'; readonly message: string; readonly kind: StatusKind };

export function initialState(settings: PanelSettings): PanelState {
  return {
    settings,
    busy: null,
    cancelling: false,
    progress: 0,
    status: 'Select the area to fill, then press Inpaint selection.',
    statusKind: 'info',
    reports: [],
    loadedModels: [],
    modelLoading: null,
    loadBar: null,
    lastBatch: false,
    doc: null,
  };
}

const MODEL_NAMES: Record<ModelKind, string> = { bar: 'model', mosaic: 'mosaic model', colorize: 'colorize model' };

/** The share of a document's bar that a first model load takes. */
const LOAD_SHARE = 0.5;

/** Progress 0..1 of one job event within the current document (variations × regions). */
function docFraction(e: JobEvent): number | null {
  if (e.type !== 'pipeline') return null;
  const { variation, variations, event } = e;
  let inVariation = 0;
  if (event.type === 'region') inVariation = event.regions > 0 ? event.index / event.regions : 0;
  else if (event.type === 'done') inVariation = 1;
  return (variation + inVariation) / Math.max(1, variations);
}

export function reducer(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'settings':
      return { ...state, settings: normaliseSettings(action.patch, state.settings) };
    case 'start':
      return {
        ...state,
        busy: action.batch ? 'batch' : 'single',
        lastBatch: action.batch,
        cancelling: false,
        progress: 0,
        reports: [],
        doc: null,
        loadBar: null,
        status: action.batch ? 'Starting on every open document…' : 'Reading the pixels and the selection…',
        statusKind: 'busy',
      };
    case 'cancel':
      if (!state.busy) return state;
      return { ...state, cancelling: true, status: 'Cancelling… (stops before the next model call)', statusKind: 'busy' };
    case 'event': {
      if (!state.busy) return state;
      const e = action.event;
      const total = state.doc?.total ?? 1;
      const index = state.doc?.index ?? 0;
      switch (e.type) {
        case 'document':
          return { ...state, doc: { index: e.index, total: e.total, title: e.title }, loadBar: null, progress: e.index / e.total, status: state.cancelling ? state.status : `Document ${e.index + 1} of ${e.total}: ${e.title}` };
        case 'model-loading':
          if (state.loadedModels.includes(e.kind) || state.cancelling) return { ...state, modelLoading: e.kind };
          return { ...state, modelLoading: e.kind, status: `Loading ${MODEL_NAMES[e.kind]}… (first run only)` };
        case 'model-progress': {
          const end = (index + 1) / total;
          const bar = state.loadBar?.kind === e.kind ? state.loadBar : { kind: e.kind, from: state.progress, to: state.progress + (end - state.progress) * LOAD_SHARE };
          const f = Math.min(1, Math.max(0, e.progress.fraction));
          const first = state.loadedModels.includes(e.kind) ? '' : ' (first run only)';
          return {
            ...state,
            loadBar: bar,
            progress: Math.max(state.progress, bar.from + (bar.to - bar.from) * f),
            status: state.cancelling ? state.status : `Loading ${MODEL_NAMES[e.kind]}: ${e.progress.stage}…${first}`,
          };
        }
        case 'pipeline': {
          const f = docFraction(e) ?? 0;
          const kind = state.modelLoading;
          const loadedModels = !kind || state.loadedModels.includes(kind) ? state.loadedModels : [...state.loadedModels, kind];
          const where = state.busy === 'batch' && state.doc ? `${state.doc.title} (${index + 1}/${total}): ` : '';
          const ev = e.event;
          const what =
            ev.type === 'region'
              ? `filling region ${ev.index + 1} of ${ev.regions}`
              : ev.type === 'start'
                ? `${ev.regions} region${ev.regions === 1 ? '' : 's'} to fill`
                : 'writing the result';
          const variation = e.variations > 1 ? ` (variation ${e.variation + 1} of ${e.variations})` : '';
          // after a load in this document, the fill has the rest of the document's share
          const base = state.loadBar ? state.loadBar.to : index / total;
          return {
            ...state,
            loadedModels,
            progress: Math.max(state.progress, base + ((index + 1) / total - base) * f),
            status: state.cancelling ? state.status : `${where}${what}${variation}…`,
          };
        }
        case 'report':
          return { ...state, reports: [...state.reports, e.report], progress: Math.max(state.progress, (index + 1) / total) };
      }
      return state;
    }
    case 'finish': {
      const reports = action.reports;
      let status: string;
      let statusKind: StatusKind;
      if (state.busy === 'batch') {
        status = `All documents: ${summarise(reports)}.`;
        statusKind = reports.some((r) => r.status === 'failed') ? 'error' : reports.some((r) => r.status !== 'done') ? 'warn' : 'ok';
      } else {
        const r = reports[0];
        status = r ? r.message : 'Nothing was done.';
        statusKind = !r ? 'warn' : r.status === 'done' ? 'ok' : r.status === 'failed' ? 'error' : 'warn';
      }
      return { ...state, busy: null, cancelling: false, progress: reports.length ? 1 : 0, reports, status, statusKind };
    }
    case 'error':
      return { ...state, busy: null, cancelling: false, progress: 0, status: action.message, statusKind: 'error' };
    case 'status':
      return { ...state, busy: null, cancelling: false, progress: 0, status: action.message, statusKind: action.kind };
  }
}

export interface ControllerDeps {
  readonly host: Host;
  /** A ModelProvider (the fill runs here) or a FillEngine (the pages: a Web Worker). */
  readonly models: JobModels;
  readonly store?: SettingsStore;
  /** Receives every new state (tests: an array push). More listeners: `subscribe`. */
  readonly onState?: (s: PanelState) => void;
  /** Receives progress (0..1) and the status line while a job runs, e.g. for the host's own progress bar. */
  readonly onProgress?: (fraction: number, status: string) => void;
}

/**
 * Runs panel actions. One job at a time: a second click while busy is ignored.
 * Cancel aborts the job's signal; hosts with their own cancel (Photoshop's progress dialog) cancel too.
 */
export class PanelController {
  private state: PanelState;
  private abort: AbortController | null = null;
  private readonly listeners = new Set<(s: PanelState) => void>();

  constructor(private readonly deps: ControllerDeps) {
    this.state = initialState(loadSettings(deps.store));
  }

  get current(): PanelState {
    return this.state;
  }

  private dispatch(action: PanelAction): void {
    this.state = reducer(this.state, action);
    this.deps.onState?.(this.state);
    for (const l of this.listeners) l(this.state);
    if (this.state.busy) this.deps.onProgress?.(this.state.progress, this.state.status);
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (s: PanelState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether a job is running. */
  get busy(): boolean {
    return this.state.busy !== null;
  }

  setSettings(patch: Partial<PanelSettings>): void {
    this.dispatch({ type: 'settings', patch });
    saveSettings(this.deps.store, this.state.settings);
  }

  cancel(): void {
    if (!this.abort) return;
    this.dispatch({ type: 'cancel' });
    this.abort.abort();
  }

  /** "Inpaint selection" on the active document. */
  async inpaintSelection(): Promise<void> {
    await this.run(false, async (signal, onEvent) => {
      const doc = await this.deps.host.activeDocument();
      if (!doc) throw new InpaintError('bad-input', 'No document is open: open an image, select the area to fill, then try again.');
      return [await inpaintDocument(this.deps.host, doc, this.state.settings, this.deps.models, { signal, onEvent })];
    });
  }

  /**
   * "Colorize layer": the active layer gets a new "Colorized" layer in Color blend mode, with the
   * guide layer's colour dots (when the document has a layer named "Guide") as hints.
   */
  async colorizeLayer(): Promise<void> {
    await this.run(false, async (signal, onEvent) => {
      const doc = await this.deps.host.activeDocument();
      if (!doc) throw new InpaintError('bad-input', 'No document is open: open a black-and-white page, then try again.');
      return [await inpaintDocument(this.deps.host, doc, { ...this.state.settings, action: 'colorize' }, this.deps.models, { signal, onEvent })];
    });
  }

  /** "Colorize all open documents": each document's active layer, as colorizeLayer. */
  async colorizeAll(): Promise<void> {
    await this.run(true, (signal, onEvent) => inpaintAllDocuments(this.deps.host, { ...this.state.settings, action: 'colorize' }, this.deps.models, { signal, onEvent }));
  }

  /** "Inpaint all open documents": the same settings on each document's active layer and selection. */
  /** "Select mosaics": the mosaics found on the active layer become the selection (jobs/mosaics.ts); nothing else changes. */
  async selectMosaics(): Promise<void> {
    if (this.state.busy) return;
    this.dispatch({ type: 'start', batch: false });
    try {
      const doc = await this.deps.host.activeDocument();
      if (!doc) throw new InpaintError('bad-input', 'No document is open: open an image with a mosaic first.');
      const r = await selectMosaics(this.deps.host, doc);
      this.dispatch({ type: 'status', message: r.message, kind: r.status === 'done' ? 'ok' : r.status === 'failed' ? 'error' : 'warn' });
    } catch (e) {
      this.dispatch({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  async inpaintAll(): Promise<void> {
    await this.run(true, (signal, onEvent) => inpaintAllDocuments(this.deps.host, this.state.settings, this.deps.models, { signal, onEvent }));
  }

  private async run(batch: boolean, job: (signal: AbortSignal, onEvent: (e: JobEvent) => void) => Promise<JobReport[]>): Promise<void> {
    if (this.state.busy) return;
    const abort = new AbortController();
    this.abort = abort;
    this.dispatch({ type: 'start', batch });
    try {
      // The click's own task ends here: the busy panel is drawn before the job reads any pixels.
      await nextTask();
      const reports = await job(abort.signal, (event) => this.dispatch({ type: 'event', event }));
      this.dispatch({ type: 'finish', reports });
    } catch (e) {
      this.dispatch({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      this.abort = null;
    }
  }
}
