/**
 * Issue 13: the files people really have, through dist/cli.js with the shipped model. The files
 * are made by scripts/make-test-files.js (JPEG, lossy WebP, EXIF-rotated, ICC-tagged, RGBA,
 * 16-bit, a JPEG mosaic original). `npm run build:cli` first when run alone.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeTestFiles } = require('../../scripts/make-test-files.js');

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface TestFile {
  file: string;
  paint?: string;
  lossy?: boolean;
  icc?: string;
  originals?: string;
}
let tmp: string;
let files: Record<string, TestFile>;
let W: number;
let H: number;

beforeAll(async () => {
  if (!fs.existsSync(CLI)) {
    const r = spawnSync('npx', ['webpack', '--mode', 'production', '--env', 'target=cli'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the CLI failed:\n${r.stdout}${r.stderr}`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-files-'));
  const m = await makeTestFiles(path.join(tmp, 'files'));
  files = m.files;
  W = m.w;
  H = m.h;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], opts: { timeout?: number; asNobody?: boolean } = {}) {
  const cmd = opts.asNobody ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const r = spawnSync(cmd[0] as string, cmd[1] as string[], { cwd: ROOT, encoding: 'utf8', timeout: opts.timeout ?? 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
async function pixels(file: string, depth16 = false) {
  const s = sharp(file, { ignoreIcc: true });
  const { data, info } = await (depth16 ? s.toColourspace('rgb16').raw({ depth: 'ushort' }) : s.raw()).toBuffer({ resolveWithObject: true });
  const px = depth16 ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : new Uint8Array(data);
  return { px, w: info.width, h: info.height, c: info.channels };
}
function paintOf(f: TestFile): Float32Array {
  const b = fs.readFileSync(f.paint!);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
/** Chebyshev distance (capped) of every pixel to the nearest painted pixel (opacity > 0). */
function distToPaint(a: Float32Array, w: number, h: number, cap: number): Uint8Array {
  const d = new Uint8Array(w * h).fill(cap);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!(a[y * w + x]! > 0)) continue;
      for (let dy = -cap; dy <= cap; dy++)
        for (let dx = -cap; dx <= cap; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          const v = Math.max(Math.abs(dx), Math.abs(dy));
          if (v < d[yy * w + xx]!) d[yy * w + xx] = v;
        }
    }
  return d;
}

