import { HINT_SPREAD, chromaOf, colorizeWorkSize, composeColorized, halveField, hasColour, levinWeights, packColorize, prolongField, propagateHints, solveLevinGrid, solveLevinPyramid, spreadHintsDT } from '../../src/core/colorize';
import { levinAffinities, solveLevin } from '../helpers/levinReference';
import type { Raster } from '../../src/core/types';
import { colorize } from '../../src/pipeline/colorize';
import { fakeRunner } from '../helpers/fakeRunner';

/** CIE L* of an sRGB colour (0..255 components), as OpenCV computes it. */
function lightness(r: number, g: number, b: number): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : Math.pow((c / 255 + 0.055) / 1.055, 2.4));
  const y = 0.212671 * lin(r) + 0.71516 * lin(g) + 0.072169 * lin(b);
  return y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
}
const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** A colour test page: red, green, blue and skin-tone quadrants with a dark line, 8-bit RGB. */
function colourPage(w = 64, h = 48): Raster {
  const data = new Uint8Array(w * h * 3);
  const cols = [
    [200, 40, 40],
    [60, 160, 70],
    [50, 70, 190],
    [230, 180, 150],
  ];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
      const c = x === 20 ? [20, 20, 20] : cols[q]!;
      data.set(c, (y * w + x) * 3);
    }
  return { width: w, height: h, channels: 3, data, maxValue: 255 };
}

function greyOf(r: Raster): Raster {
  const n = r.width * r.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(luma(r.data[3 * i]!, r.data[3 * i + 1]!, r.data[3 * i + 2]!));
  return { width: r.width, height: r.height, channels: 1, data, maxValue: 255 };
}

/** The model output an oracle would give: the true chroma of `truth` averaged into pw x ph. */
function oracle(truth: Raster, pw: number, ph: number): Float32Array {
  const n = pw * ph;
  const out = new Float32Array(3 * n);
  const cnt = new Float64Array(n);
  const t = new Float64Array(2);
  for (let y = 0; y < truth.height; y++)
    for (let x = 0; x < truth.width; x++) {
      const j = Math.floor(((y + 0.5) * ph) / truth.height) * pw + Math.floor(((x + 0.5) * pw) / truth.width);
      const o = (y * truth.width + x) * 3;
      chromaOf(truth.data[o]! / 255, truth.data[o + 1]! / 255, truth.data[o + 2]! / 255, t);
      out[n + j] += t[0]!;
      out[2 * n + j] += t[1]!;
      cnt[j]!++;
    }
  for (let j = 0; j < n; j++) {
    out[n + j] = 0.5 + out[n + j]! / cnt[j]! / 2;
    out[2 * n + j] = 0.5 + out[2 * n + j]! / cnt[j]! / 2;
  }
  return out;
}

