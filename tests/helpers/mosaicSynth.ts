/**
 * Synthetic mosaic pages for tests: manga-like content (lines, dot screentone, flat areas),
 * pixelated with the rule of training/masks.py `mosaic` (every block of the grid touching the
 * censored area becomes its mean over the whole block, inside the image), an optional margin of
 * untouched content painted over around the mosaic, and ±2-level noise.
 */
import type { Channels, Mask, Raster } from '../../src/core/types';
import type { MosaicGrid } from '../../src/core/mosaic';

export type Rng = () => number;

// Jest runs tests in a vm context, where every Math.* call costs ~0.2 µs (30-50x more than in
// Node itself): the generators below keep Math out of their per-pixel loops.

/** A small deterministic generator (LCG; plenty for test content). */
export function rng(seed: number): Rng {
  let s = (seed >>> 0) ^ 0x5bd1e995;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Manga-like page, values in [0, 1] per colour channel (planes of w*h): white paper, flat grey
 * areas, dot screentone patches, dark lines of width 1–3 (soft edges). `colour` tints the flat
 * areas (RGB only).
 */
export function mangaPlanes(w: number, h: number, colour: 1 | 3, r: Rng): Float64Array[] {
  const planes = Array.from({ length: colour }, () => new Float64Array(w * h).fill(0.96));
  const paint = (i: number, v: number[], a: number) => {
    for (let k = 0; k < colour; k++) planes[k]![i] = planes[k]![i]! * (1 - a) + v[k % v.length]! * a;
  };
  const grey = () => {
    const g = 0.3 + 0.6 * r();
    return colour === 3 ? [g * (0.9 + 0.2 * r()), g, g * (0.9 + 0.2 * r())] : [g];
  };
  const box = (cx: number, cy: number, rx: number, ry: number) =>
    [Math.max(0, Math.floor(cx - rx)), Math.max(0, Math.floor(cy - ry)), Math.min(w, Math.ceil(cx + rx + 1)), Math.min(h, Math.ceil(cy + ry + 1))] as const;
  // flat areas: ellipses and rectangles
  for (let n = 0; n < 4; n++) {
    const cx = r() * w, cy = r() * h, rx = 5 + r() * w * 0.3, ry = 5 + r() * h * 0.3;
    const v = grey();
    const rect = r() < 0.5;
    const [x0, y0, x1, y1] = box(cx, cy, rx, ry);
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const dx = (x - cx) / rx, dy = (y - cy) / ry;
        if (rect || dx * dx + dy * dy <= 1) paint(y * w + x, v, 1);
      }
  }
  // screentone: dots on a lattice (every other column of dots shifted by half a period)
  for (let n = 0; n < 3; n++) {
    const x0 = Math.floor(r() * w), y0 = Math.floor(r() * h);
    const x1 = Math.min(w, x0 + 10 + Math.floor(r() * w * 0.6)), y1 = Math.min(h, y0 + 10 + Math.floor(r() * h * 0.6));
    const period = 4 + Math.floor(r() * 4);
    const rad = 0.8 + r() * (period / 2 - 0.8);
    const dark = [0.1 + 0.3 * r()];
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const col = (x / period) | 0;
        const dx = (x % period) - period / 2 + 0.5, dy = ((y + (col & 1) * (period >> 1)) % period) - period / 2 + 0.5;
        if (dx * dx + dy * dy <= rad * rad) paint(y * w + x, dark, 1);
      }
  }
  // lines: coverage from the squared distance to the segment (soft edge about a pixel wide)
  const cov = new Float64Array(w * h);
  for (let n = 0; n < 8; n++) {
    const x0 = r() * w, y0 = r() * h, x1 = r() * w, y1 = r() * h;
    const half = 0.5 + r() * 1.2;
    const ex = x1 - x0, ey = y1 - y0;
    const len2 = ex * ex + ey * ey || 1;
    const [bx0, by0, bx1, by1] = box((x0 + x1) / 2, (y0 + y1) / 2, (ex < 0 ? -ex : ex) / 2 + 3, (ey < 0 ? -ey : ey) / 2 + 3);
    const inner = (half - 0.5) * (half - 0.5);
    const outer = (half + 0.5) * (half + 0.5);
    for (let y = by0; y < by1; y++)
      for (let x = bx0; x < bx1; x++) {
        let t = ((x - x0) * ex + (y - y0) * ey) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const dx = x - (x0 + t * ex), dy = y - (y0 + t * ey);
        const d2 = dx * dx + dy * dy;
        if (d2 >= outer) continue;
        const a = d2 <= inner ? 1 : (outer - d2) / (outer - inner);
        const i = y * w + x;
        if (a > cov[i]!) cov[i] = a;
      }
  }
  const ink = [0.05];
  for (let i = 0; i < w * h; i++) if (cov[i]! > 0) paint(i, ink, cov[i]!);
  return planes;
}

/** Planes in [0, 1] -> Raster (alpha, when present, a pattern of its own). */
export function toRaster(planes: Float64Array[], w: number, h: number, channels: Channels, maxValue: number): Raster {
  const n = w * h;
  const data = maxValue > 255 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  const colour = channels >= 3 ? 3 : 1;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < colour; k++) data[i * channels + k] = (planes[k % planes.length]![i]! * maxValue + 0.5) | 0;
    if (channels === 2 || channels === 4) data[i * channels + channels - 1] = ((((i * 37) % 101) / 100) * maxValue + 0.5) | 0;
  }
  return { width: w, height: h, channels, data, maxValue };
}

