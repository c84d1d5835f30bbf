/**
 * Grey stays grey: a black-and-white page saved as RGB or RGBA, holes painted green with hard and
 * soft (anti-aliased, tinted halo) brushes, gets a fill with R = G = B in every changed pixel —
 * with the shipped models and the default fill. Reads a real Black Jack page from ../shared
 * (skipped, with a notice, when it is absent).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PAGE = path.join(ROOT, '..', 'shared', 'data', 'train', 'blackjack', 'black_jack_v01_pdf021.jpg');
const have = fs.existsSync(PAGE);
if (!have) console.warn(`grey.test: skipped, ${PAGE} is absent`);
const maybe = have ? it : it.skip;

let tmp: string;
beforeAll(() => {
  if (!fs.existsSync(CLI)) {
    const r = spawnSync('npx', ['webpack', '--mode', 'production', '--env', 'target=cli'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the CLI failed:\n${r.stdout}${r.stderr}`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grey-test-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A 640x640 crop of the page as `channels`-channel pixels with green discs: hard ones and one soft (4 px falloff). */
async function paintedPage(channels: 3 | 4): Promise<{ file: string; w: number; h: number }> {
  const w = 640;
  const h = 640;
  const { data } = await sharp(PAGE).extract({ left: 300, top: 500, width: w, height: h }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const px = Buffer.alloc(w * h * channels);
  for (let i = 0; i < w * h; i++) {
    px[i * channels] = data[i * 3]!;
    px[i * channels + 1] = data[i * 3 + 1]!;
    px[i * channels + 2] = data[i * 3 + 2]!;
    if (channels === 4) px[i * channels + 3] = 255;
  }
  const discs: Array<[number, number, number, number]> = [
    [120, 140, 28, 0],
    [420, 300, 45, 0],
    [250, 500, 22, 0],
    [520, 540, 30, 4], // soft brush: a blend of green over the page over 4 px
  ];
  for (const [cx, cy, r, soft] of discs) {
    for (let y = cy - r - soft; y <= cy + r + soft; y++)
      for (let x = cx - r - soft; x <= cx + r + soft; x++) {
        const d = Math.hypot(x - cx, y - cy);
        const a = d <= r ? 1 : soft && d < r + soft ? 1 - (d - r) / soft : 0;
        if (a <= 0) continue;
        const o = (y * w + x) * channels;
        px[o] = Math.round((1 - a) * px[o]!);
        px[o + 1] = Math.round((1 - a) * px[o + 1]! + a * 255);
        px[o + 2] = Math.round((1 - a) * px[o + 2]!);
      }
  }
  const file = path.join(tmp, `bj${channels}.png`);
  await sharp(px, { raw: { width: w, height: h, channels } }).png().toFile(file);
  return { file, w, h };
}

describe('grey pages', () => {
  maybe('a black-and-white page saved as RGB or RGBA gets a grey fill (R = G = B) with the shipped model', async () => {
    for (const channels of [3, 4] as const) {
      const { file, w, h } = await paintedPage(channels);
      const out = path.join(tmp, `out${channels}`);
      const r = spawnSync(process.execPath, [CLI, file, '--out', out], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).toBe(0);
      const a = await sharp(file).raw().toBuffer();
      const b = await sharp(path.join(out, path.basename(file))).raw().toBuffer();
      let changed = 0;
      let tinted = 0;
      for (let i = 0; i < w * h; i++) {
        const o = i * channels;
        if (a[o] === b[o] && a[o + 1] === b[o + 1] && a[o + 2] === b[o + 2]) continue;
        changed++;
        if (b[o] !== b[o + 1] || b[o + 2] !== b[o + 1]) tinted++;
      }
      expect(changed).toBeGreaterThan(8000); // the discs were filled
      expect(tinted).toBe(0);
    }
  });
});
