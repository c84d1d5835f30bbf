/**
 * @file Colorization's pixel work (pure): the page's luminance and the user's colour hints packed
 * for the colorize model at its working resolution, and the colour page recomposed from the page's
 * own full-resolution lightness and the model's (upsampled) chroma.
 *
 * Colour convention (training/colorize.py, keep in sync): the model reads BT.601 luma
 * Y = 0.299 R + 0.587 G + 0.114 B (0..1, what a grey page is) and hint chroma, and writes chroma,
 * as CIELAB a*, b* (D65, sRGB, as OpenCV) divided by 100, stored as 0.5 + c / 2 (0.5 = grey).
 * The page is recomposed in CIELAB: each pixel keeps the L* of its own grey, so its lightness is
 * the page's (the true colours of the evaluation crops drift 0.03 L* this way, 1.6 if BT.601 luma
 * were kept instead). Chroma that would leave the sRGB gamut is scaled toward grey, not clipped.
 */
import { GUIDE_INK_MAX, guideForPage } from './guide';
import { InpaintError, type Channels, type Raster } from './types';

const KR = 0.299;
const KB = 0.114;
const KG = 1 - KR - KB;
const XN = 0.950456;
const ZN = 1.088754;

const toLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
const toGamma = (c: number): number => (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055);
const labF = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const labFInv = (t: number): number => (t > 0.206893 ? t * t * t : (t - 16 / 116) / 7.787);

