/**
 * @file ModelProvider: how jobs get a loaded model of a kind; `lazyModels` loads each kind at most
 * once, on first use (or earlier, when a host preloads it). A failed load is not cached, so the
 * next click retries (e.g. after the user fixes the model folder). Progress of a load in flight is
 * passed to every caller waiting on it (the last stage is replayed to one that joins late).
 */
import type { LoadProgress, LoadProgressFn } from './tasks';
import type { ModelKind, ModelRunner } from './types';

export type { LoadProgress, LoadProgressFn } from './tasks';

/** Lazily loads models, once each; hosts implement it over their own file access. */
export interface ModelProvider {
  /** The loaded model of `kind`; `onProgress` hears the stages of a load in flight (not called when already loaded). */
  get(kind: ModelKind, onProgress?: LoadProgressFn): Promise<ModelRunner>;
  /** Whether `kind` has finished loading successfully (so a job need not say it is loading). */
  isLoaded?(kind: ModelKind): boolean;
}

export interface LazyModelProvider extends ModelProvider {
  isLoaded(kind: ModelKind): boolean;
  /** Disposes every loaded model. */
  dispose(): Promise<void>;
}

export function lazyModels(load: (kind: ModelKind, onProgress: LoadProgressFn) => Promise<ModelRunner>): LazyModelProvider {
  const pending = new Map<ModelKind, Promise<ModelRunner>>();
  const loaded = new Map<ModelKind, ModelRunner>();
  const listeners = new Map<ModelKind, Set<LoadProgressFn>>();
  const lastStage = new Map<ModelKind, LoadProgress>();
  return {
    get(kind, onProgress) {
      let p = pending.get(kind);
      if (!p) {
        const set = new Set<LoadProgressFn>();
        listeners.set(kind, set);
        const tell: LoadProgressFn = (stage) => {
          lastStage.set(kind, stage);
          for (const l of set) l(stage);
        };
        const done = () => {
          listeners.delete(kind);
          lastStage.delete(kind);
        };
        p = load(kind, tell).then(
          (m) => {
            done();
            loaded.set(kind, m);
            return m;
          },
          (e: unknown) => {
            done();
            pending.delete(kind);
            throw e;
          },
        );
        pending.set(kind, p);
      }
      if (onProgress && !loaded.has(kind)) {
        const set = listeners.get(kind);
        if (set) {
          set.add(onProgress);
          const last = lastStage.get(kind);
          if (last) onProgress(last);
          const off = () => set.delete(onProgress);
          p.then(off, off);
        }
      }
      return p;
    },
    isLoaded: (kind) => loaded.has(kind),
    async dispose() {
      const all = [...loaded.values()];
      loaded.clear();
      pending.clear();
      await Promise.all(all.map((m) => m.dispose()));
    },
  };
}
