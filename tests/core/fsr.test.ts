import { fsrFillBox, fsrFillPlane } from '../../src/core/fsr';
import { classicalWeight, distanceToKnown, drawStructure, GUIDED_DEEP_MIX, GUIDED_MIX, guidedMix, keepFlatPrior, mixFills, readBox, readOwn } from '../../src/core/hybrid';
import type { Mask, Raster } from '../../src/core/types';

function plane(w: number, h: number, f: (x: number, y: number) => number): Float32Array {
  const p = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p[y * w + x] = f(x, y);
  return p;
}

/** Fills the rectangle [x0, x1) x [y0, y1) of a copy of `truth` and returns the max and mean abs error there. */
function fillRect(truth: Float32Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, kind: 'luma' | 'chroma' = 'luma') {
  const vals = truth.slice();
  const wts = new Float32Array(w * h).fill(1);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) (wts[y * w + x] = 0), (vals[y * w + x] = 0);
  fsrFillPlane(vals, wts, w, h, kind);
  let max = 0;
  let sum = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const e = Math.abs(vals[y * w + x]! - truth[y * w + x]!);
      max = Math.max(max, e);
      sum += e;
    }
  return { vals, wts, max, mean: sum / ((x1 - x0) * (y1 - y0)) };
}


/** A w x h RGB page: colour `left` left of column `split`, `right` from it on; a bar over rows top..bottom-1 (the mask). */
function twoColourBar(w: number, h: number, left: number[], right: number[], split: number, top: number, bottom: number) {
  const data = new Uint8Array(w * h * 3);
  const mask = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      data.set(x < split ? left : right, (y * w + x) * 3);
      if (y >= top && y < bottom) mask.data[y * w + x] = 1;
    }
  const r: Raster = { width: w, height: h, channels: 3, data, maxValue: 255 };
  return { r, mask, truth: data.slice() };
}

describe('fsrFillPlane', () => {
  it('reconstructs a flat area exactly and leaves known pixels alone', () => {
    const truth = plane(64, 64, () => 200);
    const { vals, wts, max } = fillRect(truth, 64, 64, 20, 20, 40, 44);
    expect(max).toBeLessThan(0.5);
    for (let i = 0; i < vals.length; i++) if (wts[i] === 1) expect(vals[i]).toBe(truth[i]);
    // every filled pixel is marked as reconstructed
    for (let y = 20; y < 44; y++) for (let x = 20; x < 40; x++) expect(wts[y * 64 + x]).toBe(0.5);
  });

  it('continues a smooth gradient across a bar within a few levels', () => {
    const truth = plane(96, 96, (x, y) => 40 + 1.5 * x + 0.5 * y);
    const { mean } = fillRect(truth, 96, 96, 40, 0, 52, 96);
    expect(mean).toBeLessThan(4);
  });

  it('continues a periodic pattern (a line screen) far better than its mean', () => {
    // a horizontal-line tone: period 6 px, as a screentone of lines
    const truth = plane(96, 96, (_x, y) => 128 + 100 * Math.cos((2 * Math.PI * y) / 6));
    const { mean } = fillRect(truth, 96, 96, 36, 30, 60, 66);
    // the mean (128) would be off by 64 on average
    expect(mean).toBeLessThan(12);
  });

  it('fills a hole with no context at all with the mean of the known pixels', () => {
    const w = 80;
    const truth = plane(w, w, () => 90);
    const { vals } = fillRect(truth, w, w, 0, 0, w, 70);
    for (let i = 0; i < 70 * w; i++) expect(Math.abs(vals[i]! - 90)).toBeLessThan(1);
  });
});