/** CIELAB a*, b* (divided by 100) of an sRGB colour (components 0..1). */
export function chromaOf(r: number, g: number, b: number, out: Float64Array): void {
  const lr = toLinear(r);
  const lg = toLinear(g);
  const lb = toLinear(b);
  const fx = labF((0.412453 * lr + 0.35758 * lg + 0.180423 * lb) / XN);
  const fy = labF(0.212671 * lr + 0.71516 * lg + 0.072169 * lb);
  const fz = labF((0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / ZN);
  out[0] = (500 * (fx - fy)) / 100;
  out[1] = (200 * (fy - fz)) / 100;
}

/**
 * Linear sRGB of the colour with the lightness of the grey whose linear value is `yl` and chroma
 * (a, b) (divided by 100) scaled by t; written to out[0..2]. Returns whether it is in gamut.
 */
function labToLinear(yl: number, fy: number, a: number, b: number, out: Float64Array): boolean {
  const x = XN * labFInv(fy + a * 0.2);
  const z = ZN * labFInv(fy - b * 0.5);
  const r = 3.240479 * x - 1.53715 * yl - 0.498535 * z;
  const g = -0.969256 * x + 1.875991 * yl + 0.041556 * z;
  const bb = 0.055648 * x - 0.204043 * yl + 1.057311 * z;
  out[0] = r;
  out[1] = g;
  out[2] = bb;
  const lo = -1e-9;
  const hi = 1 + 1e-9;
  return r >= lo && r <= hi && g >= lo && g <= hi && bb >= lo && bb <= hi;
}

/** The working resolution: half the page, at most `maxSide`, multiples of `multiple`. */
export function colorizeWorkSize(width: number, height: number, maxSide: number, multiple: number): { pw: number; ph: number } {
  const scale = Math.min(0.5, maxSide / Math.max(width, height));
  const side = (v: number) => Math.min(Math.floor(maxSide / multiple) * multiple, Math.max(multiple, Math.round((v * scale) / multiple) * multiple));
  return { pw: side(width), ph: side(height) };
}

/** Luma of pixel i (0..1) of an image of 1-4 channels. */
function lumaAt(d: Uint8Array | Uint16Array, i: number, c: number, inv: number): number {
  if (c < 3) return d[i * c]! * inv;
  const o = i * c;
  return (KR * d[o]! + KG * d[o + 1]! + KB * d[o + 2]!) * inv;
}

/** Whether the image has colour (some pixel with R, G, B not all equal). */
export function hasColour(image: Raster): boolean {
  const { data: d, channels: c } = image;
  if (c < 3) return false;
  for (let o = 0; o < d.length; o += c) if (d[o] !== d[o + 1] || d[o] !== d[o + 2]) return true;
  return false;
}

/** The hint at pixel i of an RGBA (or grey+alpha) hints raster: coverage 0..1, chroma (a, b) / 100 in `out`. */
function hintAt(h: Raster, i: number, out: Float64Array): number {
  const { data: d, channels: c, maxValue } = h;
  const a = d[i * c + c - 1]! / maxValue;
  if (a <= 0) return 0;
  if (c === 2) {
    out[0] = 0;
    out[1] = 0;
    return a;
  }
  const o = i * c;
  chromaOf(d[o]! / maxValue, d[o + 1]! / maxValue, d[o + 2]! / maxValue, out);
  return a;
}

/** Checks a hints raster against the page: same size, with an alpha channel. */
export function checkHints(image: Raster, hints: Raster): void {
  if (hints.width !== image.width || hints.height !== image.height) {
    throw new InpaintError('bad-input', `the colour hints are ${hints.width}x${hints.height} but the page is ${image.width}x${image.height}; draw the hints on a layer of the page's size.`);
  }
  if (hints.channels !== 2 && hints.channels !== 4) {
    throw new InpaintError('bad-input', 'the colour hints have no transparency: give them as dots on a transparent layer (RGBA), transparent where there is no hint.');
  }
}

/**
 * The model's input at pw x ph: planes (Y, 0.5 + a/2, 0.5 + b/2) and the hint mask. Each
 * working pixel averages the page pixels that fall into it (area average); a hint covers a
 * working pixel when any hint pixel falls into it, with the coverage-weighted mean chroma.
 */
export function packColorize(image: Raster, hints: Raster | null, pw: number, ph: number): { img: Float32Array; mask: Float32Array } {
  const { width: w, height: h, channels: c, data: d, maxValue } = image;
  if (hints) checkHints(image, hints);
  const n = pw * ph;
  const sumY = new Float64Array(n);
  const count = new Float64Array(n);
  const hCov = new Float64Array(n);
  const hCb = new Float64Array(n);
  const hCr = new Float64Array(n);
  const tmp = new Float64Array(2);
  const inv = 1 / maxValue;
  const col = new Int32Array(w);
  for (let x = 0; x < w; x++) col[x] = Math.min(pw - 1, Math.floor(((x + 0.5) * pw) / w));
  const hd = hints ? hints.data : null; // the hints' alpha, read here first: most pixels have none
  const hc = hints ? hints.channels : 0;
  for (let y = 0; y < h; y++) {
    const row = Math.min(ph - 1, Math.floor(((y + 0.5) * ph) / h)) * pw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const j = row + col[x]!;
      sumY[j] += lumaAt(d, i, c, inv);
      count[j] += 1;
      if (hd && hd[i * hc + hc - 1]! > 0) {
        const a = hintAt(hints!, i, tmp);
        if (a > 0) {
          hCov[j] += a;
          hCb[j] += a * tmp[0]!;
          hCr[j] += a * tmp[1]!;
        }
      }
    }
  }
  const img = new Float32Array(3 * n);
  const mask = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    img[j] = count[j]! > 0 ? sumY[j]! / count[j]! : 0;
    if (hCov[j]! > 0) {
      mask[j] = 1;
      img[n + j] = 0.5 + hCb[j]! / hCov[j]! / 2;
      img[2 * n + j] = 0.5 + hCr[j]! / hCov[j]! / 2;
    } else {
      img[n + j] = 0.5;
      img[2 * n + j] = 0.5;
    }
  }
  return { img, mask };
}

/**
 * The colour page: each pixel's own lightness (L* of its grey) with the model's chroma (planes 1, 2
 * of `res`, pw x ph) upsampled bilinearly; pixels under an opaque hint take the hint's chroma.
 * Chroma is scaled toward grey where it would leave the gamut, so lightness is kept. Grey input
 * becomes RGB, grey+alpha becomes RGBA (alpha kept); RGB(A) input is colorized from its luma.
 * Same bit depth.
 */
