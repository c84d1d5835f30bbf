/**
 * Synthetic pages with one mosaic for the mosaic-detection tests (tests/core/mosaic-detect.test.ts,
 * tests/cli): manga-like content, busy under the mosaic so that its blocks take many values,
 * pixelated with tests/helpers/mosaicSynth.ts `pixelate`; and the scores the tests use.
 */
import sharp from 'sharp';
import type { MosaicDetection } from '../../src/core/mosaic-detect';
import type { MosaicGrid } from '../../src/core/mosaic';
import type { Channels, Raster } from '../../src/core/types';
import { dilate, ellipse, mosaicArea, pixelate, rng, type Rng } from './mosaicSynth';

/**
 * A page of `w`×`h` with manga-like content: paper, flat grey (or tinted) shapes, dark strokes,
 * and, inside the disc at (cx, cy) of radius `r`, busy content (overlapping discs of random
 * tones and strokes, none aligned to any grid) so that a mosaic over it shows blocks of many
 * values. Values 0..255 per colour channel.
 */
export function page(w: number, h: number, colour: 1 | 3, seed: number, busy?: { cx: number; cy: number; r: number }): Float64Array[] {
  const r = rng(seed);
  const planes = Array.from({ length: colour }, () => new Float64Array(w * h).fill(246));
  const tone = (): number[] => {
    const g = 30 + 200 * r();
    return colour === 3 ? [g * (0.7 + 0.6 * r()), g, g * (0.7 + 0.6 * r())] : [g];
  };
  const disc = (cx: number, cy: number, rad: number, v: number[]) => {
    for (let y = Math.max(0, Math.floor(cy - rad)); y < Math.min(h, Math.ceil(cy + rad + 1)); y++)
      for (let x = Math.max(0, Math.floor(cx - rad)); x < Math.min(w, Math.ceil(cx + rad + 1)); x++) {
        const d = Math.hypot(x - cx, y - cy);
        const a = d <= rad - 0.5 ? 1 : d < rad + 0.5 ? rad + 0.5 - d : 0; // anti-aliased rim
        if (a > 0) for (let k = 0; k < colour; k++) planes[k]![y * w + x] = planes[k]![y * w + x]! * (1 - a) + v[k]! * a;
      }
  };
  const stroke = (x0: number, y0: number, x1: number, y1: number, width: number, v: number) => {
    const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let t = 0; t <= n; t++) disc(x0 + ((x1 - x0) * t) / n, y0 + ((y1 - y0) * t) / n, width / 2, Array(colour).fill(v));
  };
  for (let n = 0; n < 5; n++) disc(r() * w, r() * h, 10 + r() * 40, tone());
  for (let n = 0; n < 6; n++) stroke(r() * w, r() * h, r() * w, r() * h, 1 + r() * 2, 20 * r());
  if (busy) {
    const { cx, cy, r: R } = busy;
    for (let n = 0; n < 40; n++) disc(cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R, R * (0.08 + 0.25 * r()), tone());
    for (let n = 0; n < 8; n++) stroke(cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R, cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R, 1 + 3 * r(), 15 * r());
  }
  return planes;
}

/** Planes (0..255) to a raster with `channels` channels at `maxValue` (alpha: opaque with a few translucent pixels). */
export function raster(planes: Float64Array[], w: number, h: number, channels: Channels, maxValue = 255): Raster {
  const n = w * h;
  const data = maxValue > 255 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  const colour = channels >= 3 ? 3 : 1;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < colour; k++) data[i * channels + k] = Math.round((Math.min(255, Math.max(0, planes[k % planes.length]![i]!)) / 255) * maxValue);
    if (channels === 2 || channels === 4) data[i * channels + channels - 1] = i % 97 === 0 ? Math.round(maxValue / 2) : maxValue;
  }
  return { width: w, height: h, channels, data, maxValue };
}

export async function jpeg(img: Raster, quality: number): Promise<Raster> {
  const file = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 } })
    .jpeg({ quality })
    .toBuffer();
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as Channels, data: new Uint8Array(data), maxValue: 255 };
}

export interface Case {
  readonly image: Raster;
  readonly truth: Uint8Array;
  readonly grid: MosaicGrid;
}

/** A page with one mosaic of `block` at phase (ox, oy) over an ellipse of about 5–7 blocks across. */
export function mosaicPage(block: number, ox: number, oy: number, opts: { channels?: Channels; maxValue?: number; seed?: number } = {}): Case {
  const channels = opts.channels ?? 3;
  const seed = opts.seed ?? block * 101 + ox * 7 + oy;
  const r: Rng = rng(seed + 1);
  const side = Math.max(160, block * 11);
  const cx = side * (0.4 + 0.2 * r());
  const cy = side * (0.4 + 0.2 * r());
  const rx = block * (2.6 + r());
  const ry = block * (2.6 + r());
  const planes = page(side, side, channels >= 3 ? 3 : 1, seed, { cx, cy, r: Math.max(rx, ry) });
  const grid = { block, ox, oy };
  const censor = ellipse(side, side, cx, cy, rx, ry);
  const image = pixelate(raster(planes, side, side, channels, opts.maxValue ?? 255), censor, grid);
  return { image, truth: mosaicArea(censor, side, side, grid), grid };
}

export function iou(d: MosaicDetection, truth: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] === 1;
    const m = d.mask.data[i] === 1;
    if (t && m) inter++;
    if (t || m) union++;
  }
  return union ? inter / union : 1;
}

/** Pixels detected farther than `margin` px (Chebyshev) from the truth. */
export function strays(d: MosaicDetection, truth: Uint8Array, w: number, margin: number): number {
  const near = dilate(truth, w, truth.length / w, margin);
  let n = 0;
  for (let i = 0; i < truth.length; i++) if (d.mask.data[i] && !near[i]) n++;
  return n;
}

