/**
 * @file The default fill of a hole: a classical reconstruction (core/fsr.ts) and the network's fill,
 * mixed by the distance from the known pixels, then the structure layer (core/structure.ts) drawn
 * over it.
 *
 * Why this mix (measured on the 140 hole cases of ../shared/tools/eval_cases.py, see
 * models/README.md): near the hole's border the classical fill is the more accurate (it
 * extrapolates the page's own frequencies; +1.3 dB over the network on 1–10 % holes and
 * +2.1 dB on censor bars), deep inside a large hole the network is (+0.6 dB on 50–60 % holes),
 * and their mean beats both in every bucket. The classical fill's weight is 1 within `near` px of
 * the known pixels and falls linearly to `deep` at `far` px.
 *
 * Pure: box-local typed arrays; no DOM, no Node.
 */
import { edt1d } from './mask';
import type { Raster, Rect } from './types';
import { structureLayer, type InkStroke, type StructureLayer, type StructureOptions } from './structure';

export interface MixOptions {
  /** Distance (px) up to which the classical fill is taken alone. */
  readonly near: number;
  /** Distance (px) from which the classical fill has weight `deep`. */
  readonly far: number;
  /** Weight of the classical fill deep inside the hole (0..1). */
  readonly deep: number;
}

export const DEFAULT_MIX: MixOptions = { near: 3, far: 12, deep: 0.4 };

/**
 * The mix when the model trained with guides fills (the user's ink strokes in the hole): that
 * network has the lines the classical fill never sees, so deep inside the hole it gets more of
 * the say (guided evaluation, models/README.md "Session 9").
 */
export const GUIDED_MIX: MixOptions = { near: 3, far: 12, deep: 0.1 };

/**
 * The guided mix in a box whose hole is thick (some pixel at least GUIDED_DEEP_DEPTH px from the
 * known ones): the classical fill only in the first px, gone by 6 px. There it smears what the
 * guided network draws along the strokes; in thin holes and bars it still helps (140 guided cases:
 * structure F1 +0.007 in each bucket from 10 %, PSNR +0.00..-0.08 dB there, 1-10 % and bars
 * within 0.005 dB; models/README.md "Session 11").
 */
export const GUIDED_DEEP_MIX: MixOptions = { near: 1, far: 6, deep: 0 };
export const GUIDED_DEEP_DEPTH = 24;

/** The mix for a guided fill of the `own` pixels (box-local, w x h): GUIDED_DEEP_MIX in thick holes, else GUIDED_MIX. */
export function guidedMix(own: Uint8Array, w: number, h: number): MixOptions {
  const d = distanceToKnown(own, w, h);
  for (let i = 0; i < d.length; i++) if (own[i] && d[i]! >= GUIDED_DEEP_DEPTH) return GUIDED_DEEP_MIX;
  return GUIDED_MIX;
}

/** Where keepFlatPrior keeps the classical fill: see there. */
export interface FlatPriorOptions {
  /** Half side (px) of the square window that must be flat. */
  readonly radius: number;
  /** Largest max - min (levels of 255, per channel) over the window that counts as flat. */
  readonly range: number;
  /** Only pixels at most this far (px) from the known ones. */
  readonly depth: number;
}

export const FLAT_PRIOR: FlatPriorOptions = { radius: 3, range: 2, depth: 10 };

/**
 * A copy of the colour values of `box` in `r` (w x h x colour channels, alpha left out; zeros
 * where `only` is given and 0): the box as the classical fill left it, before a model that
 * corrects it writes its own fill.
 */
export function readBox(r: Raster, box: Rect, only?: Uint8Array): Float32Array {
  const { width: W, channels: c, data } = r;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const res = new Float32Array(bw * bh * colour);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (only && !only[i]) continue;
      const o = ((box.top + y) * W + box.left + x) * c;
      for (let k = 0; k < colour; k++) res[i * colour + k] = data[o + k]!;
    }
  }
  return res;
}

/**
 * Puts the classical fill (`prior`, from readBox) back on the `own` pixels where it is flat: every
 * channel within `range` levels over the (2 radius + 1)² window around the pixel, and the pixel at
 * most `depth` px from the known ones. There the classical fill of a flat area is already exact
 * (a thin stroke over a flat colour), and the correcting network only adds a faint ghost of the
 * stroke, visible on flat colour art; deeper inside, a flat classical fill is a guess the network
 * may rightly correct. Returns how many pixels it put back.
 * (Session 16, 30 cel-art crops with brush-stroke holes: +0.07 dB, the ghosts gone; the 140
 * evaluation holes within -0.004..+0.014 dB per bucket.)
 */