export function composeColorized(image: Raster, res: Float32Array, pw: number, ph: number, hints: Raster | null, rgba = false): Raster {
  const { width: w, height: h, channels: c, data: d, maxValue } = image;
  if (res.length !== 3 * pw * ph) throw new RangeError(`model output has ${res.length} values, expected ${3 * pw * ph}`);
  const alpha = c === 2 || c === 4;
  const oc = alpha || rgba ? 4 : 3;
  const out = d instanceof Uint16Array ? new Uint16Array(w * h * oc) : new Uint8Array(w * h * oc);
  const n = pw * ph;
  const inv = 1 / maxValue;
  const tmp = new Float64Array(2);
  const rgb = new Float64Array(3);
  // 8-bit pages: the grey's linear value per level, and linear -> sRGB through a table (65536
  // steps: at most 0.05 of a level apart near black, where the curve is steepest), once
  const lut = maxValue === 255 ? Float64Array.from({ length: 256 }, (_, v) => toLinear(v / 255)) : null;
  const GAMMA_STEPS = 65535;
  const gammaLut = maxValue === 255 ? Float32Array.from({ length: GAMMA_STEPS + 1 }, (_, i) => toGamma(i / GAMMA_STEPS) * 255) : null;
  const hd = hints ? hints.data : null; // the hints' alpha, read here first: most pixels have none
  const hc = hints ? hints.channels : 0;
  const hHalf = hints ? hints.maxValue / 2 : 0;
  const x0s = new Int32Array(w);
  const fxs = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    const sx = Math.min(pw - 1, Math.max(0, ((x + 0.5) * pw) / w - 0.5));
    x0s[x] = Math.min(Math.max(0, pw - 2), Math.floor(sx));
    fxs[x] = pw > 1 ? sx - x0s[x]! : 0;
  }
  for (let y = 0; y < h; y++) {
    const sy = Math.min(ph - 1, Math.max(0, ((y + 0.5) * ph) / h - 0.5));
    const y0 = Math.min(Math.max(0, ph - 2), Math.floor(sy));
    const fy = ph > 1 ? sy - y0 : 0;
    const r0 = y0 * pw;
    const r1 = Math.min(ph - 1, y0 + 1) * pw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const x0 = x0s[x]!;
      const x1 = Math.min(pw - 1, x0 + 1);
      const fx = fxs[x]!;
      const w00 = (1 - fy) * (1 - fx);
      const w01 = (1 - fy) * fx;
      const w10 = fy * (1 - fx);
      const w11 = fy * fx;
      let ca = (w00 * res[n + r0 + x0]! + w01 * res[n + r0 + x1]! + w10 * res[n + r1 + x0]! + w11 * res[n + r1 + x1]! - 0.5) * 2;
      let cb = (w00 * res[2 * n + r0 + x0]! + w01 * res[2 * n + r0 + x1]! + w10 * res[2 * n + r1 + x0]! + w11 * res[2 * n + r1 + x1]! - 0.5) * 2;
      if (hd && hd[i * hc + hc - 1]! >= hHalf && hintAt(hints!, i, tmp) >= 0.5) {
        ca = tmp[0]!;
        cb = tmp[1]!;
      }
      const lv = lumaAt(d, i, c, inv);
      const yl = lut ? lut[Math.round(lv * 255)]! : toLinear(lv);
      const fyl = labF(yl);
      if (!labToLinear(yl, fyl, ca, cb, rgb)) {
        // out of gamut: the largest chroma scale t in [0, 1] that fits (t = 0 is the grey itself)
        let lo = 0;
        let hi = 1;
        for (let k = 0; k < 12; k++) {
          const t = (lo + hi) / 2;
          if (labToLinear(yl, fyl, t * ca, t * cb, rgb)) lo = t;
          else hi = t;
        }
        labToLinear(yl, fyl, lo * ca, lo * cb, rgb);
      }
      const o = i * oc;
      for (let k = 0; k < 3; k++) {
        const lin = Math.min(1, Math.max(0, rgb[k]!));
        out[o + k] = gammaLut ? Math.round(gammaLut[Math.round(lin * GAMMA_STEPS)]!) : Math.round(toGamma(lin) * maxValue);
      }
      if (oc === 4) out[o + 3] = alpha ? d[i * c + c - 1]! : maxValue;
    }
  }
  return { width: w, height: h, channels: oc as Channels, data: out, maxValue };
}

/**
 * How the hints are spread (see propagateHints): the domain-transform normalized convolution's
 * spatial sigma (in working pixels) and range sigma and passes; the share of the Levin-style
 * solution in the correction (the rest is the normalized convolution's); the solver's
 * luminance-variance floor and cap, SOR relaxation factor, most sweeps on the smallest level and
 * on each finer one (solveLevinPyramid); how many times the working grid is halved before both
 * spreads run (while its short side stays >= 64 px; the correction is upsampled back: 1 keeps the
 * training-crop scores within 0.02 dB and makes the step about 3x cheaper, 2 costs 0.1-0.2 dB);
 * and the solver's stopping change (chroma / 100).
 */
export const HINT_SPREAD = {
  spatial: 100,
  range: 0.2,
  iterations: 3,
  levin: 0.5,
  varianceFloor: 1e-4,
  varianceCap: 0.003,
  omega: 1.7,
  sweeps: 400,
  fineSweeps: 10,
  coarsen: 1,
  tolerance: 1e-4,
} as const;

