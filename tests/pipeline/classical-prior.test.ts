/**
 * Models that correct the classical fill (ModelInfo.input.prior 'classical', issue 10 item 3): the
 * pipeline writes src/core/fsr.ts's fill into the hole pixels the model reads, and the model's
 * output is the fill (no mix with the classical fill afterwards). Other bar models see zeros there.
 */
import { inpaint } from '../../src/pipeline';
import { fsrFillBox } from '../../src/core/fsr';
import type { Mask, Raster, Rect } from '../../src/core/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';

const W = 64;
const H = 48;

function page(): { image: Raster; mask: Mask } {
  // a colour ramp (not flat: a flat surround is filled without the model)
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.set([60 + 2 * x, 40 + 3 * y, 200 - x - y], (y * W + x) * 3);
  const mask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = 14; y < 30; y++) for (let x = 20; x < 40; x++) mask.data[y * W + x] = 1;
  return { image: { width: W, height: H, channels: 3, data, maxValue: 255 }, mask };
}

/** Echoes its input image: a model with a zero correction. */
const echo = (c: Call) => c.image.slice();
const teal = (c: Call) => {
  const o = new Float32Array(3 * c.width * c.height);
  o.fill(0.2, 0, c.width * c.height).fill(0.6, c.width * c.height, 2 * c.width * c.height).fill(0.6, 2 * c.width * c.height);
  return o;
};

describe('a model that corrects the classical fill', () => {
  test('reads the classical fill in the hole; with a zero correction the result is that fill', async () => {
    const { image, mask } = page();
    const before = image.data.slice();
    const m = fakeRunner('bar', echo, { maxSide: 64, prior: 'classical' });
    const boxes: Rect[] = [];
    const r = await inpaint(image, mask, { model: m, structure: 'off' }, { onProgress: (e) => e.type === 'region' && boxes.push(e.box) });
    expect(image.data).toEqual(before);
    expect(m.calls).toHaveLength(1);
    const c = m.calls[0]!;
    const b = boxes[0]!;
    expect([c.width, c.height]).toEqual([b.right - b.left, b.bottom - b.top]);
    // what fsr.ts writes into the same box
    const ref: Raster = { ...image, data: image.data.slice() };
    const own = new Uint8Array(c.width * c.height);
    for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) own[(y - b.top) * c.width + x - b.left] = mask.data[y * W + x]!;
    fsrFillBox(ref, b, own, { width: W, height: H, data: mask.data.slice() }, false);
    const at = (x: number, y: number) => (y - b.top) * c.width + (x - b.left);
    for (const [x, y] of [[20, 14], [30, 22], [39, 29]] as const) {
      expect(c.mask[at(x, y)]).toBe(0); // still marked as hole
      for (let k = 0; k < 3; k++) {
        const v = c.image[k * c.width * c.height + at(x, y)]! * 255;
        expect(v).toBeGreaterThan(0); // not zeroed as for other bar models
        expect(Math.abs(v - ref.data[(y * W + x) * 3 + k]!)).toBeLessThanOrEqual(0.5);
        // the echoed fill is the result: the classical fill itself
        expect(Math.abs(r.image.data[(y * W + x) * 3 + k]! - ref.data[(y * W + x) * 3 + k]!)).toBeLessThanOrEqual(1);
      }
    }
  });

  test("the model's output is kept in the whole hole, near the border too (no classical mix)", async () => {
    const { image, mask } = page();
    const r = await inpaint(image, mask, { model: fakeRunner('bar', teal, { maxSide: 64, prior: 'classical' }), structure: 'off' });
    const plain = await inpaint(image, mask, { model: fakeRunner('bar', teal, { maxSide: 64 }), structure: 'off' });
    const px = (img: Raster, x: number, y: number) => Array.from(img.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
    expect(px(r.image, 20, 14)).toEqual([51, 153, 153]); // at the hole's corner: the model's value
    expect(px(plain.image, 20, 14)).not.toEqual([51, 153, 153]); // the default mix puts the classical fill there
    for (let i = 0; i < W * H; i++) if (!mask.data[i]) expect(px(r.image, i % W, Math.floor(i / W))).toEqual(Array.from(image.data.subarray(i * 3, i * 3 + 3)));
  });

  test('other bar models see zeros in the hole', async () => {
    const { image, mask } = page();
    const m = fakeRunner('bar', echo, { maxSide: 64 });
    await inpaint(image, mask, { model: m, structure: 'off' });
    const c = m.calls[0]!;
    let nonzero = 0;
    for (let i = 0; i < c.width * c.height; i++) if (!c.mask[i] && c.image[i] !== 0) nonzero++;
    expect(nonzero).toBe(0);
  });
});

describe('a model that corrects the classical fill, the network alone (fill: model)', () => {
  test('still reads the classical fill, never the painted hole', async () => {
    const { image, mask } = page();
    // the hole painted green, as a user hands it over
    for (let i = 0; i < W * H; i++) if (mask.data[i]) image.data.set([0, 255, 0], i * 3);
    const m = fakeRunner('bar', echo, { maxSide: 64, prior: 'classical' });
    await inpaint(image, mask, { model: m, fill: 'model', structure: 'off' });
    const c = m.calls[0]!;
    let green = 0;
    for (let i = 0; i < c.width * c.height; i++) if (!c.mask[i] && c.image[i]! < 0.05 && c.image[c.width * c.height + i]! > 0.95) green++;
    expect(green).toBe(0);
  });
});

describe('a model that corrects the classical fill and follows guide strokes (input.guides too)', () => {
  test('reads the classical fill (computed without the ink) with the ink shown black and known; its output is kept on the ink', async () => {
    const { image, mask } = page();
    // a vertical stroke through the hole
    const ink: Mask = { width: W, height: H, data: new Uint8Array(W * H) };
    for (let y = 14; y < 30; y++) ink.data[y * W + 29] = ink.data[y * W + 30] = 1;
    const m = fakeRunner('bar', teal, { maxSide: 64, prior: 'classical', guides: 'known-pixels' });
    const boxes: Rect[] = [];
    const r = await inpaint(image, mask, { model: m, structure: 'off', guideInk: ink }, { onProgress: (e) => e.type === 'region' && boxes.push(e.box) });
    const c = m.calls[0]!;
    const b = boxes[0]!;
    const ref: Raster = { ...image, data: image.data.slice() };
    const own = new Uint8Array(c.width * c.height);
    for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) own[(y - b.top) * c.width + x - b.left] = mask.data[y * W + x]!;
    // the classical fill never sees the ink: it is filled from the page alone
    fsrFillBox(ref, b, own, { width: W, height: H, data: mask.data.slice() }, false);
    const at = (x: number, y: number) => (y - b.top) * c.width + (x - b.left);
    const plane = c.width * c.height;
    for (const [x, y] of [[20, 14], [25, 22], [39, 29]] as const) {
      expect(c.mask[at(x, y)]).toBe(0);
      for (let k = 0; k < 3; k++) expect(Math.abs(c.image[k * plane + at(x, y)]! * 255 - ref.data[(y * W + x) * 3 + k]!)).toBeLessThanOrEqual(0.5);
    }
    for (const [x, y] of [[29, 14], [30, 22], [29, 29]] as const) {
      expect(c.mask[at(x, y)]).toBe(1); // the stroke is known to the model
      for (let k = 0; k < 3; k++) expect(c.image[k * plane + at(x, y)]).toBe(0); // shown black
      // the model's own value lands on the stroke (its line there), not the black it was shown
      expect(Array.from(r.image.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3))).toEqual([51, 153, 153]);
    }
  });
});
