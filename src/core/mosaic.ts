/**
 * @file Mosaic (pixelation) support for the mosaic model: grid detection, block means, the
 * block-mean prior and the projection onto the block means. Pure functions on typed arrays
 * (no DOM, no Node, no ORT).
 *
 * A mosaic is a grid of square blocks of side `block` whose boundaries lie at x ≡ ox and
 * y ≡ oy (mod block); every block touching the censored area shows its mean colour over the
 * whole block (training/masks.py `mosaic`). Blocks are indexed as in training/masks.py: block 0
 * on an axis is the one containing pixel 0, so the block of pixel x is
 * floor((x + (block − ox) % block) / block), and the number of blocks is
 * ceil((width + (block − ox) % block) / block) (the blocks at the image edges may be partial).
 *
 * The numbers here reproduce training/masks.py `block_means`, `project_block_means` and
 * `mosaic_prior` (parity test: tests/core/mosaic.test.ts with tests/fixtures/mosaic-prior.json),
 * in the raster's own levels: the prior is computed in float64 and rounded once, at the end.
 *
 * Cost follows the hole, not the page: detection and the prior only visit the hole's bounds
 * (grown to whole blocks); no float copy of the hole's box is made (two passes over it instead).
 */
import { maskBounds } from './mask';
import { InpaintError, type Mask, type Raster, type Rect } from './types';

/** A mosaic grid: square blocks of side `block`, boundaries at x ≡ ox, y ≡ oy (mod block). */
export interface MosaicGrid {
  /** Block side in pixels (2..64 when detected). */
  readonly block: number;
  /** Phase of the vertical boundaries: 0 <= ox < block. */
  readonly ox: number;
  /** Phase of the horizontal boundaries: 0 <= oy < block. */
  readonly oy: number;
}

/**
 * Per-block colour means of a rectangle of blocks (see `blockMeans`). Values are in [0, 1]
 * (levels / maxValue), as training/masks.py `block_means` on a [0, 1] image.
 */
export interface BlockMeans {
  readonly grid: MosaicGrid;
  /** Size of the image the means were taken on (the number of blocks depends on it). */
  readonly width: number;
  readonly height: number;
  /** Global index (block 0 contains pixel 0) of the first block column / row held. */
  readonly bx0: number;
  readonly by0: number;
  /** Number of block columns / rows held. */
  readonly cols: number;
  readonly rows: number;
  /** Colour channels per block: 1 (gray, gray+alpha) or 3 (RGB, RGBA). Alpha is not averaged. */
  readonly channels: 1 | 3;
  /** rows x cols x channels, row-major: mean of block (bx0 + i, by0 + j), channel k at (j * cols + i) * channels + k. */
  readonly data: Float64Array;
}

/** A pair of pixels differs when some colour channel differs by more than this many 8-bit levels (scaled by maxValue). */
export const MOSAIC_EDGE_TOLERANCE_8BIT = 4;
/** Largest block size looked for. */
export const MOSAIC_MAX_BLOCK = 64;
/** A boundary class must show at least this fraction of differing pairs to count as evidence. */
export const MOSAIC_MIN_ON = 0.04;
/** A block size is consistent when the other positions differ at most this fraction as often as the boundaries. */
export const MOSAIC_OFF_RATIO = 0.2;
/** Fewer pairs than this (per axis) is no usable evidence. */
const MIN_PAIRS = 64;
/** Fewer differing pairs on the boundaries than this is no usable evidence. */
const MIN_EDGES = 8;

const colourChannels = (c: number): 1 | 3 => (c >= 3 ? 3 : 1);

/** Pixel phase of block 0: block of x is floor((x + lead) / block). */
export const leadOf = (block: number, o: number): number => (block - (((o % block) + block) % block)) % block;

function checkGrid(g: MosaicGrid): void {
  if (!Number.isInteger(g.block) || g.block < 1 || !Number.isInteger(g.ox) || !Number.isInteger(g.oy) || g.ox < 0 || g.oy < 0 || g.ox >= g.block || g.oy >= g.block) {
    throw new InpaintError('bad-input', `bad mosaic grid: block ${g.block} at (${g.ox}, ${g.oy}); need an integer block >= 1 and 0 <= ox, oy < block`);
  }
}

