/**
 * @file ORT-independent parts of a ModelRunner: argument checks and one-at-a-time runs.
 */
import { InpaintError } from '../core/types';
import type { ModelInfo, ModelRunner } from './types';

/** Minimal tensor/session shapes shared by onnxruntime-node and onnxruntime-web. */
export interface OrtLikeTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
export interface OrtLikeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtLikeTensor>>;
  release(): Promise<void>;
}
export type TensorFactory = (data: Float32Array, dims: number[]) => unknown;

/** Checks the session's names against the I/O contract (inputs "image", "mask"; output "output"). */
export function checkSessionNames(session: OrtLikeSession, info: ModelInfo): void {
  const ins = [...session.inputNames].sort().join(',');
  if (ins !== 'image,mask' || !session.outputNames.includes('output')) {
    throw new InpaintError(
      'model',
      `${info.file} does not follow the model contract: inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]; expected inputs image, mask and output "output"`,
    );
  }
}

/** Wraps a session as a ModelRunner whose run() calls execute one at a time. */
export function sessionRunner(info: ModelInfo, backend: string, session: OrtLikeSession, tensor: TensorFactory): ModelRunner {
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  const runOnce = async (image: Float32Array, mask: Float32Array, width: number, height: number): Promise<Float32Array> => {
    if (disposed) throw new InpaintError('model', `model ${info.name} was disposed`);
    const m = info.input.multiple;
    if (width % m !== 0 || height % m !== 0 || width < 1 || height < 1) {
      throw new InpaintError('bad-input', `model input must be a multiple of ${m} px, got ${width}x${height}`);
    }
    if (image.length !== 3 * width * height || mask.length !== width * height) {
      throw new InpaintError('bad-input', `model input arrays do not match ${width}x${height} (image ${image.length}, mask ${mask.length})`);
    }
    let out: Record<string, OrtLikeTensor>;
    try {
      out = await session.run({
        image: tensor(image, [1, 3, height, width]),
        mask: tensor(mask, [1, 1, height, width]),
      });
    } catch (e) {
      throw new InpaintError('model', `model ${info.name} failed to run on ${width}x${height} (${backend}): ${(e as Error).message}`);
    }
    const t = out.output;
    if (!t) throw new InpaintError('model', `model ${info.name} returned no "output"`);
    const data = t.data as Float32Array;
    if (!data || typeof data.length !== 'number' || data.length !== 3 * width * height) {
      throw new InpaintError('model', `model ${info.name} returned ${data?.length} values, expected ${3 * width * height} (dims ${t.dims.join('x')})`);
    }
    // copy out of ORT's buffer (which may be reused or live in another realm)
    return new Float32Array(data);
  };
  return {
    info,
    backend,
    run(image, mask, width, height) {
      const p = queue.then(() => runOnce(image, mask, width, height));
      queue = p.catch(() => undefined);
      return p;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      await session.release();
    },
  };
}
