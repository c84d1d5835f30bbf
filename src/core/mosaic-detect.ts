/**
 * @file Finds mosaics (pixelated regions) on a page alone, with no paint and no selection: the
 * regions made of at least 3×3 adjacent blocks of near-constant colour on one square grid
 * (block 3–64 px, any phase), as a binary mask plus, per region, its bounds and grid (the
 * `MosaicGrid` of mosaic.ts, so the result feeds the mosaic mode directly). Pure functions on
 * typed arrays (no DOM, no Node, no ORT).
 *
 * How (all on the page's luma in 8-bit levels, so a colour page, a 16-bit page and a JPEG's
 * chroma subsampling are one case; thresholds are the constants below):
 * 1. **Clean steps and runs.** A pixel pair (x−1, x) is a clean step when it differs by at least
 *    STEP_MIN levels and the pairs on both sides of it differ by at most FLAT_FRACTION of that
 *    (at least FLAT_MIN): a step between two flat areas, which every boundary between two
 *    different blocks of a mosaic is, and anti-aliased lines and soft texture mostly are not.
 *    A run is the stretch from one clean step to the next on a row (or column) when every pair
 *    inside it is within the flat tolerance of the weaker step; inside a mosaic, runs are one
 *    block long (or a few, where neighbouring blocks share a colour). Each run of length 3..64
 *    is counted in the CELL×CELL cell where it starts, per length and axis.
 * 2. **Candidates → grid.** Per cell, the run length g (if any) that the cells within
 *    ceil(g / CELL) agree on: at least VOTES_MIN runs of length g across each axis, and g with
 *    its multiples holding VOTES_SHARE of the runs there. 8-connected cells with the same g form
 *    a group; its grid is the phase per axis on which most ends of its runs of length k·g lie
 *    (GRID_ON of all run ends, on two or more lines), or a divisor d of g when the lines of d
 *    between g's lines end runs too (runs of 2B are blocks of B beside one of the same colour).
 * 3. **Blocks.** On that grid, over the group's bounds grown by GROW_BLOCKS blocks: per block,
 *    the interior gradient (mean |difference| of the pairs inside the block) and, per pair of
 *    neighbouring blocks, the boundary gradient (mean |difference| across their common side).
 *    A block is flat when its interior gradient is at most FLAT_BLOCK levels, or
 *    FLAT_BLOCK_FRACTION of its strongest side (JPEG ringing grows with the edge); a side is a
 *    mosaic edge when both blocks are flat and the boundary gradient is at least EDGE_MIN levels
 *    and EDGE_RATIO times both interior gradients. A flat page area has no such sides (its
 *    blocks match their neighbours), a textured or screentoned one has interiors as busy as its
 *    boundaries, a line or a panel border gives edges along one grid line only.
 * 4. **Regions.** Flat blocks with a mosaic edge, one-block gaps between them closed, enclosed
 *    areas filled; a 4-connected region is kept when it holds a 3×3 square of its blocks and at
 *    least MIN_EDGES mosaic edges across each axis, on two or more grid lines each. A kept
 *    region then takes in (a) exactly flat blocks (interior gradient ≤ EXACT_BLOCK: a mosaic
 *    not re-encoded) reached across steps of WEAK_EDGE_MIN levels or more (a faint part of the
 *    mosaic; neighbouring blocks of a flat page area have no step between them, so this stops
 *    there), (b) gaps of up to GAP_BLOCKS flat blocks in its rows and columns, enclosed areas,
 *    and the flat blocks inside its convex hull (censors pixelate convex areas, and the part of
 *    a mosaic over white paper shows no steps to be found by).
 *
 * Cost: one pass over the page for the luma and the clean steps, then passes over the candidate
 * groups' bounds only. Measured in bench/mosaic-detect.js.
 */
import { InpaintError, type Mask, type Raster, type Rect } from './types';
import type { MosaicGrid } from './mosaic';

/** Smallest and largest block sizes looked for. */
export const DETECT_MIN_BLOCK = 3;
export const DETECT_MAX_BLOCK = 64;

/** A clean step differs by at least this many 8-bit levels. */
const STEP_MIN = 10;
/** The pairs beside a clean step differ by at most max(FLAT_MIN, step · FLAT_FRACTION). */
const FLAT_MIN = 4;
const FLAT_FRACTION = 0.4;
/** Candidate cells: side in px and the clean steps they must hold. */
const CELL = 16;
/** A grid is consistent on an axis when its lines hold this fraction of the (weighted) clean steps. */
const GRID_ON = 0.5;
/** A multiple of a finer grid: the finer grid's extra lines carry at least this fraction of the weight per line of the coarser one. */
const SUBGRID_RATIO = 0.3;
/** A flat block: mean |difference| of the pairs inside it, in 8-bit levels. */
const FLAT_BLOCK = 2.5;
/** A flat block may also be as busy as this fraction of its strongest mosaic edge (JPEG ringing grows with the edge). */
const FLAT_BLOCK_FRACTION = 0.06;
/**
 * ... and no pair inside it differs by more than FLAT_PAIR_MAX levels, FLAT_PAIR_RATIO × its
 * mean or FLAT_PAIR_FRACTION × its strongest side: JPEG ringing spreads over the block and
 * stays below the edge that causes it, an edge across a block is a few large differences
 * however small their mean.
 */
