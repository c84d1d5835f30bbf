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
  for (let y = 0; y < h; y++) {
    const row = Math.min(ph - 1, Math.floor(((y + 0.5) * ph) / h)) * pw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const j = row + col[x]!;
      sumY[j] += lumaAt(d, i, c, inv);
      count[j] += 1;
      if (hints) {
        const a = hintAt(hints, i, tmp);
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
      if (hints && hintAt(hints, i, tmp) >= 0.5) {
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
 * spatial and range sigmas and passes; the share of the Levin-style solution in the correction
 * (the rest is the normalized convolution's); the solver's luminance-variance floor and cap, SOR
 * relaxation factor, most sweeps on the smallest level and on each finer one (solveLevinPyramid),
 * and stopping change (chroma / 100).
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
  tolerance: 1e-4,
} as const;

export type HintSpread = { readonly [K in keyof typeof HINT_SPREAD]: number };

/** One recursive-filter pass along rows of `f` (k interleaved channels), with per-pixel feedback weights `v`. */
function recursiveRows(f: Float64Array, k: number, v: Float64Array, w: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 1; x < w; x++) {
      const a = v[row + x]!;
      for (let c = 0; c < k; c++) f[(row + x) * k + c] += a * (f[(row + x - 1) * k + c]! - f[(row + x) * k + c]!);
    }
    for (let x = w - 2; x >= 0; x--) {
      const a = v[row + x + 1]!;
      for (let c = 0; c < k; c++) f[(row + x) * k + c] += a * (f[(row + x + 1) * k + c]! - f[(row + x) * k + c]!);
    }
  }
}

function recursiveCols(f: Float64Array, k: number, v: Float64Array, w: number, h: number): void {
  for (let x = 0; x < w; x++) {
    for (let y = 1; y < h; y++) {
      const a = v[y * w + x]!;
      for (let c = 0; c < k; c++) f[(y * w + x) * k + c] += a * (f[((y - 1) * w + x) * k + c]! - f[(y * w + x) * k + c]!);
    }
    for (let y = h - 2; y >= 0; y--) {
      const a = v[(y + 1) * w + x]!;
      for (let c = 0; c < k; c++) f[(y * w + x) * k + c] += a * (f[((y + 1) * w + x) * k + c]! - f[(y * w + x) * k + c]!);
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
  for (let j = 0; j < n; j++) {
    if (!known[j]) continue;
    f[j * 3] = vals[j * 2]!;
    f[j * 3 + 1] = vals[j * 2 + 1]!;
    f[j * 3 + 2] = 1;
  }
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const j = y * w + x;
      dx[j] = 1 + (spatial / range) * (x > 0 ? Math.abs(luma[j]! - luma[j - 1]!) : 0);
      dy[j] = 1 + (spatial / range) * (y > 0 ? Math.abs(luma[j]! - luma[j - w]!) : 0);
    }
  }
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const N = iterations;
  for (let i = 0; i < N; i++) {
    const sigma = (spatial * Math.sqrt(3) * 2 ** (N - (i + 1))) / Math.sqrt(4 ** N - 1);
    const a = Math.exp(-Math.SQRT2 / sigma);
    for (let j = 0; j < n; j++) {
      vx[j] = a ** dx[j]!;
      vy[j] = a ** dy[j]!;
    }
    recursiveRows(f, 3, vx, w, h);
    recursiveCols(f, 3, vy, w, h);
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
 * (HINT_SPREAD 0.003, sigma 0.055 of luma) a line or tone edge stops it.
 */
export function levinAffinities(luma: ArrayLike<number>, w: number, h: number, varianceFloor: number, varianceCap = Infinity): { wts: Float32Array; nbr: Int32Array } {
  const n = w * h;
  const wts = new Float32Array(n * 8);
  const nbr = new Int32Array(n * 8);
  const ny = new Float64Array(8);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const j = y * w + x;
      const yc = luma[j]!;
      let k = 0;
      let s = yc;
      let s2 = yc * yc;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) {
          if (!dy && !dx) continue;
          const xx = Math.min(w - 1, Math.max(0, x + dx));
          const q = yy * w + xx;
          nbr[j * 8 + k] = q;
          const v = luma[q]!;
          ny[k++] = v;
          s += v;
          s2 += v * v;
        }
      }
      const mean = s / 9;
      const variance = Math.min(varianceCap, Math.max(varianceFloor, s2 / 9 - mean * mean));
      let sum = 0;
      for (k = 0; k < 8; k++) {
        const d = ny[k]! - yc;
        const e = Math.exp(-(d * d) / (2 * variance));
        ny[k] = e;
        sum += e;
      }
      for (k = 0; k < 8; k++) wts[j * 8 + k] = ny[k]! / sum;
    }
  }
  return { wts, nbr };
}

