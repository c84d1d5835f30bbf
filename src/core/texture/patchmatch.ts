/**
 * @file Multi-scale PatchMatch completion (Wexler et al. 2007, with Barnes et al. 2009 PatchMatch
 * as the nearest-neighbour search), guided by a structure image.
 *
 * Every patch that overlaps the hole is matched to a fully-known patch of the same crop. The cost
 * is the SSD on the current estimate (luma) plus `guideWeight` times the SSD of the low-pass of
 * the guide-filled image, so the copied texture has to follow the guide's low-frequency structure.
 * E-step: PatchMatch (propagation + random search, seeded PRNG). M-step: every hole pixel becomes
 * the mean of the values its overlapping matched patches vote for. Coarse to fine over a 2x
 * pyramid; the nearest-neighbour field is upsampled between levels.
 */
import { boxBlur, downsample2, downsampleMask2 } from './filters';
import { mulberry32, type Prng } from './prng';

export interface CompletionParams {
  readonly patchSize: number;
  readonly levels: number;
  readonly guideWeight: number;
  /** Radius of the double box blur that makes the guide's low-pass, at the finest level (halved per level). */
  readonly guideBlur: number;
  /** [PatchMatch passes, EM iterations] per level, finest first. */
  readonly schedule: readonly (readonly [number, number])[];
  /** Random-search radius on the levels below the coarsest (the coarsest searches the whole crop). */
  readonly localRadius: number;
  readonly seed: number;
  /**
   * 'mean': every hole pixel averages its votes; 'weighted': votes weighted by exp(-cost / q75),
   * q75 the 75th percentile of the patch costs (Wexler's similarity weights); 'center': it copies
   * its own patch centre's match; 'mode': the mean, then 2 mean-shift steps towards the dominant
   * vote (kernel 1/(1+d^2/s^2)^2, s = 0.15), sharper than the mean where votes disagree.
   */
  readonly vote: 'mean' | 'weighted' | 'center' | 'mode';
}

interface Level {
  readonly w: number;
  readonly h: number;
  /** Source planes (channels * w * h); values inside the hole are never read. */
  readonly planes: Float32Array;
  /** Luma of the current estimate: known pixels fixed, hole pixels updated by voting. */
  readonly luma: Float32Array;
  /** Low-pass of the guide-filled luma. */
  readonly low: Float32Array;
  /** Pixels not usable as sources (the whole hole). */
  readonly hole: Uint8Array;
  /** Pixels to synthesise (the hole, or the part of it the caller wants refined). */
  readonly fill: Uint8Array;
}

interface Field {
  readonly targets: Int32Array; // patch centres whose window overlaps the hole
  readonly isTarget: Uint8Array;
  readonly valid: Uint8Array; // patch centres whose window is fully known
  readonly validList: Int32Array;
  readonly nnf: Int32Array; // source centre index per target centre
  readonly cost: Float32Array;
}

/**
 * Completes the hole of `planes` (channels planes of width*height). `lumaKnownGuide` is the luma of
 * the crop with the guide in the hole. Returns planar values for every pixel (only hole pixels are
 * meaningful), or null when the crop holds no fully-known patch to copy from.
 */
