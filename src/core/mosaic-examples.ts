/**
 * @file Mosaic restoration from the page's own examples (exemplar super-resolution on the block
 * means). Pure functions on typed arrays (no DOM, no Node, no ORT).
 *
 * A mosaic keeps one number per block and channel: the block's mean. Manga pages repeat
 * themselves (hatching, hair strands, panel borders, screentone), so the unmosaicked rest of the
 * page holds windows whose block means look like the mosaic's. For every mosaic block, the
 * 3 × 3 blocks around it are matched (their luminance means) against every window of 3 × 3
 * blocks of the same size at every pixel position of the page's unmosaicked part (an exact
 * k-d tree search); the K (8) best windows give their detail (each window minus its own block means), averaged with weights
 * exp(−(d − d_min) / h²), on top of the mosaic's block means. Every block is the centre of one
 * such window and a neighbour in eight others: the overlapping estimates are averaged (the
 * centre weighs 1, the neighbours `neighbourWeight`), which removes the seams a per-block copy
 * leaves: every pixel is a weighted mean of up to 9 K windows' pixels, a minimum-mean-square-error
 * guess under the page's own statistics (non-local means super-resolution, as in Protter et al.
 * 2009 "Generalizing the nonlocal-means to super-resolution reconstruction" and Glasner et al.
 * 2009 "Super-resolution from a single image"): details the windows agree on (a line's position
 * given the block means) come back sharp, details they disagree on (a dot tone's phase) average
 * out to the block mean instead of being guessed. The caller projects the result onto the block
 * means afterwards (core/mosaic.ts `projectBlockMeans`).
 *
 * Measured on the 20 mosaic evaluation cases (blocks of 6–16 px): mosaic left as is 26.45 dB,
 * block-mean prior + network 26.79, this 28.00 (K 8; K 64: 27.90; models/README.md "Session 9").
 */
import { maskBounds } from './mask';
import { leadOf, type BlockMeans, type MosaicGrid } from './mosaic';
import { InpaintError, type Mask, type Raster, type Rect } from './types';

export interface MosaicExampleOptions {
  /** Windows averaged per block. */
  readonly k?: number;
  /** Weight scale h of exp(−(d − d_min) / h²), d the mean squared luminance difference (0–1 units). */
  readonly h?: number;
  /** Weight of a block's estimate from its neighbours' windows (its own window weighs 1). */
  readonly neighbourWeight?: number;
  /** Pixels searched around the mosaic's bounds on every side. */
  readonly searchMargin?: number;
  /** Candidate windows beyond this many are sampled on a coarser pixel grid (time and memory). */
  readonly maxCandidates?: number;
}

export const MOSAIC_EXAMPLES: Required<MosaicExampleOptions> = {
  k: 8,
  h: 24 / 255,
  neighbourWeight: 0.5,
  searchMargin: 192,
  maxCandidates: 250_000,
};

export interface MosaicExampleStats {
  /** Candidate windows searched (0: the page has no unmosaicked window of 3 × 3 blocks; nothing written). */
  readonly candidates: number;
  /** Blocks estimated. */
  readonly blocks: number;
  /** Pixel stride of the candidate positions (1 unless over maxCandidates). */
  readonly stride: number;
}

/**
 * A k-d tree over n points of `dim` float features (leaves of up to LEAF points, split at the
 * median of the widest dimension), for exact K-nearest-neighbour search under a weighted squared
 * distance.
 */
export class KdTree {
  private readonly idx: Int32Array;
  /** Per node: first point, end, split dimension (−1: leaf), split value, children. */
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly sdim: number[] = [];
  private readonly sval: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private static readonly LEAF = 24;

  constructor(
    private readonly feat: Float32Array,
    private readonly dim: number,
  ) {
    const n = feat.length / dim;
    this.idx = new Int32Array(n);
    for (let i = 0; i < n; i++) this.idx[i] = i;
    this.build(0, n);
  }

