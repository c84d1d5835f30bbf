/**
 * @file ModelProvider: how jobs get a loaded model of a kind; `lazyModels` loads each kind at most
 * once, on first use. A failed load is not cached, so the next click retries (e.g. after the user
 * fixes the model folder).
 */
import type { ModelKind, ModelRunner } from './types';

/** Lazily loads models, once each; hosts implement it over their own file access. */
export interface ModelProvider {
  get(kind: ModelKind): Promise<ModelRunner>;
}

export interface LazyModelProvider extends ModelProvider {
  /** Whether `kind` has finished loading successfully. */
  isLoaded(kind: ModelKind): boolean;
  /** Disposes every loaded model. */
  dispose(): Promise<void>;
}

export function lazyModels(load: (kind: ModelKind) => Promise<ModelRunner>): LazyModelProvider {
  const pending = new Map<ModelKind, Promise<ModelRunner>>();
  const loaded = new Map<ModelKind, ModelRunner>();
  return {
    get(kind) {
      let p = pending.get(kind);
      if (!p) {
        p = load(kind).then(
          (m) => {
            loaded.set(kind, m);
            return m;
          },
          (e: unknown) => {
            pending.delete(kind);
            throw e;
          },
        );
        pending.set(kind, p);
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