const FLAT_PAIR_MAX = 8;
const FLAT_PAIR_RATIO = 6;
const FLAT_PAIR_FRACTION = 0.4;
/** A mosaic edge: boundary gradient at least this many levels ... */
const EDGE_MIN = 8;
/** ... and this many times the larger interior gradient of its two blocks. */
const EDGE_RATIO = 4;
/** An exactly flat block (a mosaic not re-encoded): interior gradient at most this many levels. */
const EXACT_BLOCK = 1;
/** A kept region grows over exactly flat blocks across steps of at least this many levels. */
const WEAK_EDGE_MIN = 1;
/** Gaps of at most this many flat blocks between blocks of a region, in a row or a column, are closed. */
const GAP_BLOCKS = 4;
/** Blocks looked at around a candidate group, each way. */
const GROW_BLOCKS = 8;
/** A region's edged blocks take at least MIN_LEVELS values, counted in bins of LEVEL_BIN levels. */
const MIN_LEVELS = 3;
const LEVEL_BIN = 8;
/** A region with more than this share of its pixels in a region found already (of a larger block) is that mosaic again. */
const OVERLAP_MAX = 0.2;
/** A region needs at least this many mosaic edges across each axis. */
const MIN_EDGES = 4;

/** One detected mosaic region. */
export interface MosaicRegion {
  /** Bounds of the region's blocks, clipped to the page (right/bottom exclusive). */
  readonly bounds: Rect;
  /** The region's grid (block size and phase in page coordinates, as mosaic.ts's MosaicGrid). */
  readonly grid: MosaicGrid;
  /** Number of blocks in the region. */
  readonly blocks: number;
  /** Number of page pixels in the region (its blocks, clipped to the page). */
  readonly pixels: number;
  /** Block sides that are mosaic edges (a boundary step between two flat blocks), vertical and horizontal. */
  readonly edges: { readonly x: number; readonly y: number };
}

export interface MosaicDetection {
  /** 1 = pixel of a detected mosaic region (its blocks), 0 = not. */
  readonly mask: Mask;
  readonly regions: readonly MosaicRegion[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The page's luma in 8-bit levels (alpha ignored). */
export function lumaPlane(image: Raster): Uint8Array {
  const { width, height, channels: c, data, maxValue } = image;
  const n = width * height;
  const out = new Uint8Array(n);
  if (!(maxValue > 0)) throw new InpaintError('bad-input', `bad raster maxValue ${maxValue}`);
  const s = 255 / maxValue;
  if (c >= 3) {
    if (maxValue === 255 && c === 4 && data.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
      // RGBA 8-bit (canvas pixels): one 32-bit read per pixel
      const u = new Uint32Array(data.buffer, data.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const v = u[i]!;
        out[i] = (77 * (v & 255) + 150 * ((v >>> 8) & 255) + 29 * ((v >>> 16) & 255) + 128) >> 8;
      }
    } else if (maxValue === 255) {
      for (let i = 0, o = 0; i < n; i++, o += c) out[i] = (77 * data[o]! + 150 * data[o + 1]! + 29 * data[o + 2]! + 128) >> 8;
    } else {
      const k = s / 256;
      for (let i = 0, o = 0; i < n; i++, o += c) {
        const v = (77 * data[o]! + 150 * data[o + 1]! + 29 * data[o + 2]!) * k + 0.5;
        out[i] = v >= 255 ? 255 : v | 0;
      }
    }
  } else if (maxValue === 255) {
    for (let i = 0, o = 0; i < n; i++, o += c) out[i] = data[o]!;
  } else {
    for (let i = 0, o = 0; i < n; i++, o += c) {
      const v = data[o]! * s + 0.5;
      out[i] = v >= 255 ? 255 : v | 0;
    }
  }
  return out;
}

const flatTol = (a: number): number => Math.max(FLAT_MIN, a * FLAT_FRACTION);

/**
 * Finds the mosaic regions of a page (see the file comment). Works on any raster (8/16-bit,
 * gray, gray+alpha, RGB, RGBA); returns an all-zero mask and no regions on a page without one.
 */
export function detectMosaics(image: Raster): MosaicDetection {
  const { width: w, height: h } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1 || image.data.length !== w * h * image.channels) {
    throw new InpaintError('bad-input', `bad raster: ${w}x${h} with ${image.channels} channels and ${image.data.length} values`);
  }
  const mask: Mask = { width: w, height: h, data: new Uint8Array(w * h) };
  const regions: MosaicRegion[] = [];
  if (w < 3 * DETECT_MIN_BLOCK || h < 3 * DETECT_MIN_BLOCK) return { mask, regions };
  const L = lumaPlane(image);
  const cw = Math.ceil(w / CELL);
  const ch = Math.ceil(h / CELL);
  const votes = runVotes(L, w, h, cw, ch);
  const size = candidateSizes(votes, cw, ch);
  const found: FoundRegion[] = [];
  for (const group of cellGroups(size, cw, ch)) {
    const grid = groupGrid(L, w, h, group);
    if (grid) found.push(...blockRegions(L, w, h, grid, group));
  }
  // Two groups may find parts of one mosaic: regions on the same grid that touch are one region.
  // And a mosaic is a mosaic of every divisor of its block too: the largest block first, and a
  // region of another grid mostly on pixels already taken is that mosaic again.
  found.sort((a, b) => b.region.grid.block - a.region.grid.block || b.region.pixels - a.region.pixels);
  const kept: FoundRegion[] = [];
  for (const r of found) {
    const g = r.region.grid;
    const same = kept.findIndex((k) => k.region.grid.block === g.block && k.region.grid.ox === g.ox && k.region.grid.oy === g.oy && touches(k.region.bounds, r.region.bounds));
    if (same >= 0) {
      kept[same] = merge(kept[same]!, r, w, h);
      continue;
    }
    if (overlap(mask, r) > OVERLAP_MAX * r.region.pixels) continue;
    kept.push(r);
    paint(mask, r);
  }
  for (const k of kept) {
    paint(mask, k);
    regions.push(k.region);
  }
  return { mask, regions };
}

// ------------------------------------------------------------------------------- 1. clean steps, runs, votes

/** Histogram bins per cell: run lengths 0..DETECT_MAX_BLOCK. */
const BINS = DETECT_MAX_BLOCK + 1;

interface Votes {
  /** Per run length g, per cell (index g · cells + cell): flat runs of length g bounded by clean steps, across x (rows) and across y (columns), counted in the cell of the run's start. */
  readonly x: Uint16Array;
  readonly y: Uint16Array;
}

/**
 * Flat runs between clean steps, per cell and run length (see the file comment, step 1): a run
 * from a clean step to the next one on the same row (column) whose pairs all differ by at most
 * the flat tolerance of the weaker of its two steps, of length 3..DETECT_MAX_BLOCK.
 */
function runVotes(L: Uint8Array, w: number, h: number, cw: number, ch: number): Votes {
  const cells = cw * ch;
  const vx = new Uint16Array(cells * BINS);
  const vy = new Uint16Array(cells * BINS);
  // per column: the last clean horizontal step (its row), its size, and the largest difference since
  const lastY = new Int32Array(w).fill(-1);
  const aLastY = new Uint8Array(w);
  const maxY = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const cy = (y / CELL) | 0;
    // across x: pair (x−1 | x) for x in 2..w−2
    let last = -1;
    let aLast = 0;
    let maxIn = 0;
    for (let x = 2; x < w - 1; x++) {
      const i = row + x;
      const d = L[i]! - L[i - 1]!;
      const a = d < 0 ? -d : d;
      if (a >= STEP_MIN) {
        const t = flatTol(a);
        const p = L[i - 1]! - L[i - 2]!;
        const n = L[i + 1]! - L[i]!;
        if ((p < 0 ? -p : p) <= t && (n < 0 ? -n : n) <= t) {
          if (last >= 0) {
            const g = x - last;
            if (g >= DETECT_MIN_BLOCK && g <= DETECT_MAX_BLOCK && maxIn <= flatTol(a < aLast ? a : aLast)) {
              vx[g * cells + cy * cw + ((last / CELL) | 0)]!++;
            }
          }
          last = x;
          aLast = a;
          maxIn = 0;
          continue;
        }
      }
      if (a > maxIn) maxIn = a;
    }
    // across y: pair (y−1 | y) for y in 2..h−2
    if (y < 2 || y >= h - 1) continue;
    const up = row - w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const d = L[i]! - L[up + x]!;
      const a = d < 0 ? -d : d;
      if (a >= STEP_MIN) {
        const t = flatTol(a);
        const p = L[up + x]! - L[up - w + x]!;
        const n = L[i + w]! - L[i]!;
        if ((p < 0 ? -p : p) <= t && (n < 0 ? -n : n) <= t) {
          const ly = lastY[x]!;
          if (ly >= 0) {
            const g = y - ly;
            const al = aLastY[x]!;
            if (g >= DETECT_MIN_BLOCK && g <= DETECT_MAX_BLOCK && maxY[x]! <= flatTol(a < al ? a : al)) {
              vy[g * cells + ((ly / CELL) | 0) * cw + ((x / CELL) | 0)]!++;
            }
          }
          lastY[x] = y;
          aLastY[x] = a;
          maxY[x] = 0;
          continue;
        }
      }
      if (a > maxY[x]!) maxY[x] = a;
    }
  }
  return { x: vx, y: vy };
}

