/**
 * @file Guide strokes (pure): a guide is an RGBA image over the page — black strokes (R, G, B all
 * at most GUIDE_INK_MAX of 255, opaque) are lines the fill must draw, other opaque colours are
 * colour hints for the area around them, transparent is no guide. Inside the hole, the guide's
 * opaque pixels are written into the page and become known pixels, so every fill step (flat,
 * classical, network, texture, lines) takes them as context and fills the rest around them.
 * Guide pixels outside the hole are ignored; the guide itself is never modified.
 */
import type { Mask, Raster } from './types';

/**
 * Places a guide (RGBA, positioned at `dx`, `dy` in the page's pixel grid) into a page-sized
 * RGBA raster; null when it has no opaque (alpha >= 50 %) pixel on the page.
 */
export function guideForPage(guide: Raster, dx: number, dy: number, width: number, height: number): Raster | null {
  if (guide.channels !== 4) return null;
  const { width: gw, height: gh, data: g, maxValue } = guide;
  const out = g instanceof Uint16Array ? new Uint16Array(width * height * 4) : new Uint8Array(width * height * 4);
  let n = 0;
  for (let y = Math.max(0, dy); y < Math.min(height, dy + gh); y++) {
    for (let x = Math.max(0, dx); x < Math.min(width, dx + gw); x++) {
      const o = ((y - dy) * gw + (x - dx)) * 4;
      if (g[o + 3]! < maxValue / 2) continue;
      const t = (y * width + x) * 4;
      out[t] = g[o]!;
      out[t + 1] = g[o + 1]!;
      out[t + 2] = g[o + 2]!;
      out[t + 3] = maxValue;
      n++;
    }
  }
  return n ? { width, height, channels: 4, data: out, maxValue } : null;
}

/**
 * Writes the guide's opaque pixels that lie in the hole into `image` (grey pages get their luma;
 * a page with alpha gets them opaque) and returns the hole without them, plus how many there were.
 * `guide` is page-sized RGBA (guideForPage).
 */
export function applyGuide(image: Raster, mask: Mask, guide: Raster): { mask: Mask; pixels: number } {
  const { width: w, height: h, channels: c, data: d, maxValue } = image;
  if (guide.width !== w || guide.height !== h || guide.channels !== 4) throw new RangeError(`guide ${guide.width}x${guide.height}x${guide.channels} does not fit a ${w}x${h} page`);
  const g = guide.data;
  const scale = maxValue / guide.maxValue;
  const out = new Uint8Array(mask.data);
  let pixels = 0;
  for (let i = 0; i < w * h; i++) {
    if (!mask.data[i] || g[i * 4 + 3]! < guide.maxValue / 2) continue;
    const r = g[i * 4]! * scale;
    const gg = g[i * 4 + 1]! * scale;
    const b = g[i * 4 + 2]! * scale;
    const o = i * c;
    if (c < 3) d[o] = Math.round(0.299 * r + 0.587 * gg + 0.114 * b);
    else {
      d[o] = Math.round(r);
      d[o + 1] = Math.round(gg);
      d[o + 2] = Math.round(b);
    }
    if (c === 2 || c === 4) d[o + c - 1] = maxValue;
    out[i] = 0;
    pixels++;
  }
  return { mask: { width: w, height: h, data: out }, pixels };
}