  private build(s: number, e: number): number {
    const node = this.start.length;
    this.start.push(s);
    this.end.push(e);
    this.sdim.push(-1);
    this.sval.push(0);
    this.lo.push(-1);
    this.hi.push(-1);
    if (e - s <= KdTree.LEAF) return node;
    const { feat, dim, idx } = this;
    let best = -1;
    let spread = 0;
    for (let d = 0; d < dim; d++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = s; i < e; i++) {
        const v = feat[idx[i]! * dim + d]!;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (mx - mn > spread) {
        spread = mx - mn;
        best = d;
      }
    }
    if (best < 0) return node; // all points equal: one leaf
    const m = (s + e) >> 1;
    this.select(s, e, m, best);
    this.sdim[node] = best;
    this.sval[node] = feat[idx[m]! * dim + best]!;
    const l = this.build(s, m);
    const r = this.build(m, e);
    this.lo[node] = l;
    this.hi[node] = r;
    return node;
  }

  /** Reorders idx[s..e) so that idx[m] holds the m-th smallest along dimension d, smaller before, larger after. */
  private select(s: number, e: number, m: number, d: number): void {
    const { feat, dim, idx } = this;
    let l = s;
    let r = e - 1;
    while (r > l) {
      const pivot = feat[idx[(l + r) >> 1]! * dim + d]!;
      let i = l;
      let j = r;
      while (i <= j) {
        while (feat[idx[i]! * dim + d]! < pivot) i++;
        while (feat[idx[j]! * dim + d]! > pivot) j--;
        if (i <= j) {
          const t = idx[i]!;
          idx[i] = idx[j]!;
          idx[j] = t;
          i++;
          j--;
        }
      }
      if (m <= j) r = j;
      else if (m >= i) l = i;
      else break;
    }
  }

  /**
   * The k nearest points to q under sum_t w[t] (feat_t − q_t)^2 into heapD / heapI (a max-heap
   * of k entries, unordered); returns the number of points whose distance was computed.
   */
  nearest(q: Float64Array, w: Float64Array, k: number, heapD: Float64Array, heapI: Int32Array): number {
    const { feat, dim, idx } = this;
    let filled = 0;
    let visits = 0;
    const push = (d: number, n: number): void => {
      if (filled < k) {
        let i = filled++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (heapD[p]! >= d) break;
          heapD[i] = heapD[p]!;
          heapI[i] = heapI[p]!;
          i = p;
        }
        heapD[i] = d;
        heapI[i] = n;
      } else if (d < heapD[0]!) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= k) break;
          const r = l + 1;
          const m = r < k && heapD[r]! > heapD[l]! ? r : l;
          if (heapD[m]! <= d) break;
          heapD[i] = heapD[m]!;
          heapI[i] = heapI[m]!;
          i = m;
        }
        heapD[i] = d;
        heapI[i] = n;
      }
    };
    const visit = (node: number): void => {
      const sd = this.sdim[node]!;
      if (sd < 0) {
        for (let i = this.start[node]!, e = this.end[node]!; i < e; i++) {
          const n = idx[i]!;
          const f = n * dim;
          let d = 0;
          for (let t = 0; t < dim; t++) {
            const x = feat[f + t]! - q[t]!;
            d += w[t]! * x * x;
          }
          push(d, n);
        }
        visits += this.end[node]! - this.start[node]!;
        return;
      }
      const diff = q[sd]! - this.sval[node]!;
      const near = diff < 0 ? this.lo[node]! : this.hi[node]!;
      const far = diff < 0 ? this.hi[node]! : this.lo[node]!;
      visit(near);
      if (filled < k || w[sd]! * diff * diff < heapD[0]!) visit(far);
    };
    visit(0);
    return visits;
  }
}


