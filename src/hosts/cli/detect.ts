/**
 * @file `inpaint detect`: finds the mosaics on pages (core/mosaic-detect.ts through
 * jobs/mosaics.ts) and writes one mask per page, white where a mosaic is; one line per page
 * says what was found. No model is loaded.
 */
import { promises as fs, statSync } from 'fs';
import * as path from 'path';
import { detectMosaics } from '../../core/mosaic-detect';
import { describeMosaics } from '../../jobs/mosaics';
import { expandInputs, realPath } from './files';
import { readImage, writePng } from './io';

export const DETECT_USAGE = `usage: inpaint detect <files|folders>... --out DIR [--overwrite]

Finds mosaics (pixelated regions: blocks of 3-64 px on one grid) on pages, with
no paint and no selection. For each page, writes DIR/<name>.png: an 8-bit grey
mask of the page's size, white (255) where a mosaic is, black elsewhere; and
prints one line: the regions found, their block sizes, pixels and bounds.
Folders are read for *.png, *.jpg, *.jpeg, *.webp (not recursively).
To restore the mosaics found: inpaint <files|folders>... --mosaic --detect --out DIR

options:
  --out DIR      output folder (created if missing; never an input folder)
  --overwrite    replace masks already in DIR (default: a page whose mask
                 exists fails with a reason)
  -h, --help     this text

exit status: 0 every page read (with or without a mosaic), 1 some page could not
be read or written (each gets a one-line reason), 2 bad usage.`;


export interface DetectIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

class Usage extends Error {}

function parse(argv: readonly string[]): { inputs: string[]; out: string; overwrite: boolean } | null {
  const inputs: string[] = [];
  let out: string | undefined;
  let overwrite = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (flag === '-h' || flag === '--help') return null;
    if (flag === '--out') {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new Usage('--out needs a value');
      out = v;
    } else if (flag === '--overwrite') overwrite = true;
    else if (a.startsWith('-') && a !== '-') throw new Usage(`unknown option ${a} (detect takes --out and --overwrite)`);
    else inputs.push(a);
  }
  if (inputs.length === 0) throw new Usage('no input files or folders given');
  if (!out) throw new Usage('--out DIR is required');
  return { inputs, out, overwrite };
}


/** Runs `inpaint detect`; resolves to the exit status. */
export async function detectMain(argv: readonly string[], io: DetectIO): Promise<number> {
  let args: ReturnType<typeof parse>;
  const pages: { input: string; error?: string }[] = [];
  try {
    args = parse(argv);
    if (!args) {
      io.stdout.write(`${DETECT_USAGE}\n`);
      return 0;
    }
    const outDir = realPath(args.out);
    const expanded = await expandInputs(args.inputs);
    const inputDir = expanded.dirs.get(outDir);
    if (inputDir !== undefined) throw new Usage(`--out ${args.out} is the input folder ${inputDir}; choose another folder`);
    pages.push(...expanded.pages);
    for (const note of expanded.notes) io.stderr.write(`inpaint detect: ${note}\n`);
    await fs.mkdir(args.out, { recursive: true });
  } catch (e) {
    io.stderr.write(`inpaint detect: ${(e as Error).message}\n${e instanceof Usage ? `\n${DETECT_USAGE}\n` : ''}`);
    return 2;
  }
  const t0 = Date.now();
  const taken = new Map<string, string>();
  let failed = 0;
  let withMosaic = 0;
  let regions = 0;
  for (const p of pages) {
    try {
      if (p.error) throw new Error(p.error);
      const out = path.join(realPath(args.out), `${path.basename(p.input).replace(/\.[^.]*$/, '')}.png`);
      if (realPath(p.input) === out) throw new Error('its mask would overwrite it; choose another --out folder');
      if (taken.has(out)) throw new Error(`same name as ${taken.get(out)}; its mask would be overwritten`);
      taken.set(out, p.input);
      let exists = false;
      try {
        statSync(out);
        exists = true;
      } catch {
        /* not there */
      }
      if (exists && !args.overwrite) throw new Error(`${out} exists (pass --overwrite to replace it)`);
      let page;
      try {
        page = await readImage(p.input);
      } catch (e) {
        throw new Error(`cannot read the image: ${(e as Error).message.split('\n')[0]}`);
      }
      const t = Date.now();
      const d = detectMosaics(page);
      const ms = Date.now() - t;
      const mask = new Uint8Array(d.mask.data.length);
      for (let i = 0; i < mask.length; i++) mask[i] = d.mask.data[i] ? 255 : 0;
      const tmp = `${out}.${process.pid}.tmp`;
      try {
        await writePng({ width: page.width, height: page.height, channels: 1, data: mask, maxValue: 255 }, tmp);
        await fs.rename(tmp, out);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw new Error(`cannot write ${out}: ${(e as Error).message.split('\n')[0]}`);
      }
      if (d.regions.length) withMosaic++;
      regions += d.regions.length;
      io.stdout.write(`${p.input}: ${describeMosaics(d.regions)} [${ms} ms]\n`);
    } catch (e) {
      failed++;
      io.stderr.write(`${p.input}: ${(e as Error).message}\n`);
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  io.stdout.write(
    `inpaint detect: ${pages.length - failed} of ${pages.length} page${pages.length === 1 ? '' : 's'} read, ${withMosaic} with a mosaic (${regions} region${regions === 1 ? '' : 's'}), masks in ${args.out} in ${secs} s${failed ? `; ${failed} failed` : ''}\n`,
  );
  return failed ? 1 : 0;
}
