/**
 * `inpaint --guides DIR` / `--guide FILE` (guide strokes, issue 15) end to end with the tiny fixture
 * model: a black line drawn across a green hole comes back dark along the line and nowhere
 * outside the hole changes; bad guides get a clear message; a guide with no pixel in the hole,
 * or an all-transparent one, changes nothing against the unguided fill.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { CLI, ROOT, ensureCli } from '../helpers/cli';

const MODEL = path.join(ROOT, 'tests', 'fixtures', 'tiny-pconv.onnx');
const W = 96;
const H = 64;

let tmp: string;
beforeAll(() => {
  ensureCli();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-guide-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args, '--model', MODEL], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = (n: string) => {
  const d = path.join(tmp, n);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
/** A light page with a green hole in the middle (x 30..65, y 16..47). */
function page(): Buffer {
  const b = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const v = 225 + ((x * 3 + y * 5) % 11);
      b.set(x >= 30 && x < 66 && y >= 16 && y < 48 ? [0, 255, 0] : [v, v, v], (y * W + x) * 3);
    }
  return b;
}
/** A guide: a black horizontal line at y = 31..32 from x = 10 to 85 (in and out of the hole). */
function guide(): Buffer {
  const g = Buffer.alloc(W * H * 4);
  for (let y = 31; y < 33; y++) for (let x = 10; x < 86; x++) g.set([0, 0, 0, 255], (y * W + x) * 4);
  return g;
}
const raw = async (f: string) => (await sharp(f).raw().toBuffer({ resolveWithObject: true })).data;

test('a black guide line across the hole is drawn; outside the hole nothing changes', async () => {
  const d = dir('in');
  await sharp(page(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path.join(d, 'p.png'));
  const gd = dir('guides');
  await sharp(guide(), { raw: { width: W, height: H, channels: 4 } }).png().toFile(path.join(gd, 'p.png'));
  const out = dir('out');
  const r = cli([path.join(d, 'p.png'), '--guides', gd, '--out', out, '--verbose']);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/guide: .*p\.png/);
  const got = await raw(path.join(out, 'p.png'));
  const src = page();
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const inHole = x >= 30 && x < 66 && y >= 16 && y < 48;
      if (!inHole) expect([got[i], got[i + 1], got[i + 2]]).toEqual([src[i], src[i + 1], src[i + 2]]);
      else if (y === 31 || y === 32) expect(got[i]!).toBeLessThan(40); // the line, inside the hole
    }
  // unguided, the same page has no dark line there (the tiny model knows nothing of lines)
  const out2 = dir('out-unguided');
  expect(cli([path.join(d, 'p.png'), '--out', out2]).code).toBe(0);
  const plain = await raw(path.join(out2, 'p.png'));
  let dark = 0;
  for (let x = 30; x < 66; x++) if (plain[(31 * W + x) * 3]! < 40) dark++;
  expect(dark).toBeLessThan(36);
});

test('bad guides: another size names both sizes; no transparency is refused; --guide with several pages is a usage error; an all-transparent guide changes nothing', async () => {
  const d = dir('bad');
  await sharp(page(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path.join(d, 'p.png'));
  await sharp(page(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path.join(d, 'q.png'));
  const small = path.join(tmp, 'small.png');
  await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(small);
  const opaque = path.join(tmp, 'opaque.png');
  await sharp({ create: { width: W, height: H, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toFile(opaque);
  const empty = path.join(tmp, 'empty.png');
  await sharp({ create: { width: W, height: H, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(empty);
  let r = cli([path.join(d, 'p.png'), '--guide', small, '--out', dir('o1')]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/the guide small\.png is 10x10 but the page is 96x64/);
  r = cli([path.join(d, 'p.png'), '--guide', opaque, '--out', dir('o2')]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/has no transparency/);
  r = cli([d, '--guide', empty, '--out', dir('o3')]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/one guide but 2 pages/);
  const a = dir('o4');
  const b = dir('o5');
  expect(cli([path.join(d, 'p.png'), '--guide', empty, '--out', a]).code).toBe(0);
  expect(cli([path.join(d, 'p.png'), '--out', b]).code).toBe(0);
  expect((await raw(path.join(a, 'p.png'))).equals(await raw(path.join(b, 'p.png')))).toBe(true);
});

test('a page whose guide has strokes in the hole is filled by the model trained with guides; the others by the plain one', async () => {
  // one model file listed twice: as the plain bar model and as one trained with guides
  const md = dir('two-models');
  fs.copyFileSync(MODEL, path.join(md, 'tiny-pconv.onnx'));
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'models.json'), 'utf8')) as { models: { name: string; input: Record<string, unknown> }[] };
  const plain = fixture.models.find((m) => m.name === 'tiny-pconv')!;
  const guided = { ...plain, name: 'tiny-pconv-guided', input: { ...plain.input, guides: 'known-pixels' } };
  fs.writeFileSync(path.join(md, 'models.json'), JSON.stringify({ models: [guided, plain] }));
  const d = dir('two-pages');
  await sharp(page(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path.join(d, 'a.png'));
  await sharp(page(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path.join(d, 'b.png'));
  const gd = dir('two-guides');
  await sharp(guide(), { raw: { width: W, height: H, channels: 4 } }).png().toFile(path.join(gd, 'a.png'));
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  const r = run([d, '--guides', gd, '--out', dir('two-out'), '--manifest', path.join(md, 'models.json'), '--verbose']);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/a\.png: guide strokes in the holes: filled with tiny-pconv-guided/);
  expect(r.stderr).not.toMatch(/b\.png: guide strokes/);
  expect(r.stdout).toMatch(/model tiny-pconv-guided and tiny-pconv|model tiny-pconv and tiny-pconv-guided/);
  // without guides only the plain model is loaded, although the guided one is listed first
  const r2 = run([d, '--out', dir('two-out2'), '--manifest', path.join(md, 'models.json')]);
  expect(r2.status).toBe(0);
  expect(r2.stdout).toMatch(/\(model tiny-pconv, /);
});
