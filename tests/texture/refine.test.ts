import fc from 'fast-check';
import { absLaplacian, diffusionFill, lumaPlane, refineTexture, textureWeight } from '../../src/core/texture';
import { boxBlur } from '../../src/core/texture/filters';
import { mulberry32 } from '../../src/core/texture/prng';

/** Dot screentone: dark round dots of radius `rad` on a `period` grid, anti-aliased, on white. */
function screentone(w: number, h: number, period: number, rad: number, angle = 0): Float32Array {
  const out = new Float32Array(w * h);
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = ca * x + sa * y;
      const v = -sa * x + ca * y;
      const du = u - period * Math.round(u / period);
      const dv = v - period * Math.round(v / period);
      const d = Math.sqrt(du * du + dv * dv);
      out[y * w + x] = Math.min(1, Math.max(0, d - rad + 0.5)) * 0.9 + 0.1 * (1 - Math.min(1, Math.max(0, d - rad + 0.5)));
    }
  }
  return out;
}

function diskMask(w: number, h: number, cx: number, cy: number, r: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m[y * w + x] = 1;
  return m;
}

/** Mean |Laplacian| inside the hole of `out` over the same for `truth` (the benchmark's texture ratio). */
function textureRatio(out: Float32Array, truth: Float32Array, mask: Uint8Array, w: number, h: number): number {
  const a = absLaplacian(out, w, h);
  const b = absLaplacian(truth, w, h);
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < w * h; i++) if (mask[i]) (sa += a[i]), (sb += b[i]);
  return sa / sb;
}

function rgb(plane: Float32Array): Float32Array {
  const n = plane.length;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) out.set(plane, c * n);
  return out;
}

