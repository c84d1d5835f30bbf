/**
 * @file Connected hole regions and the square context boxes sent to the model.
 */
import { byteScanner, maskBounds } from './mask';
import { InpaintError, type Mask, type Rect } from './types';

export interface Region {
  /** Tight bounds of the region (right/bottom exclusive). */
  readonly bounds: Rect;
  /** Number of hole pixels in the region. */
  readonly count: number;
}

/**
 * The hole pixels of a rectangle as runs, labelled by 8-connected component: the one region
 * labelling of the codebase (context boxes, flat holes and the holes a box owns all use it).
 * Works on runs of hole pixels with a union-find, so memory grows with the number of runs, not
 * with the image size; zero runs are skipped a word at a time.
 */
export interface HoleRuns {
  /** Run k covers row `runs[3k]`, columns `runs[3k+1]` (inclusive) to `runs[3k+2]` (exclusive). */
  readonly runs: Int32Array;
  /** Number of runs, in raster order. */
  readonly count: number;
  /** Component of each run, 0..components-1, numbered in raster order of their first pixel. */
  readonly component: Int32Array;
  readonly components: number;
}

/** Labels the 8-connected components of the hole pixels of `m` inside `rect` (clipped to the image). */
export function holeRuns(m: Mask, rect: Rect): HoleRuns {
  const { width: w, data } = m;
  const scan = byteScanner(data);
  let rs = new Int32Array(3 * 1024);
  let nr = 0;
  const parent: number[] = [];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      const p = parent[parent[a]!]!;
      parent[a] = p;
      a = p;
    }
    return a;
  };
  let prevStart = 0;
  let prevEnd = 0;
  const xb = Math.max(0, rect.left);
  const xe = Math.min(w, rect.right);
  for (let y = Math.max(0, rect.top); y < Math.min(m.height, rect.bottom); y++) {
    const row = y * w;
    const curStart = nr;
    let x = xb;
    let j = prevStart; // first previous-row run that may still touch
    while (x < xe) {
      const next = scan.next(row + x, row + xe);
      if (next < 0) break;
      x = next - row;
      const x0 = x;
      while (x < xe && data[row + x]) x++;
      const x1 = x;
      if (3 * (nr + 1) > rs.length) {
        const bigger = new Int32Array(rs.length * 2);
        bigger.set(rs);
        rs = bigger;
      }
      rs[3 * nr] = y;
      rs[3 * nr + 1] = x0;
      rs[3 * nr + 2] = x1;
      parent.push(nr);
      // 8-connected: previous-row run [a, b) touches [x0, x1) iff a <= x1 and b >= x0
      while (j < prevEnd && rs[3 * j + 2]! < x0) j++;
      for (let k = j; k < prevEnd && rs[3 * k + 1]! <= x1; k++) {
        const ra = find(nr);
        const rb = find(k);
        if (ra !== rb) {
          if (ra < rb) parent[rb] = ra;
          else parent[ra] = rb;
        }
      }
      nr++;
    }
    prevStart = curStart;
    prevEnd = nr;
  }
  // roots are the smallest run of their component, so numbering by first root is raster order
  const component = new Int32Array(nr);
  const label = new Int32Array(nr).fill(-1);
  let components = 0;
  for (let i = 0; i < nr; i++) {
    const root = find(i);
    if (label[root]! < 0) label[root] = components++;
    component[i] = label[root]!;
  }
  return { runs: rs, count: nr, component, components };
}

/**
 * Connected components of the hole pixels, 8-connectivity, in raster order of their first pixel.
 * Only the rows and columns of the hole's bounds are scanned (pass `bounds` when known: they
 * must contain every hole pixel).
 */
export function findRegions(m: Mask, bounds?: Rect | null): Region[] {
  const b = bounds === undefined ? maskBounds(m) : bounds;
  if (!b) return [];
  const { runs: rs, count, component } = holeRuns(m, b);
  const acc: { left: number; top: number; right: number; bottom: number; count: number }[] = [];
  for (let i = 0; i < count; i++) {
    const k = component[i]!;
    const y = rs[3 * i]!;
    const x0 = rs[3 * i + 1]!;
    const x1 = rs[3 * i + 2]!;
    if (k === acc.length) acc.push({ left: x0, top: y, right: x1, bottom: y + 1, count: 0 });
    const a = acc[k]!;
    if (x0 < a.left) a.left = x0;
    if (x1 > a.right) a.right = x1;
    if (y + 1 > a.bottom) a.bottom = y + 1;
    a.count += x1 - x0;
  }
  return acc.map((a) => ({
    bounds: { left: a.left, top: a.top, right: a.right, bottom: a.bottom },
    count: a.count,
  }));
}