describe('core/colorize', () => {
  test('the working size is half the page, a multiple of the model multiple, at most maxSide', () => {
    expect(colorizeWorkSize(512, 512, 1024, 16)).toEqual({ pw: 256, ph: 256 });
    expect(colorizeWorkSize(2000, 1500, 1024, 16)).toEqual({ pw: 1008, ph: 752 });
    expect(colorizeWorkSize(8000, 2000, 1024, 16)).toEqual({ pw: 1024, ph: 256 });
    expect(colorizeWorkSize(10, 7, 1024, 16)).toEqual({ pw: 16, ph: 16 });
  });

  test('greys have no chroma; saturated colours have the CIELAB chroma OpenCV gives', () => {
    const t = new Float64Array(2);
    for (const v of [0, 0.2, 0.5, 1]) {
      chromaOf(v, v, v, t);
      expect(Math.abs(t[0]!)).toBeLessThan(1e-6);
      expect(Math.abs(t[1]!)).toBeLessThan(1e-6);
    }
    chromaOf(1, 0, 0, t); // sRGB red: a* 80.1, b* 67.2
    expect(t[0]).toBeCloseTo(0.801, 2);
    expect(t[1]).toBeCloseTo(0.672, 2);
  });

  test('packing averages luma into the working grid and carries hints with their mask', () => {
    const page = greyOf(colourPage());
    const hints: Raster = { width: 64, height: 48, channels: 4, data: new Uint8Array(64 * 48 * 4), maxValue: 255 };
    // one opaque red hint pixel at (5, 5)
    hints.data.set([255, 0, 0, 255], (5 * 64 + 5) * 4);
    const { img, mask } = packColorize(page, hints, 32, 24);
    const n = 32 * 24;
    const j = 2 * 32 + 2;
    expect(mask[j]).toBe(1);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(1);
    expect(img[n + j]).toBeCloseTo(0.5 + 0.801 / 2, 2);
    expect(img[n + 0]).toBe(0.5);
    // luma: 2x2 average of the page (top-left quadrant is one colour)
    expect(img[0]).toBeCloseTo(page.data[0]! / 255, 5);
  });

  test('with the true chroma, colours come back and every pixel keeps its lightness', () => {
    const truth = colourPage();
    const grey = greyOf(truth);
    const out = composeColorized(grey, oracle(truth, 32, 24), 32, 24, null);
    expect(out.channels).toBe(3);
    let maxDrift = 0;
    let err = 0;
    for (let i = 0; i < 64 * 48; i++) {
      const [r, g, b] = [out.data[3 * i]!, out.data[3 * i + 1]!, out.data[3 * i + 2]!];
      const v = grey.data[i]!;
      maxDrift = Math.max(maxDrift, Math.abs(lightness(r, g, b) - lightness(v, v, v)));
      // away from the line and the quadrant borders the chroma is the truth's (the lightness is the grey's)
      const x = i % 64;
      const y = Math.floor(i / 64);
      if (Math.abs(x - 20) > 2 && Math.abs(x - 32) > 2 && Math.abs(y - 24) > 2) {
        const co = new Float64Array(2);
        const ct = new Float64Array(2);
        chromaOf(r / 255, g / 255, b / 255, co);
        chromaOf(truth.data[3 * i]! / 255, truth.data[3 * i + 1]! / 255, truth.data[3 * i + 2]! / 255, ct);
        err = Math.max(err, Math.abs(co[0]! - ct[0]!), Math.abs(co[1]! - ct[1]!));
      }
    }
    expect(maxDrift).toBeLessThan(0.6);
    expect(err).toBeLessThan(0.03); // 3 units of a*, b*
    expect(hasColour(out)).toBe(true);
  });

  test('chroma beyond the gamut is scaled toward grey, lightness kept (white stays white, black stays black)', () => {
    const data = new Uint8Array([255, 0, 128, 30]);
    const grey: Raster = { width: 4, height: 1, channels: 1, data, maxValue: 255 };
    const res = new Float32Array(3 * 4).fill(1); // a* = b* = +100 everywhere: far out of gamut
    const out = composeColorized(grey, res, 4, 1, null);
    expect(Array.from(out.data.slice(0, 3))).toEqual([255, 255, 255]);
    expect(Array.from(out.data.slice(3, 6))).toEqual([0, 0, 0]);
    for (let i = 2; i < 4; i++) {
      const [r, g, b] = [out.data[3 * i]!, out.data[3 * i + 1]!, out.data[3 * i + 2]!];
      expect(Math.abs(lightness(r, g, b) - lightness(data[i]!, data[i]!, data[i]!))).toBeLessThan(0.6);
      expect(r).toBeGreaterThan(b); // still warm: scaled, not dropped
    }
  });

  test('alpha is kept (grey+alpha becomes RGBA), 16-bit stays 16-bit, opaque hints are pinned', () => {
    const ga: Raster = { width: 2, height: 1, channels: 2, data: new Uint16Array([30000, 0, 40000, 65535]), maxValue: 65535 };
    const hints: Raster = { width: 2, height: 1, channels: 4, data: new Uint16Array([0, 0, 0, 0, 0, 0, 65535, 65535]), maxValue: 65535 };
    const res = new Float32Array(3 * 16 * 16).fill(0.5);
    const out = composeColorized(ga, res, 16, 16, hints);
    expect(out.channels).toBe(4);
    expect(out.data).toBeInstanceOf(Uint16Array);
    expect(out.data[3]).toBe(0);
    expect(out.data[7]).toBe(65535);
    expect(out.data[0]).toBe(out.data[1]); // no hint, grey model output: grey
    expect(out.data[6]!).toBeGreaterThan(out.data[4]! + 1000); // pinned blue hint
  });
});

