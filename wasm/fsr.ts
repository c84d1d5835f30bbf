// AssemblyScript: the inner kernel of the frequency selective reconstruction (src/core/fsr.ts,
// extrapolateBlock) in WebAssembly with 128-bit SIMD. Built by `npm run build:wasm` into
// src/core/fsr-wasm-bytes.ts (committed; tests/core/fsr-wasm.test.ts checks that it matches this
// source and that its fills are identical to the TypeScript path's).
//
// The same arithmetic in the same order as the TypeScript version (no fused multiply-add, the
// decay table computed by the caller), so the two give bit-identical fills. Memory is a fixed
// layout of f64 arrays for windows up to MAXN x MAXN; nothing is allocated.

const MAXN: i32 = 64;
const NN: i32 = MAXN * MAXN;
// byte offsets of the arrays (f64 unless noted)
const DEC: usize = 0; // decay of the weighting, n*n (written by the caller)
const VAL: usize = DEC + NN * 8; // window values, n*n (caller); synthesised values come back here
const WGT: usize = VAL + NN * 8; // window weights 1 / 0.5 / 0, n*n (caller)
const WRE: usize = WGT + NN * 8; // FFT work, then the weight spectrum
const WIM: usize = WRE + NN * 8;
const RRE: usize = WIM + NN * 8; // residual spectrum
const RIM: usize = RRE + NN * 8;
const GRE: usize = RIM + NN * 8;
const GIM: usize = GRE + NN * 8;
const W2RE: usize = GIM + NN * 8; // weight spectrum with each row stored twice (2n wide): no wrap
const W2IM: usize = W2RE + NN * 16;
const W2OFF: usize = W2IM - W2RE;
const FW2: usize = W2IM + NN * 16; // squared frequency weighting, n*n (caller)
const TW: usize = FW2 + NN * 8; // twiddles cos/sin interleaved, n (caller)
const COS: usize = TW + MAXN * 8; // cos / sin of 2 pi k / n (caller)
const SIN: usize = COS + MAXN * 8;
const REV: usize = SIN + MAXN * 8; // i32 bit reversal, n (caller)
const SELK: usize = REV + MAXN * 4; // i32, selected frequencies
const SELRE: usize = SELK + NN * 4 * 4;
const SELIM: usize = SELRE + NN * 4 * 8;
const SELP: usize = SELIM + NN * 4 * 8; // u8 pair flags
export const END: usize = SELP + NN * 4;

export function offsets(which: i32): usize {
  switch (which) {
    case 0: return DEC;
    case 1: return VAL;
    case 2: return WGT;
    case 3: return FW2;
    case 4: return TW;
    case 5: return COS;
    case 6: return SIN;
    case 7: return REV;
    default: return END;
  }
}

@inline function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

function fft1(off: i32, stride: i32, n: i32): void {
  for (let i = 1; i < n; i++) {
    const j = load<i32>(REV + (<usize>i << 2));
    if (i < j) {
      const a = off + i * stride;
      const b = off + j * stride;
      let t = ld(WRE, a);
      st(WRE, a, ld(WRE, b));
      st(WRE, b, t);
      t = ld(WIM, a);
      st(WIM, a, ld(WIM, b));
      st(WIM, b, t);
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = ld(TW, 2 * k * step);
        const wi = -ld(TW, 2 * k * step + 1);
        const a = off + (i + k) * stride;
        const b = off + (i + k + half) * stride;
        const br = ld(WRE, b);
        const bi = ld(WIM, b);
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = ld(WRE, a);
        const ai = ld(WIM, a);
        st(WRE, b, ar - xr);
        st(WIM, b, ai - xi);
        st(WRE, a, ar + xr);
        st(WIM, a, ai + xi);
      }
    }
  }
}

/**
 * One block: weights (WGT x DEC) and weighted values into the spectrum, the greedy selection of
 * at most `iters` basis functions, and the synthesis at the unknown pixels (WGT 0) of the block
 * (x0..x1, y0..y1 in window coordinates), written into VAL. Returns the number of selections.
 */