export function completeHole(
  planes: Float32Array,
  channels: number,
  lumaKnownGuide: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  p: CompletionParams,
  fill: Uint8Array = hole,
): Float32Array | null {
  const r = p.patchSize >> 1;
  // Pyramid, finest first.
  const levels: Level[] = [];
  let w = width;
  let h = height;
  let pl = planes;
  let lu = lumaKnownGuide;
  let ho = hole;
  let fi = fill;
  for (let l = 0; l < p.levels; l++) {
    const lowR = Math.max(1, p.guideBlur >> l);
    levels.push({ w, h, planes: pl, luma: Float32Array.from(lu), low: boxBlur(boxBlur(lu, w, h, lowR), w, h, lowR), hole: ho, fill: fi });
    if (l === p.levels - 1) break;
    const w2 = (w + 1) >> 1;
    const h2 = (h + 1) >> 1;
    if (w2 < 2 * p.patchSize || h2 < 2 * p.patchSize) break;
    const pl2 = new Float32Array(channels * w2 * h2);
    for (let c = 0; c < channels; c++) pl2.set(downsample2(pl.subarray(c * w * h, (c + 1) * w * h), w, h), c * w2 * h2);
    lu = downsample2(lu, w, h);
    ho = downsampleMask2(ho, w, h);
    fi = fill === hole ? ho : downsampleMask2(fi, w, h);
    pl = pl2;
    w = w2;
    h = h2;
  }
  const rng = mulberry32(p.seed);
  let field: Field | null = null;
  let prev: { level: Level; field: Field } | null = null;
  for (let l = levels.length - 1; l >= 0; l--) {
    const L = levels[l];
    const [pmPasses, emIters] = p.schedule[Math.min(l, p.schedule.length - 1)];
    field = makeField(L, r);
    if (field.validList.length === 0) {
      // Too little context at this scale (a thin ring around a big hole): start on a finer level.
      if (l === 0) return null;
      continue;
    }
    if (prev) {
      upsampleField(prev.level, prev.field, L, field, rng);
      voteLuma(L, field, r, null);
    } else {
      for (let k = 0; k < field.targets.length; k++) field.nnf[field.targets[k]] = field.validList[rng.int(field.validList.length)];
    }
    const lam = (p.guideWeight * (2 * r + 1) * (2 * r + 1)) / 9;
    const ctx = new Matcher(L, r, lam);
    for (let em = 0; em < emIters; em++) {
      for (let k = 0; k < field.targets.length; k++) {
        const t = field.targets[k];
        field.cost[t] = ctx.dist(t, field.nnf[t], Infinity);
      }
      const maxR = prev ? p.localRadius : Math.max(L.w, L.h);
      for (let pass = 0; pass < pmPasses; pass++) patchMatchPass(ctx, field, rng, pass % 2 === 0 ? 1 : -1, maxR);
      if (l > 0 || em < emIters - 1) voteLuma(L, field, r, p.vote === 'weighted' ? voteWeights(field, rng) : null);
    }
    prev = { level: L, field };
  }
  const L0 = levels[0];
  if (p.vote === 'center') return centerCopy(L0, field!, r, channels);
  if (p.vote === 'mode') {
    let est = votePlanes(L0, field!, r, channels, null);
    for (let it = 0; it < 2; it++) est = voteShift(L0, field!, r, channels, est, 0.15);
    return est;
  }
  return votePlanes(L0, field!, r, channels, p.vote === 'weighted' ? voteWeights(field!, rng) : null);
}

function makeField(L: Level, r: number): Field {
  const { w, h, hole, fill } = L;
  // Integral images of the hole and fill masks -> their counts in each (2r+1)^2 window.
  const W1 = w + 1;
  const ih = integral(hole, w, h);
  const iff = fill === hole ? ih : integral(fill, w, h);
  const n = w * h;
  const isTarget = new Uint8Array(n);
  const valid = new Uint8Array(n);
  const targets: number[] = [];
  const validList: number[] = [];
  for (let y = r; y < h - r; y++) {
    const a = (y + r + 1) * W1;
    const b = (y - r) * W1;
    for (let x = r; x < w - r; x++) {
      const i = y * w + x;
      const x1 = x + r + 1;
      const x0 = x - r;
      if (ih[a + x1] - ih[b + x1] - ih[a + x0] + ih[b + x0] === 0) {
        valid[i] = 1;
        validList.push(i);
      } else if (iff[a + x1] - iff[b + x1] - iff[a + x0] + iff[b + x0] > 0) {
        isTarget[i] = 1;
        targets.push(i);
      }
    }
  }
  return {
    targets: Int32Array.from(targets),
    isTarget,
    valid,
    validList: Int32Array.from(validList),
    nnf: new Int32Array(n),
    cost: new Float32Array(n),
  };
}

function integral(m: Uint8Array, w: number, h: number): Int32Array {
  const W1 = w + 1;
  const ii = new Int32Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) {
      s += m[y * w + x];
      ii[(y + 1) * W1 + x + 1] = ii[y * W1 + x + 1] + s;
    }
  }
  return ii;
}