function checkMask(image: Raster, mask: Mask): void {
  if (mask.width !== image.width || mask.height !== image.height || mask.data.length !== image.width * image.height) {
    throw new InpaintError('bad-input', `the mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}`);
  }
}

function clampRect(r: Rect, w: number, h: number): Rect | null {
  const left = Math.max(0, Math.floor(r.left));
  const top = Math.max(0, Math.floor(r.top));
  const right = Math.min(w, Math.ceil(r.right));
  const bottom = Math.min(h, Math.ceil(r.bottom));
  return right > left && bottom > top ? { left, top, right, bottom } : null;
}

// ------------------------------------------------------------------------------- detection

/**
 * Finds the block size and phase of a mosaic from the pixels under the mask (the page still
 * showing the mosaic). Only pixel pairs with both pixels in the hole are looked at, inside
 * `bounds` (default: the mask's bounds), so the cost follows the hole, not the page.
 *
 * Per axis, the profile c[x] is the fraction of the hole pairs across boundary x (between x−1
 * and x) whose largest colour-channel difference exceeds MOSAIC_EDGE_TOLERANCE_8BIT levels
 * (alpha ignored; ±2-level noise on both pixels cannot reach it). For every block size B in
 * 2..64 (B <= the hole's extent / 2) and phase p, with "on" the pooled fraction over x ≡ p
 * (mod B) and "off" the pooled fraction over the other positions, B is consistent when
 * - on >= MOSAIC_MIN_ON, with at least MIN_EDGES differing pairs on two or more boundaries;
 * - off <= MOSAIC_OFF_RATIO (0.2) · on, and at most one off position in ten (or one) has a
 *   rate above 0.2 · on: a mosaic's inside is flat, while a few lines or dots that happen to
 *   line up pass the average test in a small hole;
 * - B is not a multiple of a finer period d = B / q (q a prime factor of B): the positions
 *   p + j·d (0 < j < q) do not differ at least 0.2 · on and three times as often as the rest.
 *   Without this check a multiple of the true block would pass, as only 1 in B of its off
 *   positions is a true boundary; with boundaries of uneven contrast a pooled test is needed.
 * Divisors of the true block are consistent too, so the answer is the largest B consistent
 * on both axes (mosaics are square), each axis with its phase of largest on − off.
 *
 * The paint usually goes a few pixels beyond the mosaic onto the picture, whose edges fall
 * anywhere; so this runs on the hole eroded by 8, then 4, then 0 pixels: the most eroded hole
 * that gives an answer is trusted most, and a less eroded hole's answer replaces it only when
 * it is a multiple of it with the same phase (an eroded hole too small to hold two blocks of
 * the true size finds a divisor of it).
 *
 * Returns null when there is no usable evidence (empty or tiny hole, flat area, too few
 * differing pairs) or when the pixels are not a mosaic (edges at many positions, or no block
 * size common to both axes). A dot screentone of period 4 with 2-pixel dots is a block-2
 * mosaic as far as the pixels tell.
 */
export function detectMosaicGrid(image: Raster, mask: Mask, bounds?: Rect): MosaicGrid | null {
  checkMask(image, mask);
  const mb = bounds ?? maskBounds(mask);
  if (!mb) return null;
  const r = clampRect(mb, image.width, image.height);
  if (!r) return null;
  const { width: W, channels: c, data, maxValue } = image;
  const colour = colourChannels(c);
  const tol = (MOSAIC_EDGE_TOLERANCE_8BIT * maxValue) / 255;
  const ew = r.right - r.left;
  const eh = r.bottom - r.top;
  // the hole inside the bounds; per hole pixel, bit 0: differs from its left neighbour, bit 1: from the one above
  const hole = new Uint8Array(ew * eh);
  const diff = new Uint8Array(ew * eh);
  const md = mask.data;
  const differs = (a: number, b: number): number => {
    const oa = a * c;
    const ob = b * c;
    for (let k = 0; k < colour; k++) {
      const d = data[oa + k]! - data[ob + k]!;
      if (d > tol || -d > tol) return 1;
    }
    return 0;
  };
  for (let j = 0; j < eh; j++) {
    const row = (r.top + j) * W + r.left;
    for (let t = 0; t < ew; t++) {
      const i = row + t;
      if (!md[i]) continue;
      const h = j * ew + t;
      hole[h] = 1;
      diff[h] = (t > 0 && md[i - 1] ? differs(i - 1, i) : 0) | (j > 0 && md[i - W] ? differs(i - W, i) << 1 : 0);
    }
  }
  let found: MosaicGrid | null = null;
  for (const cut of MOSAIC_ERODE) {
    const g = detectIn(cut > 0 ? erode(hole, ew, eh, cut) : hole, diff, r);
    if (!g) continue;
    const multiple = found && g.block > found.block && g.block % found.block === 0 && g.ox % found.block === found.ox && g.oy % found.block === found.oy;
    if (!found || multiple) found = g;
  }
  return found;
}

