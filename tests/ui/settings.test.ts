import { DEFAULT_SETTINGS, loadSettings, normaliseSettings, saveSettings, type SettingsStore } from '../../src/ui/settings';
import { lazyModels } from '../../src/inference/provider';
import type { ModelRunner } from '../../src/inference/types';

function mapStore(): SettingsStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('panel settings', () => {
  test('round-trip through the store', () => {
    const store = mapStore();
    saveSettings(store, { mode: 'mosaic', grow: 12, grows: { selection: 12, green: 3 }, variations: 3, texture: 'auto' });
    expect(loadSettings(store)).toEqual({ mode: 'mosaic', grow: 12, grows: { selection: 12, green: 3 }, variations: 3, texture: 'auto' });
  });

  test('missing, corrupt or hostile entries give defaults or clamped values', () => {
    const store = mapStore();
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    store.map.set('inpaint.settings.v1', '{not json');
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
    store.map.set('inpaint.settings.v1', JSON.stringify({ mode: 'evil', grow: 1000, variations: -3, texture: 'on' }));
    expect(loadSettings(store)).toEqual({ mode: DEFAULT_SETTINGS.mode, grow: 64, grows: { selection: 64, green: 0 }, variations: 1, texture: 'off' });
    store.map.set('inpaint.settings.v1', JSON.stringify({ grow: '7.6', variations: 'x' }));
    expect(loadSettings(store)).toEqual({ ...DEFAULT_SETTINGS, grow: 8, grows: { selection: 8, green: 0 } });
    store.map.set('inpaint.settings.v1', JSON.stringify({ mode: 'green', grow: 5, grows: { selection: -1, green: 'x' } }));
    expect(loadSettings(store)).toEqual({ ...DEFAULT_SETTINGS, mode: 'green', grow: 5, grows: { selection: 0, green: 5 } });
  });

  test('a store that throws is ignored', () => {
    const bad: SettingsStore = {
      getItem() {
        throw new Error('denied');
      },
      setItem() {
        throw new Error('quota');
      },
    };
    expect(loadSettings(bad)).toEqual(DEFAULT_SETTINGS);
    expect(() => saveSettings(bad, DEFAULT_SETTINGS)).not.toThrow();
  });

  test('normaliseSettings keeps the base for absent fields', () => {
    const base = { mode: 'green', grow: 9, grows: { selection: 6, green: 9 }, variations: 2, texture: 'auto' } as const;
    expect(normaliseSettings({ grow: 3 }, base)).toEqual({ mode: 'green', grow: 3, grows: { selection: 6, green: 3 }, variations: 2, texture: 'auto' });
  });

  test('green paint grows 0 px by default, like the CLI; grow is remembered per mask source', () => {
    expect(DEFAULT_SETTINGS.grow).toBe(4); // holes: a selection's soft edge
    const green = normaliseSettings({ mode: 'green' });
    expect(green.grow).toBe(0);
    const holes10 = normaliseSettings({ grow: 10 }, normaliseSettings({ mode: 'holes' }, green));
    expect(holes10).toMatchObject({ mode: 'holes', grow: 10 });
    expect(normaliseSettings({ mode: 'mosaic' }, holes10).grow).toBe(10); // mosaic is a selection too
    const green2 = normaliseSettings({ mode: 'green', grow: 2 }, holes10);
    expect(green2.grow).toBe(2);
    expect(normaliseSettings({ mode: 'holes' }, green2).grow).toBe(10);
  });

  test("settings saved with one grow for every mode: it stays the selection's, green starts at 0", () => {
    const store = mapStore();
    store.map.set('inpaint.settings.v1', JSON.stringify({ mode: 'green', grow: 4, variations: 2, texture: 'off' }));
    expect(loadSettings(store)).toEqual({ mode: 'green', grow: 0, grows: { selection: 4, green: 0 }, variations: 2, texture: 'off' });
    store.map.set('inpaint.settings.v1', JSON.stringify({ mode: 'holes', grow: 7, variations: 1, texture: 'off' }));
    expect(loadSettings(store)).toEqual({ mode: 'holes', grow: 7, grows: { selection: 7, green: 0 }, variations: 1, texture: 'off' });
  });
});

describe('lazyModels', () => {
  const runner = (): ModelRunner => ({ info: {} as ModelRunner['info'], backend: 'x', run: async () => new Float32Array(0), dispose: async () => {} });

  test('loads each kind once, even with concurrent callers', async () => {
    let loads = 0;
    const p = lazyModels(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return runner();
    });
    expect(p.isLoaded('bar')).toBe(false);
    const [a, b] = await Promise.all([p.get('bar'), p.get('bar')]);
    expect(a).toBe(b);
    expect(await p.get('bar')).toBe(a);
    expect(loads).toBe(1);
    expect(p.isLoaded('bar')).toBe(true);
    await p.get('mosaic');
    expect(loads).toBe(2);
  });

  test('a failed load is retried on the next call', async () => {
    let n = 0;
    const p = lazyModels(async () => {
      if (n++ === 0) throw new Error('model file missing');
      return runner();
    });
    await expect(p.get('bar')).rejects.toThrow('model file missing');
    await expect(p.get('bar')).resolves.toBeDefined();
    expect(n).toBe(2);
  });
});