/** Run votes needed in a cell's window, across each axis, for a block size there. */
const VOTES_MIN = 4;
/** ... and the share of the window's runs (across each axis) that the size and its multiples must hold. */
const VOTES_SHARE = 0.5;

/**
 * Per cell, the block size its neighbourhood's runs point to (0: none): the run length g whose
 * runs and their multiples' (2g, 3g, ...: neighbouring blocks of one colour) hold at least
 * VOTES_SHARE of the runs across both axes, with VOTES_MIN runs of length g itself on each, in
 * the cells within ceil(g / CELL) (so a 64-px block's window holds its corners).
 */
function candidateSizes(v: Votes, cw: number, ch: number): Uint8Array {
  const W = cw + 1;
  const n = cw * ch;
  /** Integral image over cells of one run length (g >= 0) or of all lengths (g < 0). */
  const integ = (h: Uint16Array, g: number): Int32Array => {
    const s = new Int32Array(W * (ch + 1));
    for (let cy = 0; cy < ch; cy++) {
      let acc = 0;
      const row = (cy + 1) * W;
      const up = cy * W;
      const o = cy * cw;
      if (g >= 0) {
        const base = g * n + o;
        for (let cx = 0; cx < cw; cx++) {
          acc += h[base + cx]!;
          s[row + cx + 1] = s[up + cx + 1]! + acc;
        }
      } else {
        for (let cx = 0; cx < cw; cx++) {
          for (let k = DETECT_MIN_BLOCK; k < BINS; k++) acc += h[k * n + o + cx]!;
          s[row + cx + 1] = s[up + cx + 1]! + acc;
        }
      }
    }
    return s;
  };
  // lengths with enough runs on the page, on both axes, to be a block size anywhere
  const total = (h: Uint16Array, g: number): number => {
    let t = 0;
    for (let i = g * n, e = i + n; i < e; i++) t += h[i]!;
    return t;
  };
  const usable = new Uint8Array(BINS);
  for (let g = DETECT_MIN_BLOCK; g < BINS; g++) usable[g] = total(v.x, g) >= VOTES_MIN && total(v.y, g) >= VOTES_MIN ? 1 : 0;
  const out = new Uint8Array(n);
  if (!usable.some((u) => u)) return out;
  // integral images, made when first needed (a page without candidates needs few)
  const ix: (Int32Array | null)[] = new Array(BINS).fill(null);
  const iy: (Int32Array | null)[] = new Array(BINS).fill(null);
  const getX = (g: number) => (ix[g] ??= integ(v.x, g));
  const getY = (g: number) => (iy[g] ??= integ(v.y, g));
  const tx = integ(v.x, -1);
  const ty = integ(v.y, -1);
  const box = (s: Int32Array, cx0: number, cy0: number, cx1: number, cy1: number): number => s[cy1 * W + cx1]! - s[cy0 * W + cx1]! - s[cy1 * W + cx0]! + s[cy0 * W + cx0]!;
  const rMax = Math.ceil(DETECT_MAX_BLOCK / CELL);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      // not enough runs within the widest window on either axis: no size here
      if (box(tx, Math.max(0, cx - rMax), Math.max(0, cy - rMax), Math.min(cw, cx + rMax + 1), Math.min(ch, cy + rMax + 1)) < VOTES_MIN) continue;
      if (box(ty, Math.max(0, cx - rMax), Math.max(0, cy - rMax), Math.min(cw, cx + rMax + 1), Math.min(ch, cy + rMax + 1)) < VOTES_MIN) continue;
      let best = 0;
      let bestScore = 0;
      for (let g = DETECT_MIN_BLOCK; g < BINS; g++) {
        if (!usable[g]) continue;
        const r = Math.max(1, Math.ceil(g / CELL));
        const x0 = Math.max(0, cx - r);
        const y0 = Math.max(0, cy - r);
        const x1 = Math.min(cw, cx + r + 1);
        const y1 = Math.min(ch, cy + r + 1);
        const TX = box(tx, x0, y0, x1, y1);
        if (TX < VOTES_MIN) continue;
        const TY = box(ty, x0, y0, x1, y1);
        if (TY < VOTES_MIN) continue;
        const X = box(getX(g), x0, y0, x1, y1);
        if (X < VOTES_MIN) continue;
        const Y = box(getY(g), x0, y0, x1, y1);
        if (Y < VOTES_MIN) continue;
        let mx = X;
        let my = Y;
        for (let k = 2 * g; k < BINS; k += g) {
          if (!usable[k]) continue;
          mx += box(getX(k), x0, y0, x1, y1);
          my += box(getY(k), x0, y0, x1, y1);
        }
        if (mx < VOTES_SHARE * TX || my < VOTES_SHARE * TY) continue;
        const score = X + Y;
        if (score > bestScore) {
          bestScore = score;
          best = g;
        }
      }
      out[cy * cw + cx] = best;
    }
  }
  return out;
}