/**
 * The unfilled hole pixels of `box` whose connected part of `remaining` (8-connectivity) lies
 * wholly inside the box, as a box-sized 0/1 array; null when there are none.
 */
export function enclosedHoles(remaining: Mask, box: Rect): Uint8Array | null {
  // label the box grown by one pixel: a part that touches a hole pixel outside the box leaves it
  const grown = { left: box.left - 1, top: box.top - 1, right: box.right + 1, bottom: box.bottom + 1 };
  const { runs: rs, count, component, components } = holeRuns(remaining, grown);
  const leaves = new Uint8Array(components);
  for (let i = 0; i < count; i++) {
    const y = rs[3 * i]!;
    if (y < box.top || y >= box.bottom || rs[3 * i + 1]! < box.left || rs[3 * i + 2]! > box.right) leaves[component[i]!] = 1;
  }
  const bw = box.right - box.left;
  const own = new Uint8Array(bw * (box.bottom - box.top));
  let any = false;
  for (let i = 0; i < count; i++) {
    if (leaves[component[i]!]) continue;
    const o = (rs[3 * i]! - box.top) * bw - box.left;
    own.fill(1, o + rs[3 * i + 1]!, o + rs[3 * i + 2]!);
    any = true;
  }
  return any ? own : null;
}

/** Square of side `side` (at most the image's sides) around the centre of `r`, shifted inside the image. */
function squareAround(r: Rect, side: number, width: number, height: number): Rect {
  const sw = Math.min(side, width);
  const sh = Math.min(side, height);
  const cx = (r.left + r.right) / 2;
  const cy = (r.top + r.bottom) / 2;
  let left = Math.round(cx - sw / 2);
  let top = Math.round(cy - sh / 2);
  left = Math.max(0, Math.min(width - sw, left));
  top = Math.max(0, Math.min(height - sh, top));
  // rounding can leave a pixel of r outside: widen toward it (only possible when sw/sh > r's side)
  if (left > r.left) left = r.left;
  if (top > r.top) top = r.top;
  if (left + sw < r.right) left = r.right - sw;
  if (top + sh < r.bottom) top = r.bottom - sh;
  return { left, top, right: left + sw, bottom: top + sh };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Context boxes for the model: one per region, square, at least `scale` (default 1.5) times the
 * region's larger side and at least `minSide`, centred on the region and shifted (then clipped)
 * to fit in the image. Boxes that overlap are replaced by the square around both, until no two
 * overlap; every region then lies inside exactly one box.
 *
 * With `maxMergeSide`, two boxes are merged only if the square around both is at most that side
 * (so a page with many holes is not turned into one page-sized box); boxes that would grow
 * beyond it stay separate and may overlap. Every region still lies inside at least one box.
 * `bounds`: the mask's hole bounds when already known (see findRegions).
 */
export function contextBoxes(m: Mask, opts: { minSide: number; scale?: number; maxMergeSide?: number; bounds?: Rect | null }): Rect[] {
  const scale = opts.scale ?? 1.5;
  if (!(opts.minSide >= 1) || !(scale >= 1)) {
    throw new InpaintError('bad-input', `context boxes need minSide >= 1 and scale >= 1 (got ${opts.minSide}, ${scale})`);
  }
  const { width, height } = m;
  const sideFor = (r: Rect) =>
    Math.max(opts.minSide, Math.ceil(scale * Math.max(r.right - r.left, r.bottom - r.top)));
  const cap = opts.maxMergeSide ?? Infinity;
  const out: Rect[] = [];
  for (const g of findRegions(m, opts.bounds)) {
    let box = squareAround(g.bounds, sideFor(g.bounds), width, height);
    // merge the new box with any it overlaps (when the merged square stays within the cap)
    for (let k = 0; k < out.length; ) {
      const a = out[k]!;
      if (!overlaps(a, box)) {
        k++;
        continue;
      }
      const u = {
        left: Math.min(a.left, box.left),
        top: Math.min(a.top, box.top),
        right: Math.max(a.right, box.right),
        bottom: Math.max(a.bottom, box.bottom),
      };
      const side = Math.max(u.right - u.left, u.bottom - u.top);
      if (side > cap) {
        k++;
        continue;
      }
      box = squareAround(u, side, width, height);
      out.splice(k, 1);
      k = 0;
    }
    out.push(box);
  }
  return out.sort((a, b) => a.top - b.top || a.left - b.left);
}
