/**
 * @file Green paint on a layer of its own. People paint the #00FF00 on a new, transparent layer above
 * the picture instead of on the picture itself; a host with layers then fills the layer below and
 * leaves both layers as they are. This file says what such a paint layer is and which of its pixels
 * are holes (the host only finds the layers and reads them).
 *
 * The rule: a layer is a paint layer when at least PAINT_LAYER_MIN_GREEN of its visible pixels
 * (alpha at least 1/16 of full scale: where the paint can be seen at all) are green — the green
 * channel above both others by at least half of full scale, so #00FF00 and near-greens a colour
 * picker or a soft brush leave, never grey, white, skin or teal. Its holes are those visible green
 * pixels: the whole stroke, soft edge included (the picture under a soft edge was never touched,
 * so nothing of it is lost when the hole covers the edge).
 */
import type { Mask, Raster } from './types';

/** Fraction of a paint layer's visible pixels that must be green (a few stray marks are tolerated). */
export const PAINT_LAYER_MIN_GREEN = 0.98;
/** A paint pixel is visible from this alpha on (fraction of full scale), like greenMask's faintest fringe. */
export const PAINT_MIN_ALPHA = 1 / 16;
/** A paint pixel is green when G − max(R, B) is at least this fraction of full scale. */
export const PAINT_GREEN_EXCESS = 1 / 2;

/**
 * The holes of a green paint layer (RGBA, the layer's own pixel grid: 1 = visible green paint), or
 * null when `layer` is not a paint layer (no alpha, nothing visible, or too little of it green).
 */
export function paintLayerHoles(layer: Raster): Mask | null {
  const { width, height, channels: c, data, maxValue: max } = layer;
  if (c !== 4) return null; // grey layers have no green; a layer without alpha is not a paint layer
  const n = width * height;
  const minAlpha = max * PAINT_MIN_ALPHA;
  const excess = max * PAINT_GREEN_EXCESS;
  const out = new Uint8Array(n);
  let visible = 0;
  let green = 0;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    if (data[o + 3]! < minAlpha) continue;
    visible++;
    const g = data[o + 1]!;
    if (g - Math.max(data[o]!, data[o + 2]!) >= excess) {
      out[i] = 1;
      green++;
    }
  }
  if (visible === 0 || green < PAINT_LAYER_MIN_GREEN * visible) return null;
  return { width, height, data: out };
}
