/**
 * @file Texture refinement of an inpainted crop: a guided PatchMatch completion that copies the
 * page's own screentone, hatching and lines into the hole, with the network's fill (the "guide")
 * as the low-frequency structure. Method and measurements: docs/texture.md.
 *
 * Pure TypeScript on typed arrays: no DOM, no Node APIs, no ORT.
 */
import { absLaplacian, boxBlur, diffusionFill, lumaPlane, maskedBoxBlur } from './filters';
import { completeHole } from './patchmatch';

export { diffusionFill, lumaPlane, absLaplacian } from './filters';

/**
 * 'auto': refine the whole hole when the known band around it holds any structure (screentone,
 * hatching, lines, text); a hole in a flat area keeps the guide. 'always': refine regardless.
 * 'gated': refine only where the surroundings are densely textured (screentone/hatching), per
 * pixel through `gate`, keeping the guide on line art and flat areas (measured worse, see
 * docs/texture.md; kept for comparison). 'off': return the guide.
 */
export type TextureMode = 'auto' | 'always' | 'gated' | 'off';

export interface TextureOptions {
  readonly width: number;
  readonly height: number;
  /** Planes in `crop` and `guide`: 1 (luma) or 3 (RGB). Default 3. */
  readonly channels?: number;
  readonly mode?: TextureMode;
  /** PRNG seed; equal inputs and seed give bit-identical output. Default 1. */
  readonly seed?: number;
  /** Odd patch side, 3..15. Default 7. */
  readonly patchSize?: number;
  /** Pyramid levels, 1..5. Default 3. */
  readonly levels?: number;
  /** Weight of the low-pass-to-guide term against the patch SSD. Default 1. */
  readonly guideWeight?: number;
  /** Radius of the double box blur giving the low-pass compared with the guide (finest level). Default 3. */
  readonly guideBlur?: number;
  /** [PatchMatch passes, EM iterations] per level, finest first. */
  readonly schedule?: readonly (readonly [number, number])[];
  /**
   * Final M-step: 'center' (default) — each hole pixel copies the centre of its matched patch, so
   * every filled pixel is a real page pixel (sharp; measured texture ratio ~0.6); 'mean' — the mean
   * of all overlapping votes (softer, ~0.2 dB higher PSNR, texture ~0.4); 'weighted', 'mode': see
   * patchmatch.ts.
   */
  readonly vote?: 'mean' | 'weighted' | 'center' | 'mode';
  /** Random-search radius of PatchMatch on the levels below the coarsest. Default 8. */
  readonly localRadius?: number;
  /** 'gated': local |Laplacian| density below `gate[0]` keeps the guide, above `gate[1]` takes the refinement. */
  readonly gate?: readonly [number, number];
  /**
   * Pixels (1 = yes) that are neither refined nor copied from, e.g. holes still waiting for their
   * own fill; they are returned as in `crop`. Same size as `mask`, disjoint from it.
   */
  readonly exclude?: Uint8Array;
  /** 'auto': fraction of the known band around the hole (16 px) with |Laplacian| > 0.08 needed to refine. Default 0.005. */
  readonly minStructure?: number;
}

export interface TextureResult {
  /** Planar result, same layout as `crop`; equal to `crop` outside the hole. */
  readonly data: Float32Array;
  /** Hole pixels whose value came (partly) from the refinement, 0..holePixels. */
  readonly refinedPixels: number;
  readonly holePixels: number;
}

const DEFAULTS = {
  channels: 3,
  mode: 'auto' as TextureMode,
  seed: 1,
  patchSize: 7,
  levels: 3,
  guideWeight: 1,
  guideBlur: 3,
  schedule: [
    [1, 1],
    [1, 2],
    [2, 3],
  ] as readonly (readonly [number, number])[],
  localRadius: 8,
  vote: 'center' as 'mean' | 'weighted' | 'center' | 'mode',
  gate: [0.3, 0.55] as readonly [number, number],
  minStructure: 0.005,
};

/**
 * Refines the hole of a crop with texture copied from the crop's own known area.
 *
 * @param crop  planar float32, channels*width*height, values in [0,1]; hole values are ignored.
 * @param mask  width*height bytes, 1 = hole, 0 = keep.
 * @param guide planar float32 like `crop`: the network's fill (only its hole pixels are used).
 * @returns a new planar array where only hole pixels differ from `crop`.
 */