/**
 * Levin et al. 2004's optimisation for a field of 2 values per pixel: each free pixel equals the
 * affinity-weighted mean of its neighbours (levinAffinities), pixels where `known` is set keep
 * their value from `f`. Solved in place on `f` (its free pixels are the starting guess) by
 * successive over-relaxation, at most `sweeps` sweeps, until no value moves more than
 * `tolerance`. Returns the sweeps done.
 */
export function solveLevin(f: Float64Array, known: Uint8Array, wts: Float32Array, nbr: Int32Array, n: number, omega: number, sweeps: number, tolerance: number): number {
  let s = 0;
  while (s < sweeps) {
    s++;
    let worst = 0;
    for (let j = 0; j < n; j++) {
      if (known[j]) continue;
      let a = 0;
      let b = 0;
      const o = j * 8;
      for (let k = 0; k < 8; k++) {
        const q = nbr[o + k]! * 2;
        const wk = wts[o + k]!;
        a += wk * f[q]!;
        b += wk * f[q + 1]!;
      }
      const da = omega * (a - f[j * 2]!);
      const db = omega * (b - f[j * 2 + 1]!);
      f[j * 2] += da;
      f[j * 2 + 1] += db;
      const m = Math.max(Math.abs(da), Math.abs(db));
      if (m > worst) worst = m;
    }
    if (worst < tolerance) break;
  }
  return s;
}

/**
 * solveLevin coarse to fine (cascadic multigrid): the problem is halved (luma area-averaged, a
 * coarse pixel is known when any of its pixels is, with their mean value) until its short side is
 * under 32 px, solved there with up to `sweeps` sweeps from `init`, and each finer level starts
 * from the coarser solution (bilinear) and is relaxed by `fineSweeps` sweeps. The far-reaching,
 * slowly converging part of the solution comes from the small levels; the fine levels only
 * settle edges. `f` (2 per pixel): known values in, solution out.
 */
