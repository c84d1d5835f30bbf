import { initialState, PanelController, reducer, type PanelState } from '../../src/ui/controller';
import { DEFAULT_SETTINGS, type SettingsStore } from '../../src/ui/settings';
import { lazyModels } from '../../src/inference/provider';
import type { JobEvent, JobReport } from '../../src/jobs';
import { grayModels, memDoc, memHost } from './memoryHost';

function mapStore(): SettingsStore {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

function collect() {
  const states: PanelState[] = [];
  return { states, onState: (s: PanelState) => states.push(s) };
}

const report = (status: JobReport['status'], document = 'a.psd'): JobReport => ({ document, status, message: `${document}: ${status}`, layersAdded: status === 'done' ? 1 : 0, holePixels: 0, seconds: 0 });

describe('reducer', () => {
  test('progress is monotone over a batch and reaches 1 at the end', () => {
    let s = reducer(initialState(DEFAULT_SETTINGS), { type: 'start', batch: true });
    const events: JobEvent[] = [];
    for (let d = 0; d < 2; d++) {
      events.push({ type: 'document', index: d, total: 2, title: `d${d}` });
      events.push({ type: 'model-loading', kind: 'bar' });
      events.push({ type: 'pipeline', variation: 0, variations: 1, event: { type: 'start', regions: 2 } });
      for (let r = 0; r < 2; r++) events.push({ type: 'pipeline', variation: 0, variations: 1, event: { type: 'region', index: r, regions: 2, box: { left: 0, top: 0, right: 1, bottom: 1 } } });
      events.push({ type: 'pipeline', variation: 0, variations: 1, event: { type: 'done', regions: 2 } });
      events.push({ type: 'report', report: report('done', `d${d}`) });
    }
    let last = 0;
    for (const event of events) {
      s = reducer(s, { type: 'event', event });
      expect(s.progress).toBeGreaterThanOrEqual(last);
      expect(s.progress).toBeLessThanOrEqual(1);
      last = s.progress;
    }
    expect(s.progress).toBe(1);
    s = reducer(s, { type: 'finish', reports: s.reports });
    expect(s.busy).toBeNull();
    expect(s.status).toBe('All documents: 2 done, 0 skipped, 0 failed.');
    expect(s.statusKind).toBe('ok');
  });

  test('"Loading model… (first run only)" is said only until the model has run once', () => {
    let s = reducer(initialState(DEFAULT_SETTINGS), { type: 'start', batch: false });
    s = reducer(s, { type: 'event', event: { type: 'model-loading', kind: 'bar' } });
    expect(s.status).toBe('Loading model… (first run only)');
    s = reducer(s, { type: 'event', event: { type: 'pipeline', variation: 0, variations: 1, event: { type: 'start', regions: 1 } } });
    expect(s.loadedModels).toEqual(['bar']);
    s = reducer(s, { type: 'finish', reports: [report('done')] });
    s = reducer(s, { type: 'start', batch: false });
    s = reducer(s, { type: 'event', event: { type: 'model-loading', kind: 'bar' } });
    expect(s.status).not.toContain('first run');
  });

  test('single-run status is the report message, coloured by outcome', () => {
    const start = reducer(initialState(DEFAULT_SETTINGS), { type: 'start', batch: false });
    expect(reducer(start, { type: 'finish', reports: [report('done')] }).statusKind).toBe('ok');
    expect(reducer(start, { type: 'finish', reports: [report('skipped')] }).statusKind).toBe('warn');
    const failed = reducer(start, { type: 'finish', reports: [report('failed')] });
    expect(failed.statusKind).toBe('error');
    expect(failed.status).toBe('a.psd: failed');
  });

  test('cancel is ignored when idle and announced when busy; events after finish are ignored', () => {
    const idle = initialState(DEFAULT_SETTINGS);
    expect(reducer(idle, { type: 'cancel' })).toBe(idle);
    const busy = reducer(reducer(idle, { type: 'start', batch: false }), { type: 'cancel' });
    expect(busy.cancelling).toBe(true);
    expect(busy.status).toMatch(/^Cancelling/);
    expect(reducer(idle, { type: 'event', event: { type: 'model-loading', kind: 'bar' } })).toBe(idle);
  });
});

describe('PanelController against an in-memory host', () => {
  test('Inpaint selection adds one layer to the active document and reports it', async () => {
    const doc = memDoc('photo.png', 24, 20, { left: 5, top: 4, width: 6, height: 5 });
    const models = grayModels();
    const c = collect();
    const ctl = new PanelController({ host: memHost([doc]), models: lazyModels((k) => models.get(k)), onState: c.onState });
    await ctl.inpaintSelection();
    expect(doc.added.map((a) => a.name)).toEqual(['Inpainted']);
    expect(ctl.current.statusKind).toBe('ok');
    expect(ctl.current.status).toMatch(/^photo\.png: filled .* px into layer "Inpainted"\.$/);
    expect(c.states.some((s) => s.status === 'Loading model… (first run only)')).toBe(true);
    expect(ctl.current.busy).toBeNull();
  });

  test('no open document gives a clear message and no crash', async () => {
    const ctl = new PanelController({ host: memHost([]), models: grayModels(), onState: () => {} });
    await ctl.inpaintSelection();
    expect(ctl.current.statusKind).toBe('error');
    expect(ctl.current.status).toMatch(/No document is open/);
    await ctl.inpaintAll();
    expect(ctl.current.status).toMatch(/No document is open/);
  });

  test('batch: per-document list with done and skipped, model loaded once', async () => {
    const docs = [memDoc('a', 16, 16, { left: 2, top: 2, width: 4, height: 4 }), memDoc('b', 16, 16, null), memDoc('c', 16, 16, { left: 8, top: 8, width: 3, height: 3 })];
    const raw = grayModels();
    const ctl = new PanelController({ host: memHost(docs), models: lazyModels((k) => raw.get(k)), onState: () => {} });
    await ctl.inpaintAll();
    expect(ctl.current.reports.map((r) => r.status)).toEqual(['done', 'skipped', 'done']);
    expect(ctl.current.reports[1].message).toMatch(/no selection/);
    expect(ctl.current.lastBatch).toBe(true);
    expect(ctl.current.status).toBe('All documents: 2 done, 1 skipped, 0 failed.');
    expect(raw.loads).toEqual(['bar']);
    expect(docs[1].added).toHaveLength(0);
  });

  test('cancel during the first document leaves every document untouched', async () => {
    const docs = [memDoc('a', 16, 16, { left: 2, top: 2, width: 4, height: 4 }), memDoc('b', 16, 16, { left: 2, top: 2, width: 4, height: 4 })];
    let ctl: PanelController | null = null;
    const models = grayModels({ delayMs: 5, onRun: () => ctl?.cancel() });
    ctl = new PanelController({ host: memHost(docs), models, onState: () => {} });
    await ctl.inpaintAll();
    expect(ctl.current.reports.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(docs.every((d) => d.added.length === 0)).toBe(true);
    expect(ctl.current.status).toMatch(/0 done, 0 skipped, 0 failed, 2 cancelled/);
    expect(ctl.current.cancelling).toBe(false);
  });

  test('settings are remembered and a second click while busy is ignored', async () => {
    const store = mapStore();
    const ctl = new PanelController({ host: memHost([memDoc('a', 16, 16, { left: 2, top: 2, width: 4, height: 4 })]), models: grayModels({ delayMs: 5 }), store, onState: () => {} });
    ctl.setSettings({ grow: 10, mode: 'holes', variations: 2 });
    expect(new PanelController({ host: memHost([]), models: grayModels(), store, onState: () => {} }).current.settings).toEqual({ mode: 'holes', grow: 10, grows: { selection: 10, green: 0 }, variations: 2, texture: 'off' });
    const first = ctl.inpaintSelection();
    const second = ctl.inpaintSelection();
    await Promise.all([first, second]);
    expect(ctl.current.reports).toHaveLength(1);
    expect(ctl.current.reports[0].layersAdded).toBe(2);
  });
});