export type HintSpread = { readonly [K in keyof typeof HINT_SPREAD]: number };

/**
 * One recursive-filter pass along rows of `f` (3 interleaved channels), with per-pixel feedback
 * weights `v` (v[j] couples pixel j with its left neighbour): left to right, then right to left.
 * `square`: v is squared first (in the first sweep, which reads each weight before the second).
 */
function recursiveRows(f: Float64Array, v: Float64Array, w: number, h: number, square: boolean): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let j = row + 1, e = row + w; j < e; j++) {
      const a = square ? (v[j] = v[j]! * v[j]!) : v[j]!;
      const o = j * 3;
      f[o] += a * (f[o - 3]! - f[o]!);
      f[o + 1] += a * (f[o - 2]! - f[o + 1]!);
      f[o + 2] += a * (f[o - 1]! - f[o + 2]!);
    }
    for (let j = row + w - 2; j >= row; j--) {
      const a = v[j + 1]!;
      const o = j * 3;
      f[o] += a * (f[o + 3]! - f[o]!);
      f[o + 1] += a * (f[o + 4]! - f[o + 1]!);
      f[o + 2] += a * (f[o + 5]! - f[o + 2]!);
    }
  }
}

/**
 * The same along columns (v[j] couples pixel j with the one above), a whole row at a time so that
 * memory is read in order: top to bottom, then bottom to top. Each column gets exactly the
 * recursion it would get on its own. `square` as for recursiveRows.
 */
function recursiveCols(f: Float64Array, v: Float64Array, w: number, h: number, square: boolean): void {
  const s = w * 3;
  for (let y = 1; y < h; y++) {
    for (let j = y * w, e = j + w; j < e; j++) {
      const a = square ? (v[j] = v[j]! * v[j]!) : v[j]!;
      const o = j * 3;
      f[o] += a * (f[o - s]! - f[o]!);
      f[o + 1] += a * (f[o + 1 - s]! - f[o + 1]!);
      f[o + 2] += a * (f[o + 2 - s]! - f[o + 2]!);
    }
  }
  for (let y = h - 2; y >= 0; y--) {
    for (let j = y * w, e = j + w; j < e; j++) {
      const a = v[j + w]!;
      const o = j * 3;
      f[o] += a * (f[o + s]! - f[o]!);
      f[o + 1] += a * (f[o + 1 + s]! - f[o + 1]!);
      f[o + 2] += a * (f[o + 2 + s]! - f[o + 2]!);
    }
  }
}

/**
 * Normalized convolution of the hint values along the luminance (Gastal & Oliveira 2011's
 * domain-transform recursive filter, `spatial` / `range` sigmas, `iterations` passes): each pixel
 * gets the weighted mean of the hints that reach it, travelling far inside a region and stopping
 * at lines and tone edges. `vals` (2 per pixel) is read where `known` is set; returns 2 per pixel
 * (0 where no hint reaches).
 */
export function spreadHintsDT(luma: ArrayLike<number>, known: Uint8Array, vals: Float64Array, w: number, h: number, spatial: number, range: number, iterations: number): Float64Array {
  const n = w * h;
  const f = new Float64Array(n * 3);
  // the feedback of pass i is a_i^d, d = 1 + (spatial / range) |luma step|; sigma halves each
  // pass, so a_(i+1) = a_i^2 and each pass's feedback is the previous one squared (in the passes)
  const N = iterations;
  const sigma0 = (spatial * Math.sqrt(3) * 2 ** (N - 1)) / Math.sqrt(4 ** N - 1);
  const la = -Math.SQRT2 / sigma0;
  const lr = la * (spatial / range);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0, j = y * w; x < w; x++, j++) {
      const l = luma[j]!;
      vx[j] = Math.exp(la + (x > 0 ? lr * Math.abs(l - luma[j - 1]!) : 0));
      vy[j] = Math.exp(la + (y > 0 ? lr * Math.abs(l - luma[j - w]!) : 0));
      if (known[j]) {
        f[j * 3] = vals[j * 2]!;
        f[j * 3 + 1] = vals[j * 2 + 1]!;
        f[j * 3 + 2] = 1;
      }
    }
  }
  for (let i = 0; i < N; i++) {
    recursiveRows(f, vx, w, h, i > 0);
    recursiveCols(f, vy, w, h, i > 0);
  }
  const out = new Float64Array(n * 2);
  for (let j = 0; j < n; j++) {
    const wgt = f[j * 3 + 2]!;
    if (!(wgt > 1e-12)) continue;
    out[j * 2] = f[j * 3]! / wgt;
    out[j * 2 + 1] = f[j * 3 + 1]! / wgt;
  }
  return out;
}