export function extrapolate(n: i32, iters: i32, gamma: f64, x0: i32, y0: i32, x1: i32, y1: i32): i32 {
  const nn = n * n;
  let wSum: f64 = 0;
  for (let i = 0; i < nn; i++) {
    const m = ld(WGT, i);
    if (m == 0) {
      st(WRE, i, 0);
      st(WIM, i, 0);
      continue;
    }
    const wt = m * ld(DEC, i);
    st(WRE, i, wt);
    st(WIM, i, wt * ld(VAL, i));
    wSum += wt;
  }
  if (wSum <= 0) return -1;
  for (let y = 0; y < n; y++) fft1(y * n, 1, n);
  for (let x = 0; x < n; x++) fft1(x, n, n);
  const mask = n - 1;
  for (let ky = 0; ky < n; ky++) {
    for (let kx = 0; kx < n; kx++) {
      const i = ky * n + kx;
      const j = ((n - ky) & mask) * n + ((n - kx) & mask);
      const a = ld(WRE, i);
      const b = ld(WIM, i);
      const c = ld(WRE, j);
      const d = ld(WIM, j);
      st(GRE, i, (a + c) / 2);
      st(GIM, i, (b - d) / 2);
      st(RRE, i, (b + d) / 2);
      st(RIM, i, (c - a) / 2);
    }
  }
  // the weight spectrum, each row twice: W(l - k) and W(l + k) read contiguously along a row
  const n2 = 2 * n;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const g = ld(GRE, y * n + x);
      const h = ld(GIM, y * n + x);
      st(W2RE, y * n2 + x, g);
      st(W2RE, y * n2 + x + n, g);
      st(W2IM, y * n2 + x, h);
      st(W2IM, y * n2 + x + n, h);
    }
  }
  const w0 = ld(GRE, 0);
  const hc = (n >> 1) + 1;
  const hcv = (hc + 1) & ~1; // columns updated two at a time; the extra one is never searched
  let best = 0;
  let bestV: f64 = -1;
  for (let ly = 0; ly < n; ly++) {
    for (let lx = 0; lx < hc; lx++) {
      const i = ly * n + lx;
      const re = ld(RRE, i);
      const im = ld(RIM, i);
      const v = (re * re + im * im) * ld(FW2, i);
      if (v > bestV) {
        bestV = v;
        best = i;
      }
    }
  }
  let nSel = 0;
  let done = 0;
  while (done < iters && bestV > 0) {
    const ky = best / n;
    const kx = best - ky * n;
    const cRe = (gamma * ld(RRE, best)) / w0;
    const cIm = (gamma * ld(RIM, best)) / w0;
    const conj = ((n - ky) & mask) * n + ((n - kx) & mask);
    const self = conj == best;
    store<i32>(SELK + (<usize>nSel << 2), best);
    st(SELRE, nSel, cRe);
    st(SELIM, nSel, cIm);
    store<u8>(SELP + <usize>nSel, self ? 0 : 1);
    nSel++;
    const cr = f64x2.splat(cRe);
    const ci = f64x2.splat(cIm);
    // per-lane running maximum (strict >: each lane keeps its first maximum) and its index; the
    // lanes are merged below, ties to the lower index, which is the first maximum in scan order
    let bv = f64x2.splat(-1);
    let bi = i64x2.splat(0);
    for (let ly = 0; ly < n; ly++) {
      // W(l - k): row (ly - ky), column lx - kx + n of the doubled row; W(l + k): column lx + kx
      const p1 = W2RE + (<usize>(((ly - ky) & mask) * n2 + n - kx) << 3);
      const p2 = W2RE + (<usize>(((ly + ky) & mask) * n2 + kx) << 3);
      const row = ly * n;
      const pr = <usize>row << 3;
      let idx = i64x2(row, row + 1);
      for (let lx = 0; lx < hcv; lx += 2) {
        const o = <usize>lx << 3;
        const w1r = v128.load(p1 + o);
        const w1i = v128.load(p1 + o + W2OFF);
        let dr = f64x2.sub(f64x2.mul(cr, w1r), f64x2.mul(ci, w1i));
        let di = f64x2.add(f64x2.mul(cr, w1i), f64x2.mul(ci, w1r));
        if (!self) {
          const w2r = v128.load(p2 + o);
          const w2i = v128.load(p2 + o + W2OFF);
          dr = f64x2.add(dr, f64x2.add(f64x2.mul(cr, w2r), f64x2.mul(ci, w2i)));
          di = f64x2.add(di, f64x2.sub(f64x2.mul(cr, w2i), f64x2.mul(ci, w2r)));
        }
        const q = pr + o;
        const re = f64x2.sub(v128.load(RRE + q), dr);
        const im = f64x2.sub(v128.load(RIM + q), di);
        v128.store(RRE + q, re);
        v128.store(RIM + q, im);
        let v = f64x2.mul(f64x2.add(f64x2.mul(re, re), f64x2.mul(im, im)), v128.load(FW2 + q));
        if (lx + 2 > hc) v = f64x2.replace_lane(v, 1, -1); // the column past the half is not searched
        const gt = f64x2.gt(v, bv);
        bv = v128.bitselect(v, bv, gt);
        bi = v128.bitselect(idx, bi, gt);
        idx = i64x2.add(idx, i64x2.splat(2));
      }
    }
    const v0 = f64x2.extract_lane(bv, 0);
    const v1 = f64x2.extract_lane(bv, 1);
    const i0 = <i32>i64x2.extract_lane(bi, 0);
    const i1 = <i32>i64x2.extract_lane(bi, 1);
    if (v1 > v0 || (v1 == v0 && i1 < i0)) {
      bestV = v1;
      best = i1;
    } else {
      bestV = v0;
      best = i0;
    }
    done += self ? 1 : 2;
  }
  // synthesis at the block's unknown pixels
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * n + x;
      if (ld(WGT, i) != 0) continue;
      let v: f64 = 0;
      for (let q = 0; q < nSel; q++) {
        const k = load<i32>(SELK + (<usize>q << 2));
        const ky = k / n;
        const t = (ky * y + (k - ky * n) * x) & mask;
        const re = ld(SELRE, q) * ld(COS, t) - ld(SELIM, q) * ld(SIN, t);
        v += load<u8>(SELP + <usize>q) ? 2 * re : re;
      }
      st(VAL, i, v);
    }
  }
  return nSel;
}