/** Erosion radii (square structuring element) the detection runs at, most trusted first. */
const MOSAIC_ERODE = [8, 4, 0];

/** Detection on one (eroded) hole: `hole`, `diff` are bounds-sized (see detectMosaicGrid). */
function detectIn(hole: Uint8Array, diff: Uint8Array, r: Rect): MosaicGrid | null {
  const ew = r.right - r.left;
  const eh = r.bottom - r.top;
  // ex[t]/nx[t]: differing/all hole pairs across the boundary between x = left + t − 1 and left + t
  const ex = new Float64Array(ew);
  const nx = new Float64Array(ew);
  const ey = new Float64Array(eh);
  const ny = new Float64Array(eh);
  let x0 = ew;
  let x1 = 0;
  let y0 = eh;
  let y1 = 0;
  for (let j = 0; j < eh; j++) {
    for (let t = 0; t < ew; t++) {
      const h = j * ew + t;
      if (!hole[h]) continue;
      if (t < x0) x0 = t;
      if (t >= x1) x1 = t + 1;
      if (j < y0) y0 = j;
      if (j >= y1) y1 = j + 1;
      if (t > 0 && hole[h - 1]) {
        nx[t]++;
        ex[t]! += diff[h]! & 1;
      }
      if (j > 0 && hole[h - ew]) {
        ny[j]++;
        ey[j]! += diff[h]! >> 1;
      }
    }
  }
  if (x1 <= x0 || y1 <= y0) return null;
  const px = axisPeriods(ex.subarray(x0, x1), nx.subarray(x0, x1), r.left + x0, Math.floor((x1 - x0) / 2));
  if (px.size === 0) return null;
  const py = axisPeriods(ey.subarray(y0, y1), ny.subarray(y0, y1), r.top + y0, Math.floor((y1 - y0) / 2));
  // mosaics are square: the largest block size consistent on both axes
  let best: MosaicGrid | null = null;
  for (const [block, ox] of px) {
    const oy = py.get(block);
    if (oy !== undefined && (!best || block > best.block)) best = { block, ox, oy };
  }
  return best;
}

/** `m` (w x h, 0/1) eroded by a (2k+1)-square: a pixel stays when every pixel within k (Chebyshev) is set. */
function erode(m: Uint8Array, w: number, h: number, k: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  const run = new Int32Array(Math.max(w, h));
  // horizontal: keep pixels with k set pixels on both sides
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let left = 0;
    for (let x = 0; x < w; x++) run[x] = left = m[o + x] ? left + 1 : 0; // run ending at x
    let right = 0;
    for (let x = w - 1; x >= 0; x--) {
      right = m[o + x] ? right + 1 : 0;
      tmp[o + x] = m[o + x] && run[x]! > k && right > k ? 1 : 0;
    }
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let up = 0;
    for (let y = 0; y < h; y++) run[y] = up = tmp[y * w + x] ? up + 1 : 0;
    let down = 0;
    for (let y = h - 1; y >= 0; y--) {
      down = tmp[y * w + x] ? down + 1 : 0;
      out[y * w + x] = tmp[y * w + x] && run[y]! > k && down > k ? 1 : 0;
    }
  }
  return out;
}

/**
 * The consistent periods of one axis's edge profile (see detectMosaicGrid), each with its best
 * phase. e[i], n[i]: differing and all pairs across the boundary at absolute position origin + i
 * (i >= 1).
 */