class Matcher {
  readonly sparse: Int32Array;
  constructor(
    readonly L: Level,
    readonly r: number,
    readonly lam: number,
  ) {
    const s: number[] = [];
    const st = Math.max(1, r);
    for (let dy = -st; dy <= st; dy += st) for (let dx = -st; dx <= st; dx += st) s.push(dy * L.w + dx);
    this.sparse = Int32Array.from(s);
  }

  /** Patch distance between target centre p and source centre q, abandoned once above `best`. */
  dist(p: number, q: number, best: number): number {
    const low = this.L.low;
    const sp = this.sparse;
    let g = 0;
    for (let k = 0; k < 9; k++) {
      const t = low[p + sp[k]] - low[q + sp[k]];
      g += t * t;
    }
    let d = g * this.lam;
    if (d >= best) return d;
    const lu = this.L.luma;
    const r = this.r;
    const w = this.L.w;
    for (let dy = -r; dy <= r; dy++) {
      const a = p + dy * w;
      const b = q + dy * w;
      for (let dx = -r; dx <= r; dx++) {
        const t = lu[a + dx] - lu[b + dx];
        d += t * t;
      }
      if (d >= best) return d;
    }
    return d;
  }
}

function patchMatchPass(m: Matcher, f: Field, rng: Prng, dir: 1 | -1, maxR: number): void {
  const { w, h } = m.L;
  const r = m.r;
  const { targets, isTarget, valid, nnf, cost } = f;
  const nT = targets.length;
  for (let k0 = 0; k0 < nT; k0++) {
    const p = targets[dir === 1 ? k0 : nT - 1 - k0];
    let best = nnf[p];
    let bc = cost[p];
    // Propagation from the previous neighbour in scan order, horizontally then vertically.
    const nx = p - dir;
    if (isTarget[nx]) {
      const q = nnf[nx] + dir;
      const qx = q % w;
      if (qx >= r && qx < w - r && valid[q] && q !== best) {
        const c = m.dist(p, q, bc);
        if (c < bc) (bc = c), (best = q);
      }
    }
    const ny = p - dir * w;
    if (ny >= 0 && ny < w * h && isTarget[ny]) {
      const q = nnf[ny] + dir * w;
      if (q >= 0 && q < w * h && valid[q] && q !== best) {
        const c = m.dist(p, q, bc);
        if (c < bc) (bc = c), (best = q);
      }
    }
    // Random search around the best match with a halving radius.
    const bx = best % w;
    const by = (best - bx) / w;
    for (let R = maxR; R >= 1; R >>= 1) {
      let qx = bx + rng.int(2 * R + 1) - R;
      let qy = by + rng.int(2 * R + 1) - R;
      if (qx < r) qx = r;
      else if (qx > w - r - 1) qx = w - r - 1;
      if (qy < r) qy = r;
      else if (qy > h - r - 1) qy = h - r - 1;
      const q = qy * w + qx;
      if (!valid[q] || q === best) continue;
      const c = m.dist(p, q, bc);
      if (c < bc) (bc = c), (best = q);
    }
    nnf[p] = best;
    cost[p] = bc;
  }
}

function upsampleField(cl: Level, cf: Field, L: Level, f: Field, rng: Prng): void {
  const { w, h } = L;
  for (let k = 0; k < f.targets.length; k++) {
    const p = f.targets[k];
    const x = p % w;
    const y = (p - x) / w;
    const cx = Math.min(x >> 1, cl.w - 1);
    const cy = Math.min(y >> 1, cl.h - 1);
    const ci = cy * cl.w + cx;
    let q = -1;
    if (cf.isTarget[ci]) {
      const qc = cf.nnf[ci];
      const qcx = qc % cl.w;
      const qcy = (qc - qcx) / cl.w;
      const qx = 2 * qcx + (x & 1);
      const qy = 2 * qcy + (y & 1);
      if (qx < w && qy < h) q = qy * w + qx;
    }
    if (q < 0 || !f.valid[q]) q = f.validList[rng.int(f.validList.length)];
    f.nnf[p] = q;
  }
}