describe('fsrFillPlane: fine blocks only at the rim (fineDepth)', () => {
  // a textured page (a line screen with a diagonal ramp) and a 48 px square hole: textured
  // enough that every block is split to the smallest size when nothing limits it
  const w = 128;
  const truth = plane(w, w, (x, y) => 128 + 90 * Math.cos((2 * Math.PI * (x + 2 * y)) / 7) + 0.2 * (x - y));
  const run = (fineDepth: number) => {
    const vals = truth.slice();
    const wts = new Float32Array(w * w).fill(1);
    for (let y = 40; y < 88; y++) for (let x = 40; x < 88; x++) (wts[y * w + x] = 0), (vals[y * w + x] = 0);
    const stats = fsrFillPlane(vals, wts, w, w, 'luma', { fineDepth });
    let err = 0;
    for (let y = 40; y < 88; y++) for (let x = 40; x < 88; x++) err += Math.abs(vals[y * w + x]! - truth[y * w + x]!);
    return { stats, vals, wts, mean: err / (48 * 48) };
  };
  const depthOf = (b: { left: number; top: number; right: number; bottom: number }) =>
    // Chebyshev depth of the block's nearest pixel inside the 40..88 square
    Math.min(b.left - 40 + 1, b.top - 40 + 1, 88 - b.right + 1, 88 - b.bottom + 1);

  it('splits to 4 px only within fineDepth of the known pixels, and fills the deep blocks at 8 px after the rim', () => {
    const all = run(Infinity);
    const rim = run(4);
    const small = (r: typeof all) => r.stats.blocks.filter((b) => b.right - b.left === 4);
    expect(small(all).length).toBeGreaterThan(0);
    // every 4 px block touches the rim; deep 4 px blocks exist without the limit
    for (const b of small(rim)) expect(depthOf(b)).toBeLessThanOrEqual(4 + 1);
    expect(small(all).some((b) => depthOf(b) > 8)).toBe(true);
    expect(small(rim).length).toBeLessThan(small(all).length);
    // the deep 8 px blocks come last: after every 4 px block
    const lastSmall = rim.stats.blocks.lastIndexOf(small(rim)[small(rim).length - 1]!);
    const deep8 = rim.stats.blocks.map((b, i) => ({ b, i })).filter(({ b }) => b.right - b.left === 8 && depthOf(b) > 4);
    expect(deep8.length).toBeGreaterThan(0);
    for (const { i } of deep8) expect(i).toBeGreaterThan(lastSmall);
    // every hole pixel is reconstructed, and the texture is continued about as well
    for (let y = 40; y < 88; y++) for (let x = 40; x < 88; x++) expect(rim.wts[y * w + x]).toBe(0.5);
    expect(rim.mean).toBeLessThan(1.25 * all.mean + 1);
    expect(rim.mean).toBeLessThan(40); // the mean of the screen would be off by ~57
  });

  it('fills the blocks deeper than coarseDepth at 16 px, last, and continues the texture about as well', () => {
    // a 96 px hole in a 192 px page: its centre is 48 px from the known pixels
    const W = 192;
    const big = plane(W, W, (x, y) => 128 + 90 * Math.cos((2 * Math.PI * (x + 2 * y)) / 7) + 0.2 * (x - y));
    const go = (coarseDepth: number) => {
      const vals = big.slice();
      const wts = new Float32Array(W * W).fill(1);
      for (let y = 48; y < 144; y++) for (let x = 48; x < 144; x++) (wts[y * W + x] = 0), (vals[y * W + x] = 0);
      const { blocks } = fsrFillPlane(vals, wts, W, W, 'luma', { coarseDepth });
      let err = 0;
      for (let y = 48; y < 144; y++) for (let x = 48; x < 144; x++) err += Math.abs(vals[y * W + x]! - big[y * W + x]!);
      return { blocks, mean: err / (96 * 96) };
    };
    const depth = (b: { left: number; top: number; right: number; bottom: number }) => Math.min(b.left - 48 + 1, b.top - 48 + 1, 144 - b.right + 1, 144 - b.bottom + 1);
    const fine = go(Infinity);
    const coarse = go(16);
    // without the limit the deep part is split like the rim; with it, nothing below 16 px lies deeper than 16 px
    expect(fine.blocks.some((b) => b.right - b.left < 16 && depth(b) > 17)).toBe(true);
    for (const b of coarse.blocks) if (depth(b) > 17) expect(b.right - b.left).toBe(16);
    const deep16 = coarse.blocks.map((b, i) => ({ b, i })).filter(({ b }) => b.right - b.left === 16 && depth(b) > 17);
    expect(deep16.length).toBeGreaterThan(0);
    const lastSmaller = Math.max(...coarse.blocks.map((b, i) => (b.right - b.left < 16 ? i : -1)));
    for (const { i } of deep16) expect(i).toBeGreaterThan(lastSmaller);
    expect(coarse.blocks.length).toBeLessThan(fine.blocks.length);
    expect(coarse.mean).toBeLessThan(1.25 * fine.mean + 1);
  });

  it('gives blocks away from the rim at most deepMaxIter basis functions (defaults: 50 beyond 2 px)', () => {
    const vals = truth.slice();
    const wts = new Float32Array(w * w).fill(1);
    for (let y = 40; y < 88; y++) for (let x = 40; x < 88; x++) (wts[y * w + x] = 0), (vals[y * w + x] = 0);
    const { blocks } = fsrFillPlane(vals, wts, w, w, 'luma');
    const deep = blocks.filter((b) => depthOf(b) > 2);
    const rimBlocks = blocks.filter((b) => depthOf(b) <= 1);
    expect(deep.length).toBeGreaterThan(0);
    for (const b of deep) expect(b.iterations).toBeLessThanOrEqual(50);
    expect(Math.max(...rimBlocks.map((b) => b.iterations))).toBeGreaterThan(50);
  });
});

