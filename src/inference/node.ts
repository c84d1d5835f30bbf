/**
 * @file Node model loader: the only file that imports onnxruntime-node.
 */
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { InpaintError } from '../core/types';
import { chooseModel, parseManifest, verifySha256 } from './manifest';
import { checkSessionNames, sessionRunner, type OrtLikeSession } from './runner';
import type { ModelKind, ModelRunner, ModelWant } from './types';

export interface NodeModelOptions {
  /** Only accept a model of this kind (picks the first of that kind when no name is given). */
  readonly kind?: ModelKind;
  /** With no name: prefer a model trained with guides (or without), inference/manifest.ts chooseModel. */
  readonly want?: ModelWant;
  /** Threads for one model call; default: ORT's choice (all cores). */
  readonly threads?: number;
}

/**
 * Loads a model listed in the manifest at `manifestPath` (by name, or by file name; default:
 * the first model, or the first of `opts.kind`), checks its sha256 and opens it on the CPU.
 */
export async function loadNodeModel(manifestPath: string, nameOrFile?: string, opts: NodeModelOptions = {}): Promise<ModelRunner> {
  let text: string;
  try {
    text = await fs.readFile(manifestPath, 'utf8');
  } catch (e) {
    throw new InpaintError('model', `cannot read the model manifest ${manifestPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const info = chooseModel(parseManifest(text, manifestPath), nameOrFile, opts.kind, opts.want);
  const file = path.join(path.dirname(manifestPath), info.file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    throw new InpaintError('model', `cannot read model file ${file} (listed as "${info.name}" in ${manifestPath}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  verifySha256(bytes, info.sha256, file, (b) => createHash('sha256').update(b).digest('hex'));
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    });
  } catch (e) {
    throw new InpaintError('model', `onnxruntime-node could not open ${file}: ${(e as Error).message}`);
  }
  const s = session as unknown as OrtLikeSession;
  checkSessionNames(s, info);
  return sessionRunner(info, 'native-cpu', s, (data, dims) => new ort.Tensor('float32', data, dims));
}