interface CellGroup {
  /** The run length the group's cells agree on. */
  readonly size: number;
  /** Cell indices of the group. */
  readonly cells: readonly number[];
  /** Pixel bounds of the group's cells (clipped to the page later). */
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** 8-connected groups of cells with the same candidate size. */
function cellGroups(size: Uint8Array, cw: number, ch: number): CellGroup[] {
  const seen = new Uint8Array(cw * ch);
  const out: CellGroup[] = [];
  const stack: number[] = [];
  for (let s = 0; s < size.length; s++) {
    const g = size[s]!;
    if (!g || seen[s]) continue;
    const list: number[] = [];
    seen[s] = 1;
    stack.push(s);
    let cx0 = cw;
    let cy0 = ch;
    let cx1 = 0;
    let cy1 = 0;
    while (stack.length) {
      const c = stack.pop()!;
      list.push(c);
      const cx = c % cw;
      const cy = (c - cx) / cw;
      if (cx < cx0) cx0 = cx;
      if (cx > cx1) cx1 = cx;
      if (cy < cy0) cy0 = cy;
      if (cy > cy1) cy1 = cy;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = cy + dy;
        if (ny < 0 || ny >= ch) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          if (nx < 0 || nx >= cw) continue;
          const n = ny * cw + nx;
          if (size[n] === g && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    // at least 3 blocks of the size each way
    if ((cx1 - cx0 + 1) * CELL < 2 * g || (cy1 - cy0 + 1) * CELL < 2 * g) continue;
    out.push({ size: g, cells: list, left: cx0 * CELL, top: cy0 * CELL, right: (cx1 + 1) * CELL, bottom: (cy1 + 1) * CELL });
  }
  return out;
}

// ------------------------------------------------------------------------------- 2. grid

/**
 * Flat runs between clean steps inside a rectangle (both steps inside it): per run, the position
 * of its first step, and its length, across x (rows) in `xr` and across y (columns) in `yr`.
 */
function runsIn(L: Uint8Array, w: number, h: number, r: Rect): { xr: number[]; yr: number[] } {
  const xr: number[] = [];
  const yr: number[] = [];
  const x0 = Math.max(2, r.left);
  const x1 = Math.min(w - 1, r.right);
  const y0 = Math.max(2, r.top);
  const y1 = Math.min(h - 1, r.bottom);
  const cols = x1 - x0;
  if (cols <= 0 || y1 <= y0) return { xr, yr };
  const lastY = new Int32Array(cols).fill(-1);
  const aLastY = new Uint8Array(cols);
  const maxY = new Uint8Array(cols);
  for (let y = Math.max(0, r.top); y < Math.min(h, r.bottom); y++) {
    const row = y * w;
    let last = -1;
    let aLast = 0;
    let maxIn = 0;
    for (let x = x0; x < x1; x++) {
      const i = row + x;
      const d = L[i]! - L[i - 1]!;
      const a = d < 0 ? -d : d;
      if (a >= STEP_MIN) {
        const t = flatTol(a);
        const p = L[i - 1]! - L[i - 2]!;
        const n = L[i + 1]! - L[i]!;
        if ((p < 0 ? -p : p) <= t && (n < 0 ? -n : n) <= t) {
          const g = x - last;
          if (last >= 0 && g >= DETECT_MIN_BLOCK && g <= DETECT_MAX_BLOCK && maxIn <= flatTol(a < aLast ? a : aLast)) xr.push(last, g);
          last = x;
          aLast = a;
          maxIn = 0;
          continue;
        }
      }
      if (a > maxIn) maxIn = a;
    }
    if (y < y0 || y >= y1) continue;
    for (let x = x0; x < x1; x++) {
      const t0 = x - x0;
      const i = row + x;
      const d = L[i]! - L[i - w]!;
      const a = d < 0 ? -d : d;
      if (a >= STEP_MIN) {
        const t = flatTol(a);
        const p = L[i - w]! - L[i - 2 * w]!;
        const n = L[i + w]! - L[i]!;
        if ((p < 0 ? -p : p) <= t && (n < 0 ? -n : n) <= t) {
          const ly = lastY[t0]!;
          const al = aLastY[t0]!;
          const g = y - ly;
          if (ly >= 0 && g >= DETECT_MIN_BLOCK && g <= DETECT_MAX_BLOCK && maxY[t0]! <= flatTol(a < al ? a : al)) yr.push(ly, g);
          lastY[t0] = y;
          aLastY[t0] = a;
          maxY[t0] = 0;
          continue;
        }
      }
      if (a > maxY[t0]!) maxY[t0] = a;
    }
  }
  return { xr, yr };
}

/** The best phase of block size d on one axis: the share of all run ends that lie on its lines, from runs whose length is a multiple of d. */
function axisFit(runs: readonly number[], d: number): { phase: number; on: number; lines: number } | null {
  const n = runs.length / 2;
  if (n === 0) return null;
  const W = new Float64Array(d);
  const seen = new Map<number, number>(); // position -> phase, of the ends counted
  for (let k = 0; k < runs.length; k += 2) {
    const s = runs[k]!;
    const len = runs[k + 1]!;
    if (len % d !== 0) continue;
    const ph = s % d;
    W[ph]! += 2;
    seen.set(s, ph);
    seen.set(s + len, ph);
  }
  let best = 0;
  for (let ph = 1; ph < d; ph++) if (W[ph]! > W[best]!) best = ph;
  if (W[best]! === 0) return null;
  let lines = 0;
  for (const ph of seen.values()) if (ph === best) lines++;
  return { phase: best, on: W[best]! / (2 * n), lines };
}

/**
 * Ends per line, of runs whose length is a multiple of d, on the lines of grid d (phase `phase`
 * mod d) that are not lines of grid B, over the ends per line on grid B's lines, within `extent`
 * positions from `origin`.
 */
function extraLines(runs: readonly number[], B: number, phase: number, d: number, origin: number, extent: number): number {
  let onE = 0;
  let exE = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const len = runs[k + 1]!;
    if (len % d !== 0) continue;
    for (const p of [runs[k]!, runs[k]! + len]) {
      if (p % B === phase) onE++;
      else if (p % d === phase % d) exE++;
    }
  }
  let onN = 0;
  let exN = 0;
  for (let p = origin; p < origin + extent; p++) {
    if (p % B === phase) onN++;
    else if (p % d === phase % d) exN++;
  }
  if (onE === 0 || onN === 0 || exN === 0) return 0;
  return exE / exN / (onE / onN);
}

/**
 * The grid of a group: block size = the group's run length g, or a divisor of it when the finer
 * grid's extra lines end runs too (runs of 2g are blocks of g with a neighbour of one colour);
 * each axis's phase the one on which most ends of runs of a multiple of the size lie. Null when
 * those ends are fewer than GRID_ON of all run ends on an axis, or lie on fewer than two lines.
 */
function groupGrid(L: Uint8Array, w: number, h: number, g: CellGroup): MosaicGrid | null {
  const m = g.size;
  const rect = { left: Math.max(0, g.left - m), top: Math.max(0, g.top - m), right: Math.min(w, g.right + m), bottom: Math.min(h, g.bottom + m) };
  const { xr, yr } = runsIn(L, w, h, rect);
  let B = g.size;
  let fx = axisFit(xr, B);
  let fy = axisFit(yr, B);
  if (!fx || !fy || fx.on < GRID_ON || fy.on < GRID_ON || fx.lines < 2 || fy.lines < 2) return null;
  for (let changed = true; changed; ) {
    changed = false;
    for (let d = Math.floor(B / 2); d >= DETECT_MIN_BLOCK; d--) {
      if (B % d !== 0) continue;
      const ex = extraLines(xr, B, fx.phase, d, rect.left, rect.right - rect.left);
      const ey = extraLines(yr, B, fy.phase, d, rect.top, rect.bottom - rect.top);
      if (ex < SUBGRID_RATIO && ey < SUBGRID_RATIO) continue;
      const nx = axisFit(xr, d);
      const ny = axisFit(yr, d);
      if (nx && ny && nx.phase === fx.phase % d && ny.phase === fy.phase % d) {
        B = d;
        fx = nx;
        fy = ny;
        changed = true;
        break;
      }
    }
  }
  return { block: B, ox: fx.phase, oy: fy.phase };
}

// ------------------------------------------------------------------------------- 3–4. blocks and regions

interface FoundRegion {
  readonly region: MosaicRegion;
  /** Block indices (global, block 0 contains pixel 0) of the region's blocks. */
  readonly blocks: readonly (readonly [number, number])[];
}

/** Pixel phase of block 0: the block of x is floor((x + lead) / B). */
const leadOf = (B: number, o: number): number => (B - (o % B)) % B;

function blockRegions(L: Uint8Array, w: number, h: number, grid: MosaicGrid, g: CellGroup): FoundRegion[] {
  const B = grid.block;
  const lx = leadOf(B, grid.ox);
  const ly = leadOf(B, grid.oy);
  // blocks covering the group's bounds grown by GROW_BLOCKS blocks, clipped to the page
  const m = GROW_BLOCKS * B;
  const bx0 = Math.floor((Math.max(0, g.left - m) + lx) / B);
  const by0 = Math.floor((Math.max(0, g.top - m) + ly) / B);
  const bx1 = Math.floor((Math.min(w, g.right + m) - 1 + lx) / B);
  const by1 = Math.floor((Math.min(h, g.bottom + m) - 1 + ly) / B);
  const cols = bx1 - bx0 + 1;
  const rows = by1 - by0 + 1;
  if (cols < 3 || rows < 3) return [];
  const nb = cols * rows;
  const inSum = new Float64Array(nb); // sum of |d| of interior pairs
  const inN = new Float64Array(nb);
  const inMax = new Float64Array(nb); // largest |d| of an interior pair
  const vSum = new Float64Array(nb); // sum of the block's values
  const vN = new Float64Array(nb);
  const rSum = new Float64Array(nb); // across the block's right side
  const rN = new Float64Array(nb);
  const dSum = new Float64Array(nb); // across the block's bottom side
  const dN = new Float64Array(nb);
  const x0 = Math.max(0, bx0 * B - lx);
  const x1 = Math.min(w, (bx1 + 1) * B - lx);
  const y0 = Math.max(0, by0 * B - ly);
  const y1 = Math.min(h, (by1 + 1) * B - ly);
  // per pixel column of the area: its block column, and whether it starts a block
  const colOf = new Int32Array(x1 - x0);
  const startX = new Uint8Array(x1 - x0);
  for (let x = x0; x < x1; x++) {
    const p = (x + lx) % B;
    colOf[x - x0] = Math.floor((x + lx) / B) - bx0;
    startX[x - x0] = p === 0 ? 1 : 0;
  }
  for (let y = y0; y < y1; y++) {
    const j = Math.floor((y + ly) / B) - by0;
    const py = (y + ly) % B;
    const startY = py === 0;
    const row = y * w;
    const base = j * cols;
    for (let x = x0; x < x1; x++) {
      const t = x - x0;
      const b = base + colOf[t]!;
      const i = row + x;
      const v = L[i]!;
      vSum[b]! += v;
      vN[b]!++;
      if (x > x0) {
        const d = v - L[i - 1]!;
        const a = d < 0 ? -d : d;
        if (startX[t]) {
          rSum[b - 1]! += a;
          rN[b - 1]!++;
        } else {
          inSum[b]! += a;
          if (a > inMax[b]!) inMax[b] = a;
          inN[b]!++;
        }
      }
      if (y > y0) {
        const d = v - L[i - w]!;
        const a = d < 0 ? -d : d;
        if (startY) {
          dSum[b - cols]! += a;
          dN[b - cols]!++;
        } else {
          inSum[b]! += a;
          if (a > inMax[b]!) inMax[b] = a;
          inN[b]!++;
        }
      }
    }
  }
  const rough = new Float64Array(nb);
  for (let b = 0; b < nb; b++) rough[b] = inN[b]! > 0 ? inSum[b]! / inN[b]! : Infinity;
  const stepR = (b: number) => (rN[b]! > 0 ? rSum[b]! / rN[b]! : 0);
  const stepD = (b: number) => (dN[b]! > 0 ? dSum[b]! / dN[b]! : 0);
  // strongest boundary around each block (for the JPEG-tolerant flatness)
  const around = new Float64Array(nb);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const b = j * cols + i;
      let m = 0;
      if (i + 1 < cols) m = Math.max(m, stepR(b));
      if (i > 0) m = Math.max(m, stepR(b - 1));
      if (j + 1 < rows) m = Math.max(m, stepD(b));
      if (j > 0) m = Math.max(m, stepD(b - cols));
      around[b] = m;
    }
  }
  const flat = new Uint8Array(nb);
  for (let b = 0; b < nb; b++) {
    const lim = around[b]!;
    flat[b] = rough[b]! <= Math.max(FLAT_BLOCK, FLAT_BLOCK_FRACTION * lim) && inMax[b]! <= Math.max(FLAT_PAIR_MAX, FLAT_PAIR_RATIO * rough[b]!, FLAT_PAIR_FRACTION * lim) ? 1 : 0;
  }
  const isEdge = (a: number, b: number, s: number): boolean =>
    flat[a] === 1 && flat[b] === 1 && s >= EDGE_MIN && s >= EDGE_RATIO * Math.max(rough[a]!, rough[b]!);
  const edgeR = new Uint8Array(nb);
  const edgeD = new Uint8Array(nb);
  const seed = new Uint8Array(nb);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const b = j * cols + i;
      if (i + 1 < cols && isEdge(b, b + 1, stepR(b))) {
        edgeR[b] = 1;
        seed[b] = seed[b + 1] = 1;
      }
      if (j + 1 < rows && isEdge(b, b + cols, stepD(b))) {
        edgeD[b] = 1;
        seed[b] = seed[b + cols] = 1;
      }
    }
  }
  // close one-block gaps: a flat block between two seeds (left/right or above/below)
  const inR = seed.slice();
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const b = j * cols + i;
      if (inR[b] || !flat[b]) continue;
      const lr = i > 0 && i + 1 < cols && seed[b - 1] && seed[b + 1];
      const ud = j > 0 && j + 1 < rows && seed[b - cols] && seed[b + cols];
      if (lr || ud) inR[b] = 1;
    }
  }
  // fill enclosed areas, then the 4-connected regions with enough evidence of their own
  fillEnclosed(inR, cols, rows);
  const edgesIn = (list: readonly number[], label: Int32Array, s: number) => {
    let ex = 0;
    let ey = 0;
    const linesX = new Set<number>();
    const linesY = new Set<number>();
    let has3x3 = false;
    for (const b of list) {
      const i = b % cols;
      const j = (b - i) / cols;
      if (edgeR[b] && label[b + 1] === s) {
        ex++;
        linesX.add(i);
      }
      if (edgeD[b] && label[b + cols] === s) {
        ey++;
        linesY.add(j);
      }
      if (!has3x3 && i + 2 < cols && j + 2 < rows) {
        let all = true;
        for (let v = 0; v < 3 && all; v++) for (let u = 0; u < 3 && all; u++) if (label[b + v * cols + u] !== s) all = false;
        has3x3 = all;
      }
    }
    return { ex, ey, lines: Math.min(linesX.size, linesY.size), has3x3 };
  };
  const first = components(inR, cols, rows);
  const kept = new Uint8Array(nb);
  for (const list of first.lists) {
    const e = edgesIn(list, first.label, list[0]!);
    if (!e.has3x3 || e.ex < MIN_EDGES || e.ey < MIN_EDGES || e.lines < 2) continue;
    // a mosaic averages what it covers: its blocks take several values, where the corner of a
    // hard-edged frame or a glyph cut by the grid gives two (ink and paper)
    const levels = new Set<number>();
    for (const b of list) if (seed[b] && vN[b]! > 0) levels.add(Math.floor(vSum[b]! / vN[b]! / LEVEL_BIN));
    if (levels.size < MIN_LEVELS) continue;
    for (const b of list) kept[b] = 1;
  }
  const core = kept.slice();
  // grow the kept regions over exactly flat blocks across weak steps (a faint part of the mosaic:
  // neighbouring blocks of a flat page area have no step between them, so this stops there)
  const stack: number[] = [];
  for (let b = 0; b < nb; b++) if (kept[b]) stack.push(b);
  if (stack.length === 0) return [];
  while (stack.length) {
    const b = stack.pop()!;
    const i = b % cols;
    const j = (b - i) / cols;
    const tryJoin = (n: number, s: number) => {
      if (kept[n] || rough[n]! > EXACT_BLOCK || s < WEAK_EDGE_MIN || s < EDGE_RATIO * Math.max(rough[n]!, rough[b]!)) return;
      kept[n] = 1;
      stack.push(n);
    };
    if (i > 0) tryJoin(b - 1, stepR(b - 1));
    if (i + 1 < cols) tryJoin(b + 1, stepR(b));
    if (j > 0) tryJoin(b - cols, stepD(b - cols));
    if (j + 1 < rows) tryJoin(b + cols, stepD(b));
  }
  closeGaps(kept, flat, cols, rows);
  fillEnclosed(kept, cols, rows);
  for (const list of components(kept, cols, rows).lists) fillHull(kept, flat, list, cols);
  const found: FoundRegion[] = [];
  const final = components(kept, cols, rows);
  for (const list of final.lists) {
    if (!list.some((b) => core[b])) continue; // a flat block of the hull cut off from the region
    const e = edgesIn(list, final.label, list[0]!);
    let left = w;
    let top = h;
    let right = 0;
    let bottom = 0;
    let pixels = 0;
    const blocks: [number, number][] = [];
    for (const b of list) {
      const i = b % cols;
      const j = (b - i) / cols;
      const gx = bx0 + i;
      const gy = by0 + j;
      const px0 = Math.max(0, gx * B - lx);
      const px1 = Math.min(w, (gx + 1) * B - lx);
      const py0 = Math.max(0, gy * B - ly);
      const py1 = Math.min(h, (gy + 1) * B - ly);
      if (px1 <= px0 || py1 <= py0) continue;
      left = Math.min(left, px0);
      top = Math.min(top, py0);
      right = Math.max(right, px1);
      bottom = Math.max(bottom, py1);
      pixels += (px1 - px0) * (py1 - py0);
      blocks.push([gx, gy]);
    }
    found.push({ region: { bounds: { left, top, right, bottom }, grid, blocks: blocks.length, pixels, edges: { x: e.ex, y: e.ey } }, blocks });
  }
  return found;
}