export function refineTexture(crop: Float32Array, mask: Uint8Array, guide: Float32Array, opts: TextureOptions): TextureResult {
  const o = { ...DEFAULTS, ...opts };
  const { width: w, height: h, channels: C } = o;
  const n = w * h;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) throw new RangeError(`refineTexture: bad size ${w}x${h}`);
  if (C !== 1 && C !== 3) throw new RangeError(`refineTexture: channels must be 1 or 3, got ${C}`);
  if (crop.length !== C * n || guide.length !== C * n) {
    throw new RangeError(`refineTexture: crop and guide must hold ${C}x${w}x${h} = ${C * n} values (got ${crop.length} and ${guide.length})`);
  }
  if (mask.length !== n) throw new RangeError(`refineTexture: mask must hold ${n} bytes, got ${mask.length}`);
  if (o.exclude && o.exclude.length !== n) throw new RangeError(`refineTexture: exclude must hold ${n} bytes, got ${o.exclude.length}`);
  if (o.patchSize < 3 || o.patchSize > 15 || o.patchSize % 2 !== 1) throw new RangeError(`refineTexture: patchSize must be odd in 3..15, got ${o.patchSize}`);
  if (!(o.levels >= 1 && o.levels <= 5)) throw new RangeError(`refineTexture: levels must be in 1..5, got ${o.levels}`);
  if (!['auto', 'always', 'gated', 'off'].includes(o.mode)) {
    throw new RangeError(`refineTexture: unknown mode "${String(o.mode)}" (use auto, always, gated or off)`);
  }

  // Work in the hole's bounding box plus a margin (the context patches are copied from), so the
  // cost follows the hole, not the crop.
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!mask[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0 || o.mode === 'off') return refineWindow(crop, mask, guide, o, w, h, o.exclude);
  const margin = Math.max(MIN_MARGIN, Math.ceil(0.25 * Math.max(x1 - x0 + 1, y1 - y0 + 1)));
  const L = Math.max(0, x0 - margin);
  const T = Math.max(0, y0 - margin);
  const R = Math.min(w, x1 + 1 + margin);
  const B = Math.min(h, y1 + 1 + margin);
  if (L === 0 && T === 0 && R === w && B === h) return refineWindow(crop, mask, guide, o, w, h, o.exclude);
  const ww = R - L;
  const wh = B - T;
  const wn = ww * wh;
  const cut = (src: Float32Array | Uint8Array, planes: number) => {
    const dst = src instanceof Float32Array ? new Float32Array(planes * wn) : new Uint8Array(planes * wn);
    for (let c = 0; c < planes; c++) for (let y = 0; y < wh; y++) dst.set(src.subarray(c * n + (T + y) * w + L, c * n + (T + y) * w + R), c * wn + y * ww);
    return dst;
  };
  const res = refineWindow(
    cut(crop, C) as Float32Array,
    cut(mask, 1) as Uint8Array,
    cut(guide, C) as Float32Array,
    o,
    ww,
    wh,
    o.exclude ? (cut(o.exclude, 1) as Uint8Array) : undefined,
  );
  const out = new Float32Array(C * n);
  for (let c = 0; c < C; c++) {
    const b = c * n;
    for (let i = 0; i < n; i++) out[b + i] = mask[i] ? guide[b + i] : crop[b + i];
    for (let y = 0; y < wh; y++) out.set(res.data.subarray(c * wn + y * ww, c * wn + (y + 1) * ww), b + (T + y) * w + L);
  }
  return { data: out, refinedPixels: res.refinedPixels, holePixels: res.holePixels };
}

/** Minimum margin of known context around the hole's bounding box, in pixels. */
const MIN_MARGIN = 48;