describe('fsrFillBox', () => {
  function rgbWithHole(grey: boolean): { r: Raster; mask: Mask; own: Uint8Array } {
    const w = 48;
    const h = 40;
    const data = new Uint8Array(w * h * 4);
    const mask = { width: w, height: h, data: new Uint8Array(w * h) };
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        const v = 60 + 3 * x;
        data[o] = v;
        data[o + 1] = grey ? v : 255 - v;
        data[o + 2] = grey ? v : 128;
        data[o + 3] = 77;
        if (x >= 18 && x < 30 && y >= 10 && y < 30) {
          mask.data[y * w + x] = 1;
          data[o] = 0;
          data[o + 1] = 255;
          data[o + 2] = 0;
        }
      }
    return { r: { width: w, height: h, channels: 4, data, maxValue: 255 }, mask, own: mask.data.slice() };
  }

  it('writes a grey fill (R = G = B) when told the box is grey, and keeps alpha', () => {
    const { r, mask, own } = rgbWithHole(true);
    const box = { left: 0, top: 0, right: r.width, bottom: r.height };
    fsrFillBox(r, box, own, mask, true);
    for (let i = 0; i < r.width * r.height; i++) {
      const o = i * 4;
      expect(r.data[o]).toBe(r.data[o + 1]);
      expect(r.data[o + 2]).toBe(r.data[o + 1]);
      expect(r.data[o + 3]).toBe(77);
    }
    // the ramp continues
    const o = (20 * r.width + 24) * 4;
    expect(Math.abs(r.data[o]! - (60 + 3 * 24))).toBeLessThan(6);
  });

  it('reconstructs colour in YCbCr: each channel of a colour ramp continues', () => {
    const { r, mask, own } = rgbWithHole(false);
    const box = { left: 0, top: 0, right: r.width, bottom: r.height };
    fsrFillBox(r, box, own, mask, false);
    const o = (20 * r.width + 24) * 4;
    const v = 60 + 3 * 24;
    expect(Math.abs(r.data[o]! - v)).toBeLessThan(6);
    expect(Math.abs(r.data[o + 1]! - (255 - v))).toBeLessThan(6);
    expect(Math.abs(r.data[o + 2]! - 128)).toBeLessThan(6);
  });

  it('reconstructs chroma at half resolution: a colour border (same luma) across a bar is continued within 2 px, odd-sized box included', () => {
    for (const [w, h] of [
      [48, 40],
      [47, 39],
    ] as const) {
      // pink left of x = 23, teal right of it (chroma only changes: equal luma), a bar over rows 14..25
      const { r, mask, truth } = twoColourBar(w, h, [230, 170, 180], [150, 205, 200], 23, 14, 26);
      for (let i = 0; i < w * h; i++) if (mask.data[i]) r.data.set([0, 255, 0], i * 3);
      fsrFillBox(r, { left: 0, top: 0, right: w, bottom: h }, mask.data.slice(), mask, false);
      for (let y = 14; y < 26; y++) {
        for (let x = 0; x < w; x++) {
          if (x > 20 && x < 25) continue; // the border itself, 2 px either side
          const o = (y * w + x) * 3;
          for (let c = 0; c < 3; c++) expect(Math.abs(r.data[o + c]! - truth[o + c]!)).toBeLessThan(12);
        }
      }
      for (let i = 0; i < w * h; i++) if (!mask.data[i]) expect([...r.data.subarray(i * 3, i * 3 + 3)]).toEqual([...truth.subarray(i * 3, i * 3 + 3)]);
    }
  });

  it('brings the half-resolution chroma back along the luma: a red/yellow border at an odd column stays sharp in the hole', () => {
    // dark red left of x = 21 (a 2 x 2 cell straddles the border), light yellow right of it, a bar over rows 12..27
    const w = 44;
    const h = 40;
    const { r, mask, truth } = twoColourBar(w, h, [170, 20, 30], [250, 230, 60], 21, 12, 28);
    fsrFillBox(r, { left: 0, top: 0, right: w, bottom: h }, mask.data.slice(), mask, false);
    const worst = (cols: number[]): number => {
      let m = 0;
      for (let y = 12; y < 28; y++) for (const x of cols) for (let c = 0; c < 3; c++) m = Math.max(m, Math.abs(r.data[(y * w + x) * 3 + c]! - truth[(y * w + x) * 3 + c]!));
      return m;
    };
    // 1-2 px from the border each side keeps its own colour (plain bilinear upsampling: 26 levels off)
    expect(worst([18, 19, 22, 23])).toBeLessThan(12);
    // the two border columns are limited by the luma's own reconstruction of the step (full-resolution chroma: 47)
    expect(worst([20, 21])).toBeLessThan(45);
  });

  it('writes only the own pixels', () => {
    const { r, mask, own } = rgbWithHole(false);
    const before = r.data.slice();
    own.fill(0);
    own[20 * r.width + 20] = 1;
    fsrFillBox(r, { left: 0, top: 0, right: r.width, bottom: r.height }, own, mask, false);
    let changed = 0;
    for (let i = 0; i < r.width * r.height; i++) if (r.data[i * 4] !== before[i * 4] || r.data[i * 4 + 1] !== before[i * 4 + 1]) changed++;
    expect(changed).toBe(1);
  });
});

