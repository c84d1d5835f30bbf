/**
 * @file ModelProvider: how jobs get a loaded model of a kind; `lazyModels` loads each kind at most
 * once, on first use (or earlier, when a host preloads it). A failed load is not cached, so the
 * next click retries (e.g. after the user fixes the model folder). Progress of a load in flight is
 * passed to every caller waiting on it (the last stage is replayed to one that joins late).
 */
import type { LoadProgress, LoadProgressFn } from './tasks';
import type { ModelKind, ModelRunner, ModelWant } from './types';

export type { LoadProgress, LoadProgressFn } from './tasks';

/** The cache key of a kind and a want: a bar model for guided fills is another model than the plain one. */
function keyOf(kind: ModelKind, want?: ModelWant): string {
  return want?.guides ? `${kind}+guides` : kind;
}

/** Lazily loads models, once each; hosts implement it over their own file access. */
export interface ModelProvider {
  /**
   * The loaded model of `kind` (with `want.guides`: the one trained with guide strokes, where the
   * manifest has one — inference/manifest.ts chooseModel); `onProgress` hears the stages of a load
   * in flight (not called when already loaded).
   */
  get(kind: ModelKind, onProgress?: LoadProgressFn, want?: ModelWant): Promise<ModelRunner>;
  /** Whether that model has finished loading successfully (so a job need not say it is loading). */
  isLoaded?(kind: ModelKind, want?: ModelWant): boolean;
}

export interface LazyModelProvider extends ModelProvider {
  isLoaded(kind: ModelKind, want?: ModelWant): boolean;
  /** Disposes every loaded model. */
  dispose(): Promise<void>;
}

/**
 * Each (kind, want) pair is loaded once; `load` is asked for it with the same want. A loader whose
 * manifest has no guided model returns its plain one for `{ guides: true }` (then loaded twice:
 * the two are cached apart).
 */
export function lazyModels(load: (kind: ModelKind, onProgress: LoadProgressFn, want?: ModelWant) => Promise<ModelRunner>): LazyModelProvider {
  const pending = new Map<string, Promise<ModelRunner>>();
  const loaded = new Map<string, ModelRunner>();
  const listeners = new Map<string, Set<LoadProgressFn>>();
  const lastStage = new Map<string, LoadProgress>();
  return {
    get(kind, onProgress, want) {
      const key = keyOf(kind, want);
      let p = pending.get(key);
      if (!p) {
        const set = new Set<LoadProgressFn>();
        listeners.set(key, set);
        const tell: LoadProgressFn = (stage) => {
          lastStage.set(key, stage);
          for (const l of set) l(stage);
        };
        const done = () => {
          listeners.delete(key);
          lastStage.delete(key);
        };
        p = load(kind, tell, want).then(
          (m) => {
            done();
            loaded.set(key, m);
            return m;
          },
          (e: unknown) => {
            done();
            pending.delete(key);
            throw e;
          },
        );
        pending.set(key, p);
      }
      if (onProgress && !loaded.has(key)) {
        const set = listeners.get(key);
        if (set) {
          set.add(onProgress);
          const last = lastStage.get(key);
          if (last) onProgress(last);
          const off = () => set.delete(onProgress);
          p.then(off, off);
        }
      }
      return p;
    },
    isLoaded: (kind, want) => loaded.has(keyOf(kind, want)),
    async dispose() {
      const all = [...loaded.values()];
      loaded.clear();
      pending.clear();
      await Promise.all(all.map((m) => m.dispose()));
    },
  };
}
