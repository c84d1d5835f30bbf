/**
 * Pipeline behaviour with scripted runners (the ModelRunner interface is ours; ORT itself is
 * exercised in tests/inference and tests/cli with the real tiny model).
 */
import fc from 'fast-check';
import { alignBox } from '../../src/core/boxes';
import { enclosedHoles } from '../../src/core/regions';
import { inpaint } from '../../src/pipeline';
import type { ProgressEvent } from '../../src/pipeline/types';
import { InpaintError, type Mask, type Raster } from '../../src/core/types';
import type { ModelKind, ModelRunner } from '../../src/inference/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';

/** These tests check the network's plumbing (boxes, scaling, flips, compositing): the network alone, no line drawing. */
const NET = { fill: 'model', structure: 'off' } as const;

function runner(kind: ModelKind, out: (c: Call) => Float32Array, input = { size: 32, maxSide: 64, multiple: 8 }): ModelRunner & { calls: Call[] } {
  return fakeRunner(kind, out, input);
}

const constant = (rgb: [number, number, number]) => (c: Call) => {
  const n = c.width * c.height;
  const o = new Float32Array(3 * n);
  o.fill(rgb[0], 0, n); o.fill(rgb[1], n, 2 * n); o.fill(rgb[2], 2 * n);
  return o;
};

function image(w: number, h: number, c: 1 | 2 | 3 | 4, deep: boolean, seed: number, grey = false): Raster {
  let s = seed >>> 0 || 3;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const max = deep ? 65535 : 255;
  const data = deep ? new Uint16Array(w * h * c) : new Uint8Array(w * h * c);
  for (let i = 0; i < w * h; i++) {
    const g = Math.floor(rnd() * (max + 1));
    for (let k = 0; k < c; k++) data[i * c + k] = grey ? g : Math.floor(rnd() * (max + 1));
  }
  return { width: w, height: h, channels: c, data, maxValue: max };
}

function rectMask(w: number, h: number, rects: [number, number, number, number][]): Mask {
  const data = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 1;
  return { width: w, height: h, data };
}