/**
 * Levin, Lischinski & Weiss 2004's affinities: for each pixel, the weights of its 8 neighbours
 * (dy, dx in raster order, -1..1, the centre skipped; a neighbour outside the image is the edge
 * pixel itself, as with edge padding), exp(-(Y_r - Y_s)^2 / (2 var_r)), var_r the luminance
 * variance of r's 3x3 window (at least `varianceFloor`, at most `varianceCap`), normalised to sum
 * to 1. Levin's uncapped variance is large beside an ink line, so colour leaks through it; capped
 * (HINT_SPREAD 0.003, sigma 0.055 of luma) a line or tone edge stops it. The neighbours are implied
 * by the grid (solveLevinGrid), so no index array is kept (tests/helpers/levinReference.ts has the
 * plain index-array version the tests compare against).
 */
export function levinWeights(luma: ArrayLike<number>, w: number, h: number, varianceFloor: number, varianceCap = Infinity, out?: Float32Array): Float32Array {
  const wts = out && out.length >= w * h * 8 ? out : new Float32Array(w * h * 8);
  for (let y = 0; y < h; y++) {
    const rm = (y > 0 ? y - 1 : 0) * w;
    const r = y * w;
    const rp = (y < h - 1 ? y + 1 : h - 1) * w;
    for (let x = 0; x < w; x++) {
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < w - 1 ? x + 1 : w - 1;
      const yc = luma[r + x]!;
      const v0 = luma[rm + xm]!;
      const v1 = luma[rm + x]!;
      const v2 = luma[rm + xp]!;
      const v3 = luma[r + xm]!;
      const v4 = luma[r + xp]!;
      const v5 = luma[rp + xm]!;
      const v6 = luma[rp + x]!;
      const v7 = luma[rp + xp]!;
      // the same sums, in the same order, as a loop over the window would make
      const s = yc + v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7;
      const s2 = yc * yc + v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3 + v4 * v4 + v5 * v5 + v6 * v6 + v7 * v7;
      const mean = s / 9;
      const k = -1 / (2 * Math.min(varianceCap, Math.max(varianceFloor, s2 / 9 - mean * mean)));
      const e0 = Math.exp((v0 - yc) * (v0 - yc) * k);
      const e1 = Math.exp((v1 - yc) * (v1 - yc) * k);
      const e2 = Math.exp((v2 - yc) * (v2 - yc) * k);
      const e3 = Math.exp((v3 - yc) * (v3 - yc) * k);
      const e4 = Math.exp((v4 - yc) * (v4 - yc) * k);
      const e5 = Math.exp((v5 - yc) * (v5 - yc) * k);
      const e6 = Math.exp((v6 - yc) * (v6 - yc) * k);
      const e7 = Math.exp((v7 - yc) * (v7 - yc) * k);
      const inv = 1 / (e0 + e1 + e2 + e3 + e4 + e5 + e6 + e7);
      const o = (r + x) * 8;
      wts[o] = e0 * inv;
      wts[o + 1] = e1 * inv;
      wts[o + 2] = e2 * inv;
      wts[o + 3] = e3 * inv;
      wts[o + 4] = e4 * inv;
      wts[o + 5] = e5 * inv;
      wts[o + 6] = e6 * inv;
      wts[o + 7] = e7 * inv;
    }
  }
  return wts;
}

/**
 * Levin et al. 2004's optimisation for a field of 2 values per pixel: each free pixel equals the
 * weighted mean (levinWeights) of its 8 neighbours (edge pixels repeated, found from the position),
 * pixels where `known` is set keep their value from `f`. Solved in place on `f` (its free pixels
 * are the starting guess) by successive over-relaxation, at most `sweeps` sweeps, until no value
 * moves more than `tolerance`. Returns the sweeps done.
 */