describe('refineTexture', () => {
  const W = 128;
  const H = 128;
  const tone = screentone(W, H, 6, 1.8, Math.PI / 4);
  const hole = diskMask(W, H, 64, 64, 24);
  const blur = diffusionFill(tone, hole, W, H);

  test('on a dot screentone the refined fill keeps the texture density; a blur fill loses it', () => {
    const res = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1, mode: 'auto' });
    const tr = textureRatio(res.data, tone, hole, W, H);
    const tb = textureRatio(blur, tone, hole, W, H);
    expect(tb).toBeLessThan(0.3);
    expect(tr).toBeGreaterThanOrEqual(0.5);
    expect(tr).toBeLessThanOrEqual(1.5);
    expect(res.refinedPixels).toBeGreaterThan(0.9 * res.holePixels);
  });

  test('the screentone fill is no worse than the blur in mean error (it follows the tone, not noise)', () => {
    const res = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1 });
    let eBlur = 0;
    let eRef = 0;
    let meanRef = 0;
    let meanTruth = 0;
    let k = 0;
    for (let i = 0; i < W * H; i++) {
      if (!hole[i]) continue;
      eBlur += Math.abs(blur[i] - tone[i]);
      eRef += Math.abs(res.data[i] - tone[i]);
      meanRef += res.data[i];
      meanTruth += tone[i];
      k++;
    }
    // The copied tone keeps the page's grey level (mean within 0.05) ...
    expect(Math.abs(meanRef / k - meanTruth / k)).toBeLessThan(0.05);
    // ... and, the pattern being periodic, lands in phase often enough to beat the blur's L1.
    expect(eRef).toBeLessThan(eBlur);
  });

  test('RGB input: grey and colour crops keep pixels outside the hole exactly, fill inside', () => {
    const crop = rgb(tone);
    crop[5] = 0.3; // one coloured known pixel makes the crop non-grey
    const guide = rgb(blur);
    for (const c of [rgb(tone), crop]) {
      const res = refineTexture(c, hole, guide, { width: W, height: H, channels: 3 });
      let changed = 0;
      for (let i = 0; i < 3 * W * H; i++) if (!hole[i % (W * H)] && res.data[i] !== c[i]) changed++;
      expect(changed).toBe(0);
      const l = lumaPlane(res.data, W, H, 3);
      expect(textureRatio(l, tone, hole, W, H)).toBeGreaterThan(0.5);
    }
  });

  test('never changes a pixel outside the mask (random images, masks, modes, sizes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 48 }),
        fc.integer({ min: 8, max: 48 }),
        fc.constantFrom(1, 3),
        fc.constantFrom('auto', 'always', 'gated'),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (w, h, ch, mode, seed, density) => {
          const rng = mulberry32(seed);
          const n = w * h;
          const crop = new Float32Array(ch * n).map(() => rng.next());
          const guide = new Float32Array(ch * n).map(() => rng.next());
          const mask = new Uint8Array(n).map(() => (rng.next() < density ? 1 : 0));
          const res = refineTexture(crop, mask, guide, { width: w, height: h, channels: ch, mode: mode as 'auto' | 'always' | 'gated', seed, levels: 2 });
          for (let i = 0; i < ch * n; i++) {
            const v = res.data[i];
            if (!mask[i % n]) {
              if (v !== crop[i]) return false;
            } else if (!(v >= 0 && v <= 1)) return false;
          }
          return true;
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  test('deterministic for a seed', () => {
    const a = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1, seed: 7 });
    const b = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1, seed: 7 });
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    const c = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1, seed: 8 });
    expect(c.data.length).toBe(a.data.length);
  });

  test('flat area: the guide is kept (auto and gated: untouched; always: within 1/255)', () => {
    const flat = new Float32Array(W * H).fill(0.8);
    const guide = new Float32Array(W * H).fill(0.8);
    const auto = refineTexture(flat, hole, guide, { width: W, height: H, channels: 1, mode: 'auto' });
    expect(auto.refinedPixels).toBe(0);
    expect(auto.data).toEqual(guide);
    expect(refineTexture(flat, hole, guide, { width: W, height: H, channels: 1, mode: 'gated' }).refinedPixels).toBe(0);
    const always = refineTexture(flat, hole, guide, { width: W, height: H, channels: 1, mode: 'always' });
    let maxd = 0;
    for (let i = 0; i < W * H; i++) maxd = Math.max(maxd, Math.abs(always.data[i] - guide[i]));
    expect(maxd).toBeLessThan(1 / 255);
  });

  test('line art: auto redraws the lines through the hole; gated keeps the guide there', () => {
    // White page with a few thin dark lines; the hole sits on one. The guide is what a network
    // trained with L1 gives: the line where it belongs, but blurred (a double 7x7 box blur).
    const page = new Float32Array(W * H).fill(1);
    for (let y = 0; y < H; y++) for (const x0 of [20, 64, 100]) page[y * W + x0] = page[y * W + x0 + 1] = 0;
    const guide = boxBlur(boxBlur(page, W, H, 3), W, H, 3);
    expect(textureRatio(guide, page, hole, W, H)).toBeLessThan(0.3);
    const auto = refineTexture(page, hole, guide, { width: W, height: H, channels: 1, mode: 'auto' });
    const t = textureRatio(auto.data, page, hole, W, H);
    expect(t).toBeGreaterThanOrEqual(0.5);
    expect(t).toBeLessThanOrEqual(1.5);
    // the line at x = 64..65 is dark again in the middle of the hole, and the page beside it white
    expect(auto.data[64 * W + 64]! + auto.data[64 * W + 65]!).toBeLessThan(0.6);
    expect(auto.data[64 * W + 50]!).toBeGreaterThan(0.9);
    const wgt = textureWeight(lumaPlane(guide, W, H, 1), hole, W, H, [0.3, 0.55]);
    let maxw = 0;
    for (let i = 0; i < W * H; i++) if (hole[i]) maxw = Math.max(maxw, wgt[i]);
    expect(maxw).toBe(0);
    expect(refineTexture(page, hole, guide, { width: W, height: H, channels: 1, mode: 'gated' }).refinedPixels).toBe(0);
  });

  test("mode 'off', empty mask and all-hole mask return the composite of crop and guide", () => {
    const none = new Uint8Array(W * H);
    const r0 = refineTexture(tone, none, blur, { width: W, height: H, channels: 1 });
    expect(r0.data).toEqual(tone);
    const all = new Uint8Array(W * H).fill(1);
    const r1 = refineTexture(tone, all, blur, { width: W, height: H, channels: 1, mode: 'always' });
    expect(r1.data).toEqual(blur);
    const r2 = refineTexture(tone, hole, blur, { width: W, height: H, channels: 1, mode: 'off' });
    expect(r2.data).toEqual(blur.map((v, i) => (hole[i] ? v : tone[i])));
  });

  test('a hole too large to find any fully-known patch falls back to the guide', () => {
    const m = diskMask(32, 32, 16, 16, 13);
    const img = screentone(32, 32, 5, 1.5);
    const g = diffusionFill(img, m, 32, 32);
    const r = refineTexture(img, m, g, { width: 32, height: 32, channels: 1, mode: 'always', patchSize: 15, levels: 1 });
    expect(r.refinedPixels).toBe(0);
    expect(r.data).toEqual(g.map((v, i) => (m[i] ? v : img[i])));
  });

  test('a thin ring of context (pipeline boxes are 1.5x the hole): coarse levels without sources are skipped', () => {
    const w = 72;
    const img = screentone(w, w, 6, 1.8, Math.PI / 4);
    const m = new Uint8Array(w * w);
    for (let y = 13; y < 58; y++) for (let x = 13; x < 58; x++) m[y * w + x] = 1;
    const g = diffusionFill(img, m, w, w);
    const r = refineTexture(img, m, g, { width: w, height: w, channels: 1, levels: 3 });
    expect(r.refinedPixels).toBe(45 * 45);
    expect(textureRatio(r.data, img, m, w, w)).toBeGreaterThan(0.5);
  });

  test('bad inputs are refused with a clear message', () => {
    const m = new Uint8Array(W * H);
    expect(() => refineTexture(tone, m, blur, { width: W, height: H, channels: 3 })).toThrow(/3x128x128/);
    expect(() => refineTexture(tone, m.subarray(1), blur, { width: W, height: H, channels: 1 })).toThrow(/mask must hold 16384/);
    expect(() => refineTexture(tone, m, blur, { width: W, height: H, channels: 2 as 1 })).toThrow(/channels must be 1 or 3/);
    expect(() => refineTexture(tone, m, blur, { width: W, height: H, channels: 1, patchSize: 6 })).toThrow(/patchSize/);
    expect(() => refineTexture(tone, m, blur, { width: 0, height: H, channels: 1 })).toThrow(/bad size/);
    const h1 = diskMask(W, H, 64, 64, 5);
    expect(() => refineTexture(tone, h1, blur, { width: W, height: H, channels: 1, mode: 'fancy' as 'auto' })).toThrow(/unknown mode "fancy"/);
  });
});