function axisPeriods(e: Float64Array, n: Float64Array, origin: number, maxBlock: number): Map<number, number> {
  const found = new Map<number, number>();
  const extent = e.length;
  let totN = 0;
  let totE = 0;
  for (let i = 1; i < extent; i++) {
    totN += n[i]!;
    totE += e[i]!;
  }
  if (totN < MIN_PAIRS || totE < MIN_EDGES) return found;
  // positions with too few pairs say little on their own (the tips of a round hole)
  let maxN = 0;
  for (let i = 1; i < extent; i++) if (n[i]! > maxN) maxN = n[i]!;
  const fewPairs = Math.max(4, maxN / 4);
  const maxB = Math.min(MOSAIC_MAX_BLOCK, maxBlock);
  const E = new Float64Array(MOSAIC_MAX_BLOCK);
  const N = new Float64Array(MOSAIC_MAX_BLOCK);
  const K = new Int32Array(MOSAIC_MAX_BLOCK); // positions of the class with enough pairs and edges
  for (let B = maxB; B >= 2; B--) {
    E.fill(0, 0, B);
    N.fill(0, 0, B);
    K.fill(0, 0, B);
    for (let i = 1; i < extent; i++) {
      const p = (origin + i) % B;
      E[p]! += e[i]!;
      N[p]! += n[i]!;
      if (n[i]! >= fewPairs && e[i]! >= MOSAIC_MIN_ON * n[i]!) K[p]!++;
    }
    let positions = 0; // positions with enough pairs
    for (let i = 1; i < extent; i++) if (n[i]! >= fewPairs) positions++;
    const primes = primeFactors(B);
    let best = -1;
    let bestScore = -Infinity;
    for (let p = 0; p < B; p++) {
      if (N[p]! === 0 || E[p]! < MIN_EDGES || K[p]! < 2) continue;
      const on = E[p]! / N[p]!;
      if (on < MOSAIC_MIN_ON) continue;
      const offN = totN - N[p]!;
      const off = offN > 0 ? (totE - E[p]!) / offN : 0;
      if (off > MOSAIC_OFF_RATIO * on) continue;
      // and the off positions are quiet one by one, not only on average (chance alignments of a
      // few lines or dots pass the average test in a small hole, a mosaic's interior is flat)
      let loud = 0;
      let offPositions = 0;
      for (let i = 1; i < extent; i++) {
        if (n[i]! < fewPairs || (origin + i) % B === p) continue;
        offPositions++;
        if (e[i]! > MOSAIC_OFF_RATIO * on * n[i]!) loud++;
      }
      if (loud > Math.max(1, MOSAIC_LOUD_FRACTION * offPositions)) continue;
      // nor louder in number than the boundaries themselves: a coarser B that lands on a few of a
      // finer grid's boundaries (B 48 on a block-10 mosaic: 2 of its 6 positions) sees that grid's
      // other boundaries as loud off positions, one in ten of them (found on a Black Jack page)
      if (loud > K[p]!) continue;
      // a multiple of a period d = B / q: the positions p + j·d (0 < j < q) differ clearly more
      // often than the positions off that finer grid
      let multiple = false;
      for (const q of primes) {
        const d = B / q;
        let se = 0;
        let sn = 0;
        let re = 0;
        let rn = 0;
        for (let s = 0; s < B; s++) {
          if (s === p) continue;
          if ((s - p) % d === 0) {
            se += E[s]!;
            sn += N[s]!;
          } else {
            re += E[s]!;
            rn += N[s]!;
          }
        }
        const sub = sn > 0 ? se / sn : 0;
        const rest = rn > 0 ? re / rn : 0;
        if (sub >= MOSAIC_OFF_RATIO * on && sub >= MOSAIC_SUBGRID_RATIO * rest) {
          multiple = true;
          break;
        }
      }
      if (multiple) continue;
      const score = on - off;
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    if (best >= 0) found.set(B, best);
  }
  return found;
}

/** At most this fraction of the off positions (or one) may differ more than MOSAIC_OFF_RATIO times as often as the boundaries. */
const MOSAIC_LOUD_FRACTION = 0.1;
/** B is a multiple of a finer grid d when the positions of d between B's boundaries differ this many times more often than the rest. */
const MOSAIC_SUBGRID_RATIO = 3;

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let q = 2; q * q <= n; q++) {
    if (n % q === 0) {
      out.push(q);
      while (n % q === 0) n /= q;
    }
  }
  if (n > 1) out.push(n);
  return out;
}

