/**
 * @file `inpaint colorize`: black-and-white pages in, colour pages out (pipeline/colorize.ts), with
 * optional colour hints (dots or strokes on a transparent PNG of the page's size).
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import type { Raster } from '../../core/types';
import type { ModelRunner } from '../../inference/types';
import { colorize } from '../../pipeline/colorize';
import { checkInteger } from '../../pipeline/options';
import { expandInputs, prepareOutDir, realPath, writeNew } from './files';
import { openCliModel } from './models';
import { readImage, writePng } from './io';

export const COLORIZE_USAGE = `usage: inpaint colorize <files|folders>... --out DIR [options]

Colours black-and-white pages (PNG, JPEG, WebP or TIFF; grey, RGB or RGBA) with the
colorize model. Each result is written to DIR as <name>.png: RGB (RGBA when the
page has alpha, kept as is), same size and bit depth; every pixel keeps the
page's luminance, so lines and tones stay exactly as they were. A page that
already has colour is colorized from its luminance (with a notice).

options:
  --out DIR          output folder (created if missing; never an input folder)
  --hints DIR|FILE   colour hints: PNGs with transparency, the page's size,
                     transparent except dots or strokes of the wanted colours;
                     a folder (matched by base name; a page without one gets no
                     hints) or one file (for a single page)
  --overwrite        replace existing files in DIR (default: refuse)
  --model NAME|FILE  a colorize model from the manifest, or a .onnx file listed
                     in the models.json beside it
  --manifest FILE    model manifest, default models/models.json next to the CLI
  --threads N        CPU threads for the model, default: all cores
  --verbose          per-page timings
  -h, --help         this text

exit status: 0 all pages done, 1 some page failed (each gets a one-line reason),
2 bad usage or the model could not be loaded.`;


interface ColorizeArgs {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly hints?: string;
  readonly overwrite: boolean;
  readonly model?: string;
  readonly manifest?: string;
  readonly threads?: number;
  readonly verbose: boolean;
}

class Usage extends Error {}

function parse(argv: readonly string[]): ColorizeArgs | null {
  const inputs: string[] = [];
  const o: { out?: string; hints?: string; model?: string; manifest?: string; threads?: number } = {};
  let overwrite = false;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new Usage(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return null;
      case '--out':
        o.out = value();
        break;
      case '--hints':
        o.hints = value();
        break;
      case '--model':
        o.model = value();
        break;
      case '--manifest':
        o.manifest = value();
        break;
      case '--threads': {
        const v = value();
        try {
          o.threads = checkInteger('--threads', 1, 256, Number.isFinite(Number(v)) ? Number(v) : v);
        } catch (e) {
          throw new Usage((e as Error).message);
        }
        break;
      }
      case '--overwrite':
        overwrite = true;
        break;
      case '--verbose':
        verbose = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new Usage(`unknown option ${a}`);
        inputs.push(a);
    }
  }
  if (inputs.length === 0) throw new Usage('no input files or folders given');
  if (!o.out) throw new Usage('--out DIR is required (results are never written over the inputs)');
  return { inputs, out: o.out, overwrite, verbose, ...o } as ColorizeArgs;
}

interface Page {
  readonly input: string;
  readonly output: string;
  readonly hints: string | null;
  readonly error?: string;
}

async function plan(args: ColorizeArgs, planNotes: string[]): Promise<Page[]> {
  const outDir = realPath(args.out);
  const { pages: files, dirs, notes } = await expandInputs(args.inputs);
  planNotes.push(...notes);
  const inputDir = dirs.get(outDir);
  if (inputDir !== undefined) throw new Usage(`--out ${args.out} is the input folder ${inputDir}; choose another folder so no input is overwritten`);
  let hintDir: string | null = null;
  let hintFile: string | null = null;
  if (args.hints) {
    let st;
    try {
      st = statSync(args.hints);
    } catch {
      throw new Usage(`--hints ${args.hints}: no such file or folder`);
    }
    if (st.isDirectory()) hintDir = args.hints;
    else if (files.length > 1) throw new Usage(`--hints ${args.hints} is one file but ${files.length} pages were given; give a folder of hints named like the pages`);
    else hintFile = args.hints;
  }
  const taken = new Map<string, string>();
  return files.map((f) => {
    const base = path.basename(f.input).replace(/\.[^.]*$/, '');
    const output = path.join(outDir, `${base}.png`);
    if (f.error) return { input: f.input, output, hints: null, error: f.error };
    if (realPath(f.input) === output) return { input: f.input, output, hints: null, error: `its output ${output} is the page itself; choose another --out folder` };
    if (taken.has(output)) return { input: f.input, output, hints: null, error: `same name as ${taken.get(output)}; its output ${path.basename(output)} would be overwritten` };
    taken.set(output, f.input);
    let hints = hintFile;
    if (hintDir) {
      const p = path.join(hintDir, `${base}.png`);
      hints = existsSync(p) ? p : null;
    }
    return { input: f.input, output, hints };
  });
}


/** Written under a temporary name; an existing file is replaced only with --overwrite (files.ts). */
async function writeAtomic(r: Raster, file: string, overwrite: boolean): Promise<void> {
  await writeNew(file, overwrite, (tmp) => writePng(r, tmp));
}