describe('keepFlatPrior', () => {
  // a 40 x 30 RGB box: flat yellow left of x = 20, a ramp right of it; a 30 px deep hole (rows 0..29 of columns 5..34 are own)
  function setup(): { r: Raster; own: Uint8Array; prior: Float32Array; box: { left: number; top: number; right: number; bottom: number } } {
    const w = 40;
    const h = 30;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < 20 ? [250, 230, 60] : [60 + 4 * x, 100, 100], (y * w + x) * 3);
    const r: Raster = { width: w, height: h, channels: 3, data, maxValue: 255 };
    const own = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 5; x < 35; x++) own[y * w + x] = 1;
    const box = { left: 0, top: 0, right: w, bottom: h };
    const prior = readBox(r, box);
    // the network's fill: the prior plus a faint ghost (+3 levels) everywhere in the hole
    for (let i = 0; i < w * h; i++) if (own[i]) for (let k = 0; k < 3; k++) r.data[i * 3 + k] = Math.min(255, r.data[i * 3 + k]! + 3);
    return { r, own, prior, box };
  }

  it('puts the classical fill back where it is flat near the known pixels, and nowhere else', () => {
    const { r, own, prior, box } = setup();
    const kept = keepFlatPrior(r, box, own, prior, { radius: 3, range: 2, depth: 10 });
    expect(kept).toBeGreaterThan(0);
    const at = (x: number, y: number) => [...r.data.subarray((y * 40 + x) * 3, (y * 40 + x) * 3 + 3)];
    expect(at(8, 15)).toEqual([250, 230, 60]); // flat, 4 px from the known column 4: the prior
    expect(at(14, 15)).toEqual([250, 230, 60]); // flat, 10 px from it: still the prior
    expect(at(16, 15)).toEqual([253, 233, 63]); // within 3 px of the ramp: not flat, the network's
    expect(at(30, 15)).toEqual([60 + 4 * 30 + 3, 103, 103]); // the ramp: the network's
    // outside the hole nothing changes
    for (let y = 0; y < 30; y++) for (const x of [0, 4, 35, 39]) expect(at(x, y)).toEqual(x < 20 ? [250, 230, 60] : [60 + 4 * x, 100, 100]);
  });

  it('leaves pixels deeper than `depth` to the network', () => {
    const { r, own, prior, box } = setup();
    keepFlatPrior(r, box, own, prior, { radius: 3, range: 2, depth: 2 });
    expect([...r.data.subarray((15 * 40 + 10) * 3, (15 * 40 + 10) * 3 + 3)]).toEqual([253, 233, 63]); // 6 px deep
    expect([...r.data.subarray((15 * 40 + 6) * 3, (15 * 40 + 6) * 3 + 3)]).toEqual([250, 230, 60]); // 2 px deep
  });
});