describe('pipeline/colorize', () => {
  test('runs the model once at the working size and refuses hints of another size, naming both', async () => {
    const grey = greyOf(colourPage());
    const model = fakeRunner('colorize', (c) => new Float32Array(3 * c.width * c.height).fill(0.5), { multiple: 16, maxSide: 1024 });
    const res = await colorize(grey, { model });
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]).toMatchObject({ width: 32, height: 32 });
    expect(res.image.channels).toBe(3);
    expect(res.hadColour).toBe(false);
    const bad: Raster = { width: 10, height: 10, channels: 4, data: new Uint8Array(400), maxValue: 255 };
    await expect(colorize(grey, { model, hints: bad })).rejects.toThrow('the colour hints are 10x10 but the page is 64x48');
    const noAlpha: Raster = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3), maxValue: 255 };
    await expect(colorize(grey, { model, hints: noAlpha })).rejects.toThrow('no transparency');
  });

  test('a colour page is colorized from its luminance and says so; a fill model is refused', async () => {
    const model = fakeRunner('colorize', (c) => new Float32Array(3 * c.width * c.height).fill(0.5), { multiple: 16, maxSide: 1024 });
    const res = await colorize(colourPage(), { model });
    expect(res.hadColour).toBe(true);
    // grey model output: the result is the page's grey, at its lightness
    expect(hasColour(res.image)).toBe(false);
    await expect(colorize(colourPage(), { model: fakeRunner('bar', () => new Float32Array(0)) })).rejects.toThrow('needs a "colorize" model');
  });

  test('a cancel before the model runs leaves nothing done', async () => {
    const model = fakeRunner('colorize', (c) => new Float32Array(3 * c.width * c.height).fill(0.5), { multiple: 16 });
    const ac = new AbortController();
    ac.abort();
    await expect(colorize(greyOf(colourPage()), { model }, { signal: ac.signal })).rejects.toThrow('cancelled');
    expect(model.calls).toHaveLength(0);
  });
});

describe('propagateHints', () => {
  /** Working planes of a page with two regions (left light, right dark, a step edge at x = 16). */
  function planes(pw: number, ph: number) {
    const n = pw * ph;
    const img = new Float32Array(3 * n).fill(0.5);
    for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) img[y * pw + x] = x < 16 ? 0.8 : 0.2;
    return { img, mask: new Float32Array(n), res: new Float32Array(3 * n).fill(0.5), n };
  }

  test('each hint colours its own region and stops at the luminance edge; no hint changes nothing', () => {
    const pw = 32;
    const ph = 16;
    const { img, mask, res, n } = planes(pw, ph);
    const untouched = res.slice();
    propagateHints(res, img, mask, pw, ph);
    expect(res).toEqual(untouched);
    // a red hint (a* = +0.6) in the light region, a green one (a* = -0.4) in the dark region
    const hint = (x: number, y: number, a: number) => {
      mask[y * pw + x] = 1;
      img[n + y * pw + x] = 0.5 + a / 2;
    };
    hint(3, 8, 0.6);
    hint(28, 2, -0.4);
    propagateHints(res, img, mask, pw, ph);
    const a = (x: number, y: number) => (res[n + y * pw + x]! - 0.5) * 2;
    expect(a(3, 8)).toBeCloseTo(0.6, 1); // (the composer pins hint pixels exactly; see composeColorized)
    for (const [x, y] of [[0, 0], [14, 1], [15, 15], [8, 12]] as const) expect(a(x, y)).toBeGreaterThan(0.55); // the light region is red
    for (const [x, y] of [[16, 8], [17, 0], [31, 15], [20, 12]] as const) expect(a(x, y)).toBeLessThan(-0.35); // the dark one green
  });

  test('the model\'s own chroma is corrected by the difference at the hint, not replaced', () => {
    const pw = 32;
    const ph = 16;
    const { img, mask, res, n } = planes(pw, ph);
    for (let j = 0; j < n; j++) res[n + j] = 0.5 + (0.2 + 0.001 * (j % pw)) / 2; // a gentle gradient
    const before = res.slice();
    const j = 8 * pw + 4;
    mask[j] = 1;
    img[n + j] = res[n + j]! + 0.1 / 2; // hint 0.1 above the model there
    propagateHints(res, img, mask, pw, ph);
    for (const x of [0, 8, 15]) {
      const k = n + 5 * pw + x;
      expect((res[k]! - before[k]!) * 2).toBeCloseTo(0.1, 2); // the gradient is kept, shifted by 0.1
    }
  });
});

