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
 * Connected components of the hole pixels, 8-connectivity, in raster order of their first pixel.
 * Works on runs of hole pixels with a union-find, so memory grows with the number of runs,
 * not with the image size; only the rows and columns of the hole's bounds are scanned (pass
 * `bounds` when known: they must contain every hole pixel), zero runs a word at a time.
 */
export function findRegions(m: Mask, bounds?: Rect | null): Region[] {
  const { width: w, data } = m;
  const b = bounds === undefined ? maskBounds(m) : bounds;
  if (!b) return [];
  const scan = byteScanner(data);
  // runs: [y, x0, x1) triples
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
  const xb = Math.max(0, b.left);
  const xe = Math.min(w, b.right);
  for (let y = Math.max(0, b.top); y < Math.min(m.height, b.bottom); y++) {
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
  const index = new Map<number, number>();
  const acc: { left: number; top: number; right: number; bottom: number; count: number }[] = [];
  for (let i = 0; i < nr; i++) {
    const root = find(i);
    const y = rs[3 * i]!;
    const x0 = rs[3 * i + 1]!;
    const x1 = rs[3 * i + 2]!;
    let k = index.get(root);
    if (k === undefined) {
      k = acc.length;
      index.set(root, k);
      acc.push({ left: x0, top: y, right: x1, bottom: y + 1, count: 0 });
    }
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
