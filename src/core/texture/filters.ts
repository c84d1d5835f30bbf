/**
 * @file Small image filters on single float planes (row-major, width*height), used by the texture
 * refinement: luma, box blur, masked (normalised) blur, |Laplacian|, 2x pyramid steps, and a
 * push-pull diffusion fill. Pure functions on typed arrays; no DOM, no Node.
 */

/** Luma of a planar image (1 plane: copied; 3 or more: Rec.601 weights on the first three planes). */
export function lumaPlane(planar: Float32Array, width: number, height: number, channels: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  if (channels < 3) {
    out.set(planar.subarray(0, n));
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = 0.299 * planar[i] + 0.587 * planar[n + i] + 0.114 * planar[2 * n + i];
  return out;
}

/**
 * Box blur of radius r (window 2r+1) with edge clamping of the window (the mean over the part of
 * the window inside the image). Running sums, rows then a row-wise vertical pass (cache-friendly):
 * cost independent of r.
 */
export function boxBlur(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const out = new Float32Array(width * height);
  if (r <= 0) {
    out.set(src);
    return out;
  }
  // Horizontal: window sums per row (not yet divided), then divided by the clamped count.
  const tmp = new Float32Array(width * height);
  const invX = new Float32Array(width);
  for (let x = 0; x < width; x++) invX[x] = 1 / (Math.min(width - 1, x + r) - Math.max(0, x - r) + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    for (let x = 0; x < Math.min(r, width); x++) s += src[row + x];
    for (let x = 0; x < width; x++) {
      if (x + r < width) s += src[row + x + r];
      if (x - r - 1 >= 0) s -= src[row + x - r - 1];
      tmp[row + x] = s * invX[x];
    }
  }
  // Vertical: a running sum per column, advanced one row at a time.
  const col = new Float64Array(width);
  for (let y = 0; y < Math.min(r, height); y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) col[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    if (y + r < height) {
      const add = (y + r) * width;
      for (let x = 0; x < width; x++) col[x] += tmp[add + x];
    }
    if (y - r - 1 >= 0) {
      const sub = (y - r - 1) * width;
      for (let x = 0; x < width; x++) col[x] -= tmp[sub + x];
    }
    const inv = 1 / (Math.min(height - 1, y + r) - Math.max(0, y - r) + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = col[x] * inv;
  }
  return out;
}

/**
 * Normalised box blur over the known pixels only (weight = 1 - hole). Where the window holds no
 * known pixel the result is NaN-free 0 and `coverage` (the known fraction) is 0.
 */
export function maskedBoxBlur(
  src: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  r: number,
): { value: Float32Array; coverage: Float32Array } {
  const n = width * height;
  const v = new Float32Array(n);
  const k = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!hole[i]) {
      v[i] = src[i];
      k[i] = 1;
    }
  }
  const bv = boxBlur(v, width, height, r);
  const bk = boxBlur(k, width, height, r);
  for (let i = 0; i < n; i++) bv[i] = bk[i] > 1e-6 ? bv[i] / bk[i] : 0;
  return { value: bv, coverage: bk };
}

/** |4-neighbour Laplacian| (the kernel cv2.Laplacian uses with ksize=1), reflect-101 borders. */
export function absLaplacian(src: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const ym = y > 0 ? y - 1 : Math.min(1, height - 1);
    const yp = y < height - 1 ? y + 1 : Math.max(0, height - 2);
    for (let x = 0; x < width; x++) {
      const xm = x > 0 ? x - 1 : Math.min(1, width - 1);
      const xp = x < width - 1 ? x + 1 : Math.max(0, width - 2);
      const c = src[y * width + x];
      const l = src[ym * width + x] + src[yp * width + x] + src[y * width + xm] + src[y * width + xp] - 4 * c;
      out[y * width + x] = Math.abs(l);
    }
  }
  return out;
}