describe('Levin-style solver (solveLevin, solveLevinPyramid)', () => {
  /** A w x h page: flat 0.7, with a dark ink line (0.05) down column `line` when given. */
  function page(w: number, h: number, line?: number) {
    const luma = new Float64Array(w * h).fill(0.7);
    if (line !== undefined) for (let y = 0; y < h; y++) luma[y * w + line] = 0.05;
    return luma;
  }
  function field(w: number, h: number, hints: Array<[number, number, number, number]>) {
    const known = new Uint8Array(w * h);
    const f = new Float64Array(w * h * 2);
    for (const [x, y, a, b] of hints) {
      known[y * w + x] = 1;
      f[(y * w + x) * 2] = a;
      f[(y * w + x) * 2 + 1] = b;
    }
    return { known, f };
  }

  test('the affinities of a pixel sum to 1 and are small across a strong luminance edge', () => {
    const w = 8;
    const h = 6;
    const luma = page(w, h, 4);
    const { wts, nbr } = levinAffinities(luma, w, h, HINT_SPREAD.varianceFloor, HINT_SPREAD.varianceCap);
    for (let j = 0; j < w * h; j++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += wts[j * 8 + k]!;
      expect(s).toBeCloseTo(1, 5);
    }
    // pixel (3, 2) next to the line: its neighbours on the line (x = 4) weigh almost nothing
    const j = 2 * w + 3;
    for (let k = 0; k < 8; k++) if (nbr[j * 8 + k]! % w === 4) expect(wts[j * 8 + k]!).toBeLessThan(1e-3);
  });

  test('reproduces a hint over a flat region and is exact at the hint pixels', () => {
    const w = 24;
    const h = 16;
    const luma = page(w, h);
    const { known, f } = field(w, h, [[5, 5, 0.4, -0.2]]);
    const { wts, nbr } = levinAffinities(luma, w, h, HINT_SPREAD.varianceFloor);
    solveLevin(f, known, wts, nbr, w * h, 1.7, 2000, 1e-9);
    for (let j = 0; j < w * h; j++) {
      expect(f[j * 2]!).toBeCloseTo(0.4, 4);
      expect(f[j * 2 + 1]!).toBeCloseTo(-0.2, 4);
    }
  });

  test('does not cross a strong luminance edge (ink line); the pyramid agrees with the plain solve', () => {
    const w = 64;
    const h = 48;
    const luma = page(w, h, 30);
    const hints: Array<[number, number, number, number]> = [[10, 20, 0.5, 0.1], [50, 30, -0.3, 0.4]];
    const plain = field(w, h, hints);
    const { wts, nbr } = levinAffinities(luma, w, h, HINT_SPREAD.varianceFloor, HINT_SPREAD.varianceCap);
    solveLevin(plain.f, plain.known, wts, nbr, w * h, 1.7, 3000, 1e-10);
    const pyr = field(w, h, hints);
    solveLevinPyramid(pyr.f, luma, pyr.known, w, h, HINT_SPREAD);
    for (const f of [plain.f, pyr.f]) {
      expect(f[(20 * w + 10) * 2]).toBe(0.5); // exact at the hints
      expect(f[(30 * w + 50) * 2 + 1]).toBe(0.4);
      for (const [x, y] of [[0, 0], [28, 47], [15, 40]] as const) expect(f[(y * w + x) * 2]!).toBeGreaterThan(0.45); // left of the line: the left hint
      for (const [x, y] of [[32, 0], [63, 47], [45, 5]] as const) expect(f[(y * w + x) * 2]!).toBeLessThan(-0.25); // right: the right hint
    }
  });
});