/** Python `mosaic` on a raster: every grid block touching `censor` becomes its mean (rounded), colour channels only. */
export function pixelate(img: Raster, censor: Uint8Array, grid: MosaicGrid): Raster {
  const { width: w, height: h, channels: c, maxValue } = img;
  const data = img.data.slice();
  const colour = c >= 3 ? 3 : 1;
  const B = grid.block;
  const lx = (B - grid.ox) % B;
  const ly = (B - grid.oy) % B;
  const nbx = Math.ceil((w + lx) / B);
  const nby = Math.ceil((h + ly) / B);
  for (let by = 0; by < nby; by++)
    for (let bx = 0; bx < nbx; bx++) {
      const x0 = Math.max(0, bx * B - lx), x1 = Math.min(w, (bx + 1) * B - lx);
      const y0 = Math.max(0, by * B - ly), y1 = Math.min(h, (by + 1) * B - ly);
      let touched = false;
      const sum = [0, 0, 0];
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          if (censor[y * w + x]) touched = true;
          for (let k = 0; k < colour; k++) sum[k]! += img.data[(y * w + x) * c + k]!;
        }
      if (!touched) continue;
      const n = (x1 - x0) * (y1 - y0);
      const mean = sum.map((v) => Math.min(maxValue, Math.round(v / n)));
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) for (let k = 0; k < colour; k++) data[(y * w + x) * c + k] = mean[k]!;
    }
  return { ...img, data };
}

/** The pixelated area of `censor` (the union of the blocks touching it). */
export function mosaicArea(censor: Uint8Array, w: number, h: number, grid: MosaicGrid): Uint8Array {
  const B = grid.block;
  const lx = (B - grid.ox) % B;
  const ly = (B - grid.oy) % B;
  const out = new Uint8Array(w * h);
  const nbx = Math.ceil((w + lx) / B);
  const bxOf = Int32Array.from({ length: w }, (_, x) => Math.floor((x + lx) / B));
  const byOf = Int32Array.from({ length: h }, (_, y) => Math.floor((y + ly) / B));
  const touched = new Uint8Array(nbx * Math.ceil((h + ly) / B));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (censor[y * w + x]) touched[byOf[y]! * nbx + bxOf[x]!] = 1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = touched[byOf[y]! * nbx + bxOf[x]!]!;
  return out;
}

/** `m` grown by a (2r+1)-square (the green paint's margin beyond the mosaic). */
export function dilate(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return m.slice();
  const tmp = new Uint8Array(w * h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let dx = -r; dx <= r && !v; dx++) {
        const xx = x + dx;
        if (xx >= 0 && xx < w && m[y * w + xx]) v = 1;
      }
      tmp[y * w + x] = v;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let dy = -r; dy <= r && !v; dy++) {
        const yy = y + dy;
        if (yy >= 0 && yy < h && tmp[yy * w + x]) v = 1;
      }
      out[y * w + x] = v;
    }
  return out;
}

/** An ellipse of 1s. */
export function ellipse(w: number, h: number, cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) m[y * w + x] = 1;
  return m;
}

/** Adds independent integer noise of ±amp 8-bit levels (scaled by maxValue) to every colour value, in place. */
export function addNoise(img: Raster, amp: number, r: Rng): void {
  const { channels: c, maxValue, data } = img;
  const colour = c >= 3 ? 3 : 1;
  const steps = Int32Array.from({ length: 2 * amp + 1 }, (_, j) => Math.round((j - amp) * (maxValue / 255)));
  for (let i = 0; i < img.width * img.height; i++)
    for (let k = 0; k < colour; k++) {
      const o = i * c + k;
      const v = data[o]! + steps[(r() * (2 * amp + 1)) | 0]!;
      data[o] = v < 0 ? 0 : v > maxValue ? maxValue : v;
    }
}

export interface MosaicCase {
  readonly page: Raster;
  readonly mask: Mask;
  readonly grid: MosaicGrid;
  readonly margin: number;
}

/**
 * A page with a mosaic of `block` at a random phase over an ellipse, painted over with a margin
 * of 0..maxMargin px of untouched content, with ±noise levels.
 */
export function mosaicCase(block: number, seed: number, opts: { channels?: Channels; maxValue?: number; maxMargin?: number; noise?: number } = {}): MosaicCase {
  const r = rng(seed);
  const channels = opts.channels ?? 3;
  const maxValue = opts.maxValue ?? 255;
  const w = Math.max(72, Math.ceil(block * 5.5)) + Math.floor(r() * 20);
  const h = Math.max(72, Math.ceil(block * 5.5)) + Math.floor(r() * 20);
  const grid: MosaicGrid = { block, ox: Math.floor(r() * block), oy: Math.floor(r() * block) };
  const planes = mangaPlanes(w, h, channels >= 3 ? 3 : 1, r);
  const img = toRaster(planes, w, h, channels, maxValue);
  const rx = Math.max(10, block * (1.2 + r() * 0.8));
  const ry = Math.max(10, block * (1.2 + r() * 0.8));
  const censor = ellipse(w, h, w / 2 + (r() - 0.5) * 8, h / 2 + (r() - 0.5) * 8, rx, ry);
  const page = pixelate(img, censor, grid);
  if ((opts.noise ?? 2) > 0) addNoise(page, opts.noise ?? 2, r);
  const margin = Math.floor(r() * ((opts.maxMargin ?? 6) + 1));
  const mask = { width: w, height: h, data: dilate(mosaicArea(censor, w, h, grid), w, h, margin) };
  return { page, mask, grid, margin };
}
