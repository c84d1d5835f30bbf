/**
 * @file The `inpaint` CLI: DeepCreamPy-style batch over PNG pages with green holes.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import type { JobSettings } from '../../contracts/settings';
import { guideForPage } from '../../core/guide';
import type { Raster } from '../../core/types';
import type { ModelRunner, ModelWant } from '../../inference/types';
import { fillVariations, wantFor } from '../../jobs';
import { modeForModel, modelKindsFor, type InpaintMode } from '../../pipeline/modes';
import { parseArgs, UsageError, USAGE, type CliArgs } from './args';
import { colorizeMain } from './colorize';
import { openCliModel } from './models';
import { detectMain } from './detect';
import { describeMosaics, mosaicHoles } from '../../jobs/mosaics';
import { checkFolder, existsMessage, exists, expandInputs, noContextReason, OutputError, pageMask, prepareOutDir, realPath as real, writeNew } from './files';
import { readPage, writePng, type Page } from './io';

export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Folder the default models/ folder is looked up from (the CLI file's folder). */
  readonly home: string;
}

const ORIGINAL_EXTS = ['.png', '.jpg', '.jpeg', '.webp', '.PNG', '.JPG', '.JPEG', '.WEBP'];

interface Job {
  readonly input: string;
  readonly outputs: readonly string[];
  readonly error?: string;
}

/** Said once before the pages (files of an input folder that are not taken). */
const planNotes: string[] = [];