describe('distanceToKnown', () => {
  it('equals the brute-force Euclidean distance', () => {
    const w = 23;
    const h = 17;
    const hole = new Uint8Array(w * h);
    let seed = 7;
    for (let i = 0; i < hole.length; i++) hole[i] = (seed = (seed * 1103515245 + 12345) >>> 0) % 7 < 5 ? 1 : 0;
    const d = distanceToKnown(hole, w, h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let best = Infinity;
        for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) if (!hole[yy * w + xx]) best = Math.min(best, Math.hypot(xx - x, yy - y));
        expect(d[y * w + x]).toBeCloseTo(best, 4);
      }
  });

  it('is Infinity everywhere when nothing is known', () => {
    const d = distanceToKnown(new Uint8Array(12).fill(1), 4, 3);
    expect([...d].every((v) => v === Infinity)).toBe(true);
  });
});

describe('mixFills', () => {
  it('takes the classical fill at the border and the mix deep inside', () => {
    const w = 40;
    const r: Raster = { width: w, height: 1 * w, channels: 1, data: new Uint8Array(w * w).fill(100), maxValue: 255 };
    const own = new Uint8Array(w * w);
    for (let y = 5; y < 35; y++) for (let x = 5; x < 35; x++) own[y * w + x] = 1;
    const box = { left: 0, top: 0, right: w, bottom: w };
    const classical = readOwn(r, box, own).fill(200); // classical says 200, the network (in r) 100
    mixFills(r, box, own, classical);
    expect(r.data[5 * w + 5]).toBe(200); // 1 px from the known pixels
    expect(r.data[20 * w + 20]).toBe(Math.round(classicalWeight(15.5) * 200 + (1 - classicalWeight(15.5)) * 100));
    expect(r.data[0]).toBe(100); // not own
    expect(classicalWeight(0)).toBe(1);
    expect(classicalWeight(1000)).toBeCloseTo(0.4);
  });
});

