/**
 * @file The part of a page that `inpaint()` reads for a given mask and model: a host that can read a
 * rectangle of a layer (Photoshop's imaging.getPixels with sourceBounds) reads just this, and the
 * fill is the same, pixel for pixel, as on the whole layer.
 *
 * What inpaint() reads (pipeline/index.ts, pipeline/modes.ts): the context boxes (contextBoxes with
 * CONTEXT_SCALE, then alignBox), and nothing outside them in the per-box steps (fill, FSR, texture,
 * structure are box-local); before the boxes, the flat step reads a ring of FLAT_RING px around each
 * hole (core/flat.ts); in mosaic mode with a block-prior model the block means and the projection
 * read the hole's bounds plus one block (core/mosaic.ts `mosaicPriorRect`; a block is at most
 * MOSAIC_MAX_BLOCK px and half the holes' extent on either axis, `detectMosaicGrid`), and the
 * examples step (core/mosaic-examples.ts) reads the mosaic's blocks plus its search margin.
 *
 * Why the fill is identical on the crop: every box computed on the whole layer lies inside the
 * region; contextBoxes and alignBox only centre, round and shift boxes by integer coordinates,
 * and they clamp a box to the image only where it touches the image's edge, which is the region's
 * edge too (the region is clamped to the same image). So on the crop they give the same boxes,
 * moved by the crop's offset, with the same pixels in them (tests/photoshop/region.test.ts checks it).
 */
import { alignBox } from '../core/boxes';
import { FLAT_RING } from '../core/flat';
import { maskBounds } from '../core/mask';
import { MOSAIC_MAX_BLOCK } from '../core/mosaic';
import { MOSAIC_EXAMPLES } from '../core/mosaic-examples';
import { contextBoxes } from '../core/regions';
import type { Mask, Rect } from '../core/types';
import type { ModelInfo } from '../inference/types';
import { CONTEXT_SCALE } from './index';
import type { InpaintMode } from './modes';

/**
 * The rectangle of `mask`'s image (its own coordinates) that inpaint() reads to fill `mask` with a
 * model of input `input` in `mode`; null when the mask is empty.
 */
export function inpaintReadRegion(mask: Mask, input: ModelInfo['input'], mode: InpaintMode): Rect | null {
  const bounds = maskBounds(mask);
  if (!bounds) return null;
  const { width, height } = mask;
  const { size, maxSide, multiple } = input;
  // the holes' ring (flat step), or one mosaic block around them (block-prior models: prior and
  // projection); a block found is at most MOSAIC_MAX_BLOCK and half the holes' extent on each axis
  const block = Math.min(MOSAIC_MAX_BLOCK, Math.floor(Math.min(bounds.right - bounds.left, bounds.bottom - bounds.top) / 2));
  // mosaic mode: the examples are searched up to MOSAIC_EXAMPLES.searchMargin px around the
  // mosaic's blocks (whatever the model; not needed with fill 'model', read anyway)
  const margin = mode === 'mosaic' ? Math.max(FLAT_RING, block + MOSAIC_EXAMPLES.searchMargin) : FLAT_RING;
  let left = Math.max(0, bounds.left - margin);
  let top = Math.max(0, bounds.top - margin);
  let right = Math.min(width, bounds.right + margin);
  let bottom = Math.min(height, bounds.bottom + margin);
  for (const b of contextBoxes(mask, { minSide: size, scale: CONTEXT_SCALE, maxMergeSide: maxSide, bounds })) {
    const a = alignBox(b, multiple, maxSide, width, height);
    left = Math.min(left, a.left);
    top = Math.min(top, a.top);
    right = Math.max(right, a.right);
    bottom = Math.max(bottom, a.bottom);
  }
  return { left, top, right, bottom };
}