/** Default manifest: models/models.json beside the CLI's folder (dist/../models), or two levels up (sources). */
export function defaultManifest(home: string): string {
  const candidates = [path.join(home, '..', 'models', 'models.json'), path.join(home, '..', '..', '..', 'models', 'models.json')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** Expands folders, names the outputs, and refuses any output that would land on an input. */
async function plan(args: CliArgs): Promise<Job[]> {
  const jobs: Job[] = [];
  const outDir = real(args.out);
  const protectedFiles = new Set<string>();
  const { pages: files, dirs: protectedDirs, notes } = await expandInputs(args.inputs);
  planNotes.push(...notes);
  if (args.originals) {
    checkFolder(args.originals, '--originals');
    protectedDirs.set(real(args.originals), args.originals);
  }
  if (protectedDirs.has(outDir)) {
    throw new UsageError(`--out ${args.out} is the input folder ${protectedDirs.get(outDir)}; choose another folder so no input is overwritten`);
  }
  for (const f of files) if (!f.error) protectedFiles.add(real(f.input));
  if (protectedFiles.has(outDir)) throw new UsageError(`--out ${args.out} is an input file`);
  const taken = new Map<string, string>();
  for (const f of files) {
    if (f.error) {
      jobs.push({ input: f.input, outputs: [], error: f.error });
      continue;
    }
    const base = path.basename(f.input).replace(/\.[^.]*$/, '');
    const outputs =
      args.variations === 1
        ? [path.join(outDir, `${base}.png`)]
        : Array.from({ length: args.variations }, (_, k) => path.join(outDir, `${base}_v${k + 1}.png`));
    const clash = outputs.find((o) => protectedFiles.has(o));
    if (clash) throw new UsageError(`output ${clash} would overwrite an input; choose another --out folder`);
    const dup = outputs.find((o) => taken.has(o));
    if (dup) {
      jobs.push({ input: f.input, outputs: [], error: `same name as ${taken.get(dup)}; its output ${path.basename(dup)} would be overwritten` });
      continue;
    }
    for (const o of outputs) taken.set(o, f.input);
    const there = args.overwrite ? undefined : outputs.find((o) => exists(o));
    if (there) {
      jobs.push({ input: f.input, outputs: [], error: existsMessage(there) });
      continue;
    }
    jobs.push({ input: f.input, outputs });
  }
  return jobs;
}

async function findOriginal(dir: string, input: string): Promise<string> {
  const base = path.basename(input).replace(/\.[^.]*$/, '');
  for (const ext of ORIGINAL_EXTS) {
    const p = path.join(dir, base + ext);
    if (existsSync(p)) return p;
  }
  throw new Error(`no original named ${base}.png/.jpg/.jpeg/.webp in ${dir}`);
}

function shortError(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0]!.replace(/^Input file /, '');
}

class Progress {
  private done = 0;
  private line = '';
  constructor(
    private readonly io: CliIO,
    private readonly total: number,
  ) {}
  get tty(): boolean {
    return !!this.io.stderr.isTTY;
  }
  show(name: string, sub = ''): void {
    if (!this.tty) return;
    const width = 24;
    const filled = Math.round((width * this.done) / Math.max(1, this.total));
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${name}${sub ? ` (${sub})` : ''}`;
    const cols = (this.io.stderr.columns || 80) - 1;
    this.line = text.length > cols ? text.slice(0, cols) : text;
    this.io.stderr.write(`\r\x1b[K${this.line}`);
  }
  step(): void {
    this.done++;
  }
  /** Prints a message on its own line without breaking the bar. */
  say(msg: string): void {
    if (this.tty) this.io.stderr.write(`\r\x1b[K${msg}\n${this.line}`);
    else this.io.stderr.write(`${msg}\n`);
  }
  end(): void {
    if (this.tty) this.io.stderr.write('\r\x1b[K');
  }
}

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv[0] === 'colorize') return colorizeMain(argv.slice(1), io, defaultManifest(io.home));
  if (argv[0] === 'detect') return detectMain(argv.slice(1), io);
  let args: CliArgs | null;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`inpaint: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!args) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const t0 = Date.now();
  let jobs: Job[];
  try {
    planNotes.length = 0;
    jobs = await plan(args);
    if (args.guide && jobs.length > 1) throw new UsageError(`--guide ${args.guide} is one guide but ${jobs.length} pages were given; use --guides DIR (one guide per page, by name)`);
    if (args.guides && !existsSync(args.guides)) throw new UsageError(`--guides ${args.guides}: no such folder`);
    await prepareOutDir(args.out);
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof OutputError)) throw e;
    io.stderr.write(`inpaint: ${(e as Error).message}\n`);
    return 2;
  }
  for (const note of planNotes) io.stderr.write(`inpaint: ${note}\n`);
  const settings = jobSettings(args);
  const fillMode: InpaintMode = args.mosaic ? 'mosaic' : 'holes';
  // Decode the first page while the model loads (sharp decodes on libuv's threads; the hash
  // check and session creation run on this one). Its errors are reported when its turn comes.
  const prefetched = new Map<string, Promise<Page>>();
  const first = jobs.find((j) => !j.error);
  if (first) {
    const p = readPage(first.input);
    p.catch(() => undefined);
    prefetched.set(first.input, p);
  }
  let model: ModelRunner;
  try {
    model = await openModel(args, io.home, fillMode);
  } catch (e) {
    io.stderr.write(`inpaint: ${(e as Error).message}\n`);
    return 2;
  }
  if (modeForModel(fillMode, model.info.kind, model.info.name) !== fillMode) {
    io.stderr.write(`inpaint: no mosaic model installed; filling the mosaic areas as holes with ${model.info.name} (the mosaic is not used as a hint)\n`);
  }
  // pages whose guide has ink strokes in the holes take the model trained with guides, loaded on
  // first need (jobs: wantFor); --model names one model for every page
  let guidedModel: Promise<ModelRunner> | null = null;
  const usedNames = new Set<string>();
  const pick = (want: ModelWant | undefined): Promise<ModelRunner> => {
    if (!want?.guides || args.model) return Promise.resolve(model);
    guidedModel ??= openCliModel(args, defaultManifest(io.home), [model.info.kind], want);
    return guidedModel;
  };
  const progress = new Progress(io, jobs.length);
  let failed = 0;
  let written = 0;
  try {
    for (const job of jobs) {
      const name = path.basename(job.input);
      progress.show(name);
      try {
        if (job.error) throw new Error(job.error);
        const pre = prefetched.get(job.input);
        prefetched.delete(job.input);
        written += await runJob(job, args, settings, pick, (used) => usedNames.add(used.info.name), (sub) => progress.show(name, sub), (msg) => progress.say(`${job.input}: ${msg}`), pre);
      } catch (e) {
        failed++;
        progress.say(`${job.input}: ${shortError(e)}`);
      }
      progress.step();
    }
  } finally {
    const loading = guidedModel as Promise<ModelRunner> | null; // (assigned in pick)
    const guided = loading ? await loading.catch(() => null) : null;
    if (guided && guided !== model) await guided.dispose();
    await model.dispose();
  }
  progress.end();
  const ok = jobs.length - failed;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  io.stdout.write(
    `inpaint: ${ok} of ${jobs.length} page${jobs.length === 1 ? '' : 's'} done, ${written} file${written === 1 ? '' : 's'} written to ${args.out} in ${secs} s` +
      `${failed ? `; ${failed} failed` : ''} (model ${[...usedNames].join(' and ') || model.info.name}, ${model.backend})\n`,
  );
  return failed ? 1 : 0;
}

/** The job settings of the CLI's flags (checked by the same validators as the panel's). */
function jobSettings(args: CliArgs): JobSettings {
  return {
    mode: args.mosaic ? 'mosaic' : 'green',
    grow: args.grow,
    variations: args.variations,
    texture: args.texture,
    fill: args.fill,
    lines: args.lines,
    fringe: args.fringe,
  };
}

/** The model for `mode`: its kind's, else its fallback's (pipeline/modes.ts; cli/models.ts). */
function openModel(args: CliArgs, home: string, mode: InpaintMode): Promise<ModelRunner> {
  return openCliModel(args, defaultManifest(home), modelKindsFor(mode));
}

async function runJob(
  job: Job,
  args: CliArgs,
  settings: JobSettings,
  pick: (want: ModelWant | undefined) => Promise<ModelRunner>,
  used: (model: ModelRunner) => void,
  status: (s: string) => void,
  log: (s: string) => void,
  prefetched?: Promise<Page>,
): Promise<number> {
  const times: string[] = [];
  let t = Date.now();
  const lap = (what: string) => {
    const now = Date.now();
    times.push(`${what} ${now - t} ms`);
    t = now;
  };
  let file: Page;
  try {
    file = await (prefetched ?? readPage(job.input));
  } catch (e) {
    throw new Error(`cannot read the image: ${shortError(e)}`);
  }
  const page = file.raster;
  lap('read');
  // --mosaic --detect: the mosaics found on the page itself are the holes (jobs/mosaics.ts)
  const found = args.detect ? mosaicHoles(page, settings.grow) : null;
  if (args.detect && !found) throw new Error('no mosaic found (nothing written; `inpaint detect` shows what is found, or paint the mosaic green and use --originals)');
  if (found) log(describeMosaics(found.regions));
  const mask = found ? found.mask : pageMask(page, file.lossy, settings.grow, settings.fringe);
  if (!mask) {
    throw new Error(
      page.channels < 3 ? 'a gray image has no green: paint the areas to fill pure green (#00FF00) in RGB' : 'no pure green (#00FF00) found: paint the areas to fill pure green',
    );
  }
  if (file.lossy && !found) log(`${file.format.toUpperCase()} is lossy: the green paint was taken by colour distance (near-pure green and its compression halo, up to 4 px)`);
  const why = noContextReason(page, mask, settings.grow);
  if (why) throw new Error(why);
  let image = page;
  let origLossy = false;
  if (args.mosaic && !args.detect) {
    const orig = await findOriginal(args.originals!, job.input);
    try {
      const o = await readPage(orig);
      image = o.raster;
      origLossy = o.lossy;
    } catch (e) {
      throw new Error(`cannot read the original ${orig}: ${shortError(e)}`);
    }
    if (image.width !== page.width || image.height !== page.height) {
      throw new Error(`the original ${path.basename(orig)} is ${image.width}x${image.height} but the green page is ${page.width}x${page.height}`);
    }
  }
  const guide = await pageGuide(args, job.input, page);
  if (guide) log(`guide: ${guide.file} (its strokes in the holes are drawn and filled around)`);
  const first = await pick(undefined);
  const model = await pick(wantFor(first.info.kind, mask, guide?.raster));
  if (model !== first && args.verbose) log(`guide strokes in the holes: filled with ${model.info.name} (trained with guides)`);
  used(model);
  lap('mask');
  let n = 0;
  const many = job.outputs.length > 1;
  // the decoded page is ours: every variation is filled in its own buffer (no copy of the page)
  await fillVariations(
    image,
    mask,
    { model, settings, guide: guide?.raster ?? null, onProgress: (v, e) => e.type === 'region' && status(`${many ? `v${v + 1} ` : ''}region ${e.index + 1}/${e.regions}`) },
    async (v, res) => {
      lap(`model (${res.boxes.length} boxes)`);
      if (args.verbose && v === 0 && res.flatPixels) log(`${res.flatPixels} hole pixels lie in flat areas: filled with the colour around them`);
      if (v === 0 && res.mosaicGrid !== undefined) {
        // mosaic mode: the grid whose block means were kept (same for every variation); not found is
        // said without --verbose (the mosaic's block means are not kept, nothing is learnt from the page)
        const g = res.mosaicGrid;
        if (g && args.verbose) log(`mosaic grid: block ${g.block} at (${g.ox}, ${g.oy})`);
        if (!g) {
          log(
            `mosaic grid: not found (raw mosaic fed to the model)${origLossy ? '; the original is lossy (JPEG/WebP): compression blurs the block edges, use a PNG original if you have one' : ''}`,
          );
        }
      }
      await writeNew(job.outputs[v]!, args.overwrite, (tmp) => writePng(res.image, tmp, file.icc));
      lap('write');
      n++;
    },
  );
  if (args.verbose) log(times.join(', '));
  return n;
}

/**
 * The page's guide strokes (--guide FILE, or --guides DIR by base name), page-sized RGBA; null
 * when there is none or it is all transparent. Another size, or no transparency, is an error
 * naming both sizes / what to do.
 */
async function pageGuide(args: CliArgs, input: string, page: Raster): Promise<{ file: string; raster: Raster } | null> {
  let file: string | null = args.guide ?? null;
  if (args.guides) {
    const p = path.join(args.guides, `${path.basename(input).replace(/\.[^.]*$/, '')}.png`);
    file = existsSync(p) ? p : null;
  }
  if (!file) return null;
  let g: Raster;
  try {
    g = (await readPage(file)).raster;
  } catch (e) {
    throw new Error(`cannot read the guide ${file}: ${shortError(e)}`);
  }
  if (g.width !== page.width || g.height !== page.height) {
    throw new Error(`the guide ${path.basename(file)} is ${g.width}x${g.height} but the page is ${page.width}x${page.height}; draw the guide on a layer of the page's size`);
  }
  if (g.channels !== 4 && g.channels !== 2) {
    throw new Error(`the guide ${path.basename(file)} has no transparency: draw the strokes on a transparent layer (PNG with alpha)`);
  }
  if (g.channels === 2) {
    // grey + alpha: the same strokes as RGBA
    const rgba = g.data instanceof Uint16Array ? new Uint16Array(g.width * g.height * 4) : new Uint8Array(g.width * g.height * 4);
    for (let i = 0; i < g.width * g.height; i++) rgba.set([g.data[i * 2]!, g.data[i * 2]!, g.data[i * 2]!, g.data[i * 2 + 1]!], i * 4);
    g = { ...g, channels: 4, data: rgba };
  }
  const raster = guideForPage(g, 0, 0, page.width, page.height);
  return raster ? { file, raster } : null;
}

