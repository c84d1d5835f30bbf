/**
 * Guide ink for models trained with guides (ModelInfo.input.guides 'known-pixels', issue 15):
 * the network sees the guide's black strokes inside the hole as known black pixels; the classical
 * fill does not; other models never see them. Scripted runners record what the model was given.
 */
import { inpaint } from '../../src/pipeline';
import { guideInkMask } from '../../src/core/guide';
import { parseManifest } from '../../src/inference/manifest';
import type { Mask, Raster, Rect } from '../../src/core/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';

const W = 64;
const H = 48;
const grey = (c: Call) => new Float32Array(3 * c.width * c.height).fill(0.5);

function page(): { image: Raster; mask: Mask; ink: Mask; guide: Raster } {
  // a light ramp (not flat: a flat surround is filled without the model)
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.fill(180 + ((x + 2 * y) % 60), (y * W + x) * 3, (y * W + x) * 3 + 3);
  const mask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = 12; y < 36; y++) for (let x = 16; x < 48; x++) mask.data[y * W + x] = 1;
  // the guide: a black line at row 24 from x 10 to 53 (partly outside the hole), a red dot
  const g = new Uint8Array(W * H * 4);
  for (let x = 10; x < 54; x++) g.set([0, 0, 0, 255], (24 * W + x) * 4);
  g.set([200, 20, 20, 255], (16 * W + 30) * 4);
  const guide = { width: W, height: H, channels: 4 as const, data: g, maxValue: 255 };
  return { image: { width: W, height: H, channels: 3, data, maxValue: 255 }, mask, ink: guideInkMask(mask, guide)!, guide };
}

describe('guide ink as known pixels (models trained with guides)', () => {
  test('guideInkMask: the black strokes inside the hole only, not the colour dot', () => {
    const { ink } = page();
    let n = 0;
    for (let i = 0; i < W * H; i++) if (ink.data[i]) n++;
    expect(n).toBe(32); // x 16..47 of row 24
    expect(ink.data[24 * W + 16]).toBe(1);
    expect(ink.data[24 * W + 12]).toBe(0); // outside the hole
    expect(ink.data[16 * W + 30]).toBe(0); // the red dot is a colour, not ink
  });

  test('a guides model gets the strokes as known black pixels; the input page is not modified', async () => {
    const { image, mask, ink } = page();
    const before = image.data.slice();
    const m = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const boxes: Rect[] = [];
    const r = await inpaint(image, mask, { model: m, fill: 'model', structure: 'off', guideInk: ink }, { onProgress: (e) => e.type === 'region' && boxes.push(e.box) });
    expect(m.calls).toHaveLength(1);
    const c = m.calls[0]!;
    // one box, run at its own size (no resampling): row 24, x 16..47 known and black
    const b = boxes[0]!;
    expect([c.width, c.height]).toEqual([b.right - b.left, b.bottom - b.top]);
    const at = (x: number, y: number) => (y - b.top) * c.width + (x - b.left);
    for (let x = 16; x < 48; x++) {
      expect(c.mask[at(x, 24)]).toBe(1);
      for (let k = 0; k < 3; k++) expect(c.image[k * c.width * c.height + at(x, 24)]).toBe(0);
    }
    expect(c.mask[at(30, 25)]).toBe(0); // the rest of the hole is unknown
    expect(c.mask[at(30, 16)]).toBe(0);
    expect(image.data).toEqual(before);
    // the model's fill (0.5 grey) elsewhere in the hole; the strokes' pixels keep the black they were shown as
    expect(Math.abs(r.image.data[(30 * W + 30) * 3]! - 127.5)).toBeLessThanOrEqual(1);
    expect(r.image.data[(24 * W + 30) * 3]).toBe(0);
  });

  test('a model without the flag never sees the ink, nor does the classical fill', async () => {
    const { image, mask, ink } = page();
    const m = fakeRunner('bar', grey, { maxSide: 64 });
    await inpaint(image, mask, { model: m, fill: 'model', structure: 'off', guideInk: ink });
    // every hole pixel stays unknown to it: as many unknown pixels as the hole has
    expect(m.calls[0]!.mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(24 * 32);
    // auto fill with a guides model: the classical part ignores the ink (no black spreads)
    const g = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const r = await inpaint(image, mask, { model: g, fill: 'auto', structure: 'off', guideInk: ink });
    let darkest = 255;
    for (let y = 12; y < 36; y++) for (let x = 16; x < 48; x++) if (y !== 24) darkest = Math.min(darkest, r.image.data[(y * W + x) * 3]!);
    expect(darkest).toBeGreaterThan(100);
    expect(g.calls[0]!.mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(24 * 32 - 32);
  });

  test('an ink mask of another size is refused', async () => {
    const { image, mask } = page();
    const m = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const bad = { width: 10, height: 10, data: new Uint8Array(100) };
    await expect(inpaint(image, mask, { model: m, guideInk: bad })).rejects.toThrow(/ink mask is 10x10 but the image is 64x48/);
  });

  test('manifest: "guides" is for bar models only, and only "known-pixels"', () => {
    const entry = (kind: string, guides: unknown) => ({
      models: [{ name: 'm', file: 'm.onnx', kind, sha256: '0'.repeat(64), licence: 'MIT',
        input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 256, maxSide: 512, multiple: 128, guides } }],
    });
    expect(parseManifest(entry('bar', 'known-pixels'), 't').models[0]!.input.guides).toBe('known-pixels');
    expect(() => parseManifest(entry('mosaic', 'known-pixels'), 't')).toThrow(/only bar models take guide strokes/);
    expect(() => parseManifest(entry('bar', 'yes'), 't')).toThrow(/must be "known-pixels"/);
  });
});