/** Half-size plane (ceil), each output the mean of its (up to) 2x2 inputs. */
export function downsample2(src: Float32Array, width: number, height: number): Float32Array {
  const w2 = (width + 1) >> 1;
  const h2 = (height + 1) >> 1;
  const out = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++) {
    const y0 = 2 * y;
    const y1 = Math.min(height - 1, y0 + 1);
    for (let x = 0; x < w2; x++) {
      const x0 = 2 * x;
      const x1 = Math.min(width - 1, x0 + 1);
      out[y * w2 + x] =
        0.25 * (src[y0 * width + x0] + src[y0 * width + x1] + src[y1 * width + x0] + src[y1 * width + x1]);
    }
  }
  return out;
}

/** Half-size mask (ceil): a coarse pixel is a hole when any of its 2x2 fine pixels is. */
export function downsampleMask2(hole: Uint8Array, width: number, height: number): Uint8Array {
  const w2 = (width + 1) >> 1;
  const h2 = (height + 1) >> 1;
  const out = new Uint8Array(w2 * h2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (hole[y * width + x]) out[(y >> 1) * w2 + (x >> 1)] = 1;
    }
  }
  return out;
}

/**
 * Push-pull diffusion fill: hole pixels get a smooth interpolation of the known pixels around
 * them (a Telea/Navier-Stokes-like "blur fill"); known pixels are returned unchanged. Used as a
 * stand-in guide in benchmarks and tests, and to spread texture statistics into a hole.
 */
export function diffusionFill(src: Float32Array, hole: Uint8Array, width: number, height: number): Float32Array {
  const n = width * height;
  const weight = new Float32Array(n);
  const value = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!hole[i]) {
      weight[i] = 1;
      value[i] = src[i];
    }
  }
  const filled = pushPull(value, weight, width, height);
  // A few Jacobi sweeps of the Laplace equation inside the hole to remove the pyramid's blockiness.
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = hole[i] ? filled[i] : src[i];
  for (let it = 0; it < 8; it++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!hole[i]) continue;
        let s = 0;
        let c = 0;
        if (x > 0) (s += out[i - 1]), c++;
        if (x < width - 1) (s += out[i + 1]), c++;
        if (y > 0) (s += out[i - width]), c++;
        if (y < height - 1) (s += out[i + width]), c++;
        out[i] = s / c;
      }
    }
  }
  return out;
}

/** Weighted pyramid interpolation: value*weight pushed down, pulled back up where weight is low. */
function pushPull(value: Float32Array, weight: Float32Array, width: number, height: number): Float32Array {
  if (width <= 1 && height <= 1) {
    const out = new Float32Array(1);
    out[0] = weight[0] > 0 ? value[0] : 0.5;
    return out;
  }
  const w2 = (width + 1) >> 1;
  const h2 = (height + 1) >> 1;
  const sv = new Float32Array(w2 * h2);
  const sw = new Float32Array(w2 * h2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const j = (y >> 1) * w2 + (x >> 1);
      sv[j] += value[i] * weight[i];
      sw[j] += weight[i];
    }
  }
  const cv = new Float32Array(w2 * h2);
  const cw = new Float32Array(w2 * h2);
  for (let j = 0; j < w2 * h2; j++) {
    cv[j] = sw[j] > 0 ? sv[j] / sw[j] : 0;
    cw[j] = Math.min(1, sw[j]);
  }
  const coarse = pushPull(cv, cw, w2, h2);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    // bilinear upsampling of the coarse level (pixel centres at 2x+0.5)
    const fy = Math.min(h2 - 1, Math.max(0, (y - 0.5) / 2));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h2 - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(w2 - 1, Math.max(0, (x - 0.5) / 2));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w2 - 1, x0 + 1);
      const tx = fx - x0;
      const up =
        (1 - ty) * ((1 - tx) * coarse[y0 * w2 + x0] + tx * coarse[y0 * w2 + x1]) +
        ty * ((1 - tx) * coarse[y1 * w2 + x0] + tx * coarse[y1 * w2 + x1]);
      const i = y * width + x;
      const a = Math.min(1, weight[i]);
      out[i] = a * value[i] + (1 - a) * up;
    }
  }
  return out;
}
