/**
 * Issue 13: transparent pixels (alpha 0) are not context. Their colour is invisible (often black),
 * so the model's known plane, the classical fill, the flat fill and the texture search must not
 * read it. A textured light page, opaque on the left, transparent black on the right, a hole
 * against the border between them.
 */
import { modelSize, packBox } from '../../src/core/boxes';
import { fillFlatHoles } from '../../src/core/flat';
import { fsrFillBox } from '../../src/core/fsr';
import { refineRasterBox } from '../../src/core/texture/raster';
import type { Mask, Raster, Rect } from '../../src/core/types';

const W = 96;
const H = 64;
const EDGE = 60; // x >= EDGE: transparent, RGB black
const HOLE: Rect = { left: 40, top: 20, right: 60, bottom: 44 };

function page(flat: boolean): { r: Raster; m: Mask } {
  const data = new Uint8Array(W * H * 4);
  let s = 7;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      if (x >= EDGE) continue; // 0, 0, 0, 0
      s = (s * 1103515245 + 12345) >>> 0;
      // a checker screentone with grain: texture for the patch search, never darker than 150
      const v = flat ? 210 : (((x >> 1) + (y >> 1)) % 2 ? 230 : 160) + ((s >>> 16) % 9) - 4;
      data.set([v, v, v, 255], o);
    }
  const m = new Uint8Array(W * H);
  for (let y = HOLE.top; y < HOLE.bottom; y++) for (let x = HOLE.left; x < HOLE.right; x++) m[y * W + x] = 1;
  return { r: { width: W, height: H, channels: 4, data, maxValue: 255 }, m: { width: W, height: H, data: m } };
}

function ownOf(m: Mask, box: Rect): Uint8Array {
  const bw = box.right - box.left;
  const own = new Uint8Array(bw * (box.bottom - box.top));
  for (let y = box.top; y < box.bottom; y++) for (let x = box.left; x < box.right; x++) own[(y - box.top) * bw + x - box.left] = m.data[y * W + x]!;
  return own;
}

function holeLuma(r: Raster): { mean: number; min: number } {
  let s = 0;
  let n = 0;
  let min = 255;
  for (let y = HOLE.top; y < HOLE.bottom; y++)
    for (let x = HOLE.left; x < HOLE.right; x++) {
      const v = r.data[(y * W + x) * 4]!;
      s += v;
      n++;
      min = Math.min(min, v);
    }
  return { mean: s / n, min };
}

describe('transparent pixels are not context', () => {
  const box: Rect = { left: 0, top: 0, right: W, bottom: H };

  it('packBox: alpha-0 pixels are unknown (0) in the known plane and zeroed, at full and reduced resolution', () => {
    const { r, m } = page(false);
    for (const maxSide of [W, 48]) {
      const size = modelSize(W, H, maxSide, 8);
      const planes = packBox(r, m, box, size, false);
      const sx = size.dw / W;
      // a column well inside the transparent part, and one well inside the opaque part outside the hole
      const xt = Math.floor((EDGE + 8) * sx);
      const xo = Math.floor(10 * sx);
      const y = Math.floor(5 * sx);
      expect(planes.known[y * size.pw + xt]).toBe(0);
      expect(planes.known[y * size.pw + xo]).toBe(1);
      expect(planes.img[y * size.pw + xt]).toBe(0);
    }
  });

  it('FSR: the fill beside transparent black stays as light as the page', () => {
    const { r, m } = page(false);
    fsrFillBox(r, box, ownOf(m, box), m, true);
    const l = holeLuma(r);
    expect(l.mean).toBeGreaterThan(180);
    expect(l.min).toBeGreaterThan(120);
  });

  it('flat fill: a hole between one flat colour and transparent black takes the flat colour', () => {
    const { r, m } = page(true);
    const res = fillFlatHoles(r, m, HOLE);
    expect(res.pixels).toBe((HOLE.right - HOLE.left) * (HOLE.bottom - HOLE.top));
    expect(holeLuma(r)).toEqual({ mean: 210, min: 210 });
  });

  it('texture search: no patch is copied from the transparent part', () => {
    const { r, m } = page(false);
    // the guide: a light grey fill, as the model would give
    for (let y = HOLE.top; y < HOLE.bottom; y++) for (let x = HOLE.left; x < HOLE.right; x++) r.data.set([195, 195, 195], (y * W + x) * 4);
    const rep = refineRasterBox(r, box, ownOf(m, box), { mode: 'always', seed: 1 });
    expect(rep.applied).toBe(true);
    const l = holeLuma(r);
    // copies only ever take known values: light ones (>= 150), never the invisible black
    expect(l.min).toBeGreaterThanOrEqual(150);
    for (let i = 0; i < W * H; i++) if (i % W >= EDGE) expect(r.data[i * 4 + 3]).toBe(0);
  });
});