describe('hint spreading, fast paths (levinWeights, solveLevinGrid, spreadHintsDT, halveField, prolongField)', () => {
  /** A w x h luma with texture, a dark line and a tone step, and hints scattered over it. */
  function scene(w: number, h: number) {
    const luma = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) luma[y * w + x] = x === Math.floor(w / 3) ? 0.05 : (y < h / 2 ? 0.75 : 0.4) + 0.02 * Math.sin(x * 0.7 + y * 1.3);
    const known = new Uint8Array(w * h);
    const f = new Float64Array(w * h * 2);
    for (let k = 0; k < 12; k++) {
      const j = ((k * 7919) % h) * w + ((k * 104729) % w);
      known[j] = 1;
      f[j * 2] = 0.3 * Math.cos(k);
      f[j * 2 + 1] = 0.3 * Math.sin(k);
    }
    return { luma, known, f };
  }

  test('levinWeights and solveLevinGrid give what levinAffinities and solveLevin give (edges included)', () => {
    const w = 37;
    const h = 23;
    const { luma, known, f } = scene(w, h);
    const { wts, nbr } = levinAffinities(luma, w, h, HINT_SPREAD.varianceFloor, HINT_SPREAD.varianceCap);
    const fast = levinWeights(luma, w, h, HINT_SPREAD.varianceFloor, HINT_SPREAD.varianceCap);
    for (let i = 0; i < wts.length; i++) expect(Math.abs(fast[i]! - wts[i]!)).toBeLessThan(1e-6);
    const a = f.slice();
    const b = f.slice();
    expect(solveLevin(a, known, wts, nbr, w * h, 1.7, 25, 0)).toBe(25);
    expect(solveLevinGrid(b, known, fast, w, h, 1.7, 25, 0)).toBe(25);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-9);
  });

  test('spreadHintsDT is the domain-transform filter with a_i = exp(-sqrt 2 / sigma_i) per pass', () => {
    const w = 40;
    const h = 30;
    const { luma, known, f } = scene(w, h);
    const [spatial, range, N] = [30, 0.2, 3];
    // the textbook form: every pass its own a_i ** d, then a row and a column recursion
    const g = new Float64Array(w * h * 3);
    for (let j = 0; j < w * h; j++) if (known[j]) g.set([f[j * 2]!, f[j * 2 + 1]!, 1], j * 3);
    for (let i = 0; i < N; i++) {
      const a = Math.exp(-Math.SQRT2 / ((spatial * Math.sqrt(3) * 2 ** (N - i - 1)) / Math.sqrt(4 ** N - 1)));
      const d = (j: number, q: number) => a ** (1 + (spatial / range) * Math.abs(luma[j]! - luma[q]!));
      const step = (j: number, q: number, v: number) => {
        for (let c = 0; c < 3; c++) g[j * 3 + c] += v * (g[q * 3 + c]! - g[j * 3 + c]!);
      };
      for (let y = 0; y < h; y++) {
        for (let x = 1; x < w; x++) step(y * w + x, y * w + x - 1, d(y * w + x, y * w + x - 1));
        for (let x = w - 2; x >= 0; x--) step(y * w + x, y * w + x + 1, d(y * w + x + 1, y * w + x));
      }
      for (let x = 0; x < w; x++) {
        for (let y = 1; y < h; y++) step(y * w + x, (y - 1) * w + x, d(y * w + x, (y - 1) * w + x));
        for (let y = h - 2; y >= 0; y--) step(y * w + x, (y + 1) * w + x, d((y + 1) * w + x, y * w + x));
      }
    }
    const out = spreadHintsDT(luma, known, f, w, h, spatial, range, N);
    for (let j = 0; j < w * h; j++) {
      expect(out[j * 2]!).toBeCloseTo(g[j * 3]! / g[j * 3 + 2]!, 9);
      expect(out[j * 2 + 1]!).toBeCloseTo(g[j * 3 + 1]! / g[j * 3 + 2]!, 9);
    }
  });

  test('halveField averages 2x2 blocks (odd sizes too) and keeps known values; prolongField interpolates and keeps known pixels', () => {
    const w = 5;
    const h = 3;
    const luma = Float64Array.from({ length: w * h }, (_, j) => j / 10);
    const known = new Uint8Array(w * h);
    const f = new Float64Array(w * h * 2).fill(1);
    known[0] = 1;
    f[0] = 3; // pixel (0, 0) known at 3: block (0, 0) is known with 3, not the mean of all
    known[2 * w + 4] = 1;
    f[(2 * w + 4) * 2] = -2;
    const c = halveField(f, luma, known, w, h);
    expect([c.w, c.h]).toEqual([3, 2]);
    expect(c.luma[0]).toBeCloseTo((0 + 0.1 + 0.5 + 0.6) / 4, 12);
    expect(c.luma[1 * 3 + 2]).toBeCloseTo(1.4, 12); // corner block with one pixel
    expect(Array.from(c.known)).toEqual([1, 0, 0, 0, 0, 1]);
    expect([c.f[0], c.f[5 * 2]]).toEqual([3, -2]);
    expect(c.f[1 * 2]).toBe(1);
    // a linear ramp is reproduced inside, clamped at the border; known pixels keep their value
    const cw = 4;
    const ch = 3;
    const cf = new Float64Array(cw * ch * 2);
    for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) cf.set([x, y], (y * cw + x) * 2);
    const out = new Float64Array(8 * 6 * 2).fill(9);
    const keep = new Uint8Array(8 * 6);
    keep[3 * 8 + 3] = 1;
    prolongField(cf, cw, ch, out, 8, 6, keep);
    expect(out[(2 * 8 + 4) * 2]).toBeCloseTo(1.75, 12); // x = 4 -> (4.5 / 2 - 0.5) = 1.75
    expect(out[(2 * 8 + 4) * 2 + 1]).toBeCloseTo(0.75, 12);
    expect(out[0]).toBe(0); // clamped at the edge
    expect(out[(3 * 8 + 3) * 2]).toBe(9);
  });

  test('propagateHints on a halved grid: regions coloured, the ink line holds, hint pixels exact, close to the full-grid spread', () => {
    const pw = 128;
    const ph = 96;
    const n = pw * ph;
    const img = new Float32Array(3 * n).fill(0.5);
    for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) img[y * pw + x] = x === 60 || x === 61 ? 0.05 : 0.75;
    const mask = new Float32Array(n);
    const hint = (x: number, y: number, a: number, b: number) => {
      mask[y * pw + x] = 1;
      img[n + y * pw + x] = 0.5 + a / 2;
      img[2 * n + y * pw + x] = 0.5 + b / 2;
    };
    hint(20, 30, 0.5, 0.1);
    hint(101, 70, -0.3, 0.4);
    const model = new Float32Array(3 * n).fill(0.5);
    const half = model.slice();
    propagateHints(half, img, mask, pw, ph); // HINT_SPREAD: coarsen 1 (128 x 96 -> 64 x 48)
    const full = model.slice();
    propagateHints(full, img, mask, pw, ph, { ...HINT_SPREAD, coarsen: 0 });
    const a = (r: Float32Array, x: number, y: number) => (r[n + y * pw + x]! - 0.5) * 2;
    expect(a(half, 20, 30)).toBeCloseTo(0.5, 6);
    expect((half[2 * n + 70 * pw + 101]! - 0.5) * 2).toBeCloseTo(0.4, 6);
    for (const [x, y] of [[0, 0], [55, 95], [30, 60]] as const) expect(a(half, x, y)).toBeGreaterThan(0.4);
    for (const [x, y] of [[66, 0], [127, 95], [90, 10]] as const) expect(a(half, x, y)).toBeLessThan(-0.2);
    let worst = 0;
    for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) if (Math.abs(x - 60.5) > 4) worst = Math.max(worst, Math.abs(a(half, x, y) - a(full, x, y)));
    expect(worst).toBeLessThan(0.05); // away from the line, within 5 a* units of the full-grid result
  });
});
