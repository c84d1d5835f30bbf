/**
 * @file The model a CLI command runs: --model (a manifest name, or a .onnx file listed in the
 * models.json beside it), else the manifest's first model of the wanted kinds, in order (a mode's
 * kind, then its fallback's: pipeline/modes.ts), trained with guides or not as `want` says
 * (inference/manifest.ts chooseModel). Shared by `inpaint` and `inpaint colorize`.
 */
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import { InpaintError } from '../../core/types';
import { chooseModel, parseManifest } from '../../inference/manifest';
import { loadNodeModel } from '../../inference/node';
import type { ModelKind, ModelRunner, ModelWant } from '../../inference/types';

export interface ModelFlags {
  readonly model?: string;
  readonly manifest?: string;
  readonly threads?: number;
}

export async function openCliModel(args: ModelFlags, defaultManifest: string, kinds: readonly ModelKind[], want?: ModelWant): Promise<ModelRunner> {
  const opts = { kind: kinds[0]!, ...(want ? { want } : {}), ...(args.threads ? { threads: args.threads } : {}) };
  if (args.model && /\.onnx$/i.test(args.model)) {
    // a model file: its entry (sha256, input sizes) comes from the models.json beside it
    const manifest = args.manifest ?? path.join(path.dirname(args.model), 'models.json');
    if (!existsSync(args.model)) throw new InpaintError('model', `model file ${args.model} does not exist`);
    if (!existsSync(manifest)) {
      throw new InpaintError('model', `model file ${args.model} needs a models.json beside it (or --manifest FILE) listing its sha256 and input size`);
    }
    return loadNodeModel(manifest, path.basename(args.model), opts);
  }
  const manifest = args.manifest ?? defaultManifest;
  if (!existsSync(manifest)) {
    throw new InpaintError('model', `no model manifest at ${manifest}; install the models there, or pass --model FILE.onnx / --manifest FILE`);
  }
  const parsed = parseManifest(await fs.readFile(manifest, 'utf8'), manifest);
  if (!args.model) {
    const kind = kinds.find((k) => parsed.models.some((m) => m.kind === k));
    if (kind && kind !== opts.kind) return loadNodeModel(manifest, undefined, { ...opts, kind });
  }
  // validate the choice first so a wrong --model names what is available
  chooseModel(parsed, args.model, opts.kind);
  return loadNodeModel(manifest, args.model, opts);
}