/**
 * Writes the exemplar estimate into every hole pixel of `out` (inside `bounds`, default the
 * mask's bounds) whose block has a window estimate; returns what was searched. `image` is the
 * page showing the mosaic (read only); `means` its block means on `grid`, covering the hole's
 * blocks and one block around them (core/mosaic.ts `mosaicPriorRect`). Pixels outside the hole
 * and alpha are never written; values are clamped and rounded to the raster's levels. With no
 * candidate window (the whole neighbourhood is mosaic) nothing is written.
 */
export function fillMosaicFromExamples(
  out: Raster,
  image: Raster,
  mask: Mask,
  grid: MosaicGrid,
  means: BlockMeans,
  bounds?: Rect,
  options: MosaicExampleOptions = {},
): MosaicExampleStats {
  const o = { ...MOSAIC_EXAMPLES, ...options };
  const { width: W, height: H, channels: c, maxValue } = image;
  if (out.width !== W || out.height !== H || out.channels !== c || mask.width !== W || mask.height !== H) {
    throw new InpaintError('bad-input', `mosaic examples: the image, result and mask sizes differ (${W}x${H}, ${out.width}x${out.height}, ${mask.width}x${mask.height})`);
  }
  const colour = c >= 3 ? 3 : 1;
  if (means.channels !== colour || means.grid.block !== grid.block || means.grid.ox !== grid.ox || means.grid.oy !== grid.oy) {
    throw new InpaintError('bad-input', 'mosaic examples: the block means were taken on another grid or with other channels');
  }
  const none = { candidates: 0, blocks: 0, stride: 1 };
  const mb = bounds ?? maskBounds(mask);
  if (!mb) return none;
  const B = grid.block;
  const lx = leadOf(B, grid.ox);
  const ly = leadOf(B, grid.oy);
  const md = mask.data;
  // the blocks touching the hole (the mosaic): global block indices
  const bxa = Math.floor((mb.left + lx) / B);
  const bxb = Math.floor((mb.right - 1 + lx) / B);
  const bya = Math.floor((mb.top + ly) / B);
  const byb = Math.floor((mb.bottom - 1 + ly) / B);
  const cols = bxb - bxa + 1;
  const rows = byb - bya + 1;
  const mosaic = new Uint8Array(cols * rows);
  for (let y = mb.top; y < mb.bottom; y++) {
    const jb = Math.floor((y + ly) / B) - bya;
    for (let x = mb.left; x < mb.right; x++) if (md[y * W + x]) mosaic[jb * cols + Math.floor((x + lx) / B) - bxa] = 1;
  }
  // the mosaic's pixel extent and the search region around it
  const mx0 = Math.max(0, bxa * B - lx);
  const mx1 = Math.min(W, (bxb + 1) * B - lx);
  const my0 = Math.max(0, bya * B - ly);
  const my1 = Math.min(H, (byb + 1) * B - ly);
  const rx0 = Math.max(0, mx0 - o.searchMargin);
  const rx1 = Math.min(W, mx1 + o.searchMargin);
  const ry0 = Math.max(0, my0 - o.searchMargin);
  const ry1 = Math.min(H, my1 + o.searchMargin);
  const rw = rx1 - rx0;
  const rh = ry1 - ry0;
  const S = 3 * B;
  if (rw < S || rh < S) return none;

  // integral images of the search region: each colour channel (a block's colour mean in 4 reads),
  // their sum (luminance, the matching's feature) and the mosaic's pixels (windows must avoid them)
  const data = image.data;
  const iw = rw + 1;
  const sumC: Float64Array[] = [];
  for (let k = 0; k < colour; k++) {
    const t = new Float64Array(iw * (rh + 1));
    for (let y = 0; y < rh; y++) {
      let row = 0;
      const d = ((ry0 + y) * W + rx0) * c + k;
      for (let x = 0; x < rw; x++) {
        row += data[d + x * c]!;
        t[(y + 1) * iw + x + 1] = t[y * iw + x + 1]! + row;
      }
    }
    sumC.push(t);
  }
  const inv = 1 / (colour * maxValue);
  const sumL = new Float64Array(iw * (rh + 1));
  for (let i = 0; i < sumL.length; i++) {
    let v = 0;
    for (let k = 0; k < colour; k++) v += sumC[k]![i]!;
    sumL[i] = v * inv;
  }
  const sumM = new Int32Array(iw * (rh + 1));
  for (let y = 0; y < rh; y++) {
    let rowM = 0;
    const jb = Math.floor((ry0 + y + ly) / B) - bya;
    for (let x = 0; x < rw; x++) {
      const ib = Math.floor((rx0 + x + lx) / B) - bxa;
      if (jb >= 0 && jb < rows && ib >= 0 && ib < cols && mosaic[jb * cols + ib]) rowM++;
      sumM[(y + 1) * iw + x + 1] = sumM[y * iw + x + 1]! + rowM;
    }
  }
  const boxL = (x: number, y: number, s: number): number =>
    (sumL[(y + s) * iw + x + s]! - sumL[y * iw + x + s]! - sumL[(y + s) * iw + x]! + sumL[y * iw + x]!) / (s * s);
  const boxM = (x: number, y: number, s: number): number => sumM[(y + s) * iw + x + s]! - sumM[y * iw + x + s]! - sumM[(y + s) * iw + x]! + sumM[y * iw + x]!;

  // candidate windows: top-left (x, y) in the region, 3B x 3B, no mosaic pixel
  const ny = rh - S + 1;
  const nx = rw - S + 1;
  let free = 0;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (boxM(x, y, S) === 0) free++;
  if (free === 0) return none;
  const stride = Math.max(1, Math.ceil(Math.sqrt(free / o.maxCandidates)));
  const pos: number[] = [];
  for (let y = 0; y < ny; y += stride) for (let x = 0; x < nx; x += stride) if (boxM(x, y, S) === 0) pos.push(y * rw + x);
  const N = pos.length;
  // features: the 3 x 3 luminance means, searched through a k-d tree
  const cand = Int32Array.from(pos);
  const feat = new Float32Array(N * 9);
  for (let n = 0; n < N; n++) {
    const x = cand[n]! % rw;
    const y = (cand[n]! - x) / rw;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) feat[n * 9 + a * 3 + b] = boxL(x + b * B, y + a * B, B);
  }
  const tree = new KdTree(feat, 9);

  // the block means (colour and luminance) around every mosaic block
  const M = means.data;
  const nbx = Math.ceil((W + lx) / B);
  const nby = Math.ceil((H + ly) / B);
  const meanOf = (bx: number, by: number, k: number): number => {
    const i = bx - means.bx0;
    const j = by - means.by0;
    if (i < 0 || j < 0 || i >= means.cols || j >= means.rows) {
      throw new InpaintError('bad-input', `mosaic examples: the block means do not cover block (${bx}, ${by})`);
    }
    return M[(j * means.cols + i) * colour + k]!;
  };

  // accumulators over the mosaic's pixel extent
  const aw = mx1 - mx0;
  const ah = my1 - my0;
  const acc = new Float64Array(aw * ah * colour);
  const wsum = new Float64Array(aw * ah);
  const K = Math.min(o.k, N);
  const heapD = new Float64Array(K);
  const heapI = new Int32Array(K);
  const q = new Float64Array(9);
  const w = new Float64Array(9);
  const qok = new Uint8Array(9);
  const qc = new Float64Array(9 * colour);
  const detail = new Float64Array(S * S * colour);
  const pm = new Float64Array(9 * colour);
  const h2 = o.h * o.h;
  const invMax = 1 / maxValue;
  const blockOf = new Int32Array(S);
  for (let u = 0; u < S; u++) blockOf[u] = Math.floor(u / B);
  const norm = 1 / (B * B * maxValue);
  const boxC = sumC.map((t) => (x: number, y: number): number => (t[(y + B) * iw + x + B]! - t[y * iw + x + B]! - t[(y + B) * iw + x]! + t[y * iw + x]!) * norm);
  let blocks = 0;

  for (let jb = 0; jb < rows; jb++) {
    for (let ib = 0; ib < cols; ib++) {
      if (!mosaic[jb * cols + ib]) continue;
      const bx = bxa + ib;
      const by = bya + jb;
      // the query: luminance means of the 3 x 3 blocks (those inside the image), colour means
      let dims = 0;
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          const t = a * 3 + b;
          const nbX = bx + b - 1;
          const nbY = by + a - 1;
          qok[t] = nbX >= 0 && nbY >= 0 && nbX < nbx && nbY < nby ? 1 : 0;
          if (!qok[t]) continue;
          let s = 0;
          for (let k = 0; k < colour; k++) {
            const v = meanOf(nbX, nbY, k);
            qc[t * colour + k] = v;
            s += v;
          }
          q[t] = s / colour;
          dims++;
        }
      }
      // the K nearest candidates; a block at the image's edge matches on its blocks inside the image
      for (let t = 0; t < 9; t++) w[t] = qok[t] ? 1 / dims : 0;
      tree.nearest(q, w, K, heapD, heapI);
      let dmin = Infinity;
      for (let i = 0; i < K; i++) dmin = Math.min(dmin, heapD[i]!);
      // the weighted detail of the K windows (each minus its own block means, per channel)
      detail.fill(0);
      let wtot = 0;
      for (let i = 0; i < K; i++) {
        const wt = Math.exp(-(heapD[i]! - dmin) / h2);
        wtot += wt;
        const p0 = cand[heapI[i]!]!;
        const cx = rx0 + (p0 % rw);
        const cy = ry0 + Math.floor(p0 / rw);
        for (let t = 0; t < 9; t++) {
          const x = p0 % rw + (t % 3) * B;
          const y = Math.floor(p0 / rw) + Math.floor(t / 3) * B;
          for (let k = 0; k < colour; k++) pm[t * colour + k] = boxC[k]!(x, y);
        }
        for (let v = 0; v < S; v++) {
          const row = ((cy + v) * W + cx) * c;
          const ta = blockOf[v]! * 3;
          let o2 = v * S * colour;
          for (let u = 0; u < S; u++, o2 += colour) {
            const tc = (ta + blockOf[u]!) * colour;
            const d0 = row + u * c;
            for (let k = 0; k < colour; k++) detail[o2 + k]! += wt * (data[d0 + k]! * invMax - pm[tc + k]!);
          }
        }
      }
      const winv = 1 / wtot;
      // into the accumulators: the window's pixels that are hole pixels, on the query's block means
      const wx0 = (bx - 1) * B - lx;
      const wy0 = (by - 1) * B - ly;
      for (let v = 0; v < S; v++) {
        const y = wy0 + v;
        if (y < my0 || y >= my1) continue;
        const a = Math.floor(v / B);
        for (let u = 0; u < S; u++) {
          const x = wx0 + u;
          if (x < mx0 || x >= mx1 || !md[y * W + x]) continue;
          const t = a * 3 + Math.floor(u / B);
          if (!qok[t]) continue;
          const wt = t === 4 ? 1 : o.neighbourWeight;
          const ai = (y - my0) * aw + (x - mx0);
          wsum[ai]! += wt;
          const o2 = (v * S + u) * colour;
          for (let k = 0; k < colour; k++) acc[ai * colour + k]! += wt * (qc[t * colour + k]! + detail[o2 + k]! * winv);
        }
      }
      blocks++;
    }
  }

  // the estimate into the hole pixels
  const od = out.data;
  for (let y = my0; y < my1; y++) {
    for (let x = mx0; x < mx1; x++) {
      const ai = (y - my0) * aw + (x - mx0);
      if (!md[y * W + x] || !(wsum[ai]! > 0)) continue;
      const d = (y * W + x) * c;
      const wi = 1 / wsum[ai]!;
      for (let k = 0; k < colour; k++) {
        const v = acc[ai * colour + k]! * wi;
        od[d + k] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * maxValue);
      }
    }
  }
  return { candidates: N, blocks, stride };
}
