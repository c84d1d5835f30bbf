import { absLaplacian, diffusionFill } from '../../src/core/texture';
import { refineRasterBox } from '../../src/core/texture/raster';
import type { Mask, Raster } from '../../src/core/types';

const W = 160;
const H = 120;

/** Diagonal line hatching (period 5), values in [0,1]. */
function hatching(w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (x + y) % 5 < 2 ? 0.05 : 0.95;
  return out;
}

function holeMask(): Mask {
  const data = new Uint8Array(W * H);
  for (let y = 40; y < 80; y++) for (let x = 70; x < 120; x++) data[y * W + x] = 1;
  return { width: W, height: H, data };
}

/** A raster whose known pixels are the hatching and whose hole holds a blur of it (the "model fill"). */
function filledRaster(channels: 2 | 4, maxValue: number): { r: Raster; truth: Float32Array; mask: Mask } {
  const truth = hatching(W, H);
  const mask = holeMask();
  const blur = diffusionFill(truth, mask.data, W, H);
  const data = maxValue > 255 ? new Uint16Array(W * H * channels) : new Uint8Array(W * H * channels);
  for (let i = 0; i < W * H; i++) {
    const v = Math.round((mask.data[i] ? blur[i]! : truth[i]!) * maxValue);
    for (let k = 0; k < channels - 1; k++) data[i * channels + k] = v;
    data[i * channels + channels - 1] = (i * 7) % (maxValue + 1); // arbitrary alpha, must survive
  }
  return { r: { width: W, height: H, channels, data, maxValue }, truth, mask };
}

function boxLocal(mask: Mask, b: { left: number; top: number; right: number; bottom: number }): Uint8Array {
  const bw = b.right - b.left;
  const out = new Uint8Array(bw * (b.bottom - b.top));
  for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) out[(y - b.top) * bw + x - b.left] = mask.data[y * W + x]!;
  return out;
}

function lapInHole(plane: Float32Array, mask: Mask): number {
  const a = absLaplacian(plane, W, H);
  let s = 0;
  for (let i = 0; i < W * H; i++) if (mask.data[i]) s += a[i]!;
  return s;
}

describe('refineRasterBox', () => {
  test.each([
    [4, 255],
    [2, 32768],
  ] as const)('channels %i, max %i: hole pixels get the hatching back, nothing else changes', (channels, maxValue) => {
    const { r, truth, mask } = filledRaster(channels, maxValue);
    const before = r.data.slice();
    const box = { left: 20, top: 10, right: 150, bottom: 110 };
    const rep = refineRasterBox(r, box, boxLocal(mask, box), { mode: 'auto' });
    expect(rep.applied).toBe(true);
    expect(rep.holePixels).toBe(40 * 50);
    let changedOutside = 0;
    let alphaChanged = 0;
    for (let i = 0; i < W * H; i++) {
      for (let k = 0; k < channels; k++) {
        const o = i * channels + k;
        if (r.data[o] === before[o]) continue;
        if (k === channels - 1) alphaChanged++;
        else if (!mask.data[i]) changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(alphaChanged).toBe(0);
    const got = new Float32Array(W * H);
    for (let i = 0; i < W * H; i++) got[i] = r.data[i * channels]! / maxValue;
    const ratio = lapInHole(got, mask) / lapInHole(truth, mask);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(1.5);
  });

  test("mode 'off', boxes without hole pixels and boxes over maxPixels leave the raster as it is", () => {
    const { r, mask } = filledRaster(4, 255);
    const before = r.data.slice();
    const all = { left: 0, top: 0, right: W, bottom: H };
    expect(refineRasterBox(r, all, mask.data, { mode: 'off' }).applied).toBe(false);
    const corner = { left: 0, top: 0, right: 40, bottom: 40 };
    expect(refineRasterBox(r, corner, boxLocal(mask, corner)).applied).toBe(false);
    expect(refineRasterBox(r, all, mask.data, { maxPixels: 1000 }).applied).toBe(false);
    expect(Buffer.from(r.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });

  test('pending holes (not filled yet) are neither refined nor copied from', () => {
    const { r, mask } = filledRaster(4, 255);
    // a second hole, still painted pure green, right of the first one
    const pending = new Uint8Array(W * H);
    for (let y = 20; y < 100; y++) for (let x = 125; x < 155; x++) pending[y * W + x] = 1;
    for (let i = 0; i < W * H; i++) if (pending[i]) (r.data[i * 4] = 0), (r.data[i * 4 + 1] = 255), (r.data[i * 4 + 2] = 0);
    const before = r.data.slice();
    const all = { left: 0, top: 0, right: W, bottom: H };
    const rep = refineRasterBox(r, all, mask.data, { mode: 'always' }, { width: W, height: H, data: pending });
    expect(rep.applied).toBe(true);
    let changedElsewhere = 0;
    let greenish = 0;
    for (let i = 0; i < W * H; i++) {
      const o = i * 4;
      if (!mask.data[i] && [0, 1, 2, 3].some((k) => r.data[o + k] !== before[o + k])) changedElsewhere++;
      if (mask.data[i] && r.data[o + 1]! - r.data[o]! > 8) greenish++;
    }
    expect(changedElsewhere).toBe(0);
    expect(greenish).toBe(0); // grey result: the green pending pixels were not used as context
  });

  test('bad boxes and sizes are refused', () => {
    const { r, mask } = filledRaster(4, 255);
    expect(() => refineRasterBox(r, { left: 0, top: 0, right: W + 1, bottom: H }, new Uint8Array((W + 1) * H))).toThrow(/not inside the 160x120 image/);
    expect(() => refineRasterBox(r, { left: 0, top: 0, right: 10, bottom: 10 }, new Uint8Array(99))).toThrow(/fill must hold 10x10 = 100 bytes/);
    expect(() => refineRasterBox(r, { left: 0, top: 0, right: W, bottom: H }, mask.data, {}, { width: 10, height: 10, data: new Uint8Array(100) })).toThrow(
      /pending mask is 10x10 but the image is 160x120/,
    );
  });
});