export function solveLevinGrid(f: Float64Array, known: Uint8Array, wts: Float32Array, w: number, h: number, omega: number, sweeps: number, tolerance: number): number {
  let s = 0;
  while (s < sweeps) {
    s++;
    let worst = 0;
    for (let y = 0; y < h; y++) {
      const rm = (y > 0 ? y - 1 : 0) * w;
      const r = y * w;
      const rp = (y < h - 1 ? y + 1 : h - 1) * w;
      for (let x = 0; x < w; x++) {
        const j = r + x;
        if (known[j]) continue;
        const xm = x > 0 ? x - 1 : 0;
        const xp = x < w - 1 ? x + 1 : w - 1;
        const o = j * 8;
        const w0 = wts[o]!;
        const w1 = wts[o + 1]!;
        const w2 = wts[o + 2]!;
        const w3 = wts[o + 3]!;
        const w4 = wts[o + 4]!;
        const w5 = wts[o + 5]!;
        const w6 = wts[o + 6]!;
        const w7 = wts[o + 7]!;
        const q0 = (rm + xm) * 2;
        const q1 = (rm + x) * 2;
        const q2 = (rm + xp) * 2;
        const q3 = (r + xm) * 2;
        const q4 = (r + xp) * 2;
        const q5 = (rp + xm) * 2;
        const q6 = (rp + x) * 2;
        const q7 = (rp + xp) * 2;
        const a = w0 * f[q0]! + w1 * f[q1]! + w2 * f[q2]! + w3 * f[q3]! + w4 * f[q4]! + w5 * f[q5]! + w6 * f[q6]! + w7 * f[q7]!;
        const b = w0 * f[q0 + 1]! + w1 * f[q1 + 1]! + w2 * f[q2 + 1]! + w3 * f[q3 + 1]! + w4 * f[q4 + 1]! + w5 * f[q5 + 1]! + w6 * f[q6 + 1]! + w7 * f[q7 + 1]!;
        const da = omega * (a - f[j * 2]!);
        const db = omega * (b - f[j * 2 + 1]!);
        f[j * 2] += da;
        f[j * 2 + 1] += db;
        const m = da > db ? (da > -db ? da : -db) : db > -da ? db : -da;
        if (m > worst) worst = m;
      }
    }
    if (worst < tolerance) break;
  }
  return s;
}

/** A spreading problem on some grid (halveField, hintProblem): luma, known flags, values (2 per pixel), size. */
interface HalfField {
  luma: Float64Array;
  known: Uint8Array;
  f: Float64Array;
  w: number;
  h: number;
}

/**
 * The problem at half the size (ceil): each coarse pixel is the mean of its (up to) 2x2 pixels'
 * luma; it is known when any of them is, with the mean of their known values, and otherwise
 * takes the mean of all their values (a starting guess).
 */
export function halveField(f: Float64Array, luma: ArrayLike<number>, known: Uint8Array, w: number, h: number): HalfField {
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const cn = cw * ch;
  const cl = new Float64Array(cn);
  const cnt = new Float64Array(cn);
  const ck = new Uint8Array(cn);
  const kc = new Float64Array(cn);
  const cf = new Float64Array(cn * 2); // known values' sums
  const ci = new Float64Array(cn * 2); // all values' sums
  for (let y = 0; y < h; y++) {
    const cr = (y >> 1) * cw;
    for (let x = 0, j = y * w; x < w; x++, j++) {
      const c = cr + (x >> 1);
      cl[c] += luma[j]!;
      cnt[c] += 1;
      ci[c * 2] += f[j * 2]!;
      ci[c * 2 + 1] += f[j * 2 + 1]!;
      if (known[j]) {
        ck[c] = 1;
        kc[c] += 1;
        cf[c * 2] += f[j * 2]!;
        cf[c * 2 + 1] += f[j * 2 + 1]!;
      }
    }
  }
  for (let c = 0; c < cn; c++) {
    cl[c] = cl[c]! / cnt[c]!;
    if (ck[c]) {
      cf[c * 2] = cf[c * 2]! / kc[c]!;
      cf[c * 2 + 1] = cf[c * 2 + 1]! / kc[c]!;
    } else {
      cf[c * 2] = ci[c * 2]! / cnt[c]!;
      cf[c * 2 + 1] = ci[c * 2 + 1]! / cnt[c]!;
    }
  }
  return { luma: cl, known: ck, f: cf, w: cw, h: ch };
}

/**
 * Bilinear upsampling of `cf` (2 per pixel, cw x ch) into `f` (w x h), `factor` times finer
 * (2: the halveField grid), pixel centres aligned, clamped at the border; pixels where `known` is
 * set (when given) keep their value.
 */
