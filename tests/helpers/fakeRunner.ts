/** A scripted ModelRunner for pipeline tests: records every call, answers with `out(call)`. */
import type { ModelInfo, ModelKind, ModelRunner } from '../../src/inference/types';

export interface Call { image: Float32Array; mask: Float32Array; width: number; height: number }

export function fakeRunner(
  kind: ModelKind,
  out: (c: Call) => Float32Array,
  input: Partial<ModelInfo['input']> = {},
): ModelRunner & { calls: Call[] } {
  const info: ModelInfo = {
    name: `fake-${kind}`, file: 'x.onnx', kind, sha256: '0'.repeat(64), licence: 'test',
    input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 32, maxSide: 64, multiple: 8, ...input },
  };
  const calls: Call[] = [];
  return {
    info, backend: 'test', calls,
    async run(image, mask, width, height) {
      const c = { image: image.slice(), mask: mask.slice(), width, height };
      calls.push(c);
      return out(c);
    },
    async dispose() {},
  };
}