export function keepFlatPrior(r: Raster, box: Rect, own: Uint8Array, prior: Float32Array, o: FlatPriorOptions = FLAT_PRIOR): number {
  const { width: W, channels: c, data, maxValue: max } = r;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const range = (o.range * max) / 255;
  const dist = distanceToKnown(own, bw, bh);
  let kept = 0;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (!own[i] || dist[i]! > o.depth) continue;
      let flat = true;
      for (let k = 0; k < colour && flat; k++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let yy = Math.max(0, y - o.radius); yy <= Math.min(bh - 1, y + o.radius) && flat; yy++) {
          for (let xx = Math.max(0, x - o.radius), e = Math.min(bw - 1, x + o.radius); xx <= e; xx++) {
            const v = prior[(yy * bw + xx) * colour + k]!;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          if (hi - lo > range) flat = false;
        }
      }
      if (!flat) continue;
      const p = ((box.top + y) * W + box.left + x) * c;
      for (let k = 0; k < colour; k++) data[p + k] = prior[i * colour + k]!;
      kept++;
    }
  }
  return kept;
}

/**
 * Exact Euclidean distance (px) from every pixel of a w x h grid to the nearest pixel with
 * `hole` 0 (Felzenszwalb & Huttenlocher's separable transform); 0 on those pixels; Infinity
 * everywhere when there are none.
 */
export function distanceToKnown(hole: Uint8Array, w: number, h: number): Float32Array {
  const INF = 1e20;
  const f = new Float64Array(Math.max(w, h));
  const d = new Float64Array(Math.max(w, h));
  const v = new Int32Array(Math.max(w, h));
  const z = new Float64Array(Math.max(w, h) + 1);
  const g = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) g[i] = hole[i] ? INF : 0;
  const pass = (n: number): void => edt1d(f, n, d, v, z);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = g[y * w + x]!;
    pass(h);
    for (let y = 0; y < h; y++) g[y * w + x] = d[y]!;
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = g[y * w + x]!;
    pass(w);
    for (let x = 0; x < w; x++) out[y * w + x] = d[x]! >= INF / 2 ? Infinity : Math.sqrt(d[x]!);
  }
  return out;
}

/** Weight of the classical fill at distance `d` from the known pixels. */
export function classicalWeight(d: number, o: MixOptions = DEFAULT_MIX): number {
  if (d <= o.near) return 1;
  if (d >= o.far) return o.deep;
  return 1 - ((d - o.near) / (o.far - o.near)) * (1 - o.deep);
}

/** The colour channels of the `own` pixels of `box` in `r`, as floats (box-local, channel-interleaved). */
export function readOwn(r: Raster, box: Rect, own: Uint8Array): Float32Array {
  return readBox(r, box, own);
}

/**
 * Mixes `classical` (from readOwn, taken before the network wrote its fill) with the network's
 * fill now in `r`, per `own` pixel, by classicalWeight of its distance to the pixels that are not
 * `own`. Writes the mix into `r`.
 */
export function mixFills(r: Raster, box: Rect, own: Uint8Array, classical: Float32Array, o: MixOptions = DEFAULT_MIX): void {
  const { width: W, channels: c, data, maxValue: max } = r;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const dist = distanceToKnown(own, bw, bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      if (!own[i]) continue;
      const a = classicalWeight(dist[i]!, o);
      const p = ((box.top + y) * W + box.left + x) * c;
      for (let k = 0; k < colour; k++) {
        const v = Math.round(a * classical[i * colour + k]! + (1 - a) * data[p + k]!);
        data[p + k] = v < 0 ? 0 : v > max ? max : v;
      }
    }
  }
}

/** Luminance (0..1, BT.601) of a box, row-major. */
export function boxLuminance(r: Raster, box: Rect): Float32Array {
  const { width: W, channels: c, data, maxValue: max } = r;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const lum = new Float32Array(bw * bh);
  const inv = 1 / max;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const o = ((box.top + y) * W + box.left + x) * c;
      lum[y * bw + x] = c >= 3 ? (0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!) * inv : data[o]! * inv;
    }
  }
  return lum;
}

