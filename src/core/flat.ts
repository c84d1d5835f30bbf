/**
 * @file Holes in flat areas: a hole whose surrounding band of known pixels is one exact colour
 * (a hole in a white speech balloon, a black fill, an empty panel) is filled with that colour,
 * exactly, without the model. Any interpolating fill (Telea, Navier-Stokes, diffusion) gives that
 * colour; the network only approximates it (a faint haze a few levels off, visible on paper
 * white when the layer is boosted, and a PSNR cap of about 45 dB where exact is possible).
 *
 * Pure: works on a Raster and a Mask; cost follows the holes (their bounds), not the page.
 */
import type { Mask, Raster, Rect } from './types';

/** Width of the band of known pixels (Chebyshev distance from the hole) that must be one colour. */
export const FLAT_RING = 3;

export interface FlatFillResult {
  /** 8-connected hole components filled. */
  readonly components: number;
  /** Hole pixels filled (and cleared from the mask). */
  readonly pixels: number;
}

/**
 * For every 8-connected component of `mask` inside `bounds` whose ring of known pixels (mask 0,
 * within `ring` px, Chebyshev, inside the image) is non-empty and all of one exact colour
 * (every colour channel equal; alpha ignored), writes that colour into the component's pixels of
 * `out` (colour channels only; alpha untouched) and clears them from `mask`. Components that
 * are not flat are left alone. `bounds` must contain every hole pixel (as from `maskBounds`).
 */
export function fillFlatHoles(out: Raster, mask: Mask, bounds: Rect, ring: number = FLAT_RING): FlatFillResult {
  const { width: W, height: H, channels: c, data } = out;
  if (mask.width !== W || mask.height !== H) throw new RangeError(`mask ${mask.width}x${mask.height} does not match image ${W}x${H}`);
  const md = mask.data;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const left = Math.max(0, bounds.left);
  const top = Math.max(0, bounds.top);
  const right = Math.min(W, bounds.right);
  const bottom = Math.min(H, bounds.bottom);
  const bw = right - left;
  const bh = bottom - top;
  if (bw <= 0 || bh <= 0) return { components: 0, pixels: 0 };
  const seen = new Uint8Array(bw * bh);
  let stack: Int32Array = new Int32Array(1024);
  let pix: Int32Array = new Int32Array(1024);
  const ref = new Array<number>(colour).fill(0);
  let components = 0;
  let pixels = 0;
  for (let y0 = top; y0 < bottom; y0++) {
    for (let x0 = left; x0 < right; x0++) {
      const s0 = (y0 - top) * bw + (x0 - left);
      if (seen[s0] || !md[y0 * W + x0]) continue;
      // flood fill (8-connected) -> the component's pixels (image indices) and its bounds
      let n = 0;
      let sp = 0;
      let cl = x0;
      let cr = x0;
      let ct = y0;
      let cb = y0;
      seen[s0] = 1;
      stack[sp++] = y0 * W + x0;
      while (sp > 0) {
        const i = stack[--sp]!;
        if (n === pix.length) pix = grow(pix);
        pix[n++] = i;
        const y = (i / W) | 0;
        const x = i - y * W;
        if (x < cl) cl = x;
        if (x > cr) cr = x;
        if (y < ct) ct = y;
        if (y > cb) cb = y;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < top || yy >= bottom) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < left || xx >= right) continue;
            const s = (yy - top) * bw + (xx - left);
            if (seen[s] || !md[yy * W + xx]) continue;
            seen[s] = 1;
            if (sp === stack.length) stack = grow(stack);
            stack[sp++] = yy * W + xx;
          }
        }
      }
      // the ring: known pixels within `ring` of the component, in its bounds grown by `ring`
      const el = Math.max(0, cl - ring);
      const et = Math.max(0, ct - ring);
      const er = Math.min(W, cr + 1 + ring);
      const eb = Math.min(H, cb + 1 + ring);
      const ew = er - el;
      const eh = eb - et;
      const near = new Uint8Array(ew * eh);
      for (let k = 0; k < n; k++) {
        const i = pix[k]!;
        const y = (i / W) | 0;
        near[(y - et) * ew + (i - y * W - el)] = 1;
      }
      dilate(near, ew, eh, ring);
      let flat = true;
      let have = false;
      for (let y = et; y < eb && flat; y++) {
        for (let x = el; x < er; x++) {
          if (!near[(y - et) * ew + (x - el)] || md[y * W + x]) continue;
          const o = (y * W + x) * c;
          if (!have) {
            for (let p = 0; p < colour; p++) ref[p] = data[o + p]!;
            have = true;
          } else {
            let same = true;
            for (let p = 0; p < colour; p++) if (data[o + p] !== ref[p]) same = false;
            if (!same) {
              flat = false;
              break;
            }
          }
        }
      }
      if (!flat || !have) continue;
      for (let k = 0; k < n; k++) {
        const i = pix[k]!;
        const o = i * c;
        for (let p = 0; p < colour; p++) data[o + p] = ref[p]!;
        md[i] = 0;
      }
      components++;
      pixels += n;
    }
  }
  return { components, pixels };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** In-place binary dilation by a (2r+1)^2 square: a running max along rows, then columns. */
function dilate(m: Uint8Array, w: number, h: number, r: number): void {
  if (r <= 0) return;
  const tmp = new Uint8Array(Math.max(w, h));
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let last = -Infinity; // x of the last set pixel seen scanning left to right
    for (let x = 0; x < w; x++) {
      if (m[o + x]) last = x;
      tmp[x] = x - last <= r ? 1 : 0;
    }
    last = Infinity;
    for (let x = w - 1; x >= 0; x--) {
      if (m[o + x]) last = x;
      if (last - x <= r) tmp[x] = 1;
    }
    for (let x = 0; x < w; x++) m[o + x] = tmp[x]!;
  }
  for (let x = 0; x < w; x++) {
    let last = -Infinity;
    for (let y = 0; y < h; y++) {
      if (m[y * w + x]) last = y;
      tmp[y] = y - last <= r ? 1 : 0;
    }
    last = Infinity;
    for (let y = h - 1; y >= 0; y--) {
      if (m[y * w + x]) last = y;
      if (last - y <= r) tmp[y] = 1;
    }
    for (let y = 0; y < h; y++) m[y * w + x] = tmp[y]!;
  }
}
