/** In-memory Host for the panel's tests: documents with one RGBA layer and an optional selection. */
import type { Host, HostDocument, LayerPixels, SelectionPixels } from '../../src/contracts/host';
import type { ModelInfo, ModelKind, ModelRunner } from '../../src/inference/types';
import type { ModelProvider } from '../../src/inference/provider';

export interface MemDoc extends HostDocument {
  readonly added: { name: string; pixels: LayerPixels }[];
}

export function memDoc(title: string, w: number, h: number, sel: { left: number; top: number; width: number; height: number } | null): MemDoc {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, 255], i * 4);
  const added: MemDoc['added'] = [];
  return {
    id: title,
    title,
    added,
    async readLayer() {
      return { raster: { width: w, height: h, channels: 4, data, maxValue: 255 }, left: 0, top: 0 };
    },
    async readSelection(): Promise<SelectionPixels | null> {
      if (!sel) return null;
      const ch = new Uint8Array(sel.width * sel.height).fill(255);
      return {
        channel: { width: sel.width, height: sel.height, data: ch, maxValue: 255 },
        bounds: { left: sel.left, top: sel.top, right: sel.left + sel.width, bottom: sel.top + sel.height },
      };
    },
    async addLayer(name, pixels) {
      added.push({ name, pixels });
    },
  };
}

export function memHost(docs: MemDoc[], active = 0): Host {
  return {
    name: 'memory',
    async activeDocument() {
      return docs[active] ?? null;
    },
    async documents() {
      return docs;
    },
  };
}

/** A model stand-in for UI tests (the model itself is tested elsewhere): fills with mid gray, counts calls. */
export function grayModels(opts: { delayMs?: number; onRun?: () => void } = {}): ModelProvider & { loads: ModelKind[]; runs: number } {
  const loads: ModelKind[] = [];
  const p = {
    loads,
    runs: 0,
    async get(kind: ModelKind): Promise<ModelRunner> {
      loads.push(kind);
      const info: ModelInfo = {
        name: `gray-${kind}`,
        file: 'none',
        kind,
        input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 16, maxSide: 64, multiple: 8 },
        sha256: '',
        licence: 'test',
      };
      return {
        info,
        backend: 'test',
        async run(_image: Float32Array, _mask: Float32Array, width: number, height: number) {
          p.runs++;
          opts.onRun?.();
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
          return new Float32Array(3 * width * height).fill(0.5);
        },
        async dispose() {},
      };
    },
  };
  return p;
}