function refineWindow(
  crop: Float32Array,
  mask: Uint8Array,
  guide: Float32Array,
  o: typeof DEFAULTS & { readonly width: number; readonly height: number },
  w: number,
  h: number,
  ex: Uint8Array | undefined,
): TextureResult {
  const C = o.channels;
  const n = w * h;
  // The output starts as the composite: crop outside the hole, guide inside it.
  const hole = new Uint8Array(n);
  let holePixels = 0;
  for (let i = 0; i < n; i++) if (mask[i]) (hole[i] = 1), holePixels++;
  // Unknown = not a source: the hole plus the excluded pixels.
  let unknown = hole;
  let unknownPixels = holePixels;
  if (ex) {
    unknown = new Uint8Array(n);
    unknownPixels = 0;
    for (let i = 0; i < n; i++) if (hole[i] || ex[i]) (unknown[i] = 1), unknownPixels++;
  }
  const out = new Float32Array(C * n);
  for (let c = 0; c < C; c++) {
    const b = c * n;
    for (let i = 0; i < n; i++) out[b + i] = hole[i] ? guide[b + i] : crop[b + i];
  }
  if (o.mode === 'off' || holePixels === 0 || unknownPixels === n) return { data: out, refinedPixels: 0, holePixels };

  let luma = lumaPlane(out, w, h, C);
  if (ex && unknownPixels > holePixels) {
    // Excluded pixels hold no picture yet: give the matcher a smooth stand-in there.
    const exOnly = new Uint8Array(n);
    for (let i = 0; i < n; i++) exOnly[i] = ex[i] && !hole[i] ? 1 : 0;
    luma = diffusionFill(luma, exOnly, w, h);
  }
  let weight: Float32Array = new Float32Array(0);
  let fill = hole;
  if (o.mode === 'always' || o.mode === 'auto') {
    if (o.mode === 'auto' && structureAround(luma, unknown, w, h, 16) < o.minStructure) return { data: out, refinedPixels: 0, holePixels };
    weight = new Float32Array(n).fill(1);
  } else if (o.mode === 'gated') {
    // Only the textured part of the hole is synthesised (cost follows it); the rest keeps the guide.
    weight = textureWeight(luma, unknown, w, h, o.gate);
    fill = new Uint8Array(n);
    let any = 0;
    for (let i = 0; i < n; i++) if (hole[i] && weight[i] > 0) (fill[i] = 1), any++;
    if (!any) return { data: out, refinedPixels: 0, holePixels };
  }
  // Grey pages (R = G = B on every known pixel, the usual manga scan) are completed on one plane:
  // the copies only ever take known values, so the result stays grey.
  const grey = C === 3 && isGrey(out, unknown, n);
  const planes = grey ? out.subarray(0, n) : out;
  const filled1 = completeHole(planes, grey ? 1 : C, luma, unknown, w, h, {
    patchSize: o.patchSize,
    levels: o.levels,
    guideWeight: o.guideWeight,
    guideBlur: o.guideBlur,
    schedule: o.schedule,
    seed: o.seed,
    vote: o.vote,
    localRadius: o.localRadius,
  }, fill);
  if (!filled1) return { data: out, refinedPixels: 0, holePixels };
  let filled = filled1;
  if (grey) {
    filled = new Float32Array(C * n);
    for (let c = 0; c < C; c++) filled.set(filled1, c * n);
  }
  let refined = 0;
  for (let i = 0; i < n; i++) {
    const a = weight[i];
    if (!hole[i] || a <= 0) continue;
    refined++;
    for (let c = 0; c < C; c++) {
      const j = c * n + i;
      const v = out[j] + a * (filled[j] - out[j]);
      out[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { data: out, refinedPixels: refined, holePixels };
}

/**
 * Fraction of the known pixels within `band` px (Chebyshev) of the hole whose |Laplacian| (read
 * on known pixels only) exceeds 0.08: ~0 around a hole in a flat area, larger near lines and tones.
 */
export function structureAround(luma: Float32Array, hole: Uint8Array, w: number, h: number, band: number): number {
  const n = w * h;
  const hf = new Float32Array(n);
  for (let i = 0; i < n; i++) hf[i] = hole[i];
  const near = boxBlur(hf, w, h, band);
  const lap = absLaplacian(luma, w, h);
  let cnt = 0;
  let strong = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (near[i] === 0 || hole[i] || hole[i - 1] || hole[i + 1] || hole[i - w] || hole[i + w]) continue;
      cnt++;
      if (lap[i] > 0.08) strong++;
    }
  }
  return cnt ? strong / cnt : 0;
}

function isGrey(planar: Float32Array, hole: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (hole[i]) continue;
    const r = planar[i];
    if (r !== planar[n + i] || r !== planar[2 * n + i]) return false;
  }
  return true;
}

/**
 * Per-pixel weight in [0,1] of the refinement: the density of strong |Laplacian| responses among
 * the known pixels around (window 17x17), carried into the hole by diffusion, through a ramp.
 * Screentone and hatching are dense (most pixels respond); flat areas give 0, isolated lines little.
 */
export function textureWeight(luma: Float32Array, hole: Uint8Array, w: number, h: number, gate: readonly [number, number]): Float32Array {
  const n = w * h;
  const lap = absLaplacian(luma, w, h);
  // Exclude pixels whose Laplacian reads the hole (the hole's own edge is no texture).
  const near = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      near[i] = hole[i] | (x > 0 ? hole[i - 1] : 0) | (x < w - 1 ? hole[i + 1] : 0) | (y > 0 ? hole[i - w] : 0) | (y < h - 1 ? hole[i + w] : 0);
    }
  }
  const strong = new Float32Array(n);
  for (let i = 0; i < n; i++) strong[i] = lap[i] > 0.08 ? 1 : 0;
  const { value: dens, coverage } = maskedBoxBlur(strong, near, w, h, 8);
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) known[i] = coverage[i] > 0.05 ? 0 : 1; // 1 = no statistics here
  const spread = diffusionFill(dens, known, w, h);
  const [g0, g1] = gate;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (spread[i] - g0) / (g1 - g0);
    out[i] = t <= 0 ? 0 : t >= 1 ? 1 : t;
  }
  return boxBlur(out, w, h, 2);
}
