/**
 * Reference versions of the Levin-style solver in src/core/colorize.ts, kept for the tests only:
 * an explicit neighbour-index array and a plain sweep over it. `levinWeights` / `solveLevinGrid`
 * must give the same numbers (tests/core/colorize.test.ts).
 */
import { levinWeights } from '../../src/core/colorize';

/**
 * Levin, Lischinski & Weiss 2004's affinities: for each pixel, the weights of its 8 neighbours
 * (dy, dx in raster order, -1..1, the centre skipped; a neighbour outside the image is the edge
 * pixel itself, as with edge padding), exp(-(Y_r - Y_s)^2 / (2 var_r)), var_r the luminance
 * variance of r's 3x3 window (at least `varianceFloor`, at most `varianceCap`), normalised to sum
 * to 1. Levin's uncapped variance is large beside an ink line, so colour leaks through it; capped
 * (HINT_SPREAD 0.003, sigma 0.055 of luma) a line or tone edge stops it.
 */
export function levinAffinities(luma: ArrayLike<number>, w: number, h: number, varianceFloor: number, varianceCap = Infinity): { wts: Float32Array; nbr: Int32Array } {
  const wts = levinWeights(luma, w, h, varianceFloor, varianceCap);
  const nbr = new Int32Array(w * h * 8);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let o = (y * w + x) * 8;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) if (dy || dx) nbr[o++] = yy * w + Math.min(w - 1, Math.max(0, x + dx));
      }
    }
  }
  return { wts, nbr };
}

/**
 * Levin et al. 2004's optimisation for a field of 2 values per pixel: each free pixel equals the
 * affinity-weighted mean of its neighbours (levinAffinities), pixels where `known` is set keep
 * their value from `f`. Solved in place on `f` (its free pixels are the starting guess) by
 * successive over-relaxation, at most `sweeps` sweeps, until no value moves more than
 * `tolerance`. Returns the sweeps done.
 */
export function solveLevin(f: Float64Array, known: Uint8Array, wts: Float32Array, nbr: Int32Array, n: number, omega: number, sweeps: number, tolerance: number): number {
  let s = 0;
  while (s < sweeps) {
    s++;
    let worst = 0;
    for (let j = 0; j < n; j++) {
      if (known[j]) continue;
      let a = 0;
      let b = 0;
      const o = j * 8;
      for (let k = 0; k < 8; k++) {
        const q = nbr[o + k]! * 2;
        const wk = wts[o + k]!;
        a += wk * f[q]!;
        b += wk * f[q + 1]!;
      }
      const da = omega * (a - f[j * 2]!);
      const db = omega * (b - f[j * 2 + 1]!);
      f[j * 2] += da;
      f[j * 2 + 1] += db;
      const m = Math.max(Math.abs(da), Math.abs(db));
      if (m > worst) worst = m;
    }
    if (worst < tolerance) break;
  }
  return s;
}
