/**
 * @file Panel settings (mode, grow per mask source, variations, texture) and their persistence through an injected store.
 * The store has the shape of `localStorage` (available in browsers and in UXP), so tests pass a Map-backed one.
 */
import { JOB_MODES, JOB_MODE_NAMES, MAX_GROW, type JobMode } from '../contracts/settings';
import { AUTO_OFF, MAX_VARIATIONS, type AutoOff } from '../pipeline/options';

/** The subset of `Storage` the panel uses. */
export interface SettingsStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface PanelSettings {
  readonly mode: JobMode;
  /** Grow the hole by this many pixels, 0..MAX_GROW: the current mode's (`grows` by where the mask comes from). */
  readonly grow: number;
  /**
   * Grow remembered per mask source: a selection (holes, mosaic; default 4 px, which covers a
   * selection's soft edge) and green paint (default 0 px, like the CLI: the paint is the hole and
   * its anti-aliased fringe is filled anyway, core/mask.ts).
   */
  readonly grows: Readonly<Record<MaskSource, number>>;
  /** Result layers per document, 1..MAX_VARIATIONS. */
  readonly variations: number;
  /** Re-synthesise screentone/hatching from the page after the model ('auto') or not ('off'). */
  readonly texture: AutoOff;
}

export type MaskSource = (typeof JOB_MODES)[JobMode]['mask'];

export const DEFAULT_GROWS: Readonly<Record<MaskSource, number>> = { selection: 4, green: 0 };
export const DEFAULT_SETTINGS: PanelSettings = { mode: 'holes', grow: DEFAULT_GROWS.selection, grows: DEFAULT_GROWS, variations: 1, texture: 'off' };

const KEY = 'inpaint.settings.v1';
export function isMode(v: unknown): v is JobMode {
  return typeof v === 'string' && (JOB_MODE_NAMES as readonly string[]).includes(v);
}

function clampInt(v: unknown, lo: number, hi: number, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

type RawSettings = Partial<Record<keyof PanelSettings, unknown>>;

/**
 * Coerces any partial, possibly malformed settings into valid ones (out-of-range numbers are
 * clamped). `grow` sets the grow of the (new) mode's mask source; a mode change alone shows that
 * source's remembered grow.
 */
export function normaliseSettings(raw: RawSettings, base: PanelSettings = DEFAULT_SETTINGS): PanelSettings {
  const mode = isMode(raw.mode) ? raw.mode : base.mode;
  const baseGrows = base.grows ?? { ...DEFAULT_GROWS, [JOB_MODES[base.mode].mask]: base.grow };
  const rawGrows = (typeof raw.grows === 'object' && raw.grows !== null ? raw.grows : {}) as Partial<Record<MaskSource, unknown>>;
  const grows: Record<MaskSource, number> = {
    selection: clampInt(rawGrows.selection, 0, MAX_GROW, baseGrows.selection),
    green: clampInt(rawGrows.green, 0, MAX_GROW, baseGrows.green),
  };
  const source = JOB_MODES[mode].mask;
  grows[source] = clampInt(raw.grow, 0, MAX_GROW, grows[source]);
  return {
    mode,
    grow: grows[source],
    grows,
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
    const raw = parsed as RawSettings;
    // Saved before grow was remembered per mask source: one grow for every mode, 4 px by default.
    // It stays the selection's; green paint starts from its own default.
    if (raw.grows === undefined) return normaliseSettings({ ...raw, grow: undefined, grows: { selection: raw.grow } });
    return normaliseSettings(raw);
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
