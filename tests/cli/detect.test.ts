/**
 * `inpaint detect` and `inpaint --mosaic --detect` end to end through dist/cli.js, on synthetic
 * mosaic pages (tests/helpers/mosaicPages.ts) and a page without a mosaic, with the tiny
 * fixture mosaic model. (Run alone, this builds the CLI if dist/cli.js is missing.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { mosaicPage, page, raster } from '../helpers/mosaicPages';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MOSAIC = path.join(ROOT, 'tests', 'fixtures', 'tiny-pconv-mosaic.onnx');

let tmp: string;
beforeAll(() => {
  if (!fs.existsSync(CLI)) {
    const r = spawnSync('npx', ['webpack', '--mode', 'production', '--env', 'target=cli'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the CLI failed:\n${r.stdout}${r.stderr}`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-test-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
/** A PNG's pixels as stored: its own channel count (sharp's raw output would expand grey to RGB). */
async function grey(file: string): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  const meta = await sharp(file).metadata();
  const s = sharp(file);
  const { data, info } = await (meta.channels === 1 ? s.extractChannel(0) : s).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: meta.channels === 1 ? 1 : info.channels };
}

/** A folder with a page holding a block-9 mosaic (m.png) and a page without one (clean.png). */
async function pages(name: string) {
  const d = dir(name);
  const c = mosaicPage(9, 4, 7, { seed: 9 });
  const { width: w, height: h } = c.image;
  await sharp(Buffer.from(c.image.data), { raw: { width: w, height: h, channels: 3 } }).png().toFile(path.join(d, 'm.png'));
  const clean = raster(page(200, 150, 3, 77, { cx: 100, cy: 75, r: 40 }), 200, 150, 3);
  await sharp(Buffer.from(clean.data), { raw: { width: 200, height: 150, channels: 3 } }).png().toFile(path.join(d, 'clean.png'));
  return { d, c, w, h };
}

describe('inpaint detect', () => {
  it('writes a mask per page (white = the mosaic), one line per page, exit 0', async () => {
    const { d, c, w, h } = await pages('detect-in');
    const out = dir('detect-out');
    const r = cli(['detect', d, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/m\.png: 1 mosaic region \(block 9: [\d,]+ px at \d+,\d+-\d+,\d+\)/);
    expect(r.out).toMatch(/clean\.png: no mosaic found/);
    expect(r.out).toMatch(/2 of 2 pages read, 1 with a mosaic \(1 region\)/);
    const m = await grey(path.join(out, 'm.png'));
    expect([m.width, m.height, m.channels]).toEqual([w, h, 1]);
    let inter = 0;
    let union = 0;
    for (let i = 0; i < w * h; i++) {
      expect([0, 255]).toContain(m.data[i]);
      const t = c.truth[i] === 1;
      const s = m.data[i] === 255;
      if (t && s) inter++;
      if (t || s) union++;
    }
    expect(inter / union).toBeGreaterThanOrEqual(0.7);
    const k = await grey(path.join(out, 'clean.png'));
    expect(k.data.every((v) => v === 0)).toBe(true);
    // an existing mask is not replaced without --overwrite
    const again = cli(['detect', path.join(d, 'm.png'), '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists \(pass --overwrite/);
    expect(cli(['detect', path.join(d, 'm.png'), '--out', out, '--overwrite']).code).toBe(0);
  });

  it('refuses bad usage with exit 2', () => {
    expect(cli(['detect', '--out', dir('u1')]).code).toBe(2);
    expect(cli(['detect', 'x.png']).code).toBe(2);
    const r = cli(['detect', 'x.png', '--out', dir('u2'), '--mosaic']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option --mosaic/);
  });
});

describe('inpaint --mosaic --detect', () => {
  it('restores the mosaics found, changes nothing outside them, says what was found; a page without one fails with a reason', async () => {
    const { d, c, w, h } = await pages('restore-in');
    const detected = dir('restore-mask');
    expect(cli(['detect', path.join(d, 'm.png'), '--out', detected]).code).toBe(0);
    const mask = await grey(path.join(detected, 'm.png'));
    const out = dir('restore-out');
    const r = cli([d, '--mosaic', '--detect', '--out', out, '--model', MOSAIC]);
    expect(r.code).toBe(1); // clean.png has no mosaic
    expect(r.err).toMatch(/m\.png: 1 mosaic region \(block 9/);
    expect(r.err).toMatch(/clean\.png: no mosaic found \(nothing written/);
    expect(fs.existsSync(path.join(out, 'clean.png'))).toBe(false);
    const res = await grey(path.join(out, 'm.png'));
    expect([res.width, res.height, res.channels]).toEqual([w, h, 3]);
    let changedOutside = 0;
    let changedInside = 0;
    for (let i = 0; i < w * h; i++) {
      const differs = [0, 1, 2].some((k) => res.data[i * 3 + k] !== c.image.data[i * 3 + k]);
      if (mask.data[i]) changedInside += differs ? 1 : 0;
      else changedOutside += differs ? 1 : 0;
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(0);
  });

  it('--detect needs --mosaic and takes no --originals', () => {
    const a = cli(['x.png', '--detect', '--out', dir('u3')]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--detect is used with --mosaic/);
    const b = cli(['x.png', '--mosaic', '--detect', '--originals', dir('u4'), '--out', dir('u5')]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/without --originals/);
  });
});