describe('drawStructure', () => {
  /** A 2 px black line at rows 29-30 across a w x 60 page, a vertical bar [x0, x1) filled with paper. */
  function cutLine(w: number, x0: number, x1: number): { r: Raster; own: Uint8Array; mask: Mask } {
    const h = 60;
    const data = new Uint8Array(w * h).fill(255);
    for (let x = 0; x < w; x++) for (let y = 29; y <= 30; y++) data[y * w + x] = 0;
    const own = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = x0; x < x1; x++) own[y * w + x] = 1;
    // the bar was filled with paper (as a smooth fill would): the line is gone
    for (let y = 0; y < h; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 255;
    return { r: { width: w, height: h, channels: 1, data, maxValue: 255 }, own, mask: { width: w, height: h, data: own.slice() } };
  }

  /** Darkness-weighted centre row of column x. */
  function centreRow(r: Raster, x: number): number {
    let s = 0;
    let sy = 0;
    for (let y = 0; y < r.height; y++) {
      const d = r.maxValue - r.data[y * r.width + x]!;
      s += d;
      sy += d * y;
    }
    expect(s).toBeGreaterThan(0);
    return sy / s;
  }

  it('reconnects a line cut by a 40 px bar within 1 px, over a flat fill, and draws nothing outside the bar', () => {
    const { r, own } = cutLine(120, 40, 80);
    const layer = drawStructure(r, { left: 0, top: 0, right: r.width, bottom: r.height }, own);
    expect(layer.curves.length).toBe(1);
    for (let x = 40; x < 80; x++) expect(Math.abs(centreRow(r, x) - 29.5)).toBeLessThanOrEqual(1);
    for (let y = 0; y < r.height; y++) for (let x = 0; x < 40; x++) expect(r.data[y * r.width + x]).toBe(y === 29 || y === 30 ? 0 : 255);
  });

  it('continues a coloured line in its own colour (a dark blue outline stays dark blue), and a grey one grey', () => {
    const w = 120;
    const h = 60;
    const navy = [40, 50, 140];
    const paper = [250, 240, 230];
    const make = (ink: number[]): { r: Raster; own: Uint8Array } => {
      const data = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(y === 29 || y === 30 ? ink : paper, (y * w + x) * 3);
      const own = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) for (let x = 40; x < 80; x++) (own[y * w + x] = 1), data.set(paper, (y * w + x) * 3);
      return { r: { width: w, height: h, channels: 3, data, maxValue: 255 }, own };
    };
    const { r, own } = make(navy);
    const before = r.data.slice();
    expect(drawStructure(r, { left: 0, top: 0, right: w, bottom: h }, own).curves.length).toBe(1);
    for (let x = 45; x < 75; x++) {
      const o = (29 * w + x) * 3;
      // the line's luminance and its hue: blue well above red and green, within a few levels of the stroke
      for (let k = 0; k < 3; k++) expect(Math.abs(r.data[o + k]! - navy[k]!)).toBeLessThanOrEqual(12);
    }
    for (let i = 0; i < w * h; i++) if (!own[i]) for (let k = 0; k < 3; k++) expect(r.data[i * 3 + k]).toBe(before[i * 3 + k]);
    const grey = make([60, 60, 60]);
    drawStructure(grey.r, { left: 0, top: 0, right: w, bottom: h }, grey.own);
    const o = (29 * w + 60) * 3;
    expect(grey.r.data[o]).toBeLessThan(128);
    // a grey line on a tinted paper is drawn grey (its own colour), not tinted
    expect(Math.abs(grey.r.data[o]! - grey.r.data[o + 2]!)).toBeLessThanOrEqual(2);
  });

  it('leaves a line across a 20 px bar to the classical fill, which reconnects it within 1 px', () => {
    // within twice the classical fill's reach (DEFAULT_MIX.far = 12 px) no curve is drawn ...
    const flat = cutLine(80, 30, 50);
    const before = flat.r.data.slice();
    const layer = drawStructure(flat.r, { left: 0, top: 0, right: 80, bottom: 60 }, flat.own);
    expect(layer.curves.length).toBe(0);
    expect(flat.r.data).toEqual(before);
    // ... while the same options with minInHole 0 would draw it (the strokes are found and paired)
    expect(drawStructure(cutLine(80, 30, 50).r, { left: 0, top: 0, right: 80, bottom: 60 }, flat.own, { minInHole: 0 }).curves.length).toBe(1);
    // ... because FSR continues the line across the bar by itself
    const { r, own, mask } = cutLine(80, 30, 50);
    fsrFillBox(r, { left: 0, top: 0, right: 80, bottom: 60 }, own, mask, true);
    for (let x = 30; x < 50; x++) {
      expect(Math.abs(centreRow(r, x) - 29.5)).toBeLessThanOrEqual(1);
      expect(Math.min(r.data[29 * 80 + x]!, r.data[30 * 80 + x]!)).toBeLessThan(128);
    }
  });
});

describe('guidedMix', () => {
  const hole = (w: number, h: number, f: (x: number, y: number) => boolean) => {
    const m = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = f(x, y) ? 1 : 0;
    return m;
  };
  it('keeps the classical fill near the border of thin holes and bars', () => {
    expect(guidedMix(hole(200, 120, (_x, y) => y >= 50 && y < 90), 200, 120)).toBe(GUIDED_MIX); // a 40 px bar: 20 px deep
  });
  it('leaves thick holes to the guided network', () => {
    expect(guidedMix(hole(200, 120, (x, y) => x >= 40 && x < 100 && y >= 20 && y < 80), 200, 120)).toBe(GUIDED_DEEP_MIX); // 60 px square: 30 px deep
  });
});