export interface ColorizeIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs `inpaint colorize`; resolves to the exit status. `manifestDefault`: the default models.json. */
export async function colorizeMain(argv: readonly string[], io: ColorizeIO, manifestDefault: string): Promise<number> {
  let args: ColorizeArgs | null;
  let pages: Page[];
  const notes: string[] = [];
  try {
    args = parse(argv);
    if (!args) {
      io.stdout.write(`${COLORIZE_USAGE}\n`);
      return 0;
    }
    pages = await plan(args, notes);
    await prepareOutDir(args.out);
  } catch (e) {
    io.stderr.write(`inpaint colorize: ${(e as Error).message}\n${e instanceof Usage ? `\n${COLORIZE_USAGE}\n` : ''}`);
    return 2;
  }
  for (const note of notes) io.stderr.write(`inpaint colorize: ${note}\n`);
  const t0 = Date.now();
  let model: ModelRunner;
  try {
    model = await openCliModel(args, manifestDefault, ['colorize']);
  } catch (e) {
    io.stderr.write(`inpaint colorize: ${(e as Error).message}\n`);
    return 2;
  }
  let failed = 0;
  try {
    for (const p of pages) {
      const t = Date.now();
      try {
        if (p.error) throw new Error(p.error);
        let page: Raster;
        try {
          page = await readImage(p.input);
        } catch (e) {
          throw new Error(`cannot read the image: ${(e as Error).message.split('\n')[0]}`);
        }
        let hints: Raster | null = null;
        if (p.hints) {
          try {
            hints = await readImage(p.hints);
          } catch (e) {
            throw new Error(`cannot read the hints ${p.hints}: ${(e as Error).message.split('\n')[0]}`);
          }
        }
        const res = await colorize(page, { model, hints });
        if (res.hadColour) io.stderr.write(`${p.input}: the page has colour; colorized from its luminance (its colours replaced)\n`);
        await writeAtomic(res.image, p.output, args.overwrite);
        if (args.verbose) {
          io.stderr.write(`${p.input}: ${res.hintPixels} hint pixels, model at ${res.work.width}x${res.work.height}, ${Date.now() - t} ms (pack ${res.ms.pack}, model ${res.ms.model}, hints ${res.ms.hints}, compose ${res.ms.compose} ms)\n`);
        }
      } catch (e) {
        failed++;
        io.stderr.write(`${p.input}: ${(e as Error).message}\n`);
      }
    }
  } finally {
    await model.dispose();
  }
  const ok = pages.length - failed;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  io.stdout.write(
    `inpaint colorize: ${ok} of ${pages.length} page${pages.length === 1 ? '' : 's'} done, written to ${args.out} in ${secs} s${failed ? `; ${failed} failed` : ''} (model ${model.info.name}, ${model.backend})\n`,
  );
  return failed ? 1 : 0;
}