export function prolongField(cf: Float64Array, cw: number, ch: number, f: Float64Array, w: number, h: number, known: Uint8Array | null, factor = 2): void {
  const x0s = new Int32Array(w);
  const fxs = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    const sx = Math.min(cw - 1, Math.max(0, (x + 0.5) / factor - 0.5));
    x0s[x] = Math.min(Math.max(0, cw - 2), Math.floor(sx));
    fxs[x] = sx - x0s[x]!;
  }
  const x1max = cw - 1;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(ch - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.min(Math.max(0, ch - 2), Math.floor(sy));
    const r0 = y0 * cw;
    const r1 = Math.min(ch - 1, y0 + 1) * cw;
    const fy = sy - y0;
    for (let x = 0, j = y * w; x < w; x++, j++) {
      if (known !== null && known[j]) continue;
      const x0 = x0s[x]!;
      const x1 = x0 < x1max ? x0 + 1 : x1max;
      const fx = fxs[x]!;
      const p00 = (r0 + x0) * 2;
      const p01 = (r0 + x1) * 2;
      const p10 = (r1 + x0) * 2;
      const p11 = (r1 + x1) * 2;
      const a0 = cf[p00]! * (1 - fx) + cf[p01]! * fx;
      const a1 = cf[p10]! * (1 - fx) + cf[p11]! * fx;
      const b0 = cf[p00 + 1]! * (1 - fx) + cf[p01 + 1]! * fx;
      const b1 = cf[p10 + 1]! * (1 - fx) + cf[p11 + 1]! * fx;
      f[j * 2] = a0 * (1 - fy) + a1 * fy;
      f[j * 2 + 1] = b0 * (1 - fy) + b1 * fy;
    }
  }
}

/**
 * solveLevinGrid coarse to fine (cascadic multigrid): the problem is halved (halveField) until its
 * short side is under 32 px, solved there with up to `sweeps` sweeps from `init`, and each finer
 * level starts from the coarser solution (prolongField, bilinear) and is relaxed by `fineSweeps`
 * sweeps. The far-reaching, slowly converging part of the solution comes from the small levels;
 * the fine levels only settle edges. `f` (2 per pixel):
 * known values in, solution out.
 */
export function solveLevinPyramid(f: Float64Array, luma: ArrayLike<number>, known: Uint8Array, w: number, h: number, opts: HintSpread): void {
  if (Math.min(w, h) >= 32) {
    const c = halveField(f, luma, known, w, h);
    solveLevinPyramid(c.f, c.luma, c.known, c.w, c.h, opts);
    prolongField(c.f, c.w, c.h, f, w, h, known);
    solveLevinGrid(f, known, levinWeights(luma, w, h, opts.varianceFloor, opts.varianceCap), w, h, opts.omega, opts.fineSweeps, opts.tolerance);
  } else {
    solveLevinGrid(f, known, levinWeights(luma, w, h, opts.varianceFloor, opts.varianceCap), w, h, opts.omega, opts.sweeps, opts.tolerance);
  }
}

/**
 * Makes the model's chroma agree with the user's hints beyond the hint dots: the difference
 * between each hint and the model's chroma there (the correction) is spread over the page along
 * its luminance and added to the model's chroma. The correction is the mean of two spreads that
 * err differently: a normalized convolution with the domain-transform filter (spreadHintsDT)
 * and Levin et al. 2004's optimisation (solveLevinPyramid, started from the former), both
 * stopped by lines and tone edges. Both run on the working grid halved `opts.coarsen` times
 * (chroma is smooth; the correction is upsampled bilinearly), and each hint pixel of the working
 * grid takes its hint's chroma exactly. Works in place on `res` (model planes, pw x ph) from `img`
 * (plane 0: luma, 1-2: hint chroma) and `mask` (1 = hint) as packColorize gives them. No hint:
 * nothing changes. Chosen on crops of the training pages (models/README.md, colorize section).
 */
export function propagateHints(res: Float32Array, img: Float32Array, mask: Float32Array, pw: number, ph: number, opts: HintSpread = HINT_SPREAD): void {
  let any = false;
  for (let j = 0; j < pw * ph && !any; j++) any = mask[j]! > 0;
  if (!any) return;
  let shift = 0;
  while (shift < opts.coarsen && Math.min(pw, ph) >> shift >= 64) shift++;
  const p = hintProblem(res, img, mask, pw, ph, shift);
  if (!p) return;
  const { w, h, known } = p;
  const m = w * h;
  const corr = spreadHintsDT(p.luma, known, p.f, w, h, (opts.spatial * w) / pw, opts.range, opts.iterations);
  if (opts.levin > 0) {
    const lv = corr.slice();
    for (let j = 0; j < m; j++) {
      if (!known[j]) continue;
      lv[j * 2] = p.f[j * 2]!;
      lv[j * 2 + 1] = p.f[j * 2 + 1]!;
    }
    solveLevinPyramid(lv, p.luma, known, w, h, opts);
    const k = opts.levin;
    for (let i = 0; i < 2 * m; i++) corr[i] = k * lv[i]! + (1 - k) * corr[i]!;
  }
  addCorrection(res, img, mask, pw, ph, corr, w, h);
}