describe('inpaint', () => {
  it('changes only hole colour values; alpha, depth and everything outside stay identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 90 }), fc.integer({ min: 5, max: 90 }), fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
        fc.boolean(), fc.integer(), fc.integer({ min: 0, max: 3 }),
        async (w, h, c, deep, seed, variation) => {
          const img = image(w, h, c, deep, seed);
          const before = img.data.slice();
          const mask = rectMask(w, h, [[1, 1, Math.min(w, 4), Math.min(h, 3)], [Math.floor(w / 2), Math.floor(h / 2), w, h]]);
          const m = runner('bar', constant([0.2, 0.6, 1]));
          const res = await inpaint(img, mask, { ...NET, model: m, variation });
          expect([...img.data]).toEqual([...before]);
          const out = res.image;
          expect(out.data.constructor).toBe(img.data.constructor);
          expect([out.width, out.height, out.channels, out.maxValue]).toEqual([w, h, c, img.maxValue]);
          const colour = c === 2 || c === 4 ? c - 1 : c;
          let bad = 0;
          for (let i = 0; i < w * h; i++)
            for (let k = 0; k < c; k++)
              if ((!mask.data[i] || k >= colour) && out.data[i * c + k] !== img.data[i * c + k]) bad++;
          expect(bad).toBe(0);
          for (const call of m.calls) {
            expect(call.width % 8).toBe(0);
            expect(call.height % 8).toBe(0);
            expect(Math.max(call.width, call.height)).toBeLessThanOrEqual(64);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fills colour boxes with the model colour and grey boxes with its luma', async () => {
    const fill: [number, number, number] = [0.2, 0.6, 1];
    const mask = rectMask(40, 40, [[10, 10, 20, 20]]);
    const col = await inpaint(image(40, 40, 3, false, 5), mask, { ...NET, model: runner('bar', constant(fill)) });
    const i = (15 * 40 + 15) * 3;
    expect([...col.image.data.slice(i, i + 3)]).toEqual([51, 153, 255]);
    const grey = await inpaint(image(40, 40, 3, false, 5, true), mask, { ...NET, model: runner('bar', constant(fill)) });
    const luma = Math.round(255 * (0.299 * 0.2 + 0.587 * 0.6 + 0.114 * 1));
    expect([...grey.image.data.slice(i, i + 3)]).toEqual([luma, luma, luma]);
    const g16 = image(40, 40, 1, true, 5);
    const r16 = await inpaint(g16, mask, { ...NET, model: runner('bar', constant(fill)) });
    expect(r16.image.data[15 * 40 + 15]).toBe(Math.round(65535 * (0.299 * 0.2 + 0.587 * 0.6 + 0.114 * 1)));
  });

  it('holes mode zeroes hole pixels and marks them unknown; mosaic mode passes them as hints', async () => {
    const img = image(24, 24, 3, false, 9);
    const mask = rectMask(24, 24, [[4, 4, 12, 12]]);
    const holes = runner('bar', constant([0, 0, 0]));
    await inpaint(img, mask, { ...NET, model: holes });
    const mos = runner('mosaic', constant([0, 0, 0]));
    await inpaint(img, mask, { ...NET, model: mos, mode: 'mosaic' });
    for (const [m, mosaic] of [[holes, false], [mos, true]] as const) {
      const call = m.calls[0]!;
      expect([call.width, call.height]).toEqual([24, 24]); // whole image, smaller than size 32
      const n = 24 * 24;
      for (let y = 0; y < 24; y++)
        for (let x = 0; x < 24; x++) {
          const i = y * 24 + x;
          expect(call.mask[i]).toBe(mask.data[i] ? 0 : 1);
          const want = mask.data[i] && !mosaic ? 0 : img.data[i * 3 + 1]! / 255;
          expect(call.image[n + i]).toBeCloseTo(want, 6);
        }
    }
  });

  it('variation k flips the model input and flips the output back', async () => {
    // the model paints a horizontal ramp in its own coordinates
    const ramp = (c: Call) => {
      const o = new Float32Array(3 * c.width * c.height);
      for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) for (let p = 0; p < 3; p++) o[p * c.width * c.height + y * c.width + x] = x / (c.width - 1);
      return o;
    };
    const img = image(32, 32, 3, false, 1);
    const mask = rectMask(32, 32, [[0, 5, 32, 9]]);
    const a = await inpaint(img, mask, { ...NET, model: runner('bar', ramp), variation: 0 });
    const b = await inpaint(img, mask, { ...NET, model: runner('bar', ramp), variation: 1 });
    const r = (res: typeof a, x: number) => res.image.data[(6 * 32 + x) * 3]!;
    expect(r(a, 0)).toBe(0);
    expect(r(a, 31)).toBe(255);
    expect(r(b, 0)).toBe(255);
    expect(r(b, 31)).toBe(0);
    // vertical flip of a horizontal ramp changes nothing here
    const c = await inpaint(img, mask, { ...NET, model: runner('bar', ramp), variation: 2 });
    expect([...c.image.data]).toEqual([...a.image.data]);

    // The ramp cannot see a vertical flip, so: a model whose answer depends on both of its own
    // coordinates (R = 7x, G = 10y, B mixes both; k/255 quantises back to k exactly), on a
    // non-square image smaller than the model's size (one box, the whole image, no scaling or
    // padding). For each variation the model must be given the image mirrored (x for 1 and 3,
    // y for 2 and 3), and each hole pixel must get the model's value at the mirrored position.
    const W = 32, H = 24, n = W * H;
    const paint = (call: Call) => {
      const o = new Float32Array(3 * call.width * call.height);
      const m = call.width * call.height;
      for (let y = 0; y < call.height; y++)
        for (let x = 0; x < call.width; x++) {
          const i = y * call.width + x;
          o[i] = (7 * x) / 255;
          o[m + i] = (10 * y) / 255;
          o[2 * m + i] = ((13 * x + 37 * y) % 256) / 255;
        }
      return o;
    };
    const src = image(W, H, 3, false, 21);
    // holes placed so that the mask is symmetric under none of the flips
    const holes = rectMask(W, H, [[2, 1, 13, 6], [17, 14, 30, 22]]);
    for (let v = 0; v < 4; v++) {
      const fx = (x: number) => (v & 1 ? W - 1 - x : x);
      const fy = (y: number) => (v & 2 ? H - 1 - y : y);
      const m = runner('bar', paint);
      const res = await inpaint(src, holes, { ...NET, model: m, variation: v });
      expect(res.boxes).toEqual([{ left: 0, top: 0, right: W, bottom: H }]);
      expect(m.calls).toHaveLength(1);
      const call = m.calls[0]!;
      expect([call.width, call.height]).toEqual([W, H]);
      // (a) model pixel (x, y) shows image pixel (fx(x), fy(y)): mask and all three planes
      let badIn = 0;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const s = fy(y) * W + fx(x), i = y * W + x;
          if (call.mask[i] !== (holes.data[s] ? 0 : 1)) badIn++;
          for (let p = 0; p < 3; p++) if (Math.abs(call.image[p * n + i]! - (holes.data[s] ? 0 : src.data[s * 3 + p]! / 255)) > 1e-6) badIn++;
        }
      expect({ variation: v, badIn }).toEqual({ variation: v, badIn: 0 });
      // (b) hole pixel (x, y) of the result = the model's output at (fx(x), fy(y)), exactly;
      // everything else is the input
      let badOut = 0;
      let first = '';
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const i = y * W + x, mx = fx(x), my = fy(y);
          const want = holes.data[i] ? [7 * mx, 10 * my, (13 * mx + 37 * my) % 256] : [...src.data.slice(i * 3, i * 3 + 3)];
          const got = [...res.image.data.slice(i * 3, i * 3 + 3)];
          if (got.join() !== want.join()) {
            badOut++;
            first ||= `(${x}, ${y}): got ${got.join()}, want ${want.join()}`;
          }
        }
      expect({ variation: v, badOut, first }).toEqual({ variation: v, badOut: 0, first: '' });
    }
  });

  it('downscales large boxes to maxSide with the area filter and resamples back', async () => {
    const img = image(300, 200, 3, false, 2);
    const mask = rectMask(300, 200, [[100, 50, 220, 170]]);
    const m = runner('bar', constant([0.5, 0.5, 0.5]));
    const res = await inpaint(img, mask, { ...NET, model: m });
    expect(m.calls).toHaveLength(1);
    expect(Math.max(m.calls[0]!.width, m.calls[0]!.height)).toBe(64);
    // far from the hole's edge the fill is the model's value
    const i = (110 * 300 + 160) * 3;
    expect(Math.abs(res.image.data[i]! - 128)).toBeLessThanOrEqual(1);
  });

  it('reports progress per region and cancels before a model call, leaving the input untouched', async () => {
    const img = image(200, 200, 3, false, 4);
    const before = img.data.slice();
    const mask = rectMask(200, 200, [[2, 2, 6, 6], [150, 150, 160, 160]]);
    const events: ProgressEvent[] = [];
    await inpaint(img, mask, { ...NET, model: runner('bar', constant([0, 0, 0])) }, { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(['start', 'region', 'region', 'done']);
    const ac = new AbortController();
    const m = runner('bar', constant([0, 0, 0]));
    const p = inpaint(img, mask, { ...NET, model: m }, { signal: ac.signal, onProgress: (e) => e.type === 'region' && ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(m.calls.length).toBeLessThanOrEqual(1);
    expect([...img.data]).toEqual([...before]);
    const pre = new AbortController();
    pre.abort();
    await expect(inpaint(img, mask, { ...NET, model: m }, { signal: pre.signal })).rejects.toBeInstanceOf(InpaintError);
  });

  it('boxes are merged only up to maxSide; each hole is filled once, earlier fills are context for later boxes', async () => {
    const img = image(100, 40, 3, false, 11);
    const mask = rectMask(100, 40, [[30, 15, 35, 21], [45, 15, 50, 21]]);
    const m = runner('bar', constant([0.2, 0.6, 1]), { size: 32, maxSide: 40, multiple: 8 });
    const res = await inpaint(img, mask, { ...NET, model: m });
    expect(res.boxes).toHaveLength(2);
    expect(m.calls).toHaveLength(2);
    // every hole pixel has the model's colour (no resampling: boxes fit in maxSide)
    let wrong = 0;
    for (let i = 0; i < 100 * 40; i++) if (mask.data[i] && [...res.image.data.slice(i * 3, i * 3 + 3)].join() !== '51,153,255') wrong++;
    expect(wrong).toBe(0);
    // the second box sees the first hole, where it overlaps it, as known (already filled)
    const [b0, b1] = res.boxes;
    expect(b1!.left).toBeLessThan(35);
    const call = m.calls[1]!;
    const x = 33 - b1!.left, y = 17 - b1!.top;
    expect(call.mask[y * call.width + x]).toBe(1);
    expect(call.image[y * call.width + x]).toBeCloseTo(0.2, 2);
    expect(b0!.right).toBeGreaterThan(45);
    expect(m.calls[0]!.mask[(17 - b0!.top) * m.calls[0]!.width + 46 - b0!.left]).toBe(0);
  });

  it('fills every hole of a page with many scattered holes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 190 }), fc.integer({ min: 0, max: 140 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 25 }), async (rects) => {
        const img = image(200, 150, 3, false, 3);
        const mask = rectMask(200, 150, rects.map(([x, y, w, h]) => [x, y, Math.min(200, x + w), Math.min(150, y + h)]));
        const m = runner('bar', constant([0.2, 0.6, 1]), { size: 32, maxSide: 64, multiple: 8 });
        const res = await inpaint(img, mask, { ...NET, model: m });
        let left = 0;
        for (let i = 0; i < 200 * 150; i++) {
          if (!mask.data[i]) continue;
          const d = Math.abs(res.image.data[i * 3]! - 51) + Math.abs(res.image.data[i * 3 + 1]! - 153) + Math.abs(res.image.data[i * 3 + 2]! - 255);
          // near a hole's edge a downscaled box blends real context in; no hole keeps its input
          if (d > 120 && res.image.data[i * 3] === img.data[i * 3] && res.image.data[i * 3 + 1] === img.data[i * 3 + 1]) left++;
        }
        expect(left).toBe(0);
        expect(m.calls.length).toBe(res.boxes.length);
      }),
      { numRuns: 25 },
    );
  });

  it('a mask given as an unaligned view with any non-zero hole value fills the same pixels, leaves the mask as it was', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 110 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 255 }),
        async (rects, shift, v) => {
          const img = image(160, 120, 3, false, 5);
          const mask = rectMask(160, 120, rects.map(([x, y, w, h]) => [x, y, Math.min(160, x + w), Math.min(120, y + h)]));
          const buf = new Uint8Array(mask.data.length + 4).fill(9); // bytes around the view must be ignored
          const view: Mask = { width: 160, height: 120, data: buf.subarray(shift, shift + mask.data.length) };
          for (let i = 0; i < mask.data.length; i++) view.data[i] = mask.data[i] ? v : 0;
          const viewBefore = buf.slice();
          const m = runner('bar', (c) => c.image.map((x, i) => (x + (i % 7) * 0.01) % 1));
          const want = await inpaint(img, mask, { ...NET, model: m });
          const got = await inpaint(img, view, { ...NET, model: m });
          expect(Buffer.from(got.image.data).equals(Buffer.from(want.image.data))).toBe(true);
          expect(got.boxes).toEqual(want.boxes);
          expect(buf).toEqual(viewBefore);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('inPlace fills the caller\'s buffer and returns it', async () => {
    const img = image(30, 30, 4, false, 8);
    const before = img.data.slice();
    const mask = rectMask(30, 30, [[5, 5, 9, 9]]);
    const res = await inpaint(img, mask, { ...NET, model: runner('bar', constant([0.2, 0.6, 1])), inPlace: true });
    expect(res.image).toBe(img);
    let changedOutside = 0, changedInside = 0;
    for (let i = 0; i < 900; i++) for (let k = 0; k < 4; k++) {
      const d = img.data[i * 4 + k] !== before[i * 4 + k];
      if (d && (!mask.data[i] || k === 3)) changedOutside++;
      if (d && mask.data[i]) changedInside++;
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(0);
  });

  it('enclosedHoles keeps the hole parts wholly inside a box; alignBox grows boxes to the multiple', () => {
    // inside: a 2x2 block; crossing the right edge: a bar; touching the image edge: allowed
    const m = rectMask(12, 6, [[1, 1, 3, 3], [5, 2, 12, 3], [0, 5, 2, 6]]);
    const own = enclosedHoles(m, { left: 0, top: 0, right: 8, bottom: 6 })!;
    const inside = [...own].map((v, i) => (v ? `${i % 8},${Math.floor(i / 8)}` : '')).filter(Boolean);
    expect(inside).toEqual(['1,1', '2,1', '1,2', '2,2', '0,5', '1,5']);
    expect(enclosedHoles(m, { left: 4, top: 0, right: 8, bottom: 6 })).toBeNull();
    expect(alignBox({ left: 10, top: 3, right: 40, bottom: 33 }, 16, 64, 100, 35)).toEqual({ left: 9, top: 2, right: 41, bottom: 34 });
    expect(alignBox({ left: 0, top: 0, right: 90, bottom: 90 }, 16, 64, 100, 100)).toEqual({ left: 0, top: 0, right: 90, bottom: 90 });
  });

  it('holes in a flat area take its exact colour without the model; other holes still go to the model', async () => {
    const w = 120;
    const h = 60;
    const img: Raster = { width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(250), maxValue: 255 };
    for (let y = 0; y < h; y++) img.data.set([0, 0, 0], (y * w + 90) * 3); // a vertical line at x = 90
    const mask = rectMask(w, h, [[10, 10, 30, 20], [85, 30, 95, 40]]); // flat; crosses the line
    const r = runner('bar', constant([0.2, 0.4, 0.6]));
    const res = await inpaint(img, mask, { ...NET, model: r });
    expect(res.flatPixels).toBe(200);
    expect(res.image.data[(15 * w + 20) * 3]).toBe(250);
    // a grey page: the model colour comes back as its luma
    expect(Array.from(res.image.data.subarray((35 * w + 88) * 3, (35 * w + 88) * 3 + 3))).toEqual([93, 93, 93]);
    expect(r.calls.length).toBe(1); // only the box of the second hole ran
    expect(img.data[(15 * w + 20) * 3]).toBe(250); // input untouched (not inPlace)
    // mosaic mode never flat-fills: the pixels under the mask are hints
    const m = runner('mosaic', constant([0.2, 0.4, 0.6]));
    const res2 = await inpaint(img, rectMask(w, h, [[10, 10, 30, 20]]), { model: m, mode: 'mosaic' });
    expect(res2.flatPixels).toBe(0);
    expect(m.calls.length).toBe(1);
  });

  it('refuses bad input with clear errors', async () => {
    const img = image(10, 10, 3, false, 1);
    const m = runner('bar', constant([0, 0, 0]));
    await expect(inpaint(img, rectMask(10, 10, []), { model: m })).rejects.toMatchObject({ code: 'empty-mask' });
    await expect(inpaint(img, rectMask(9, 10, [[1, 1, 2, 2]]), { model: m })).rejects.toThrow(/mask is 9x10/);
    await expect(inpaint(img, rectMask(10, 10, [[1, 1, 2, 2]]), { model: m, mode: 'mosaic' })).rejects.toThrow(/needs a "mosaic" model/);
    await expect(inpaint(img, rectMask(10, 10, [[1, 1, 2, 2]]), { model: m, variation: 4 })).rejects.toThrow(/variation/);
  });
});