// ------------------------------------------------------------------------------- block means

/** Global block index range [b0, b1] covering pixels [p0, p1) on one axis. */
function blockRange(p0: number, p1: number, block: number, lead: number): [number, number] {
  return [Math.floor((p0 + lead) / block), Math.floor((p1 - 1 + lead) / block)];
}

/**
 * Mean colour of every block of `grid` covering `rect` (clipped to the image), each over the
 * block's pixels inside the image — training/masks.py `block_means` (alpha is not averaged).
 * The prior needs the blocks of the hole's bounds and one block around them: pass the bounds
 * grown by `grid.block` on every side (see `mosaicPriorRect`).
 */
export function blockMeans(image: Raster, grid: MosaicGrid, rect: Rect): BlockMeans {
  checkGrid(grid);
  const { width: w, height: h, channels: c, data, maxValue } = image;
  const colour = colourChannels(c);
  const { block: B } = grid;
  const lx = leadOf(B, grid.ox);
  const ly = leadOf(B, grid.oy);
  const r = clampRect(rect, w, h);
  if (!r) throw new InpaintError('bad-input', `block means: the rectangle (${rect.left}, ${rect.top})-(${rect.right}, ${rect.bottom}) is outside the ${w}x${h} image`);
  const [bx0, bx1] = blockRange(r.left, r.right, B, lx);
  const [by0, by1] = blockRange(r.top, r.bottom, B, ly);
  const cols = bx1 - bx0 + 1;
  const rows = by1 - by0 + 1;
  const sums = new Float64Array(cols * rows * colour);
  // every pixel of those blocks inside the image
  const x0 = Math.max(0, bx0 * B - lx);
  const x1 = Math.min(w, (bx1 + 1) * B - lx);
  const y0 = Math.max(0, by0 * B - ly);
  const y1 = Math.min(h, (by1 + 1) * B - ly);
  for (let y = y0; y < y1; y++) {
    const jb = Math.floor((y + ly) / B) - by0;
    const row = y * w;
    let x = x0;
    for (let ib = 0; ib < cols; ib++) {
      const end = Math.min(x1, (bx0 + ib + 1) * B - lx);
      const o = (jb * cols + ib) * colour;
      for (; x < end; x++) {
        const d = (row + x) * c;
        for (let k = 0; k < colour; k++) sums[o + k]! += data[d + k]!;
      }
    }
  }
  for (let jb = 0; jb < rows; jb++) {
    const ny = Math.min(h, (by0 + jb + 1) * B - ly) - Math.max(0, (by0 + jb) * B - ly);
    for (let ib = 0; ib < cols; ib++) {
      const nx = Math.min(w, (bx0 + ib + 1) * B - lx) - Math.max(0, (bx0 + ib) * B - lx);
      const inv = 1 / (Math.max(1, nx * ny) * maxValue);
      const o = (jb * cols + ib) * colour;
      for (let k = 0; k < colour; k++) sums[o + k]! *= inv;
    }
  }
  return { grid, width: w, height: h, bx0, by0, cols, rows, channels: colour, data: sums };
}

/** The rectangle to take block means over for a hole with these bounds: the bounds grown by one block (clipped). */
export function mosaicPriorRect(bounds: Rect, grid: MosaicGrid, width: number, height: number): Rect {
  const B = grid.block;
  return {
    left: Math.max(0, bounds.left - B),
    top: Math.max(0, bounds.top - B),
    right: Math.min(width, bounds.right + B),
    bottom: Math.min(height, bounds.bottom + B),
  };
}

// ------------------------------------------------------------------------------- prior and projection

/** Bilinear weights of one axis (training/masks.py `mosaic_prior`, `axis`), for pixels p0..p1−1. */
function axisWeights(p0: number, p1: number, block: number, lead: number, nb: number) {
  const n = p1 - p0;
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const f = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let u = (p0 + t + lead + 0.5) / block - 0.5;
    u = u < 0 ? 0 : u > nb - 1 ? nb - 1 : u;
    const a = Math.floor(u);
    i0[t] = a;
    i1[t] = Math.min(a + 1, nb - 1);
    f[t] = u - a;
  }
  return { i0, i1, f };
}