/**
 * The colour of stroke `s` on the known side, as offsets of each colour channel from its
 * luminance (0 on a grey page): the darkest third of the known pixels within 1 px of its centre
 * line, 2 to 6 px back from where it enters the hole. Adding the offsets to a luminance keeps it
 * (BT.601 luminance is linear in the channels), so a dark blue outline is continued dark blue.
 */
export function strokeChroma(r: Raster, box: Rect, own: Uint8Array, s: InkStroke): number[] {
  const { width: W, channels: c, data } = r;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const zero = new Array<number>(colour).fill(0);
  if (colour < 3) return zero;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const seen = new Set<number>();
  const px: Array<[number, number]> = [];
  for (let t = 2; t <= 6; t++) {
    for (let u = -1; u <= 1; u++) {
      const x = Math.round(s.x - s.dx * t - s.dy * u);
      const y = Math.round(s.y - s.dy * t + s.dx * u);
      if (x < 0 || y < 0 || x >= bw || y >= bh || own[y * bw + x] || seen.has(y * bw + x)) continue;
      seen.add(y * bw + x);
      const o = ((box.top + y) * W + box.left + x) * c;
      px.push([0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!, o]);
    }
  }
  if (px.length === 0) return zero;
  px.sort((a, b) => a[0] - b[0]);
  const n = Math.ceil(px.length / 3);
  const off = zero.slice();
  for (let j = 0; j < n; j++) {
    const [lum, o] = px[j]!;
    for (let k = 0; k < 3; k++) off[k]! += (data[o + k]! - lum) / n;
  }
  return off;
}

/**
 * Continues the ink lines that cross into the `own` pixels of `box` (core/structure.ts) and draws
 * them over what `r` holds there: each colour channel moves towards the stroke's ink level (plus
 * the stroke's own colour offsets on a colour page, strokeChroma) by the curve's coverage.
 * Returns the layer (its curves say what was drawn).
 */
export function drawStructure(r: Raster, box: Rect, own: Uint8Array, opts?: StructureOptions): StructureLayer {
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  // a curve that stays within the classical fill's reach of both sides is left to it: FSR
  // continues a line across a short gap by itself, and a second, slightly offset line drawn
  // over it costs more than it gains (censor bars: +0.11 dB, holes unchanged; models/README.md)
  const o: StructureOptions = { minInHole: 2 * DEFAULT_MIX.far, ...opts };
  const layer = structureLayer(boxLuminance(r, box), own, bw, bh, o);
  if (layer.curves.length === 0) return layer;
  const { width: W, channels: c, data, maxValue: max } = r;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const chroma = curveChroma(r, box, own, layer);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      const a = layer.alpha[i]!;
      if (!(a > 0) || !own[i]) continue;
      const ink = layer.ink[i]! * max;
      const off = chroma ? chroma(x, y) : null;
      const p = ((box.top + y) * W + box.left + x) * c;
      for (let k = 0; k < colour; k++) {
        const v = Math.round((1 - a) * data[p + k]! + a * (off ? ink + off[k]! : ink));
        data[p + k] = v < 0 ? 0 : v > max ? max : v;
      }
    }
  }
  return layer;
}

/**
 * Per drawn pixel, the colour offsets of the nearest curve point (strokeChroma of the curve's
 * ends, interpolated along it); null when every stroke is grey (within 1 level), as on B&W pages.
 */
function curveChroma(r: Raster, box: Rect, own: Uint8Array, layer: StructureLayer): ((x: number, y: number) => number[]) | null {
  const ends = layer.curves.map((cv) => {
    const a = strokeChroma(r, box, own, cv.a);
    return [a, cv.b ? strokeChroma(r, box, own, cv.b) : a] as const;
  });
  if (!ends.some(([a, b]) => a.some((v) => Math.abs(v) > 1) || b.some((v) => Math.abs(v) > 1))) return null;
  return (x, y) => {
    let best = Infinity;
    let bj = 0;
    let bt = 0;
    for (let j = 0; j < layer.curves.length; j++) {
      const pts = layer.curves[j]!.points;
      const n = pts.length / 2;
      for (let q = 0; q < n; q++) {
        const dx = pts[2 * q]! - x;
        const dy = pts[2 * q + 1]! - y;
        const d = dx * dx + dy * dy;
        if (d < best) (best = d), (bj = j), (bt = n > 1 ? q / (n - 1) : 0);
      }
    }
    const [a, b] = ends[bj]!;
    return a.map((v, k) => v + (b[k]! - v) * bt);
  };
}