/** Per-target vote weights exp(-cost / q75); q75 estimated on up to 1024 sampled targets. */
function voteWeights(f: Field, rng: Prng): Float32Array {
  const nT = f.targets.length;
  const m = Math.min(nT, 1024);
  const sample = new Float32Array(m);
  for (let k = 0; k < m; k++) sample[k] = f.cost[f.targets[nT === m ? k : rng.int(nT)]];
  sample.sort();
  const q = Math.max(1e-6, sample[Math.min(m - 1, Math.floor(0.75 * m))]);
  const wt = new Float32Array(nT);
  for (let k = 0; k < nT; k++) wt[k] = Math.exp(-f.cost[f.targets[k]] / q) + 1e-6;
  return wt;
}

/** M-step on the luma estimate: hole pixels become the mean of their votes. */
function voteLuma(L: Level, f: Field, r: number, wt: Float32Array | null): void {
  const { w, h, fill, luma } = L;
  const n = w * h;
  const acc = new Float32Array(n);
  const cnt = new Float32Array(n);
  const src = luma; // sources are fully known, so their luma is fixed
  for (let k = 0; k < f.targets.length; k++) {
    const p = f.targets[k];
    const q = f.nnf[p];
    const a = wt ? wt[k] : 1;
    for (let dy = -r; dy <= r; dy++) {
      const po = p + dy * w;
      const qo = q + dy * w;
      for (let dx = -r; dx <= r; dx++) {
        const i = po + dx;
        if (fill[i]) {
          acc[i] += a * src[qo + dx];
          cnt[i] += a;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) if (fill[i] && cnt[i] > 0) luma[i] = acc[i] / cnt[i];
}

function votePlanes(L: Level, f: Field, r: number, channels: number, wt: Float32Array | null = null): Float32Array {
  const { w, h, fill, planes } = L;
  const n = w * h;
  const acc = new Float32Array(channels * n);
  const cnt = new Float32Array(n);
  for (let k = 0; k < f.targets.length; k++) {
    const p = f.targets[k];
    const q = f.nnf[p];
    const a = wt ? wt[k] : 1;
    for (let dy = -r; dy <= r; dy++) {
      const po = p + dy * w;
      const qo = q + dy * w;
      for (let dx = -r; dx <= r; dx++) {
        const i = po + dx;
        if (!fill[i]) continue;
        cnt[i] += a;
        const j = qo + dx;
        for (let c = 0; c < channels; c++) acc[c * n + i] += a * planes[c * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (!fill[i] || cnt[i] === 0) continue;
    const inv = 1 / cnt[i];
    for (let c = 0; c < channels; c++) acc[c * n + i] *= inv;
  }
  return acc;
}

/** One mean-shift step of the votes around `mean` (see CompletionParams.vote 'mode'). */
function voteShift(L: Level, f: Field, r: number, channels: number, mean: Float32Array, sigma: number): Float32Array {
  const { w, h, fill, planes } = L;
  const n = w * h;
  const acc = new Float32Array(channels * n);
  const cnt = new Float32Array(n);
  const is2 = 1 / (sigma * sigma);
  for (let k = 0; k < f.targets.length; k++) {
    const p = f.targets[k];
    const q = f.nnf[p];
    for (let dy = -r; dy <= r; dy++) {
      const po = p + dy * w;
      const qo = q + dy * w;
      for (let dx = -r; dx <= r; dx++) {
        const i = po + dx;
        if (!fill[i]) continue;
        const j = qo + dx;
        let d2 = 0;
        for (let c = 0; c < channels; c++) {
          const t = planes[c * n + j] - mean[c * n + i];
          d2 += t * t;
        }
        const u = 1 + d2 * is2;
        const a = 1 / (u * u);
        cnt[i] += a;
        for (let c = 0; c < channels; c++) acc[c * n + i] += a * planes[c * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (!fill[i] || cnt[i] === 0) continue;
    const inv = 1 / cnt[i];
    for (let c = 0; c < channels; c++) acc[c * n + i] *= inv;
  }
  return acc;
}

function centerCopy(L: Level, f: Field, r: number, channels: number): Float32Array {
  const out = votePlanes(L, f, r, channels);
  const n = L.w * L.h;
  for (let k = 0; k < f.targets.length; k++) {
    const p = f.targets[k];
    if (!L.fill[p]) continue;
    const q = f.nnf[p];
    for (let c = 0; c < channels; c++) out[c * n + p] = L.planes[c * n + q];
  }
  return out;
}