/**
 * Writes the block-mean prior into the hole pixels of `out` — training/masks.py `mosaic_prior`:
 * inside the hole, the block means interpolated bilinearly between block centres (u =
 * (x + (B − ox) % B + 0.5) / B − 0.5, clamped to [0, blocks − 1], likewise for y), then every
 * block's hole pixels shifted by one constant so that the block's mean over its pixels inside
 * the image equals its mean again (the projection of `projectBlockMeans`, with the pixels
 * outside the hole as they are in `out`), clamped to [0, 1] and rounded to the raster's levels.
 * `means` must come from the mosaic page (not from `out` once written) and cover the hole's
 * bounds grown by one block (`mosaicPriorRect`). Pixels outside the hole and alpha are never
 * written. `bounds` (default: the mask's bounds) must contain every hole pixel to be written.
 */
export function writeMosaicPrior(out: Raster, mask: Mask, grid: MosaicGrid, means: BlockMeans, bounds?: Rect): void {
  project(out, mask, grid, means, bounds, true);
}

/**
 * Shifts every block's hole pixels of `out` by one constant per channel so that the block's
 * mean over its pixels inside the image equals `means` again — training/masks.py
 * `project_block_means` — then clamps and rounds to the raster's levels. This is the orthogonal
 * projection onto the images with those block means (only hole pixels move). Used on the
 * model's fill. Pixels outside the hole and alpha are never written; blocks without hole
 * pixels are left alone. `means` must cover the blocks of the hole's bounds.
 */
export function projectBlockMeans(out: Raster, mask: Mask, grid: MosaicGrid, means: BlockMeans, bounds?: Rect): void {
  project(out, mask, grid, means, bounds, false);
}