/**
 * Sets the flat blocks of `inR` (cols × rows) that lie in a gap of at most GAP_BLOCKS flat blocks
 * between two set blocks of the same row or column (a part of the mosaic over a flat area, such
 * as white paper, shows no steps of its own).
 */
function closeGaps(inR: Uint8Array, flat: Uint8Array, cols: number, rows: number): void {
  const add = new Uint8Array(cols * rows);
  const scan = (start: number, step: number, n: number) => {
    let last = -1; // position of the last set block
    for (let k = 0; k < n; k++) {
      const b = start + k * step;
      if (inR[b]) {
        if (last >= 0 && k - last - 1 > 0 && k - last - 1 <= GAP_BLOCKS) {
          let ok = true;
          for (let t = last + 1; t < k && ok; t++) ok = flat[start + t * step] === 1;
          if (ok) for (let t = last + 1; t < k; t++) add[start + t * step] = 1;
        }
        last = k;
      }
    }
  };
  for (let j = 0; j < rows; j++) scan(j * cols, 1, cols);
  for (let i = 0; i < cols; i++) scan(i, cols, rows);
  for (let b = 0; b < add.length; b++) if (add[b]) inR[b] = 1;
}

/**
 * Sets the flat blocks inside the convex hull of a region's blocks (block centres): censors
 * pixelate convex areas (rectangles, ellipses, brush blobs), and the parts of one over white
 * paper or a flat tone show no steps to find them by.
 */
