/**
 * @file The CLI's file safety, shared by `inpaint` and `inpaint colorize`: the output folder
 * made and checked writable before any model work (fails fast on special file systems), results
 * written without replacing a file the run did not create (unless --overwrite), the image files
 * of an input folder (others named), the mask of a green page (lossy pages by colour distance).
 */
import { promises as fs, realpathSync, statSync } from 'fs';
import * as path from 'path';
import { lossyGreenMask } from '../../core/green-lossy';
import { growMask, maskBounds, maskCount } from '../../core/mask';
import type { Mask, Raster } from '../../core/types';
import { greenHoles } from '../../jobs';

/** Image files taken from an input folder (sharp reads them); anything else is named, not taken. */
export const FOLDER_IMAGE = /\.(png|jpe?g|webp|tiff?)$/i;

export class OutputError extends Error {
  override name = 'OutputError';
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'permission denied (read-only file system)';
  if (code === 'ENOTDIR') return 'a file is in the way';
  if (code === 'ENOSPC') return 'no space left on the device';
  return ((e as Error)?.message ?? String(e)).split('\n')[0]!;
}

/**
 * Makes `dir` (one level at a time from its nearest existing folder, so a file system that
 * refuses new folders, such as /proc, fails at once instead of looping) and checks that a file
 * can be created and removed in it. Throws OutputError naming the folder and why.
 */
export async function prepareOutDir(dir: string, flag = '--out'): Promise<void> {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new OutputError(`${flag} ${dir}: cannot use ${p}: ${reason(e)}`);
      missing.push(p);
      const up = path.dirname(p);
      if (up === p) throw new OutputError(`${flag} ${dir}: no existing folder above it`);
      p = up;
      continue;
    }
    if (!st.isDirectory()) throw new OutputError(`${flag} ${dir}: ${p} is a file, not a folder`);
    break;
  }
  for (const m of missing.reverse()) {
    try {
      await fs.mkdir(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') throw new OutputError(`${flag} ${dir}: cannot create ${m}: the file system at ${path.dirname(m)} does not take new folders`);
      throw new OutputError(`${flag} ${dir}: cannot create ${m}: ${reason(e)}`);
    }
  }
  const probe = path.join(abs, `.inpaint-probe-${process.pid}`);
  try {
    const h = await fs.open(probe, 'wx');
    await h.close();
    await fs.rm(probe, { force: true });
  } catch (e) {
    throw new OutputError(`${flag} ${dir}: cannot write there: ${reason(e)}`);
  }
}

/** Whether `file` exists (as anything). */
export function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The message for an output that is already there. */
export function existsMessage(file: string): string {
  return `${file} already exists and was not made by this run; pass --overwrite to replace it, or choose another --out folder`;
}

/**
 * Writes a file through `write(tmp)` under a temporary name, then puts it at `file`: with
 * `overwrite`, by rename; otherwise by a hard link that fails if `file` appeared meanwhile (or, on
 * file systems without links, a last existence check and a rename).
 */
export async function writeNew(file: string, overwrite: boolean, write: (tmp: string) => Promise<void>): Promise<void> {
  if (!overwrite && exists(file)) throw new Error(existsMessage(file));
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await write(tmp);
    if (overwrite) {
      await fs.rename(tmp, file);
      return;
    }
    try {
      await fs.link(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Error(existsMessage(file));
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') throw e;
      if (exists(file)) throw new Error(existsMessage(file));
      await fs.rename(tmp, file);
      return;
    }
    await fs.rm(tmp, { force: true });
  } catch (e) {
    await fs.rm(tmp, { force: true });
    if ((e as Error).message?.includes('already exists')) throw e;
    throw new Error(`cannot write ${file}: ${reason(e)}`);
  }
}

/** The image files of a folder (sorted) and the names of the other files in it. */
export async function folderImages(dir: string): Promise<{ images: string[]; others: string[] }> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const images: string[] = [];
  const others: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isFile() && FOLDER_IMAGE.test(e.name)) images.push(e.name);
    else if (e.isFile()) others.push(e.name);
  }
  return { images: images.sort(), others: others.sort() };
}

/** One input page, or the reason an input gives none ("no such file or folder", an empty folder). */
export interface InputPage {
  readonly input: string;
  readonly error?: string;
}

/**
 * The pages of the command line's inputs, in order: files as given, folders expanded to their
 * images (not recursively). `dirs`: the folders (real path -> as given); `notes`: one line per
 * folder naming the files that are not images (not taken).
 */
export async function expandInputs(inputs: readonly string[]): Promise<{ pages: InputPage[]; dirs: Map<string, string>; notes: string[] }> {
  const pages: InputPage[] = [];
  const dirs = new Map<string, string>();
  const notes: string[] = [];
  for (const a of inputs) {
    let st;
    try {
      st = statSync(a);
    } catch {
      pages.push({ input: a, error: 'no such file or folder' });
      continue;
    }
    if (!st.isDirectory()) {
      pages.push({ input: a });
      continue;
    }
    dirs.set(realPath(a), a);
    const { images, others } = await folderImages(a);
    for (const n of images) pages.push({ input: path.join(a, n) });
    if (others.length) notes.push(`${a}: not an image (png, jpg, jpeg, webp, tif), not taken: ${others.join(', ')}`);
    if (images.length === 0) pages.push({ input: a, error: 'folder has no image files (png, jpg, jpeg, webp, tif)' });
  }
  return { pages, dirs, notes };
}

/** The real path of `p` (symlinks resolved), or its absolute path when it does not exist. */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Checks a folder flag (e.g. --originals) names an existing folder; throws OutputError otherwise. */
export function checkFolder(dir: string, flag: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new OutputError(`${flag} ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new OutputError(`${flag} ${dir} is not a folder`);
}

/** The hole mask of a green page: exact paint + fringe, or on lossy pages the colour-distance mask. */
export function pageMask(page: Raster, lossy: boolean, grow: number, fringe?: number): Mask | null {
  if (!lossy) return greenHoles(page, grow, fringe);
  const m = lossyGreenMask(page);
  if (!maskBounds(m)) return null;
  return grow > 0 ? growMask(m, grow) : m;
}

/** Pixels that are context: neither holes nor transparent (alpha 0). */
export function contextPixels(page: Raster, mask: Mask): number {
  const { width: w, height: h, channels: c, data } = page;
  const n = w * h;
  const alpha = c === 2 || c === 4;
  if (!alpha) return n - maskCount(mask);
  let k = 0;
  for (let i = 0; i < n; i++) if (!mask.data[i] && data[i * c + c - 1] !== 0) k++;
  return k;
}

/**
 * Why a page cannot be filled from its own pixels (null when it can): under 1 % of its pixels
 * (or none) are left as context once the paint is taken and grown.
 */
export function noContextReason(page: Raster, mask: Mask, grow: number): string | null {
  const n = page.width * page.height;
  const ctx = contextPixels(page, mask);
  if (ctx * 100 >= n && ctx > 0) return null;
  const holes = maskCount(mask);
  return (
    `nothing to fill from: ${holes} of ${n} pixels are to be filled${grow > 0 ? ` (green grown by ${grow} px)` : ''} and ` +
    `${ctx === 0 ? 'no' : `only ${ctx}`} visible pixel${ctx === 1 ? ' is' : 's are'} left as context; leave some of the page unpainted${grow > 0 ? ' or use a smaller --grow' : ''}`
  );
}
