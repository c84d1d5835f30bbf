/**
 * `inpaint colorize` end to end (dist/cli.js) with the tiny random-weight colorize fixture: grey,
 * RGB, RGBA and 16-bit pages in; colour PNGs out of the same size, alpha and depth; every pixel's
 * lightness kept; hints by folder and by file; bad hints and existing outputs refused.
 * (`npm test` builds first; run alone, this builds the CLI if dist/cli.js is missing.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { CLI, ROOT, ensureCli } from '../helpers/cli';

const MODEL = path.join(ROOT, 'tests', 'fixtures', 'tiny-colorize.onnx');

let tmp: string;
beforeAll(() => {
  ensureCli();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-colorize-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'colorize', ...args, '--model', MODEL], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
/** A grey manga-like page: gradient, a dark frame line and a few dots. */
function greyPixels(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) b[y * w + x] = x === 10 || y === 12 ? 15 : 60 + Math.round((150 * (x + y)) / (w + h)) + ((x * 7 + y * 3) % 5);
  return b;
}
const lightness = (r: number, g: number, b: number) => {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : Math.pow((c / 255 + 0.055) / 1.055, 2.4));
  const y = 0.212671 * lin(r) + 0.71516 * lin(g) + 0.072169 * lin(b);
  return y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
};

describe('inpaint colorize', () => {
  test('grey page + hints folder: RGB out, same size, lightness of every pixel kept, hints followed', async () => {
    const d = dir('grey');
    const w = 80;
    const h = 60;
    const grey = greyPixels(w, h);
    await sharp(grey, { raw: { width: w, height: h, channels: 1 } }).png().toFile(path.join(d, 'page.png'));
    const hd = dir('grey-hints');
    const hints = Buffer.alloc(w * h * 4);
    for (let y = 30; y < 35; y++) for (let x = 40; x < 45; x++) hints.set([220, 30, 30, 255], (y * w + x) * 4);
    await sharp(hints, { raw: { width: w, height: h, channels: 4 } }).png().toFile(path.join(hd, 'page.png'));
    const out = dir('grey-out');
    const r = cli([path.join(d, 'page.png'), '--hints', hd, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 of 1 page done/);
    const { data, info } = await sharp(path.join(out, 'page.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 3]);
    let drift = 0;
    for (let i = 0; i < w * h; i++) {
      const v = grey[i]!;
      drift = Math.max(drift, Math.abs(lightness(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!) - lightness(v, v, v)));
    }
    expect(drift).toBeLessThan(0.7);
    // the hint pixels are pinned to the hint's chroma: red, at the page's own lightness
    const i = 32 * w + 42;
    expect(data[3 * i]!).toBeGreaterThan(data[3 * i + 1]! + 20);
    expect(data[3 * i]!).toBeGreaterThan(data[3 * i + 2]! + 20);
  });

  test('RGBA keeps alpha, 16-bit stays 16-bit, a colour page is accepted with a notice', async () => {
    const d = dir('kinds');
    const w = 48;
    const h = 40;
    const rgba = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([30 + (i % 200), 120, 200 - (i % 150), i % 3 === 0 ? 0 : 255], i * 4);
    await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png().toFile(path.join(d, 'rgba.png'));
    const deep = new Uint16Array(w * h).map((_, i) => (i * 97) % 65536);
    await sharp(Buffer.from(deep.buffer), { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toFile(path.join(d, 'deep.png'));
    const out = dir('kinds-out');
    const r = cli([d, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/rgba.png: the page has colour; colorized from its luminance/);
    const a = await sharp(path.join(out, 'rgba.png')).raw().toBuffer({ resolveWithObject: true });
    expect(a.info.channels).toBe(4);
    for (let i = 0; i < w * h; i++) expect(a.data[4 * i + 3]).toBe(rgba[4 * i + 3]);
    const m = await sharp(path.join(out, 'deep.png')).metadata();
    expect([m.depth, m.channels]).toEqual(['ushort', 3]);
  });

  test('bad input: hints of another size name both sizes, hints without alpha, an existing output, one hints file for many pages', async () => {
    const d = dir('bad');
    await sharp(greyPixels(64, 48), { raw: { width: 64, height: 48, channels: 1 } }).png().toFile(path.join(d, 'p.png'));
    await sharp(greyPixels(64, 48), { raw: { width: 64, height: 48, channels: 1 } }).png().toFile(path.join(d, 'q.png'));
    const small = path.join(tmp, 'small-hints.png');
    await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(small);
    const opaque = path.join(tmp, 'opaque-hints.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 0, b: 0 } } }).png().toFile(opaque);
    const out = dir('bad-out');
    let r = cli([path.join(d, 'p.png'), '--hints', small, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the colour hints are 32x32 but the page is 64x48/);
    expect(fs.existsSync(path.join(out, 'p.png'))).toBe(false);
    r = cli([path.join(d, 'p.png'), '--hints', opaque, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no transparency/);
    r = cli([d, '--hints', small, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/one file but 2 pages/);
    r = cli([path.join(d, 'p.png'), '--out', out]);
    expect(r.code).toBe(0);
    const before = fs.readFileSync(path.join(out, 'p.png'));
    r = cli([path.join(d, 'p.png'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already exists and was not made by this run; pass --overwrite/);
    expect(fs.readFileSync(path.join(out, 'p.png')).equals(before)).toBe(true);
    expect(cli([path.join(d, 'p.png'), '--out', out, '--overwrite']).code).toBe(0);
    r = cli([d, '--out', d]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is the input folder/);
  });
});