function fillHull(inR: Uint8Array, flat: Uint8Array, list: readonly number[], cols: number): void {
  if (list.length < 3) return;
  const pts = list.map((b) => [b % cols, Math.floor(b / cols)] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: readonly number[], a: readonly number[], b: readonly number[]) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
  const lower: (readonly [number, number])[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: (readonly [number, number])[] = [];
  for (let k = pts.length - 1; k >= 0; k--) {
    const p = pts[k]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  if (hull.length < 3) return;
  let j0 = Infinity;
  let j1 = -Infinity;
  for (const p of hull) {
    j0 = Math.min(j0, p[1]);
    j1 = Math.max(j1, p[1]);
  }
  // per block row, the hull's extent: the crossings of the row's centre line with the hull's edges
  for (let j = j0; j <= j1; j++) {
    let a = Infinity;
    let b = -Infinity;
    for (let k = 0; k < hull.length; k++) {
      const p = hull[k]!;
      const q = hull[(k + 1) % hull.length]!;
      if ((p[1] <= j && q[1] >= j) || (q[1] <= j && p[1] >= j)) {
        if (p[1] === q[1]) {
          a = Math.min(a, p[0], q[0]);
          b = Math.max(b, p[0], q[0]);
        } else {
          const x = p[0] + ((j - p[1]) * (q[0] - p[0])) / (q[1] - p[1]);
          a = Math.min(a, x);
          b = Math.max(b, x);
        }
      }
    }
    for (let i = Math.ceil(a - 1e-9); i <= Math.floor(b + 1e-9); i++) {
      const c = j * cols + i;
      if (flat[c]) inR[c] = 1;
    }
  }
}

/** Sets every block of `inR` (cols × rows) that no 4-path of unset blocks connects to the border. */
function fillEnclosed(inR: Uint8Array, cols: number, rows: number): void {
  const out = new Uint8Array(cols * rows);
  const stack: number[] = [];
  const start = (b: number) => {
    if (!inR[b] && !out[b]) {
      out[b] = 1;
      stack.push(b);
    }
  };
  for (let i = 0; i < cols; i++) {
    start(i);
    start((rows - 1) * cols + i);
  }
  for (let j = 0; j < rows; j++) {
    start(j * cols);
    start(j * cols + cols - 1);
  }
  while (stack.length) {
    const b = stack.pop()!;
    const i = b % cols;
    const j = (b - i) / cols;
    if (i > 0) start(b - 1);
    if (i + 1 < cols) start(b + 1);
    if (j > 0) start(b - cols);
    if (j + 1 < rows) start(b + cols);
  }
  for (let b = 0; b < inR.length; b++) if (!out[b]) inR[b] = 1;
}

/** 4-connected components of the set blocks: per block its component's first block (−1 unset), and the lists. */
function components(inR: Uint8Array, cols: number, rows: number): { label: Int32Array; lists: number[][] } {
  const label = new Int32Array(cols * rows).fill(-1);
  const lists: number[][] = [];
  const stack: number[] = [];
  for (let s = 0; s < label.length; s++) {
    if (!inR[s] || label[s]! >= 0) continue;
    const list: number[] = [];
    label[s] = s;
    stack.push(s);
    while (stack.length) {
      const b = stack.pop()!;
      list.push(b);
      const i = b % cols;
      const j = (b - i) / cols;
      const visit = (n: number) => {
        if (inR[n] && label[n]! < 0) {
          label[n] = s;
          stack.push(n);
        }
      };
      if (i > 0) visit(b - 1);
      if (i + 1 < cols) visit(b + 1);
      if (j > 0) visit(b - cols);
      if (j + 1 < rows) visit(b + cols);
    }
    lists.push(list);
  }
  return { label, lists };
}

/** Calls `f` with each page row span [x0, x1) of the region's blocks. */
function spans(mask: Mask, r: FoundRegion, f: (row: number, x0: number, x1: number) => void): void {
  const { width: w, height: h } = mask;
  const { block: B, ox, oy } = r.region.grid;
  const lx = leadOf(B, ox);
  const ly = leadOf(B, oy);
  for (const [gx, gy] of r.blocks) {
    const px0 = Math.max(0, gx * B - lx);
    const px1 = Math.min(w, (gx + 1) * B - lx);
    const py0 = Math.max(0, gy * B - ly);
    const py1 = Math.min(h, (gy + 1) * B - ly);
    for (let y = py0; y < py1; y++) f(y * w, px0, px1);
  }
}

/** Whether two rectangles overlap or share a side. */
function touches(a: Rect, b: Rect): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

/** Two regions of one grid as one: their blocks, bounds, pixels and edges together. */
function merge(a: FoundRegion, b: FoundRegion, w: number, h: number): FoundRegion {
  const { block: B, ox, oy } = a.region.grid;
  const lx = leadOf(B, ox);
  const ly = leadOf(B, oy);
  const seen = new Set<string>();
  const blocks: [number, number][] = [];
  let pixels = 0;
  for (const [gx, gy] of [...a.blocks, ...b.blocks]) {
    const key = `${gx},${gy}`;
    if (seen.has(key)) continue;
    seen.add(key);
    blocks.push([gx, gy]);
    pixels += (Math.min(w, (gx + 1) * B - lx) - Math.max(0, gx * B - lx)) * (Math.min(h, (gy + 1) * B - ly) - Math.max(0, gy * B - ly));
  }
  const p = a.region.bounds;
  const q = b.region.bounds;
  return {
    region: {
      bounds: { left: Math.min(p.left, q.left), top: Math.min(p.top, q.top), right: Math.max(p.right, q.right), bottom: Math.max(p.bottom, q.bottom) },
      grid: a.region.grid,
      blocks: blocks.length,
      pixels,
      edges: { x: Math.max(a.region.edges.x, b.region.edges.x), y: Math.max(a.region.edges.y, b.region.edges.y) },
    },
    blocks,
  };
}

function paint(mask: Mask, r: FoundRegion): void {
  spans(mask, r, (row, x0, x1) => mask.data.fill(1, row + x0, row + x1));
}

function overlap(mask: Mask, r: FoundRegion): number {
  let n = 0;
  spans(mask, r, (row, x0, x1) => {
    for (let i = row + x0; i < row + x1; i++) n += mask.data[i]!;
  });
  return n;
}