export function solveLevinPyramid(f: Float64Array, luma: ArrayLike<number>, known: Uint8Array, w: number, h: number, opts: HintSpread): void {
  const n = w * h;
  const { wts, nbr } = levinAffinities(luma, w, h, opts.varianceFloor, opts.varianceCap);
  if (Math.min(w, h) >= 32) {
    const cw = Math.ceil(w / 2);
    const ch = Math.ceil(h / 2);
    const cn = cw * ch;
    const cl = new Float64Array(cn);
    const cnt = new Float64Array(cn);
    const ck = new Uint8Array(cn);
    const cf = new Float64Array(cn * 2);
    const ci = new Float64Array(cn * 2);
    const kc = new Float64Array(cn);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const j = y * w + x;
        const c = (y >> 1) * cw + (x >> 1);
        cl[c] += luma[j]!;
        cnt[c]! += 1;
        ci[c * 2] += f[j * 2]!;
        ci[c * 2 + 1] += f[j * 2 + 1]!;
        if (known[j]) {
          ck[c] = 1;
          kc[c]! += 1;
          cf[c * 2] += f[j * 2]!;
          cf[c * 2 + 1] += f[j * 2 + 1]!;
        }
      }
    }
    for (let c = 0; c < cn; c++) {
      cl[c] = cl[c]! / cnt[c]!;
      const d = ck[c] ? kc[c]! : cnt[c]!;
      cf[c * 2] = (ck[c] ? cf[c * 2]! : ci[c * 2]!) / d;
      cf[c * 2 + 1] = (ck[c] ? cf[c * 2 + 1]! : ci[c * 2 + 1]!) / d;
    }
    solveLevinPyramid(cf, cl, ck, cw, ch, opts);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(ch - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
      const y0 = Math.min(Math.max(0, ch - 2), Math.floor(sy));
      const y1 = Math.min(ch - 1, y0 + 1);
      const fy = sy - y0;
      for (let x = 0; x < w; x++) {
        const j = y * w + x;
        if (known[j]) continue;
        const sx = Math.min(cw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
        const x0 = Math.min(Math.max(0, cw - 2), Math.floor(sx));
        const x1 = Math.min(cw - 1, x0 + 1);
        const fx = sx - x0;
        for (let k = 0; k < 2; k++) {
          const a = cf[(y0 * cw + x0) * 2 + k]! * (1 - fx) + cf[(y0 * cw + x1) * 2 + k]! * fx;
          const b = cf[(y1 * cw + x0) * 2 + k]! * (1 - fx) + cf[(y1 * cw + x1) * 2 + k]! * fx;
          f[j * 2 + k] = a * (1 - fy) + b * fy;
        }
      }
    }
    solveLevin(f, known, wts, nbr, n, opts.omega, opts.fineSweeps, opts.tolerance);
  } else {
    solveLevin(f, known, wts, nbr, n, opts.omega, opts.sweeps, opts.tolerance);
  }
}

/**
 * Makes the model's chroma agree with the user's hints beyond the hint dots: the difference
 * between each hint and the model's chroma there (the correction) is spread over the page along
 * its luminance and added to the model's chroma. The correction is the mean of two spreads that
 * err differently: a normalized convolution with the domain-transform filter (spreadHintsDT)
 * and Levin et al. 2004's optimisation (solveLevin, started from the former), both exact at the
 * hints and stopped by lines and tone edges. Works in place on `res` (model planes, pw x ph)
 * from `img` (plane 0: luma, 1-2: hint chroma) and `mask` (1 = hint) as packColorize gives them.
 * No hint: nothing changes. Chosen on crops of the training pages (models/README.md, colorize
 * section).
 */
export function propagateHints(res: Float32Array, img: Float32Array, mask: Float32Array, pw: number, ph: number, opts: HintSpread = HINT_SPREAD): void {
  const n = pw * ph;
  const known = new Uint8Array(n);
  const vals = new Float64Array(n * 2);
  let any = false;
  for (let j = 0; j < n; j++) {
    if (mask[j]! <= 0) continue;
    any = true;
    known[j] = 1;
    vals[j * 2] = (img[n + j]! - res[n + j]!) * 2;
    vals[j * 2 + 1] = (img[2 * n + j]! - res[2 * n + j]!) * 2;
  }
  if (!any) return;
  const luma = img.subarray(0, n);
  const dt = spreadHintsDT(luma, known, vals, pw, ph, opts.spatial, opts.range, opts.iterations);
  let corr = dt;
  if (opts.levin > 0) {
    const lv = dt.slice();
    for (let j = 0; j < n; j++) {
      if (!known[j]) continue;
      lv[j * 2] = vals[j * 2]!;
      lv[j * 2 + 1] = vals[j * 2 + 1]!;
    }
    solveLevinPyramid(lv, luma, known, pw, ph, opts);
    const k = opts.levin;
    corr = new Float64Array(n * 2);
    for (let i = 0; i < 2 * n; i++) corr[i] = k * lv[i]! + (1 - k) * dt[i]!;
  }
  for (let j = 0; j < n; j++) {
    res[n + j] = res[n + j]! + corr[j * 2]! / 2;
    res[2 * n + j] = res[2 * n + j]! + corr[j * 2 + 1]! / 2;
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
