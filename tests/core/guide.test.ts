import { applyGuide, drawGuideInk, guideForPage } from '../../src/core/guide';
import type { Raster } from '../../src/core/types';

function rgba(w: number, h: number): Raster {
  return { width: w, height: h, channels: 4, data: new Uint8Array(w * h * 4), maxValue: 255 };
}

describe('core/guide', () => {
  test('a guide is placed by its offset, only its opaque pixels; an empty or alpha-less guide is none', () => {
    const g = rgba(4, 4);
    g.data.set([0, 0, 0, 255], (1 * 4 + 1) * 4); // an ink pixel at (1, 1)
    g.data.set([200, 0, 0, 100], (2 * 4 + 2) * 4); // under 50 % alpha: no guide
    const placed = guideForPage(g, 3, 2, 10, 8)!;
    expect(placed.width).toBe(10);
    expect(Array.from(placed.data.slice(((3) * 10 + 4) * 4, ((3) * 10 + 4) * 4 + 4))).toEqual([0, 0, 0, 255]);
    let opaque = 0;
    for (let i = 3; i < placed.data.length; i += 4) if (placed.data[i]) opaque++;
    expect(opaque).toBe(1);
    expect(guideForPage(rgba(4, 4), 0, 0, 4, 4)).toBeNull();
    expect(guideForPage({ width: 4, height: 4, channels: 3, data: new Uint8Array(48), maxValue: 255 }, 0, 0, 4, 4)).toBeNull();
  });

  test('colour pixels in the hole are written before the fill and leave the hole; ink is drawn after it; outside the hole ignored', () => {
    const page: Raster = { width: 5, height: 1, channels: 1, data: new Uint8Array([200, 200, 200, 200, 200]), maxValue: 255 };
    const mask = { width: 5, height: 1, data: new Uint8Array([0, 1, 1, 1, 1]) };
    const g = rgba(5, 1);
    g.data.set([0, 0, 0, 255], 0); // ink outside the hole: ignored
    g.data.set([10, 10, 10, 255], 4); // ink in the hole
    g.data.set([255, 0, 0, 255], 8); // a red dot in the hole (grey page: its luma)
    const r = applyGuide(page, mask, g);
    expect(r.pixels).toBe(1);
    expect(Array.from(r.mask.data)).toEqual([0, 1, 0, 1, 1]); // the ink stays in the hole: filled, then drawn
    expect(Array.from(page.data)).toEqual([200, 200, 76, 200, 200]);
    page.data.set([120, 120], 3); // "the fill"
    page.data[1] = 130;
    expect(drawGuideInk(page, mask, g)).toBe(1);
    expect(Array.from(page.data)).toEqual([200, 10, 76, 120, 120]);
    expect(Array.from(mask.data)).toEqual([0, 1, 1, 1, 1]); // the input mask is not modified
  });

  test('drawGuideInk with lighterThan: a stroke pixel the fill made dark keeps its value, a light one is drawn', () => {
    const page: Raster = { width: 4, height: 1, channels: 3, data: new Uint8Array([60, 60, 60, 200, 200, 200, 127, 127, 127, 128, 128, 128]), maxValue: 255 };
    const mask = { width: 4, height: 1, data: new Uint8Array([1, 1, 1, 1]) };
    const g = rgba(4, 1);
    for (let x = 0; x < 4; x++) g.data.set([0, 0, 0, 255], x * 4);
    expect(drawGuideInk(page, mask, g, 0.5)).toBe(2); // 200 and 128 are lighter than half of 255
    expect(Array.from(page.data)).toEqual([60, 60, 60, 0, 0, 0, 127, 127, 127, 0, 0, 0]);
  });
});

