/**
 * @file Separable resampling of planar float32 images: an exact area (box) filter for
 * downscaling and Keys bicubic (a = -0.5, Catmull-Rom) for upscaling, edges replicated.
 *
 * The 1-D weight tables (`Taps`) are exposed so callers can stream rows (the pipeline never
 * holds a float copy of a whole page).
 */

/** Precomputed 1-D filter: output i = sum_k weights[i*size+k] * src[index[i*size+k]]. */
export interface Taps {
  readonly srcLen: number;
  readonly dstLen: number;
  /** taps per output sample */
  readonly size: number;
  /** source indices, already clamped to [0, srcLen) */
  readonly index: Int32Array;
  readonly weights: Float32Array;
}

function cubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Area weights (dst < src): each output sample averages the source interval it covers. */
function areaTaps(srcLen: number, dstLen: number): Taps {
  const s = srcLen / dstLen;
  const size = Math.ceil(s) + 1;
  const index = new Int32Array(dstLen * size);
  const weights = new Float32Array(dstLen * size);
  for (let i = 0; i < dstLen; i++) {
    const a = i * s;
    const b = (i + 1) * s;
    const first = Math.floor(a);
    for (let k = 0; k < size; k++) {
      const j = first + k;
      const lo = Math.max(a, j);
      const hi = Math.min(b, j + 1);
      index[i * size + k] = Math.min(srcLen - 1, j);
      weights[i * size + k] = hi > lo ? (hi - lo) / s : 0;
    }
  }
  return { srcLen, dstLen, size, index, weights };
}

/** Bicubic weights (dst > src), pixel centres aligned, edges replicated. */
function cubicTaps(srcLen: number, dstLen: number): Taps {
  const s = srcLen / dstLen;
  const size = 4;
  const index = new Int32Array(dstLen * size);
  const weights = new Float32Array(dstLen * size);
  for (let i = 0; i < dstLen; i++) {
    const x = (i + 0.5) * s - 0.5;
    const x0 = Math.floor(x);
    let sum = 0;
    for (let k = 0; k < size; k++) {
      const j = x0 - 1 + k;
      const wgt = cubic(x - j);
      index[i * size + k] = Math.max(0, Math.min(srcLen - 1, j));
      weights[i * size + k] = wgt;
      sum += wgt;
    }
    for (let k = 0; k < size; k++) weights[i * size + k]! /= sum;
  }
  return { srcLen, dstLen, size, index, weights };
}

/** Taps from srcLen to dstLen samples: identity, area (shrink) or bicubic (enlarge). */
export function makeTaps(srcLen: number, dstLen: number): Taps {
  if (!(srcLen >= 1 && dstLen >= 1)) throw new RangeError(`resample: lengths must be >= 1 (${srcLen} -> ${dstLen})`);
  if (srcLen === dstLen) {
    const index = new Int32Array(dstLen);
    for (let i = 0; i < dstLen; i++) index[i] = i;
    return { srcLen, dstLen, size: 1, index, weights: new Float32Array(dstLen).fill(1) };
  }
  return dstLen < srcLen ? areaTaps(srcLen, dstLen) : cubicTaps(srcLen, dstLen);
}

/**
 * Resamples one line: dst[dstOff + i*dstStride] = sum_k w * src[srcOff + index*srcStride].
 */
export function resampleLine(
  t: Taps,
  src: Float32Array,
  srcOff: number,
  srcStride: number,
  dst: Float32Array,
  dstOff: number,
  dstStride: number,
): void {
  const { size, index, weights, dstLen } = t;
  for (let i = 0, p = 0; i < dstLen; i++) {
    let acc = 0;
    for (let k = 0; k < size; k++, p++) acc += weights[p]! * src[srcOff + index[p]! * srcStride]!;
    dst[dstOff + i * dstStride] = acc;
  }
}

/**
 * Output row `y` of a vertical pass: out[x] = sum_k w_k * rows(index_k)[x] for x < len,
 * where `rowAt(j)` gives the offset of source row j in `src`.
 */
export function blendRows(
  t: Taps,
  y: number,
  src: Float32Array,
  rowOffset: (j: number) => number,
  len: number,
  out: Float32Array,
  outOff: number,
): void {
  const { size, index, weights } = t;
  for (let x = 0; x < len; x++) out[outOff + x] = 0;
  for (let k = 0; k < size; k++) {
    const w = weights[y * size + k]!;
    if (w === 0) continue;
    const o = rowOffset(index[y * size + k]!);
    for (let x = 0; x < len; x++) out[outOff + x] += w * src[o + x]!;
  }
}

/**
 * Resizes a planar float image (channels planes of sw x sh) to dw x dh: area filter along an
 * axis that shrinks, bicubic along one that grows. Returns a new array.
 */
export function resizePlanar(
  src: Float32Array,
  channels: number,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
): Float32Array {
  if (src.length !== channels * sw * sh) throw new RangeError(`resizePlanar: ${src.length} values for ${channels}x${sw}x${sh}`);
  const tx = makeTaps(sw, dw);
  const ty = makeTaps(sh, dh);
  const tmp = new Float32Array(dw * sh);
  const out = new Float32Array(channels * dw * dh);
  for (let c = 0; c < channels; c++) {
    const plane = c * sw * sh;
    for (let y = 0; y < sh; y++) resampleLine(tx, src, plane + y * sw, 1, tmp, y * dw, 1);
    const op = c * dw * dh;
    for (let y = 0; y < dh; y++) blendRows(ty, y, tmp, (j) => j * dw, dw, out, op + y * dw);
  }
  return out;
}