function project(out: Raster, mask: Mask, grid: MosaicGrid, means: BlockMeans, bounds: Rect | undefined, prior: boolean): void {
  checkGrid(grid);
  checkMask(out, mask);
  const g = means.grid;
  if (g.block !== grid.block || g.ox !== grid.ox || g.oy !== grid.oy) {
    throw new InpaintError('bad-input', `block means were taken on another grid (block ${g.block} at (${g.ox}, ${g.oy}), not ${grid.block} at (${grid.ox}, ${grid.oy}))`);
  }
  const { width: w, height: h, channels: c, data, maxValue: max } = out;
  const colour = colourChannels(c);
  if (means.width !== w || means.height !== h || means.channels !== colour) {
    throw new InpaintError('bad-input', `block means were taken on a ${means.width}x${means.height} image with ${means.channels} colour channels, not ${w}x${h} with ${colour}`);
  }
  const mb = bounds ?? maskBounds(mask);
  if (!mb) return;
  const r = clampRect(mb, w, h);
  if (!r) return;
  const B = grid.block;
  const lx = leadOf(B, grid.ox);
  const ly = leadOf(B, grid.oy);
  const nbx = Math.ceil((w + lx) / B);
  const nby = Math.ceil((h + ly) / B);
  const [bxa, bxb] = blockRange(r.left, r.right, B, lx);
  const [bya, byb] = blockRange(r.top, r.bottom, B, ly);
  // the means needed: these blocks, plus their neighbours for the interpolation
  const nx0 = prior ? Math.max(0, bxa - 1) : bxa;
  const nx1 = prior ? Math.min(nbx - 1, bxb + 1) : bxb;
  const ny0 = prior ? Math.max(0, bya - 1) : bya;
  const ny1 = prior ? Math.min(nby - 1, byb + 1) : byb;
  if (nx0 < means.bx0 || ny0 < means.by0 || nx1 >= means.bx0 + means.cols || ny1 >= means.by0 + means.rows) {
    throw new InpaintError(
      'bad-input',
      `block means cover blocks ${means.bx0}..${means.bx0 + means.cols - 1} x ${means.by0}..${means.by0 + means.rows - 1}, the hole needs ${nx0}..${nx1} x ${ny0}..${ny1}`,
    );
  }
  const M = means.data;
  const mcols = means.cols;
  const meanAt = (bx: number, by: number, k: number): number => M[((by - means.by0) * mcols + (bx - means.bx0)) * colour + k]!;
  // pixels of the blocks covering the bounds (inside the image)
  const x0 = Math.max(0, bxa * B - lx);
  const x1 = Math.min(w, (bxb + 1) * B - lx);
  const y0 = Math.max(0, bya * B - ly);
  const y1 = Math.min(h, (byb + 1) * B - ly);
  const ax = prior ? axisWeights(x0, x1, B, lx, nbx) : null;
  const ay = prior ? axisWeights(y0, y1, B, ly, nby) : null;
  const cols = bxb - bxa + 1;
  const rows = byb - bya + 1;
  const sum = new Float64Array(cols * rows * colour); // in [0, 1] units
  const holes = new Float64Array(cols * rows);
  const inv = 1 / max;
  const md = mask.data;
  const v = new Float64Array(3);
  /** The prior at (x, y) into v (bilinear between the four nearest block centres). */
  const interp = (x: number, y: number): void => {
    const tx = x - x0;
    const ty = y - y0;
    const xa = ax!.i0[tx]!;
    const xb = ax!.i1[tx]!;
    const fx = ax!.f[tx]!;
    const ya = ay!.i0[ty]!;
    const yb = ay!.i1[ty]!;
    const fy = ay!.f[ty]!;
    for (let k = 0; k < colour; k++) {
      v[k] =
        meanAt(xa, ya, k) * (1 - fy) * (1 - fx) +
        meanAt(xb, ya, k) * (1 - fy) * fx +
        meanAt(xa, yb, k) * fy * (1 - fx) +
        meanAt(xb, yb, k) * fy * fx;
    }
  };
  // pass 1: per block, the sum of the estimate (prior or current value in the hole, the raster outside) and the hole count
  for (let y = y0; y < y1; y++) {
    const jb = Math.floor((y + ly) / B) - bya;
    const row = y * w;
    let x = x0;
    for (let ib = 0; ib < cols; ib++) {
      const end = Math.min(x1, (bxa + ib + 1) * B - lx);
      const b = jb * cols + ib;
      const o = b * colour;
      for (; x < end; x++) {
        const i = row + x;
        const d = i * c;
        const hole = md[i] !== 0 && y >= r.top && y < r.bottom && x >= r.left && x < r.right;
        if (hole) holes[b]!++;
        if (hole && prior) {
          interp(x, y);
          for (let k = 0; k < colour; k++) sum[o + k]! += v[k]!;
        } else {
          for (let k = 0; k < colour; k++) sum[o + k]! += data[d + k]! * inv;
        }
      }
    }
  }
  // per block and channel, the shift that restores the mean: (mean * n - sum) / holes
  for (let jb = 0; jb < rows; jb++) {
    const by = bya + jb;
    const ny = Math.min(h, (by + 1) * B - ly) - Math.max(0, by * B - ly);
    for (let ib = 0; ib < cols; ib++) {
      const bx = bxa + ib;
      const b = jb * cols + ib;
      const o = b * colour;
      const nh = holes[b]!;
      const nx = Math.min(w, (bx + 1) * B - lx) - Math.max(0, bx * B - lx);
      for (let k = 0; k < colour; k++) sum[o + k] = nh > 0 ? (meanAt(bx, by, k) * nx * ny - sum[o + k]!) / nh : 0;
    }
  }
  // pass 2: write the hole pixels (within the bounds)
  const bxStart = Math.floor((r.left + lx) / B);
  for (let y = r.top; y < r.bottom; y++) {
    const jb = Math.floor((y + ly) / B) - bya;
    const row = y * w;
    let ib = bxStart - bxa;
    let next = (bxStart + 1) * B - lx; // first x of the next block column
    for (let x = r.left; x < r.right; x++) {
      if (x === next) {
        ib++;
        next += B;
      }
      const i = row + x;
      if (!md[i]) continue;
      const o = (jb * cols + ib) * colour;
      const d = i * c;
      if (prior) interp(x, y);
      else for (let k = 0; k < colour; k++) v[k] = data[d + k]! * inv;
      for (let k = 0; k < colour; k++) {
        const q = (v[k]! + sum[o + k]!) * max; // round half up, clamped (no Math call per value)
        data[d + k] = q <= 0 ? 0 : q >= max ? max : (q + 0.5) | 0;
      }
    }
  }
}
