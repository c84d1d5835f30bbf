/**
 * @file Command-line arguments of the `inpaint` CLI (DeepCreamPy-compatible).
 */
import { checkFringe, checkGrow } from '../../contracts/settings';
import { InpaintError } from '../../core/types';
import { checkFill, checkInteger, checkLines, checkTexture, checkVariations, type AutoOff, type FillMethod } from '../../pipeline/options';

export const USAGE = `usage: inpaint <files|folders>... --out DIR [options]

Fills the areas painted pure green (#00FF00) in pages, DeepCreamPy style.
(Colour black-and-white pages: inpaint colorize --help.)
Folders are read for *.png, *.jpg, *.jpeg, *.webp, *.tif, *.tiff (not recursively;
other files are named). Each result is written to DIR as <name>.png (with
--variations K: <name>_v1.png ... <name>_vK.png), upright (EXIF orientation applied),
same size, channels, bit depth and ICC profile as the input; pixels outside the
green are never changed. On JPEG and lossy WebP pages the paint is found by colour
distance (compression blurs it); transparent pixels are not used as context.

options:
  --out DIR          output folder (created if missing, checked writable first;
                     never an input folder)
  --overwrite        replace files already in DIR (default: a page whose output
                     exists fails with a reason; nothing is replaced)
  --mosaic           mosaic mode: the areas are pixelated (mosaic), not bars
  --originals DIR    with --mosaic: the un-painted (mosaic) pages, found by base
                     name with extension png, jpg, jpeg or webp
  --guides DIR       guide strokes, a PNG with transparency per page (matched by base
                     name, the page's size): black strokes are lines the fill
                     draws, other colours are colours for the area around them;
                     guide pixels outside the holes are ignored
  --guide FILE       the same for a single page
  --detect           with --mosaic: find the mosaics on the pages themselves (no
                     green paint, no --originals); one line per page names the
                     regions and block sizes (inpaint detect --help: masks only)
  --grow N           grow the green areas by N px (Euclidean disk, 0-64), default 0
  --fringe N         anti-aliased green fringe depth in px (0-16), default 2
  --variations K     write K results per page (1-4; flipped model inputs), default 1
  --fill METHOD      auto (default): classical reconstruction near the hole's
                     border mixed with the network's fill deeper inside;
                     model: the network alone; classical: no network (frequency
                     selective reconstruction). Mosaic mode: auto and classical
                     restore the mosaic from the page's own examples, model runs
                     the network
  --lines MODE       auto (default): ink lines that run into a hole are
                     continued across it; off: not
  --texture MODE     auto: after the fill, re-synthesise screentone and hatching
                     in the hole from the page around it (patch-based); off
                     (default): the fill as it is
  --model NAME|FILE  a model name from the manifest, or a path to a .onnx file
                     listed in the models.json beside it
  --manifest FILE    model manifest, default models/models.json next to the CLI
  --threads N        CPU threads for the model, default: all cores
  --verbose          per-page timings (read, mask, model, write); the mosaic grid with block-prior models
  -h, --help         this text

exit status: 0 all pages done, 1 some page failed (each gets a one-line reason),
2 bad usage, --out not writable, --originals missing, or the model could not be loaded.`;

export interface CliArgs {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly mosaic: boolean;
  readonly originals?: string;
  readonly grow: number;
  readonly fringe: number;
  readonly variations: number;
  readonly model?: string;
  readonly manifest?: string;
  readonly threads?: number;
  readonly verbose: boolean;
  readonly texture: AutoOff;
  readonly fill: FillMethod;
  readonly lines: AutoOff;
  readonly overwrite: boolean;
  /** --mosaic --detect: the holes are the mosaics found on the page (no paint, no originals). */
  readonly detect: boolean;
  /** Guide strokes: a folder (by base name) or, for one page, a file. */
  readonly guides?: string;
  readonly guide?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A flag's value through the option's own validator (pipeline/options.ts, contracts/settings.ts), as a usage error. */
function checked<T>(check: (value: unknown, name: string) => T, flag: string, v: unknown): T {
  try {
    return check(v, flag);
  } catch (e) {
    if (e instanceof InpaintError) throw new UsageError(e.message);
    throw e;
  }
}

/** A numeric flag: its text as a number when it is one (the validator then checks the range). */
function num(flag: string, v: string | undefined, check: (value: unknown, name: string) => number): number {
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  const n = v.trim() === '' ? NaN : Number(v);
  return checked(check, flag, Number.isFinite(n) ? n : v);
}

/** Parses argv (without node and the script). Returns null for --help. Throws UsageError. */
export function parseArgs(argv: readonly string[]): CliArgs | null {
  const inputs: string[] = [];
  let out: string | undefined;
  let mosaic = false;
  let originals: string | undefined;
  let grow = 0;
  let fringe = 2;
  let variations = 1;
  let model: string | undefined;
  let manifest: string | undefined;
  let threads: number | undefined;
  let verbose = false;
  let overwrite = false;
  let detect = false;
  let guides: string | undefined;
  let guide: string | undefined;
  let texture: AutoOff = 'off';
  let fill: FillMethod = 'auto';
  let lines: AutoOff = 'auto';
  const value = (flag: string, v: string | undefined): string => {
    if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const next = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '-h':
      case '--help':
        return null;
      case '--out':
        out = value(flag, next());
        break;
      case '--mosaic':
        mosaic = true;
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--overwrite':
        overwrite = true;
        break;
      case '--guides':
        guides = value(flag, next());
        break;
      case '--guide':
        guide = value(flag, next());
        break;
      case '--detect':
        detect = true;
        break;
      case '--originals':
        originals = value(flag, next());
        break;
      case '--grow':
        grow = num(flag, next(), checkGrow);
        break;
      case '--fringe':
        fringe = num(flag, next(), checkFringe);
        break;
      case '--variations':
        variations = num(flag, next(), checkVariations);
        break;
      case '--model':
        model = value(flag, next());
        break;
      case '--manifest':
        manifest = value(flag, next());
        break;
      case '--fill':
        fill = checked(checkFill, flag, value(flag, next()));
        break;
      case '--lines':
        lines = checked(checkLines, flag, value(flag, next()));
        break;
      case '--texture':
        texture = checked(checkTexture, flag, value(flag, next()));
        break;
      case '--threads':
        threads = num(flag, next(), (v, name) => checkInteger(name, 1, 256, v));
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        inputs.push(a);
    }
  }
  if (inputs.length === 0) throw new UsageError('no input files or folders given');
  if (!out) throw new UsageError('--out DIR is required (results are never written over the inputs)');
  if (guides && guide) throw new UsageError('give --guides DIR (one guide per page, by name) or --guide FILE (one page), not both');
  if (detect && !mosaic) throw new UsageError('--detect is used with --mosaic (it finds the mosaics to restore); inpaint detect writes masks only');
  if (detect && originals) throw new UsageError('--detect finds the mosaics on the pages themselves: give the pixelated pages, without --originals');
  if (mosaic && !originals && !detect) throw new UsageError('--mosaic needs --originals DIR (the un-painted mosaic pages), or --detect to find the mosaics on the pages');
  if (!mosaic && originals) throw new UsageError('--originals is only used with --mosaic');
  return { inputs, out, mosaic, originals, grow, fringe, variations, model, manifest, threads, verbose, texture, fill, lines, overwrite, detect, guides, guide };
}