/**
 * propagateHints' problem: luma, hint flags and corrections (hint chroma minus the model's, per
 * pixel a*, b* / 100) at the working resolution (`shift` 0) or halved (`shift` 1: a pixel per
 * 2x2, luma averaged, a hint when any of its pixels is, with their mean correction). Null when
 * there is no hint.
 */
function hintProblem(res: Float32Array, img: Float32Array, mask: Float32Array, pw: number, ph: number, shift: number): HalfField | null {
  const n = pw * ph;
  const w = Math.ceil(pw / 2 ** shift);
  const h = Math.ceil(ph / 2 ** shift);
  const m = w * h;
  const luma = new Float64Array(m);
  const cnt = new Float64Array(m);
  const known = new Uint8Array(m);
  const f = new Float64Array(m * 2);
  let any = false;
  for (let y = 0; y < ph; y++) {
    const cr = (y >> shift) * w;
    for (let x = 0, j = y * pw; x < pw; x++, j++) {
      const c = cr + (x >> shift);
      luma[c] += img[j]!;
      cnt[c] += 1;
      if (mask[j]! > 0) {
        any = true;
        known[c] += 1; // hint pixels in it, for their mean (made a flag below)
        f[c * 2] += (img[n + j]! - res[n + j]!) * 2;
        f[c * 2 + 1] += (img[2 * n + j]! - res[2 * n + j]!) * 2;
      }
    }
  }
  if (!any) return null;
  for (let c = 0; c < m; c++) {
    luma[c] = luma[c]! / cnt[c]!;
    const k = known[c]!;
    if (k > 1) {
      f[c * 2] = f[c * 2]! / k;
      f[c * 2 + 1] = f[c * 2 + 1]! / k;
    }
    if (k) known[c] = 1;
  }
  return { luma, known, f, w, h };
}

/**
 * Adds the correction `corr` (2 per pixel, w x h: the working grid, or half of it, upsampled
 * bilinearly as prolongField does) to the model's chroma planes of `res`; a hint pixel takes its
 * hint's chroma exactly.
 */
function addCorrection(res: Float32Array, img: Float32Array, mask: Float32Array, pw: number, ph: number, corr: Float64Array, w: number, h: number): void {
  const n = pw * ph;
  if (w === pw && h === ph) {
    for (let j = 0; j < n; j++) {
      if (mask[j]! > 0) {
        res[n + j] = img[n + j]!;
        res[2 * n + j] = img[2 * n + j]!;
      } else {
        res[n + j] = res[n + j]! + corr[j * 2]! / 2;
        res[2 * n + j] = res[2 * n + j]! + corr[j * 2 + 1]! / 2;
      }
    }
    return;
  }
  const up = new Float64Array(n * 2);
  prolongField(corr, w, h, up, pw, ph, null, pw / w);
  for (let j = 0; j < n; j++) {
    if (mask[j]! > 0) {
      res[n + j] = img[n + j]!;
      res[2 * n + j] = img[2 * n + j]!;
    } else {
      res[n + j] = res[n + j]! + up[j * 2]! / 2;
      res[2 * n + j] = res[2 * n + j]! + up[j * 2 + 1]! / 2;
    }
  }
}

/**
 * The colour hints of a guide layer for a page layer: the guide's opaque (alpha >= 50 %) pixels
 * that are not black line strokes (the guide convention: black is a line, any other colour a
 * colour hint), placed into the page layer's pixel grid (`dx`, `dy`: the guide's origin minus the
 * layer's). RGBA of the page layer's size, transparent elsewhere; null when there is no hint.
 */
export function colourHints(guide: Raster, dx: number, dy: number, width: number, height: number): Raster | null {
  const placed = guideForPage(guide, dx, dy, width, height);
  if (!placed) return null; // nothing opaque, or no transparency: no dots to read
  const { data: d, maxValue } = placed;
  const ink = (GUIDE_INK_MAX / 255) * maxValue;
  let n = 0;
  for (let o = 0; o < d.length; o += 4) {
    if (!d[o + 3]) continue;
    if (d[o]! <= ink && d[o + 1]! <= ink && d[o + 2]! <= ink) d.fill(0, o, o + 4);
    else n++;
  }
  return n ? placed : null;
}
