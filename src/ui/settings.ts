/**
 * @file Panel settings (grow, mode, variations) and their persistence through an injected store.
 * The store has the shape of `localStorage` (available in browsers and in UXP), so tests pass a Map-backed one.
 */
import { JOB_MODE_NAMES, MAX_GROW, type JobMode } from '../contracts/settings';
import { AUTO_OFF, MAX_VARIATIONS, type AutoOff } from '../pipeline/options';

/** The subset of `Storage` the panel uses. */
export interface SettingsStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface PanelSettings {
  readonly mode: JobMode;
  /** Grow the hole by this many pixels, 0..MAX_GROW. */
  readonly grow: number;
  /** Result layers per document, 1..MAX_VARIATIONS. */
  readonly variations: number;
  /** Re-synthesise screentone/hatching from the page after the model ('auto') or not ('off'). */
  readonly texture: AutoOff;
}

export const DEFAULT_SETTINGS: PanelSettings = { mode: 'holes', grow: 4, variations: 1, texture: 'off' };

const KEY = 'inpaint.settings.v1';
export function isMode(v: unknown): v is JobMode {
  return typeof v === 'string' && (JOB_MODE_NAMES as readonly string[]).includes(v);
}

function clampInt(v: unknown, lo: number, hi: number, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

/** Coerces any partial, possibly malformed settings into valid ones (out-of-range numbers are clamped). */
export function normaliseSettings(raw: Partial<Record<keyof PanelSettings, unknown>>, base: PanelSettings = DEFAULT_SETTINGS): PanelSettings {
  return {
    mode: isMode(raw.mode) ? raw.mode : base.mode,
    grow: clampInt(raw.grow, 0, MAX_GROW, base.grow),
    variations: clampInt(raw.variations, 1, MAX_VARIATIONS, base.variations),
    texture: (AUTO_OFF as readonly unknown[]).includes(raw.texture) ? (raw.texture as AutoOff) : base.texture,
  };
}

/** Reads the remembered settings; a missing, unreadable or corrupt entry gives the defaults. */
export function loadSettings(store: SettingsStore | undefined): PanelSettings {
  if (!store) return DEFAULT_SETTINGS;
  try {
    const text = store.getItem(KEY);
    if (!text) return DEFAULT_SETTINGS;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return DEFAULT_SETTINGS;
    return normaliseSettings(parsed as Record<string, unknown>);
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** Remembers the settings; a store that refuses (quota, private mode) is ignored: settings are a convenience. */
export function saveSettings(store: SettingsStore | undefined, s: PanelSettings): void {
  if (!store) return;
  try {
    store.setItem(KEY, JSON.stringify(s));
  } catch {
    /* not worth bothering the user about */
  }
}

/** `localStorage` when the environment has one (browsers, UXP), otherwise undefined. */
export function defaultStore(): SettingsStore | undefined {
  try {
    const ls = (globalThis as { localStorage?: SettingsStore }).localStorage;
    return ls ?? undefined;
  } catch {
    return undefined;
  }
}