describe('inpaint CLI: real files (issue 13)', () => {
  it.each(['manga-q70.jpg', 'manga-q95.jpg', 'manga-q75.webp', 'manga-q90.webp', 'colour-q85.jpg', 'colour-q80.webp'])(
    'lossy green paint in %s is filled: at most 0.5 %% of painted pixels left green, nothing far from the paint changed',
    async (name) => {
      const f = files[name]!;
      const out = dir(`lossy-${name}`);
      const r = cli([f.file, '--out', out]);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/is lossy: the green paint was taken by colour distance/);
      const a = paintOf(f);
      const inp = await pixels(f.file);
      const res = await pixels(path.join(out, name.replace(/\.[^.]+$/, '.png')));
      expect([res.w, res.h, res.c]).toEqual([W, H, 3]);
      let painted = 0;
      let green = 0;
      let changedFar = 0;
      const d = distToPaint(a, W, H, 6);
      for (let i = 0; i < W * H; i++) {
        const o = i * 3;
        if (a[i]! >= 0.5) {
          painted++;
          // still the paint's colour: within 0.25 of full scale of pure green (lime, the greenest hill, is 0.33 away); on the grey page,
          // also any visible green (48 levels above red and blue; the colour page's fills are green hills)
          const [pr, pg, pb] = [res.px[o]!, res.px[o + 1]!, res.px[o + 2]!];
          const paintLike = pr * pr + (255 - pg) * (255 - pg) + pb * pb <= 64 * 64;
          if (paintLike || (name.startsWith('manga') && pg - Math.max(pr, pb) >= 48)) green++;
        }
        if (d[i]! > 5 && [0, 1, 2].some((k) => res.px[o + k] !== inp.px[o + k])) changedFar++;
      }
      expect(painted).toBeGreaterThan(3000);
      expect(green / painted).toBeLessThanOrEqual(0.005);
      expect(changedFar).toBe(0);
    },
  );

  it('a colour illustration with natural greens (lime, teal, spring, lawn) and no paint gets no holes, JPEG and WebP', () => {
    for (const name of ['colour-clean-q70.jpg', 'colour-clean-q95.jpg', 'colour-clean-q80.webp']) {
      const out = dir(`clean-${name}`);
      const r = cli([files[name]!.file, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/no pure green \(#00FF00\) found/);
      expect(fs.readdirSync(out)).toEqual([]);
    }
  });

  it('a JPEG mosaic original whose grid is not found is said without --verbose', () => {
    const f = files['mosaic-green']!;
    const md = dir('prior-model');
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/models.json'), 'utf8'));
    manifest.models = manifest.models.filter((m: { kind: string }) => m.kind === 'mosaic');
    manifest.models[0].input.mosaic = 'block-prior';
    fs.writeFileSync(path.join(md, 'models.json'), JSON.stringify(manifest));
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/tiny-pconv-mosaic.onnx'), path.join(md, 'tiny-pconv-mosaic.onnx'));
    const r = cli([f.file, '--mosaic', '--originals', f.originals!, '--out', dir('mosaic-out'), '--manifest', path.join(md, 'models.json')]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/m\.png: mosaic grid: not found \(raw mosaic fed to the model\); the original is lossy/);
  });

  it('never replaces a file it did not create: page.jpg --out its own folder keeps page.png; --overwrite replaces it', async () => {
    const x = dir('overwrite');
    fs.copyFileSync(files['manga-q85.jpg']!.file, path.join(x, 'page.jpg'));
    fs.writeFileSync(path.join(x, 'page.png'), 'not mine');
    const r = cli([path.join(x, 'page.jpg'), '--out', x]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/page\.png already exists and was not made by this run; pass --overwrite/);
    expect(fs.readFileSync(path.join(x, 'page.png'), 'utf8')).toBe('not mine');
    // a second run into a filled folder: refused page by page, nothing replaced
    const out = dir('overwrite-out');
    expect(cli([path.join(x, 'page.jpg'), '--out', out]).code).toBe(0);
    const first = fs.readFileSync(path.join(out, 'page.png'));
    fs.writeFileSync(path.join(out, 'page.png'), 'edited by hand');
    expect(cli([path.join(x, 'page.jpg'), '--out', out]).code).toBe(1);
    expect(fs.readFileSync(path.join(out, 'page.png'), 'utf8')).toBe('edited by hand');
    const o = cli([path.join(x, 'page.jpg'), '--out', out, '--overwrite']);
    expect(o.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'page.png')).equals(first)).toBe(true);
  });

  it('--out that cannot be written: exit 2 with "permission denied" before any model work', () => {
    const ro = dir('readonly');
    fs.chmodSync(ro, 0o555);
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(path.join(tmp, 'files'), 0o755);
    const asNobody = process.getuid?.() === 0; // root writes anywhere: run as nobody
    if (asNobody) fs.chmodSync(ro, 0o755); // owned by root: nobody cannot write it
    // a manifest that does not exist: the old code got to the model (and said so) first
    const r = cli([files['manga.png']!.file, '--out', ro, '--manifest', path.join(tmp, 'no-such-models.json')], { asNobody });
    expect(r.err).toMatch(/--out .*readonly: cannot write there: permission denied/);
    expect(r.err).not.toMatch(/manifest/);
    expect(r.code).toBe(2);
    expect(fs.readdirSync(ro)).toEqual([]);
    // a folder to be made inside it
    const r2 = cli([files['manga.png']!.file, '--out', path.join(ro, 'sub', 'deeper')], { asNobody });
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/cannot create .*sub: permission denied/);
  });

  it('--out under /proc fails at once instead of looping in mkdir', () => {
    const t = Date.now();
    const r = cli([files['manga.png']!.file, '--out', '/proc/inpaint-test/out'], { timeout: 20000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot create \/proc\/inpaint-test: the file system at \/proc does not take new folders/);
    expect(Date.now() - t).toBeLessThan(15000);
  });

  it('a missing --originals folder is reported once, up front (exit 2)', () => {
    const d = dir('orig-missing');
    fs.copyFileSync(files['manga.png']!.file, path.join(d, 'a.png'));
    fs.copyFileSync(files['manga.png']!.file, path.join(d, 'b.png'));
    const r = cli([d, '--mosaic', '--originals', path.join(tmp, 'no-such-originals'), '--out', dir('orig-missing-out')]);
    expect(r.code).toBe(2);
    expect(r.err.match(/no-such-originals/g)).toHaveLength(1);
    expect(r.err).toMatch(/--originals .*no-such-originals does not exist/);
  });

  it('a folder: JPEG and WebP pages are taken, other files are named', () => {
    const d = dir('mixed');
    fs.copyFileSync(files['manga.png']!.file, path.join(d, 'a.png'));
    fs.copyFileSync(files['manga-q85.jpg']!.file, path.join(d, 'b.JPG'));
    fs.copyFileSync(files['manga-q90.webp']!.file, path.join(d, 'c.webp'));
    fs.writeFileSync(path.join(d, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(d, 'page.psd'), 'x');
    const out = dir('mixed-out');
    const r = cli([d, '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['a.png', 'b.png', 'c.png']);
    expect(r.err).toMatch(/not an image \(png, jpg, jpeg, webp, tif\), not taken: notes\.txt, page\.psd/);
  });

  it('--grow "" is refused; an all-green page or a --grow that leaves no context fails with a reason, no grey page', async () => {
    const g = cli([files['manga.png']!.file, '--out', dir('grow-empty'), '--grow', '']);
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/--grow (needs a value|must be an integer)/);
    const d = dir('all-green');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 0, g: 255, b: 0 } } }).png().toFile(path.join(d, 'green.png'));
    const px = Buffer.alloc(64 * 48 * 3, 240);
    for (let y = 20; y < 28; y++) for (let x = 28; x < 36; x++) px.set([0, 255, 0], (y * 64 + x) * 3);
    await sharp(px, { raw: { width: 64, height: 48, channels: 3 } }).png().toFile(path.join(d, 'small.png'));
    const out = dir('all-green-out');
    const r = cli([path.join(d, 'green.png'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/green\.png: nothing to fill from: 3072 of 3072 pixels are to be filled and no visible pixels are left as context/);
    const r2 = cli([path.join(d, 'small.png'), '--out', out, '--grow', '64']);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/small\.png: nothing to fill from: .*\(green grown by 64 px\).*use a smaller --grow/);
    expect(fs.readdirSync(out)).toEqual([]);
    // a smaller grow on the same page is filled
    expect(cli([path.join(d, 'small.png'), '--out', out, '--grow', '4']).code).toBe(0);
  });

  it.each([['auto'], ['classical'], ['model']])(
    'RGBA: invisible black under alpha 0 beside the paint is not context (--fill %s); transparent stays transparent',
    async (fill) => {
      const f = files['rgba.png']!;
      const out = dir(`rgba-${fill}`);
      const r = cli([f.file, '--out', out, '--fill', fill]);
      expect(r.code).toBe(0);
      const inp = await pixels(f.file);
      const res = await pixels(path.join(out, 'rgba.png'));
      expect(res.c).toBe(4);
      const a = paintOf(f);
      let sum = 0;
      let n = 0;
      let darkest = 255;
      for (let i = 0; i < W * H; i++) {
        const o = i * 4;
        expect(res.px[o + 3]).toBe(inp.px[o + 3]); // alpha untouched: transparent stays transparent
        if (!(a[i]! > 0) || inp.px[o + 3] === 0) continue;
        const l = 0.299 * res.px[o]! + 0.587 * res.px[o + 1]! + 0.114 * res.px[o + 2]!;
        sum += l;
        n++;
        // the columns next to the transparent part (x 160..169), where black context would pull most
        const x = i % W;
        if (x >= 160) darkest = Math.min(darkest, l);
      }
      // the page around the paint is 195..215 (luma ~200)
      expect(n).toBeGreaterThan(1000);
      expect(sum / n).toBeGreaterThan(185);
      expect(darkest).toBeGreaterThan(150);
    },
  );

  it('EXIF orientation is applied on read: the output is upright, with no orientation tag', async () => {
    const upright = await pixels(files['manga.png']!.file);
    const a = paintOf(files['manga.png']!);
    for (const name of ['rotated.png', 'rotated.jpg']) {
      const out = dir(`exif-${name}`);
      const r = cli([files[name]!.file, '--out', out]);
      expect(r.code).toBe(0);
      const file = path.join(out, 'rotated.png');
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height, meta.orientation]).toEqual([W, H, undefined]);
      const res = await pixels(file);
      // upright: away from the paint, the result matches the upright page (exactly for PNG)
      const d = distToPaint(a, W, H, 6);
      let worst = 0;
      for (let i = 0; i < W * H; i++) if (d[i]! > 5) for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(res.px[i * 3 + k]! - upright.px[i * 3 + k]!));
      expect(worst).toBeLessThanOrEqual(name.endsWith('.png') ? 0 : 40);
    }
  });

  it.each([['icc.png', false], ['icc16.png', true]])('the ICC profile of %s is kept, and the stored pixel values with it', async (name, deep) => {
    const f = files[name as string]!;
    const out = dir(`icc-${name}`);
    const r = cli([f.file, '--out', out]);
    expect(r.code).toBe(0);
    const file = path.join(out, name as string);
    const meta = await sharp(file).metadata();
    expect(meta.icc).toBeDefined();
    expect(Buffer.compare(meta.icc!, fs.readFileSync(f.icc!))).toBe(0);
    expect(meta.depth).toBe(deep ? 'ushort' : 'uchar');
    const inp = await pixels(f.file, deep as boolean);
    const res = await pixels(file, deep as boolean);
    const a = paintOf(f);
    const d = distToPaint(a, W, H, 3);
    let diff = 0;
    for (let i = 0; i < W * H; i++) if (d[i]! > 2) for (let k = 0; k < 3; k++) if (res.px[i * 3 + k] !== inp.px[i * 3 + k]) diff++;
    expect(diff).toBe(0);
  });
});
