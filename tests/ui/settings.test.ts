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
    saveSettings(store, { mode: 'mosaic', grow: 12, variations: 3, texture: 'auto' });
    expect(loadSettings(store)).toEqual({ mode: 'mosaic', grow: 12, variations: 3, texture: 'auto' });
  });

  test('missing, corrupt or hostile entries give defaults or clamped values', () => {
    const store = mapStore();
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    store.map.set('inpaint.settings.v1', '{not json');
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
    store.map.set('inpaint.settings.v1', JSON.stringify({ mode: 'evil', grow: 1000, variations: -3, texture: 'on' }));
    expect(loadSettings(store)).toEqual({ mode: DEFAULT_SETTINGS.mode, grow: 64, variations: 1, texture: 'off' });
    store.map.set('inpaint.settings.v1', JSON.stringify({ grow: '7.6', variations: 'x' }));
    expect(loadSettings(store)).toEqual({ ...DEFAULT_SETTINGS, grow: 8 });
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
    expect(normaliseSettings({ grow: 3 }, { mode: 'green', grow: 9, variations: 2, texture: 'auto' })).toEqual({ mode: 'green', grow: 3, variations: 2, texture: 'auto' });
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
