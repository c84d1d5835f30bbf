/**
 * Texture detail from the page (core/texture/detail.ts, issue 10): the default fill keeps its tones
 * and takes the fine grain of a patch-based synthesis, only in holes deep enough to show it.
 */
import { addTextureDetail, deepParts, DEFAULT_DETAIL } from '../../src/core/texture/detail';
import type { Mask, Raster } from '../../src/core/types';

const W = 96;
const H = 96;

/** A dot screentone (a 4-px grid of 2x2 dark dots on light grey), RGB with R = G = B. */
function tone(): Raster {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.fill(x % 4 < 2 && y % 4 < 2 ? 60 : 220, (y * W + x) * 3, (y * W + x) * 3 + 3);
  return { width: W, height: H, channels: 3, data, maxValue: 255 };
}

/** The box-local hole: a rectangle. */
function rect(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const own = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) own[y * W + x] = 1;
  return own;
}

const none: Mask = { width: W, height: H, data: new Uint8Array(W * H) };
const box = { left: 0, top: 0, right: W, bottom: H };

/** Mean |4-neighbour Laplacian| of the R channel over `own` pixels whose neighbours are all `own`. */
function grain(r: Raster, own: Uint8Array): number {
  let s = 0;
  let n = 0;
  const v = (x: number, y: number) => r.data[(y * W + x) * 3]!;
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (!own[i] || !own[i - 1] || !own[i + 1] || !own[i - W] || !own[i + W]) continue;
      s += Math.abs(4 * v(x, y) - v(x - 1, y) - v(x + 1, y) - v(x, y - 1) - v(x, y + 1));
      n++;
    }
  return s / n;
}

describe('texture detail', () => {
  test('deepParts: a 40 px blob reaches 10 px from its border, a 12 px bar does not', () => {
    const own = rect(10, 10, 50, 50);
    for (let x = 60; x < 90; x++) for (let y = 70; y < 82; y++) own[y * W + x] = 1;
    const deep = deepParts(own, W, H, DEFAULT_DETAIL.minDepth)!;
    expect(deep[30 * W + 30]).toBe(1);
    expect(deep[10 * W + 10]).toBe(1); // the whole blob, its edge too
    expect(deep[75 * W + 75]).toBe(0);
    expect(deepParts(rect(60, 70, 90, 82), W, H, DEFAULT_DETAIL.minDepth)).toBeNull();
  });

  test('a flat fill over a dot tone gets the dots back as grain, keeps its tone, stays grey; the page outside is untouched', () => {
    const page = tone();
    const truthGrain = grain(tone(), rect(24, 24, 72, 72));
    const own = rect(24, 24, 72, 72);
    // the "fill": the tone's mean grey, flat (what a smooth fill leaves)
    for (let i = 0; i < W * H; i++) if (own[i]) page.data.fill(180, i * 3, i * 3 + 3);
    const before = page.data.slice();
    expect(grain(page, own)).toBeLessThan(0.01 * truthGrain);
    const n = addTextureDetail(page, box, own, none, DEFAULT_DETAIL);
    expect(n).toBe(48 * 48);
    const g = grain(page, own);
    expect(g).toBeGreaterThan(0.4 * truthGrain);
    expect(g).toBeLessThan(1.3 * truthGrain);
    let sum = 0;
    for (let i = 0; i < W * H; i++) {
      const o = i * 3;
      expect(page.data[o + 1]).toBe(page.data[o]); // grey stays grey
      expect(page.data[o + 2]).toBe(page.data[o]);
      if (!own[i]) expect(page.data[o]).toBe(before[o]);
      else sum += page.data[o]!;
    }
    expect(Math.abs(sum / (48 * 48) - 180)).toBeLessThan(8); // the fill's tone is kept
  });

  test('centre: the detail is made locally zero-mean, so a lopsided clip does not move the tone', () => {
    const mean = (opts: typeof DEFAULT_DETAIL): number => {
      const page = tone();
      const own = rect(24, 24, 72, 72);
      for (let i = 0; i < W * H; i++) if (own[i]) page.data.fill(180, i * 3, i * 3 + 3);
      addTextureDetail(page, box, own, none, opts);
      let sum = 0;
      for (let i = 0; i < W * H; i++) if (own[i]) sum += page.data[i * 3]!;
      return sum / (48 * 48);
    };
    // at a fixed clip of 30 the dark dots are clipped harder than the paper between them: without
    // centring the tone moves
    const fixed = { ...DEFAULT_DETAIL, maxClip: undefined };
    expect(Math.abs(mean({ ...fixed, centre: 0 }) - 180)).toBeGreaterThan(6);
    expect(Math.abs(mean(fixed) - 180)).toBeLessThan(2);
    expect(Math.abs(mean(DEFAULT_DETAIL) - 180)).toBeLessThan(2);
  });

  test('the clip follows the page: hard dots get their contrast back, a soft tone keeps the clip of 30', () => {
    const run = (lo: number, hi: number, opts: typeof DEFAULT_DETAIL): [number, Raster] => {
      const page = tone();
      for (let i = 0; i < W * H; i++) page.data.fill(page.data[i * 3] === 60 ? lo : hi, i * 3, i * 3 + 3);
      const truth = grain(page, rect(24, 24, 72, 72));
      const own = rect(24, 24, 72, 72);
      const mid = Math.round((lo + 3 * hi) / 4);
      for (let i = 0; i < W * H; i++) if (own[i]) page.data.fill(mid, i * 3, i * 3 + 3);
      addTextureDetail(page, box, own, none, opts);
      return [grain(page, own) / truth, page];
    };
    const fixed = { ...DEFAULT_DETAIL, maxClip: undefined };
    // black dots on white: the page's own detail is far above 30 levels
    const [hard] = run(0, 255, DEFAULT_DETAIL);
    const [hardFixed] = run(0, 255, fixed);
    expect(hard).toBeGreaterThan(1.5 * hardFixed);
    expect(hard).toBeLessThan(1.3);
    // a soft tone (dots 20 levels under the paper): nothing to raise, the same fill as a fixed clip
    const [, soft] = run(190, 210, DEFAULT_DETAIL);
    const [, softFixed] = run(190, 210, fixed);
    expect(Array.from(soft.data)).toEqual(Array.from(softFixed.data));
  });

  test('a thin hole gets nothing (the classical fill continues it in phase): the fill is left as it is', () => {
    const page = tone();
    const own = rect(10, 40, 90, 52);
    for (let i = 0; i < W * H; i++) if (own[i]) page.data.fill(180, i * 3, i * 3 + 3);
    const before = page.data.slice();
    expect(addTextureDetail(page, box, own, none, DEFAULT_DETAIL)).toBe(0);
    expect(page.data).toEqual(before);
  });
});
