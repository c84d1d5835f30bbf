/**
 * @file Structure layer: ink lines that run into a hole are continued geometrically across it,
 * as a coverage + ink layer for the hole (drawn over, or fed to, whatever fills the rest).
 *
 * Three steps, all on one box (the model's context box, or any crop around a hole):
 * 1. `findStrokes`. Ink: known pixels within `ring` px of the hole that are darker by
 *    `contrast` than the lightest known pixel within `paperRadius` (a black-hat against the
 *    local paper level). Seeds: 8-connected groups of ink pixels at 1–2 px from the hole. Each
 *    seed's region (ink within `trace` px, geodesic) gets an axis: the angle whose histogram of
 *    perpendicular offsets is sharpest (a Hough transform in all but name, so that screentone
 *    dots or a crossing line touching the stroke do not tilt it), refined by the principal axis
 *    of the pixels in the band. Along that axis, profiles at 1..`trace` px from the hole give
 *    the dark run's centre and width (at half depth, sub-pixel), darkest level and paper level;
 *    runs widened by something touching the stroke are dropped (width off the lower quartile,
 *    centre off the fit), then a line — or a parabola where a clean, curved stroke shows a
 *    real bend, never on hard-edged two-level strokes — through the centres gives the endpoint
 *    on the border and the tangent there; done twice, the second time along that tangent.
 *    Not strokes: blobs (a run that does not end within `maxWidth`, e.g. the edge of a black
 *    fill), dots (regions shorter than `minLength`), strokes in a dark tone or dense hatching
 *    (the sides of the profiles more than 40 % dark), strokes grazing the border (at less than
 *    `minEntryAngle` to it).
 * 2. `pairStrokes`. A cost per pair: the two tangents' angles to the chord, split into a bend
 *    (an arc: both turn the same way) and a shift (an S, a lateral offset, also weighed in px
 *    against the strokes' width), plus width, ink and gap terms. The cheapest one-to-one
 *    matching, each unpaired stroke costing `maxCost` / 2, by exhaustive search per connected
 *    group of candidate pairs (greedy beyond 12 strokes). Not pairs: two whose chords cross at
 *    less than `minCrossAngle` (near-parallel lines trading places; an X stays), a curve over
 *    known paper (a real line would show there).
 * 3. `findCorners`. Two unpaired solid strokes (luminance ≤ `cornerInk`) whose lines meet in
 *    the hole, ahead of both ends (≤ `cornerReach` px), at 30–150°, through hole pixels only,
 *    are drawn straight on to that point: a corner, as where an antenna meets the head it
 *    grows from. Bold contours (wider than `maxWidth`, up to `cornerMaxWidth`) take part in
 *    corners only. Nearest corners first, each stroke once, no two corners' arms crossing.
 * 4. `structureLayer`. Each pair is joined by a cubic Bézier with the strokes' tangents (arms
 *    of chord / 3, lengthened for bent ends as for a circular arc); corners as above; an
 *    unpaired stroke goes on for a quarter of its way across the hole (12 px at most), tapering
 *    to a point. Curves are rasterised, anti-aliased (coverage = width / 2 + 0.5 − distance),
 *    into the hole only.
 *
 * Measured on synthetic strokes: endpoint and tangent within ~0.2 px and ~1° on anti-aliased
 * straight lines and arcs (radius ≥ 30 px); 512×512 box with a 10 % hole: ~3–5 ms in Node.
 * Coordinates: pixel (x, y) has its centre at (x, y); row-major, index y * w + x.
 * Pure: typed arrays only. Cost follows the hole: its bounds, a ring around it, the strokes.
 */
import { maskBounds } from './mask';

/** An ink line that runs into the hole, as seen on the known side. */
export interface InkStroke {
  /** Endpoint on the hole boundary (box coordinates, pixel centres at integers). */
  readonly x: number;
  readonly y: number;
  /** Unit tangent pointing into the hole. */
  readonly dx: number;
  readonly dy: number;
  /** Width in px (full width at half depth). */
  readonly width: number;
  /** Luminance of the stroke 0..1 (median of its darkest level across the traced profiles). */
  readonly ink: number;
  /** Luminance of the background beside it 0..1. */
  readonly paper: number;
  /** Distance from the hole of the farthest profile traced, px (about `trace`). */
  readonly length: number;
}

/** A curve drawn into the hole: a pair of strokes joined, or one stroke's tapering extension. */
export interface StructureCurve {
  readonly a: InkStroke;
  /** The stroke it is joined to; null: an unpaired end, extended and tapered. */
  readonly b: InkStroke | null;
  /** Polyline, x,y pairs, from `a` (to `b`), about 1 px apart. */
  readonly points: Float32Array;
  /** Width at each polyline point (a.width to b.width, or tapering to 0). */
  readonly widths: Float32Array;
  /** Mean width, px. */
  readonly width: number;
  /** Mean ink level 0..1 (a.ink to b.ink along the curve). */
  readonly ink: number;
  /** Pairing cost (0 = perfect continuation); NaN for an unpaired end or a corner's arm. */
  readonly cost: number;
  /** One arm of a corner: `a` drawn straight on to where its line meets `b`'s (findCorners). */
  readonly corner?: boolean;
}

export interface StructureLayer {
  readonly width: number;
  readonly height: number;
  /** Coverage 0..1 per pixel, only inside the hole (0 elsewhere). */
  readonly alpha: Float32Array;
  /** Ink luminance 0..1 per pixel where alpha > 0 (0 where alpha = 0). */
  readonly ink: Float32Array;
  readonly curves: StructureCurve[];
}

export interface StructureOptions {
  /** Darkness below the local paper level that makes a pixel ink, and a stroke's minimum depth. Default 0.25. */
  contrast?: number;
  /** Known pixels searched for ink: Chebyshev distance from the hole ≤ ring. Default 12. */
  ring?: number;
  /** Radius of the square window whose lightest known pixel is the local paper level. Default 5. */
  paperRadius?: number;
  /** Widest stroke, px; wider is a blob. Default 10. */
  maxWidth?: number;
  /** Shortest stroke outside the hole, px. Default 5. */
  minLength?: number;
  /** How far a stroke is traced outward, px. Default 12. */
  trace?: number;
  /** Smallest angle between a stroke and the hole border, degrees. Default 15. */
  minEntryAngle?: number;
  /** Symmetric bend (mean of the two tangents' angles to the chord) at cost 1, degrees. Default 25. */
  maxBend?: number;
  /** S-shaped offset (half their difference) at cost 1, degrees. Default 12. */
  maxShift?: number;
  /**
   * Lateral offset of an S (gap x sin of the shift) at cost 1, in stroke widths (plus 2 px):
   * two parallel lines far apart are not one line (a panel's bottom border and the next panel's
   * top border across a censor bar). Default 3 (140 hole cases: +0.015 to +0.06 dB per bucket,
   * bars +0.07, structure F1 within -0.006; models/README.md "Session 10"). Infinity: no such term.
   */
  maxLateral?: number;
  /** Pairs costing this or more stay unpaired. Default 1. */
  maxCost?: number;
  /** Two pairs whose chords cross at less than this angle cannot both stand, degrees. Default 10. */
  minCrossAngle?: number;
  /** Unpaired ends go on for this fraction of the hole's extent along their tangent (0: not at all). Default 0.25. */
  extend?: number;
  /** ... and at most this many px. Default 12. */
  extendMax?: number;
  /**
   * A pair whose curve runs fewer than this many px inside the hole is not drawn (the two strokes
   * stay paired, so neither is extended): the fill underneath continues a line across so short a
   * gap by itself. Default 0 (every pair drawn); `drawStructure` uses twice the classical fill's
   * reach (core/hybrid.ts).
   */
  minInHole?: number;
  /**
   * Two unpaired strokes whose lines meet inside the hole at an angle between `cornerAngle` and
   * 180 − `cornerAngle` degrees, each within `cornerReach` px of its end, are both drawn on to
   * that point: a corner (an antenna meeting the head it grows from). 0: no corners. Default 60.
   */
  cornerReach?: number;
  /** Default 30. */
  cornerAngle?: number;
  /** Both strokes of a corner are at least this dark (luminance ≤ cornerInk, 0..1). Default 0.25. */
  cornerInk?: number;
  /** Widest stroke that can take part in a corner (a bold contour, too wide for maxWidth), px. Default 14. */
  cornerMaxWidth?: number;
}

interface Opts {
  contrast: number;
  ring: number;
  paperRadius: number;
  maxWidth: number;
  minLength: number;
  trace: number;
  minEntryAngle: number;
  maxBend: number;
  maxShift: number;
  maxLateral: number;
  maxCost: number;
  minCrossAngle: number;
  extend: number;
  extendMax: number;
  minInHole: number;
  cornerReach: number;
  cornerAngle: number;
  cornerInk: number;
  cornerMaxWidth: number;
}

const DEG = Math.PI / 180;

function resolve(o: StructureOptions = {}): Opts {
  return {
    contrast: o.contrast ?? 0.25,
    ring: Math.max(2, Math.min(100, Math.round(o.ring ?? 12))),
    paperRadius: Math.max(1, Math.round(o.paperRadius ?? 5)),
    maxWidth: o.maxWidth ?? 10,
    minLength: o.minLength ?? 5,
    trace: Math.max(3, Math.round(o.trace ?? 12)),
    minEntryAngle: o.minEntryAngle ?? 15,
    maxBend: o.maxBend ?? 25,
    maxShift: o.maxShift ?? 12,
    maxLateral: o.maxLateral ?? 3,
    maxCost: o.maxCost ?? 1,
    minCrossAngle: o.minCrossAngle ?? 10,
    extend: o.extend ?? 0.25,
    extendMax: o.extendMax ?? 12,
    minInHole: o.minInHole ?? 0,
    cornerReach: o.cornerReach ?? 60,
    cornerAngle: o.cornerAngle ?? 30,
    cornerInk: o.cornerInk ?? 0.25,
    cornerMaxWidth: o.cornerMaxWidth ?? 14,
  };
}

function checkSizes(lum: Float32Array | null, hole: Uint8Array, w: number, h: number): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 0 || h < 0) throw new RangeError(`bad box size ${w}x${h}`);
  if (hole.length !== w * h) throw new RangeError(`hole has ${hole.length} pixels, box is ${w}x${h}`);
  if (lum && lum.length !== w * h) throw new RangeError(`lum has ${lum.length} pixels, box is ${w}x${h}`);
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Luminance at (x, y), bilinear between pixel centres; NaN where any pixel it weighs is a hole
 * pixel or lies outside the box.
 */
function sample(lum: Float32Array, hole: Uint8Array, w: number, h: number, x: number, y: number): number {
  if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) return NaN;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const x1 = fx > 0 ? x0 + 1 : x0;
  const y1 = fy > 0 ? y0 + 1 : y0;
  const i00 = y0 * w + x0;
  const i01 = y0 * w + x1;
  const i10 = y1 * w + x0;
  const i11 = y1 * w + x1;
  if (hole[i00] || hole[i01] || hole[i10] || hole[i11]) return NaN;
  const top = lum[i00]! + (lum[i01]! - lum[i00]!) * fx;
  const bot = lum[i10]! + (lum[i11]! - lum[i10]!) * fx;
  return top + (bot - top) * fy;
}

/** Whether the pixel nearest (x, y) is a hole pixel (false outside the box). */
function inHole(hole: Uint8Array, w: number, h: number, x: number, y: number): boolean {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= w || yi >= h) return false;
  return hole[yi * w + xi] !== 0;
}

/**
 * Distance along (dx, dy) from (x, y), a known point, to the hole boundary: half a pixel before
 * the first hole pixel met (steps of 0.25 px), or -1 when none is met within `max` px, or the
 * box is left, or (x, y) itself is in the hole.
 */
function toBoundary(hole: Uint8Array, w: number, h: number, x: number, y: number, dx: number, dy: number, max: number): number {
  if (inHole(hole, w, h, x, y)) return -1;
  for (let t = 0.25; t <= max; t += 0.25) {
    const px = x + t * dx;
    const py = y + t * dy;
    if (px < -0.5 || py < -0.5 || px > w - 0.5 || py > h - 0.5) return -1;
    if (inHole(hole, w, h, px, py)) return Math.max(0, t - 0.5);
  }
  return -1;
}

/**
 * How far the ray from (x, y) along (dx, dy) runs before it leaves the hole (steps of 0.5 px,
 * up to `max`): (x, y) is an endpoint on the border, so known pixels in the first 2 px are
 * passed over; 0 when the ray does not enter the hole by then.
 */
function runInHole(hole: Uint8Array, w: number, h: number, x: number, y: number, dx: number, dy: number, max: number): number {
  let t = 0;
  while (t <= 2 && !inHole(hole, w, h, x + t * dx, y + t * dy)) t += 0.5;
  if (t > 2) return 0;
  while (t <= max && inHole(hole, w, h, x + t * dx, y + t * dy)) t += 0.5;
  return t - 0.5;
}

/**
 * The hole's inward normal at (x, y): the unit vector from the mean of the known pixels to the
 * mean of the hole pixels within radius r (both means, so the disc's pixel grid biases cancel);
 * null where either is missing.
 */
function holeNormal(hole: Uint8Array, w: number, h: number, x: number, y: number, r: number): [number, number] | null {
  let hx = 0;
  let hy = 0;
  let hn = 0;
  let kx = 0;
  let ky = 0;
  let kn = 0;
  const x0 = Math.max(0, Math.floor(x - r));
  const x1 = Math.min(w - 1, Math.ceil(x + r));
  const y0 = Math.max(0, Math.floor(y - r));
  const y1 = Math.min(h - 1, Math.ceil(y + r));
  for (let yy = y0; yy <= y1; yy++) {
    for (let xx = x0; xx <= x1; xx++) {
      const ex = xx - x;
      const ey = yy - y;
      if (ex * ex + ey * ey > r * r) continue;
      if (hole[yy * w + xx]) {
        hx += ex;
        hy += ey;
        hn++;
      } else {
        kx += ex;
        ky += ey;
        kn++;
      }
    }
  }
  if (!hn || !kn) return null;
  const nx = hx / hn - kx / kn;
  const ny = hy / hn - ky / kn;
  const l = Math.hypot(nx, ny);
  return l > 0 ? [nx / l, ny / l] : null;
}

/** The q-quantile (0..1, nearest rank) of a[0..n). */
function quantile(a: Float64Array, n: number, q: number): number {
  const s = Array.from(a.subarray(0, n)).sort((p, r) => p - r);
  return s[Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))]!;
}

function median(a: Float64Array, n: number): number {
  const s = Array.from(a.subarray(0, n)).sort((p, q) => p - q);
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Per-stroke scratch for the profiles. */
interface Trace {
  n: number;
  s: Float64Array;
  centre: Float64Array;
  width: Float64Array;
  ink: Float64Array;
  paper: Float64Array;
  /** Fraction of the profile outside the run that is dark too (screentone, hatching). */
  busy: Float64Array;
  /** Profile samples, step 0.5 px. */
  prof: Float64Array;
  /** Scratch, one per profile. */
  tmp: Float64Array;
}

const STEP = 0.5;
/**
 * Largest fraction of a stroke's profiles, outside the stroke, that may be dark as well: a
 * line over a light screentone (16–25 % dots) stays, one in a dark tone or dense hatching
 * (where "lines" are the tone's own rows) is left to the texture synthesis.
 */
const MAX_BUSY = 0.4;
/** Profile verdicts. */
const Profile = {
  Ok: 0,
  /** Touches the hole or leaves the box: no verdict. */
  Invalid: 1,
  /** No dark run near the predicted centre. */
  Lost: 2,
  /** The dark run does not end within the profile, or is wider than maxWidth. */
  Blob: 3,
} as const;
type Profile = (typeof Profile)[keyof typeof Profile];

/**
 * One profile across the stroke at (cx, cy) along the unit normal (nx, ny), offsets
 * pred ± (maxWidth + 3): the dark run nearest `pred` (peak within 2 px), its half-depth
 * crossings, centre (offset), width, darkest level and the profile's paper (lightest) level.
 */
function profile(
  lum: Float32Array,
  hole: Uint8Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  nx: number,
  ny: number,
  pred: number,
  o: Opts,
  tr: Trace,
  out: number[],
): Profile {
  const half = o.maxWidth + 3;
  const ns = Math.round((2 * half) / STEP) + 1;
  const v = tr.prof;
  const u0 = pred - half;
  let paper = -Infinity;
  for (let k = 0; k < ns; k++) {
    const u = u0 + k * STEP;
    const s = sample(lum, hole, w, h, cx + u * nx, cy + u * ny);
    v[k] = s;
    if (s > paper) paper = s;
  }
  if (paper === -Infinity) return Profile.Invalid;
  let peak = -1;
  const kc = Math.round(half / STEP);
  const kr = Math.round(2 / STEP);
  for (let k = kc - kr; k <= kc + kr; k++) {
    const s = v[k]!;
    if (s === s && (peak < 0 || s < v[peak]!)) peak = k;
  }
  if (peak < 0) return Profile.Invalid;
  const dark = v[peak]!;
  if (paper - dark < o.contrast) return Profile.Lost;
  const mid = (paper + dark) / 2;
  let j = peak;
  while (j > 0 && v[j - 1]! < mid) j--;
  if (j === 0) return Profile.Blob;
  if (v[j - 1] !== v[j - 1]) return Profile.Invalid;
  const uL = u0 + (j - 1 + (v[j - 1]! - mid) / (v[j - 1]! - v[j]!)) * STEP;
  j = peak;
  while (j < ns - 1 && v[j + 1]! < mid) j++;
  if (j === ns - 1) return Profile.Blob;
  if (v[j + 1] !== v[j + 1]) return Profile.Invalid;
  const uR = u0 + (j + (v[j]! - mid) / (v[j]! - v[j + 1]!)) * STEP;
  if (uR - uL > o.maxWidth) return Profile.Blob;
  // how busy the two sides are: the mean of their dark fractions of known samples (NaN, no
  // verdict, where a side has fewer than 2 px known: against the hole or the box border)
  let dkL = 0;
  let allL = 0;
  let dkR = 0;
  let allR = 0;
  for (let k = 0; k < ns; k++) {
    const u = u0 + k * STEP;
    const s = v[k]!;
    if (s !== s) continue;
    if (u < uL - STEP) {
      allL++;
      if (s < mid) dkL++;
    } else if (u > uR + STEP) {
      allR++;
      if (s < mid) dkR++;
    }
  }
  out[0] = (uL + uR) / 2;
  out[1] = uR - uL;
  out[2] = dark;
  out[3] = paper;
  out[4] = allL >= 4 && allR >= 4 ? (dkL / allL + dkR / allR) / 2 : NaN;
  return Profile.Ok;
}

/**
 * Traces a stroke outward from the boundary point (bx, by) whose axis points into the hole
 * along (dx, dy): profiles at 1, 2, …, trace px, stopping where the stroke ends (no dark run
 * near the predicted centre). A profile that jumps off the predicted centre or runs wide (a
 * screentone dot touching the line, a crossing) is skipped; five in a row end the trace.
 * Returns false when it is mostly blob; fills `tr` with the profiles kept.
 */
function traceStroke(
  lum: Float32Array,
  hole: Uint8Array,
  w: number,
  h: number,
  bx: number,
  by: number,
  dx: number,
  dy: number,
  o: Opts,
  tr: Trace,
): boolean {
  const nx = -dy;
  const ny = dx;
  const out = [0, 0, 0, 0, 0];
  let pred = 0; // the median of the last three centres: the axis follows the stroke closely
  tr.n = 0;
  let misses = 0;
  let bad = 0;
  let blobs = 0;
  // profiles near an oblique border touch the hole: skip them, and trace that much further
  let end = o.trace;
  for (let s = 1; s <= end && tr.n < o.trace; s++) {
    const r = profile(lum, hole, w, h, bx - s * dx, by - s * dy, nx, ny, pred, o, tr, out);
    if (r === Profile.Invalid) {
      if (tr.n === 0) {
        if (end < o.trace + 8) end++;
      } else if (++misses > 3) break;
      continue;
    }
    if (r === Profile.Lost) break;
    if (r === Profile.Blob || (tr.n > 0 && Math.abs(out[0]! - pred) > 1.5)) {
      if (r === Profile.Blob) blobs++;
      if (++bad > 4) break;
      continue;
    }
    misses = 0;
    bad = 0;
    const k = tr.n++;
    tr.s[k] = s;
    tr.centre[k] = out[0]!;
    tr.width[k] = out[1]!;
    tr.ink[k] = out[2]!;
    tr.paper[k] = out[3]!;
    tr.busy[k] = out[4]!;
    if (k < 2) pred = out[0]!;
    else {
      const c0 = tr.centre[k - 2]!;
      const c1 = tr.centre[k - 1]!;
      const c2 = tr.centre[k]!;
      pred = Math.max(Math.min(c0, c1), Math.min(Math.max(c0, c1), c2));
    }
  }
  return blobs <= tr.n;
}

/**
 * Fraction of a stroke region's pixels (`pix[0..n)`) at an intermediate level, between its ink
 * and paper (as traced, medians over `tr`'s profiles) by more than 15 % of the depth either
 * way: anti-aliased or scanned strokes have them along their edges, hard-edged ones none.
 */
function softEdges(lum: Float32Array, pix: Int32Array, n: number, tr: Trace): number {
  if (tr.n === 0 || n === 0) return 0;
  const ink = median(tr.ink, tr.n);
  const paper = median(tr.paper, tr.n);
  const lo = ink + 0.15 * (paper - ink);
  const hi = paper - 0.15 * (paper - ink);
  let m = 0;
  for (let p = 0; p < n; p++) {
    const v = lum[pix[p]!]!;
    if (v > lo && v < hi) m++;
  }
  return m / n;
}

/** Median busyness of the profiles that have a verdict; NaN when fewer than 3 have. */
function busyness(tr: Trace): number {
  let m = 0;
  const b = tr.tmp;
  for (let k = 0; k < tr.n; k++) if (tr.busy[k] === tr.busy[k]) b[m++] = tr.busy[k]!;
  return m >= 3 ? median(b, m) : NaN;
}

/** Drops the profiles for which `drop(k)` holds, compacting `tr`. */
function compact(tr: Trace, drop: (k: number) => boolean): void {
  let m = 0;
  for (let k = 0; k < tr.n; k++) {
    if (drop(k)) continue;
    tr.s[m] = tr.s[k]!;
    tr.centre[m] = tr.centre[k]!;
    tr.width[m] = tr.width[k]!;
    tr.ink[m] = tr.ink[k]!;
    tr.paper[m] = tr.paper[k]!;
    tr.busy[m] = tr.busy[k]!;
    m++;
  }
  tr.n = m;
}

/**
 * Robust fit of the traced profiles: those whose width is off the stroke's clean width (the
 * lower quartile: a screentone dot or a crossing touching the stroke only ever widens a run,
 * and shifts its centre) go, then those off the fitted centre line by more than 0.6 px; at
 * least a third must stay. Returns the offset and slope at s = 0 (see `fitCentres`), or null.
 */
function robustFit(tr: Trace, o: Opts, bend: boolean): [number, number] | null {
  const enough = (): boolean => tr.n >= Math.max(3, o.minLength - 1) && tr.s[tr.n - 1]! >= o.minLength;
  if (!enough()) return null;
  const total = tr.n;
  const mw = quantile(tr.width, tr.n, 0.25);
  const tol = Math.max(0.75, 0.35 * mw);
  compact(tr, (k) => Math.abs(tr.width[k]! - mw) > tol);
  if (!enough()) return null;
  // centres off a parabola through all (a line below 6 profiles) by more than 0.6 px go
  const [qa, qb, qq] = fitParabola(tr);
  compact(tr, (k) => {
    const s = tr.s[k]!;
    return Math.abs(tr.centre[k]! - (qa + qb * s + qq * s * s)) > 0.6;
  });
  if (!enough() || tr.n * 3 < total) return null;
  return fitCentres(tr, bend);
}

/** Least-squares line (q = 0) or parabola through the profile centres: [a, b, q], c(s) = a + b·s + q·s². */
function fitParabola(tr: Trace, parabola = true): [number, number, number] {
  const n = tr.n;
  let S0 = 0;
  let S1 = 0;
  let S2 = 0;
  let S3 = 0;
  let S4 = 0;
  let T0 = 0;
  let T1 = 0;
  let T2 = 0;
  for (let k = 0; k < n; k++) {
    const s = tr.s[k]!;
    const c = tr.centre[k]!;
    const s2 = s * s;
    S0 += 1;
    S1 += s;
    S2 += s2;
    S3 += s2 * s;
    S4 += s2 * s2;
    T0 += c;
    T1 += c * s;
    T2 += c * s2;
  }
  if (parabola && n >= 6) {
    // 3x3 normal equations [S0 S1 S2; S1 S2 S3; S2 S3 S4] [a b q] = [T0 T1 T2], Cramer's rule
    const det = S0 * (S2 * S4 - S3 * S3) - S1 * (S1 * S4 - S3 * S2) + S2 * (S1 * S3 - S2 * S2);
    if (Math.abs(det) > 1e-9) {
      const a = (T0 * (S2 * S4 - S3 * S3) - S1 * (T1 * S4 - S3 * T2) + S2 * (T1 * S3 - S2 * T2)) / det;
      const b = (S0 * (T1 * S4 - T2 * S3) - T0 * (S1 * S4 - S3 * S2) + S2 * (S1 * T2 - T1 * S2)) / det;
      const q = (S0 * (S2 * T2 - S3 * T1) - S1 * (S1 * T2 - S2 * T1) + T0 * (S1 * S3 - S2 * S2)) / det;
      return [a, b, q];
    }
  }
  const det2 = S0 * S2 - S1 * S1;
  if (det2 === 0) return [T0 / Math.max(1, S0), 0, 0];
  return [(T0 * S2 - T1 * S1) / det2, (S0 * T1 - S1 * T0) / det2, 0];
}

/**
 * Offset and slope of the stroke's centre at s = 0 (the boundary). A line's slope is the
 * tangent halfway along the trace, which on a curved stroke lags the tangent at the border by
 * (trace / 2) / radius; a parabola gets the border's tangent but extrapolates noise. So the
 * parabola is taken only where its bend is real: visible over the trace (≥ 0.25 px), a radius
 * of 10 px or more, a tangent within 20° of the line's, and a residual far (F > 10) below the
 * line's — as on a clean curved stroke, not on a noisy straight one — and never on an aliased
 * (hard-edged, two-level) stroke: its staircase makes centres wander by a few tenths of a pixel
 * over ten, smoothly enough to pass for a bend (`bend` false).
 */
function fitCentres(tr: Trace, bend: boolean): [number, number] {
  const [la, lb] = fitParabola(tr, false);
  if (!bend || tr.n < 6) return [la, lb];
  const [a, b, q] = fitParabola(tr);
  const span = tr.s[tr.n - 1]! - tr.s[0]!;
  if (!(Math.abs(q) * span * span > 0.25 && Math.abs(q) < 0.05 && Math.abs(b - lb) < 0.36)) return [la, lb];
  let rl = 0;
  let rq = 0;
  for (let k = 0; k < tr.n; k++) {
    const s = tr.s[k]!;
    const c = tr.centre[k]!;
    rl += (c - la - lb * s) ** 2;
    rq += (c - a - b * s - q * s * s) ** 2;
  }
  const noise = Math.max(rq / (tr.n - 3), 1e-4); // floor: centres are good to ~0.01 px at best
  return rl - rq > 10 * noise ? [a, b] : [la, lb];
}

/**
 * The axis of a stroke region (pixel indices `pix[0..n)`, seed centroid (cx, cy)), oriented
 * from the region towards the seed: the angle (6° steps, then 1°) whose histogram of
 * perpendicular offsets (1 px bins, R either side: `hist` holds 2R + 1) is sharpest (largest
 * sum of squared counts: a straight band projects onto the fewest bins), then the principal
 * axis of the pixels in the band around that histogram's peak (bins with ≥ 30 % of its count).
 * Screentone dots or a crossing line touching the stroke do not tilt it as a plain principal
 * axis would.
 * Writes [mean x, mean y, ex, ey, min, max projection along the axis] to `out`.
 */
function strokeAxis(
  pix: Int32Array,
  n: number,
  w: number,
  cx: number,
  cy: number,
  R: number,
  hist: Int32Array,
  coords: Float64Array,
  out: Float64Array,
): boolean {
  const nb = 2 * R + 1;
  let best = -1;
  let bestTh = 0;
  const px = coords;
  for (let p = 0; p < n; p++) {
    const i = pix[p]!;
    const y = (i / w) | 0;
    px[2 * p] = i - y * w - cx;
    px[2 * p + 1] = y - cy;
  }
  const sharpness = (th: number): number => {
    const nx = -Math.sin(th);
    const ny = Math.cos(th);
    hist.fill(0, 0, nb);
    for (let p = 0; p < n; p++) {
      let bin = Math.floor(px[2 * p]! * nx + px[2 * p + 1]! * ny + R + 0.5);
      bin = bin < 0 ? 0 : bin >= nb ? nb - 1 : bin;
      hist[bin]!++;
    }
    let score = 0;
    for (let k = 0; k < nb; k++) score += hist[k]! * hist[k]!;
    return score;
  };
  // 6° steps, then 1° steps around the best
  for (let step = 0; step < 30; step++) {
    const score = sharpness(step * 6 * DEG);
    if (score > best) {
      best = score;
      bestTh = step * 6 * DEG;
    }
  }
  const coarse = bestTh;
  for (let d = -5; d <= 5; d++) {
    if (d === 0) continue;
    const th = coarse + d * DEG;
    const score = sharpness(th);
    if (score > best) {
      best = score;
      bestTh = th;
    }
  }
  // the band around the peak at the best angle
  const nx = -Math.sin(bestTh);
  const ny = Math.cos(bestTh);
  hist.fill(0, 0, nb);
  for (let p = 0; p < n; p++) {
    let bin = Math.round(px[2 * p]! * nx + px[2 * p + 1]! * ny) + R;
    bin = bin < 0 ? 0 : bin >= nb ? nb - 1 : bin;
    hist[bin]!++;
  }
  let peak = 0;
  for (let k = 1; k < nb; k++) if (hist[k]! > hist[peak]!) peak = k;
  const floor = 0.3 * hist[peak]!;
  let b0 = peak;
  let b1 = peak;
  while (b0 > 0 && hist[b0 - 1]! >= floor) b0--;
  while (b1 < nb - 1 && hist[b1 + 1]! >= floor) b1++;
  const oLo = b0 - R - 0.5;
  const oHi = b1 - R + 0.5;
  // the band's pixels, compacted into `coords` as absolute (x, y) (each slot is read before it is overwritten)
  let m = 0;
  for (let p = 0; p < n; p++) {
    const off = px[2 * p]! * nx + px[2 * p + 1]! * ny;
    if (off < oLo || off > oHi) continue;
    const i = pix[p]!;
    const y = (i / w) | 0;
    px[2 * m] = i - y * w;
    px[2 * m + 1] = y;
    m++;
  }
  if (m < 2) return false;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < m; k++) {
    mx += px[2 * k]!;
    my += px[2 * k + 1]!;
  }
  mx /= m;
  my /= m;
  let cxx = 0;
  let cxy = 0;
  let cyy = 0;
  for (let k = 0; k < m; k++) {
    const dx = px[2 * k]! - mx;
    const dy = px[2 * k + 1]! - my;
    cxx += dx * dx;
    cxy += dx * dy;
    cyy += dy * dy;
  }
  const th = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  let ex = Math.cos(th);
  let ey = Math.sin(th);
  if (ex * (cx - mx) + ey * (cy - my) < 0) {
    ex = -ex;
    ey = -ey;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < m; k++) {
    const t = (px[2 * k]! - mx) * ex + (px[2 * k + 1]! - my) * ey;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  out[0] = mx;
  out[1] = my;
  out[2] = ex;
  out[3] = ey;
  out[4] = lo;
  out[5] = hi;
  return true;
}

/**
 * Ink strokes that run into the hole. `lum`: box-sized luminance 0..1 (row-major, w*h);
 * `hole`: box-sized, non-zero = unknown pixel to fill. Hole pixels' luminance is never read.
 */
export function findStrokes(lum: Float32Array, hole: Uint8Array, w: number, h: number, opts?: StructureOptions): InkStroke[] {
  checkSizes(lum, hole, w, h);
  const o = resolve(opts);
  const bounds = maskBounds({ width: w, height: h, data: hole });
  if (!bounds) return [];
  const ring = o.ring;
  const N = w * h;

  // 1. Chebyshev distance from the hole for known pixels up to `ring` (BFS, 8-neighbours)
  const dist = new Uint8Array(N);
  let q: Int32Array = new Int32Array(4096);
  let nq = 0;
  const x0 = Math.max(0, bounds.left - 1);
  const x1 = Math.min(w, bounds.right + 1);
  const y0 = Math.max(0, bounds.top - 1);
  const y1 = Math.min(h, bounds.bottom + 1);
  // distance 1: known pixels with a hole pixel in their 3×3 (a vertical OR of three rows, then
  // a horizontal OR of three columns)
  const vor = new Uint8Array(x1 - x0 + 2);
  for (let y = y0; y < y1; y++) {
    const ya = y > 0 ? (y - 1) * w : -1;
    const yc = y * w;
    const yb = y < h - 1 ? (y + 1) * w : -1;
    for (let x = x0; x < x1; x++) {
      vor[x - x0 + 1] = (ya >= 0 ? hole[ya + x]! : 0) | hole[yc + x]! | (yb >= 0 ? hole[yb + x]! : 0);
    }
    vor[0] = x0 > 0 ? (ya >= 0 ? hole[ya + x0 - 1]! : 0) | hole[yc + x0 - 1]! | (yb >= 0 ? hole[yb + x0 - 1]! : 0) : 0;
    vor[x1 - x0 + 1] = x1 < w ? (ya >= 0 ? hole[ya + x1]! : 0) | hole[yc + x1]! | (yb >= 0 ? hole[yb + x1]! : 0) : 0;
    for (let x = x0; x < x1; x++) {
      const i = yc + x;
      if (hole[i] || !(vor[x - x0]! | vor[x - x0 + 1]! | vor[x - x0 + 2]!)) continue;
      dist[i] = 1;
      if (nq === q.length) q = grow(q);
      q[nq++] = i;
    }
  }
  for (let head = 0; head < nq; head++) {
    const i = q[head]!;
    const d = dist[i]!;
    if (d >= ring) continue;
    const y = (i / w) | 0;
    const x = i - y * w;
    for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
      for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
        const j = yy * w + xx;
        if (hole[j] || dist[j]) continue;
        dist[j] = d + 1;
        if (nq === q.length) q = grow(q);
        q[nq++] = j;
      }
    }
  }

  // 2. ink: darker than the lightest known pixel within paperRadius by ≥ contrast (black-hat)
  const C = o.contrast;
  const R = o.paperRadius;
  const ink = new Uint8Array(N);
  for (let k = 0; k < nq; k++) {
    const i = q[k]!;
    const v = lum[i]!;
    if (v + C > 1) continue; // lum is 0..1: nothing can be lighter by C
    const y = (i / w) | 0;
    const x = i - y * w;
    const ya = Math.max(0, y - R);
    const yb = Math.min(h - 1, y + R);
    const xa = Math.max(0, x - R);
    const xb = Math.min(w - 1, x + R);
    const need = v + C;
    let found = false;
    for (let yy = ya; yy <= yb && !found; yy++) {
      const row = yy * w;
      for (let xx = xa; xx <= xb; xx++) {
        const j = row + xx;
        if (!hole[j] && lum[j]! >= need) {
          found = true;
          break;
        }
      }
    }
    if (found) ink[i] = 1;
  }

  // 3. seeds: 8-connected groups of ink pixels at distance 1..2 that touch the hole
  const visit = new Int32Array(N);
  let stamp = 0;
  const seeds: Int32Array[] = [];
  let stack: Int32Array = new Int32Array(256);
  for (let k = 0; k < nq; k++) {
    const i0 = q[k]!;
    if (dist[i0]! > 2) break; // BFS order: distances are non-decreasing
    if (!ink[i0] || visit[i0]) continue;
    stamp++;
    let n = 0;
    let touch = false;
    visit[i0] = stamp;
    stack[n++] = i0;
    for (let p = 0; p < n; p++) {
      const i = stack[p]!;
      if (dist[i] === 1) touch = true;
      const y = (i / w) | 0;
      const x = i - y * w;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const j = yy * w + xx;
          if (!ink[j] || visit[j] || dist[j]! > 2 || !dist[j]) continue;
          visit[j] = stamp;
          if (n === stack.length) stack = grow(stack);
          stack[n++] = j;
        }
      }
    }
    if (touch) seeds.push(stack.slice(0, n));
  }

  // 4. each seed: its stroke region (ink within geodesic `trace` px), axis, profiles, fit
  const tr: Trace = {
    n: 0,
    s: new Float64Array(o.trace),
    centre: new Float64Array(o.trace),
    width: new Float64Array(o.trace),
    ink: new Float64Array(o.trace),
    paper: new Float64Array(o.trace),
    busy: new Float64Array(o.trace),
    prof: new Float64Array(Math.round((2 * (o.maxWidth + 3)) / STEP) + 1),
    tmp: new Float64Array(o.trace),
  };
  const found: InkStroke[] = [];
  let depth: Int32Array = new Int32Array(256);
  const reach = Math.ceil(o.trace + o.maxWidth) + 1; // half-width of the offset histograms, bins
  const hist = new Int32Array(2 * reach + 1);
  const axis = new Float64Array(6);
  const minEntry = Math.sin(o.minEntryAngle * DEG);
  // a stroke's seed is at most its width / sin(minEntryAngle) along the border, two pixels deep;
  // its region at most `trace` long and a crossing stroke's worth wide: larger is a blob or a tone
  const maxSeed = Math.ceil((2 * (o.maxWidth + 2)) / Math.max(0.2, minEntry));
  const maxRegion = Math.ceil(4 * o.trace * (o.maxWidth + 1));
  const coords = new Float64Array(2 * maxRegion);
  for (const seed of seeds) {
    if (seed.length > maxSeed) continue;
    stamp++;
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let k = 0; k < seed.length; k++) {
      const i = seed[k]!;
      visit[i] = stamp;
      if (n === stack.length) stack = grow(stack);
      if (n >= depth.length) depth = grow(depth);
      stack[n] = i;
      depth[n++] = 0;
      const y = (i / w) | 0;
      sx += i - y * w;
      sy += y;
    }
    sx /= seed.length;
    sy /= seed.length;
    for (let p = 0; p < n && n <= maxRegion; p++) {
      const i = stack[p]!;
      const dp = depth[p]!;
      if (dp >= o.trace) continue;
      const y = (i / w) | 0;
      const x = i - y * w;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const j = yy * w + xx;
          if (!ink[j] || visit[j] === stamp) continue;
          visit[j] = stamp;
          if (n === stack.length) stack = grow(stack);
          if (n >= depth.length) depth = grow(depth);
          stack[n] = j;
          depth[n++] = dp + 1;
        }
      }
    }
    if (n > maxRegion) continue;
    {
      // too small to be a line, whatever its direction (a screentone dot)
      let xa = w;
      let xb = -1;
      let ya = h;
      let yb = -1;
      for (let p = 0; p < n; p++) {
        const i = stack[p]!;
        const y = (i / w) | 0;
        const x = i - y * w;
        if (x < xa) xa = x;
        if (x > xb) xb = x;
        if (y < ya) ya = y;
        if (y > yb) yb = y;
      }
      if (Math.max(xb - xa, yb - ya) < o.minLength - 1) continue;
    }
    // the stroke's axis, oriented into the hole
    if (!strokeAxis(stack, n, w, sx, sy, reach, hist, coords, axis)) continue;
    const mx = axis[0]!;
    const my = axis[1]!;
    let ex = axis[2]!;
    let ey = axis[3]!;
    const lo = axis[4]!;
    const hi = axis[5]!;
    if (hi - lo < o.minLength - 1) continue; // a dot, not a line
    // profiles along the axis, twice: the second time along the fitted tangent
    let px = mx;
    let py = my;
    let ok = true;
    let bx = 0;
    let by = 0;
    let a = 0;
    let b = 0;
    let soft = 0;
    for (let it = 0; it < 2 && ok; it++) {
      const tb = toBoundary(hole, w, h, px, py, ex, ey, 2 * o.trace + 8);
      if (tb < 0) {
        ok = false;
        break;
      }
      bx = px + tb * ex;
      by = py + tb * ey;
      if (!traceStroke(lum, hole, w, h, bx, by, ex, ey, o, tr)) {
        ok = false;
        break;
      }
      if (it === 0) soft = softEdges(lum, stack, n, tr);
      const fit = robustFit(tr, o, soft >= 0.1);
      if (!fit) {
        ok = false;
        break;
      }
      [a, b] = fit;
      // endpoint and tangent: position(s) = B − s·e + c(s)·n, n = (−ey, ex); into the hole: e − c'(0)·n
      const nx = -ey;
      const ny = ex;
      bx += a * nx;
      by += a * ny;
      let tx = ex - b * nx;
      let ty = ey - b * ny;
      const tl = Math.hypot(tx, ty);
      tx /= tl;
      ty /= tl;
      ex = tx;
      ey = ty;
      const back = Math.min(tr.s[tr.n - 1]!, o.trace) / 2;
      px = bx - back * ex;
      py = by - back * ey;
    }
    if (!ok) continue;
    const cos = 1 / Math.hypot(1, b);
    const width = median(tr.width, tr.n) * cos;
    const inkLevel = median(tr.ink, tr.n);
    const paper = median(tr.paper, tr.n);
    if (width > o.maxWidth || paper - inkLevel < C) continue;
    if (!(busyness(tr) <= MAX_BUSY)) continue; // in a dark screentone or dense hatching
    // the final endpoint: on the boundary along the final tangent
    const tb = toBoundary(hole, w, h, px, py, ex, ey, 2 * o.trace + 8);
    if (tb < 0) continue;
    const fx = px + tb * ex;
    const fy = py + tb * ey;
    const nrm = holeNormal(hole, w, h, fx, fy, 5);
    if (!nrm || ex * nrm[0] + ey * nrm[1] < minEntry) continue; // grazing the hole's border
    found.push({ x: fx, y: fy, dx: ex, dy: ey, width, ink: inkLevel, paper, length: tr.s[tr.n - 1]! });
  }

  // 5. one stroke seen from two seeds: keep the longer trace
  found.sort((p, r) => r.length - p.length);
  const kept: InkStroke[] = [];
  for (const s of found) {
    const dup = kept.some(
      (k) => Math.hypot(k.x - s.x, k.y - s.y) < Math.max(2, k.width, s.width) && k.dx * s.dx + k.dy * s.dy > Math.cos(20 * DEG),
    );
    if (!dup) kept.push(s);
  }
  kept.sort((p, r) => p.y - r.y || p.x - r.x);
  return kept;
}

/** Signed angle from (ax, ay) to (bx, by), radians. */
function angle(ax: number, ay: number, bx: number, by: number): number {
  return Math.atan2(ax * by - ay * bx, ax * bx + ay * by);
}

/** Control-point distances of the Bézier joining a to b: chord/3, more where the ends bend. */
function bezierArms(a: InkStroke, b: InkStroke): [number, number] {
  const g = Math.hypot(b.x - a.x, b.y - a.y);
  if (g === 0) return [0, 0];
  const ux = (b.x - a.x) / g;
  const uy = (b.y - a.y) / g;
  const ta = angle(a.dx, a.dy, ux, uy);
  const tb = angle(ux, uy, -b.dx, -b.dy);
  // a circular arc is matched exactly for small angles by chord / (3 cos²(θ/2))
  const ka = g / (3 * Math.cos(Math.min(Math.abs(ta), 1.2) / 2) ** 2);
  const kb = g / (3 * Math.cos(Math.min(Math.abs(tb), 1.2) / 2) ** 2);
  return [ka, kb];
}

/** The Bézier from a to b with a's tangent leaving and b's tangent arriving, ~1 px segments. */
function bezier(a: InkStroke, b: InkStroke): Float32Array {
  const [ka, kb] = bezierArms(a, b);
  const p0x = a.x;
  const p0y = a.y;
  const p1x = a.x + ka * a.dx;
  const p1y = a.y + ka * a.dy;
  const p2x = b.x + kb * b.dx;
  const p2y = b.y + kb * b.dy;
  const p3x = b.x;
  const p3y = b.y;
  const len = Math.hypot(p1x - p0x, p1y - p0y) + Math.hypot(p2x - p1x, p2y - p1y) + Math.hypot(p3x - p2x, p3y - p2y);
  const segs = Math.max(2, Math.ceil(len));
  const pts = new Float32Array(2 * (segs + 1));
  for (let k = 0; k <= segs; k++) {
    const t = k / segs;
    const u = 1 - t;
    const c0 = u * u * u;
    const c1 = 3 * u * u * t;
    const c2 = 3 * u * t * t;
    const c3 = t * t * t;
    pts[2 * k] = c0 * p0x + c1 * p1x + c2 * p2x + c3 * p3x;
    pts[2 * k + 1] = c0 * p0y + c1 * p1y + c2 * p2y + c3 * p3y;
  }
  return pts;
}

/** Cost of joining a and b (0: one straight line), Infinity where it cannot be the same line. */
function pairCost(a: InkStroke, b: InkStroke, diag: number, o: Opts): number {
  const g = Math.hypot(b.x - a.x, b.y - a.y);
  if (g < 1) return Infinity;
  const ux = (b.x - a.x) / g;
  const uy = (b.y - a.y) / g;
  const ta = angle(a.dx, a.dy, ux, uy);
  const tb = angle(ux, uy, -b.dx, -b.dy);
  if (Math.abs(ta) > 75 * DEG || Math.abs(tb) > 75 * DEG) return Infinity;
  const bend = (ta + tb) / 2; // a circular arc: both ends turn the same way
  const shift = (ta - tb) / 2; // an S: the ends turn opposite ways (a lateral offset)
  let c = (bend / (o.maxBend * DEG)) ** 2 + (shift / (o.maxShift * DEG)) ** 2;
  if (Number.isFinite(o.maxLateral)) c += ((g * Math.abs(Math.sin(shift))) / (o.maxLateral * Math.max(a.width, b.width) + 2)) ** 2;
  const dw = Math.abs(a.width - b.width) / (Math.max(a.width, b.width) + 1);
  c += 0.5 * (dw / 0.5) ** 2;
  const depth = Math.max(0.2, (a.paper - a.ink + b.paper - b.ink) / 2);
  const di = Math.abs(a.ink - b.ink) / depth;
  c += 0.5 * (di / 0.5) ** 2;
  c += 0.25 * (g / Math.max(1, diag)) ** 2;
  return c;
}

/**
 * Whether the curve runs over known pixels (or out of the box) away from its two ends for more
 * than 1.5 px, not counting known pixels that show ink (`lum` given: the darkest pixel of the
 * 3×3 around the point at most `mid`) — the line crossing a narrow bridge between two holes.
 */
function crossesKnown(
  pts: Float32Array,
  hole: Uint8Array,
  w: number,
  h: number,
  margin: number,
  lum: Float32Array | undefined,
  mid: number,
): boolean {
  const n = pts.length / 2;
  let len = 0;
  const cum = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    len += Math.hypot(pts[2 * k]! - pts[2 * k - 2]!, pts[2 * k + 1]! - pts[2 * k - 1]!);
    cum[k] = len;
  }
  let outside = 0;
  for (let k = 1; k < n; k++) {
    if (cum[k]! < margin || len - cum[k]! < margin) continue;
    const x = Math.round(pts[2 * k]!);
    const y = Math.round(pts[2 * k + 1]!);
    const seg = cum[k]! - cum[k - 1]!;
    if (x < 0 || y < 0 || x >= w || y >= h) {
      outside += seg;
      continue;
    }
    if (hole[y * w + x]) continue;
    let inked = false;
    if (lum) {
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1) && !inked; yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const j = yy * w + xx;
          if (!hole[j] && lum[j]! <= mid) {
            inked = true;
            break;
          }
        }
      }
    }
    if (!inked) outside += seg;
  }
  return outside > 1.5;
}

/** Whether segments p0-p1 and q0-q1 cross (properly), at an angle below `minAngle` radians. */
function shallowCross(a: InkStroke, b: InkStroke, c: InkStroke, d: InkStroke, minAngle: number): boolean {
  const rx = b.x - a.x;
  const ry = b.y - a.y;
  const sx = d.x - c.x;
  const sy = d.y - c.y;
  const den = rx * sy - ry * sx;
  if (den === 0) return false;
  const t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
  const u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
  if (t <= 0 || t >= 1 || u <= 0 || u >= 1) return false;
  const cos = Math.abs(rx * sx + ry * sy) / (Math.hypot(rx, ry) * Math.hypot(sx, sy));
  return cos > Math.cos(minAngle);
}

/**
 * Pairs strokes that are one line across the hole: indices [i, j], i < j, each stroke in at
 * most one pair. The matching minimises the sum of pair costs plus maxCost / 2 per stroke left
 * unpaired (so a pair stands only when it costs less than maxCost), exhaustively within each
 * connected group of candidate pairs of up to 12 strokes, greedily (cheapest first) beyond.
 * Two pairs whose chords cross at less than minCrossAngle never both stand (the costlier
 * goes), nor does a pair whose curve runs over known pixels away from its ends — unless
 * `lum` is given and those pixels show ink (a line crossing a narrow known bridge).
 */
export function pairStrokes(
  strokes: InkStroke[],
  hole: Uint8Array,
  w: number,
  h: number,
  opts?: StructureOptions,
  lum?: Float32Array,
): Array<[number, number]> {
  checkSizes(lum ?? null, hole, w, h);
  const o = resolve(opts);
  const n = strokes.length;
  if (n < 2) return [];
  const bounds = maskBounds({ width: w, height: h, data: hole });
  const diag = bounds ? Math.hypot(bounds.right - bounds.left, bounds.bottom - bounds.top) : Math.hypot(w, h);
  const cost = new Float64Array(n * n).fill(Infinity);
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = strokes[i]!;
      const b = strokes[j]!;
      const c = pairCost(a, b, diag, o);
      if (!(c < o.maxCost)) continue;
      const mid = (a.paper + a.ink + b.paper + b.ink) / 4;
      if (crossesKnown(bezier(a, b), hole, w, h, Math.max(a.width, b.width) + 2, lum, mid)) continue;
      cost[i * n + j] = cost[j * n + i] = c;
      adj[i]!.push(j);
      adj[j]!.push(i);
    }
  }
  const minCross = o.minCrossAngle * DEG;
  const conflict = (i: number, j: number, k: number, l: number): boolean =>
    shallowCross(strokes[i]!, strokes[j]!, strokes[k]!, strokes[l]!, minCross);
  const lonely = o.maxCost / 2;
  const pairs: Array<[number, number]> = [];
  const group = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (group[s] !== -1 || adj[s]!.length === 0) continue;
    const members = [s];
    group[s] = s;
    for (let p = 0; p < members.length; p++) {
      for (const j of adj[members[p]!]!) {
        if (group[j] === -1) {
          group[j] = s;
          members.push(j);
        }
      }
    }
    members.sort((p, q) => p - q);
    if (members.length <= 12) {
      // exhaustive: each member in turn stays alone or pairs with a later free member
      const used = new Uint8Array(n);
      const cur: Array<[number, number]> = [];
      let best: Array<[number, number]> = [];
      let bestCost = Infinity;
      const rec = (k: number, acc: number): void => {
        if (acc >= bestCost) return;
        while (k < members.length && used[members[k]!]) k++;
        if (k === members.length) {
          bestCost = acc;
          best = cur.slice();
          return;
        }
        const i = members[k]!;
        used[i] = 1;
        for (const j of adj[i]!) {
          if (used[j] || j < i) continue;
          if (cur.some(([p, q]) => conflict(i, j, p, q))) continue;
          used[j] = 1;
          cur.push([i, j]);
          rec(k + 1, acc + cost[i * n + j]!);
          cur.pop();
          used[j] = 0;
        }
        rec(k + 1, acc + lonely);
        used[i] = 0;
      };
      rec(0, 0);
      pairs.push(...best);
    } else {
      const edges: Array<[number, number]> = [];
      for (const i of members) for (const j of adj[i]!) if (i < j) edges.push([i, j]);
      edges.sort((p, q) => cost[p[0] * n + p[1]]! - cost[q[0] * n + q[1]]!);
      const used = new Uint8Array(n);
      for (const [i, j] of edges) {
        if (used[i] || used[j]) continue;
        if (pairs.some(([p, q]) => group[p] === s && conflict(i, j, p, q))) continue;
        used[i] = used[j] = 1;
        pairs.push([i, j]);
      }
    }
  }
  // conflicts between groups: cheapest first
  pairs.sort((p, q) => cost[p[0] * n + p[1]]! - cost[q[0] * n + q[1]]!);
  const out: Array<[number, number]> = [];
  for (const [i, j] of pairs) if (!out.some(([p, q]) => conflict(i, j, p, q))) out.push([i, j]);
  return out.sort((p, q) => p[0] - q[0]);
}

/** Length (px) of the polyline's segments whose midpoints fall in the hole. */
function lengthInHole(pts: Float32Array, hole: Uint8Array, w: number, h: number): number {
  let len = 0;
  for (let k = 0; k + 3 < pts.length; k += 2) {
    const x = Math.round((pts[k]! + pts[k + 2]!) / 2);
    const y = Math.round((pts[k + 1]! + pts[k + 3]!) / 2);
    if (x < 0 || y < 0 || x >= w || y >= h || !hole[y * w + x]) continue;
    len += Math.hypot(pts[k + 2]! - pts[k]!, pts[k + 3]! - pts[k + 1]!);
  }
  return len;
}

/** Rasterises a curve into the hole pixels: coverage max'ed into alpha, ink where it wins. */
function rasterise(
  c: StructureCurve,
  inkA: number,
  inkB: number,
  hole: Uint8Array,
  w: number,
  h: number,
  alpha: Float32Array,
  ink: Float32Array,
): void {
  const pts = c.points;
  const ws = c.widths;
  const n = pts.length / 2;
  for (let k = 0; k + 1 < n; k++) {
    const ax = pts[2 * k]!;
    const ay = pts[2 * k + 1]!;
    const bx = pts[2 * k + 2]!;
    const by = pts[2 * k + 3]!;
    const wa = ws[k]!;
    const wb = ws[k + 1]!;
    const r = Math.max(wa, wb) / 2 + 1;
    const xa = Math.max(0, Math.floor(Math.min(ax, bx) - r));
    const xb = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + r));
    const ya = Math.max(0, Math.floor(Math.min(ay, by) - r));
    const yb = Math.min(h - 1, Math.ceil(Math.max(ay, by) + r));
    const vx = bx - ax;
    const vy = by - ay;
    const vv = vx * vx + vy * vy;
    const ia = inkA + ((inkB - inkA) * k) / Math.max(1, n - 1);
    const ib = inkA + ((inkB - inkA) * (k + 1)) / Math.max(1, n - 1);
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const i = y * w + x;
        if (!hole[i]) continue;
        let t = vv > 0 ? ((x - ax) * vx + (y - ay) * vy) / vv : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const d = Math.hypot(x - ax - t * vx, y - ay - t * vy);
        const wt = wa + (wb - wa) * t;
        let cov = wt / 2 + 0.5 - d;
        if (cov <= 0) continue;
        if (cov > 1) cov = 1;
        if (cov > alpha[i]!) {
          alpha[i] = cov;
          ink[i] = ia + (ib - ia) * t;
        }
      }
    }
  }
}

/** A straight run of points about 1 px apart from (ax, ay) to (bx, by). */
function segment(ax: number, ay: number, bx: number, by: number): Float32Array {
  const n = Math.max(2, Math.ceil(Math.hypot(bx - ax, by - ay)));
  const pts = new Float32Array(2 * (n + 1));
  for (let k = 0; k <= n; k++) {
    pts[2 * k] = ax + ((bx - ax) * k) / n;
    pts[2 * k + 1] = ay + ((by - ay) * k) / n;
  }
  return pts;
}

/**
 * Corners among the strokes not in `taken`: pairs whose tangent lines meet inside the hole, ahead
 * of both ends (each within cornerReach px), at a corner angle between cornerAngle and
 * 180 - cornerAngle degrees, with a similar ink level and width, both arms running through the
 * hole only (not over known paper). Nearest first, each stroke in one corner at most, no two
 * corners' arms crossing. Returns [i, j, x, y] per corner.
 */
export function findCorners(
  strokes: InkStroke[],
  taken: Uint8Array,
  hole: Uint8Array,
  w: number,
  h: number,
  opts?: StructureOptions,
  lum?: Float32Array,
): Array<[number, number, number, number]> {
  const o = resolve(opts);
  if (!(o.cornerReach > 0)) return [];
  const cosMax = Math.cos(o.cornerAngle * DEG);
  const cands: Array<{ i: number; j: number; x: number; y: number; reach: number }> = [];
  for (let i = 0; i < strokes.length; i++) {
    if (taken[i]) continue;
    for (let j = i + 1; j < strokes.length; j++) {
      if (taken[j]) continue;
      const a = strokes[i]!;
      const b = strokes[j]!;
      // the angle between the two arms at the corner is the angle between the tangents
      if (Math.abs(a.dx * b.dx + a.dy * b.dy) > cosMax) continue;
      // solid ink lines only (contours): grey hatching and tone lines cross and end everywhere
      if (a.ink > o.cornerInk || b.ink > o.cornerInk || Math.max(a.width, b.width) > 2.5 * Math.min(a.width, b.width)) continue;
      const den = a.dx * b.dy - a.dy * b.dx;
      if (den === 0) continue;
      const ex = b.x - a.x;
      const ey = b.y - a.y;
      const sa = (ex * b.dy - ey * b.dx) / den;
      const sb = (ex * a.dy - ey * a.dx) / den;
      if (!(sa > 0 && sb > 0 && sa <= o.cornerReach && sb <= o.cornerReach)) continue;
      const x = a.x + sa * a.dx;
      const y = a.y + sa * a.dy;
      if (!inHole(hole, w, h, x, y)) continue;
      // both arms through the hole: a real line would show over known pixels
      if (runInHole(hole, w, h, a.x, a.y, a.dx, a.dy, sa + 1) < sa - 1.5) continue;
      if (runInHole(hole, w, h, b.x, b.y, b.dx, b.dy, sb + 1) < sb - 1.5) continue;
      const mid = (a.paper + a.ink + b.paper + b.ink) / 4;
      const margin = Math.max(a.width, b.width) + 2;
      if (crossesKnown(segment(a.x, a.y, x, y), hole, w, h, margin, lum, mid)) continue;
      if (crossesKnown(segment(b.x, b.y, x, y), hole, w, h, margin, lum, mid)) continue;
      cands.push({ i, j, x, y, reach: sa + sb });
    }
  }
  cands.sort((p, q) => p.reach - q.reach);
  const used = new Uint8Array(strokes.length);
  const out: Array<[number, number, number, number]> = [];
  const arms: Array<[number, number, number, number]> = [];
  const crosses = (p: [number, number, number, number], q: [number, number, number, number]): boolean => {
    const rx = p[2] - p[0];
    const ry = p[3] - p[1];
    const sx = q[2] - q[0];
    const sy = q[3] - q[1];
    const den = rx * sy - ry * sx;
    if (den === 0) return false;
    const t = ((q[0] - p[0]) * sy - (q[1] - p[1]) * sx) / den;
    const u = ((q[0] - p[0]) * ry - (q[1] - p[1]) * rx) / den;
    return t > 0.02 && t < 0.98 && u > 0.02 && u < 0.98;
  };
  for (const c of cands) {
    if (used[c.i] || used[c.j]) continue;
    const a = strokes[c.i]!;
    const b = strokes[c.j]!;
    const mine: Array<[number, number, number, number]> = [
      [a.x, a.y, c.x, c.y],
      [b.x, b.y, c.x, c.y],
    ];
    if (mine.some((m) => arms.some((q) => crosses(m, q)))) continue;
    used[c.i] = used[c.j] = 1;
    arms.push(...mine);
    out.push([c.i, c.j, c.x, c.y]);
  }
  return out;
}

/**
 * The structure layer of a box: strokes found, paired, joined by Béziers (unpaired ends:
 * a short tapering extension) and rasterised, anti-aliased, into the hole only.
 * `lum`: box-sized luminance 0..1 (row-major, w*h); `hole`: box-sized, non-zero = to fill.
 */
export function structureLayer(lum: Float32Array, hole: Uint8Array, w: number, h: number, opts?: StructureOptions): StructureLayer {
  checkSizes(lum, hole, w, h);
  const o = resolve(opts);
  const alpha = new Float32Array(w * h);
  const ink = new Float32Array(w * h);
  const curves: StructureCurve[] = [];
  const strokes = findStrokes(lum, hole, w, h, opts);
  const pairs = pairStrokes(strokes, hole, w, h, opts, lum);
  const bounds = maskBounds({ width: w, height: h, data: hole });
  const diag = bounds ? Math.hypot(bounds.right - bounds.left, bounds.bottom - bounds.top) : 0;
  const paired = new Uint8Array(strokes.length);
  for (const [i, j] of pairs) {
    const a = strokes[i]!;
    const b = strokes[j]!;
    paired[i] = paired[j] = 1;
    const points = bezier(a, b);
    const m = points.length / 2;
    if (o.minInHole > 0 && lengthInHole(points, hole, w, h) < o.minInHole) continue;
    const widths = new Float32Array(m);
    for (let k = 0; k < m; k++) widths[k] = a.width + ((b.width - a.width) * k) / (m - 1);
    const curve: StructureCurve = {
      a,
      b,
      points,
      widths,
      width: (a.width + b.width) / 2,
      ink: (a.ink + b.ink) / 2,
      cost: pairCost(a, b, diag, o),
    };
    curves.push(curve);
    rasterise(curve, a.ink, b.ink, hole, w, h, alpha, ink);
  }
  // corners: two unpaired strokes drawn on to the point where their lines meet
  // bold contours (too wide for maxWidth, up to cornerMaxWidth) take part in corners only, and are
  // looked for only when an unpaired solid stroke could make one (pairing and extension were
  // measured without them; found with the wider limit, a dot tone can yield strokes)
  let bold: InkStroke[] = [];
  if (o.cornerReach > 0 && o.cornerMaxWidth > o.maxWidth && strokes.some((s, i) => !paired[i] && s.ink <= o.cornerInk)) {
    // those of the wider search that the usual one did not find (the same end within 3 px)
    bold = findStrokes(lum, hole, w, h, { ...opts, maxWidth: o.cornerMaxWidth }).filter(
      (b) => !strokes.some((s) => Math.hypot(s.x - b.x, s.y - b.y) < 3),
    );
  }
  const all = [...strokes, ...bold];
  const taken = new Uint8Array(all.length);
  taken.set(paired);
  for (const [i, j, x, y] of findCorners(all, taken, hole, w, h, opts, lum)) {
    if (i < strokes.length) paired[i] = 1;
    if (j < strokes.length) paired[j] = 1;
    for (const [s, t] of [
      [all[i]!, all[j]!],
      [all[j]!, all[i]!],
    ] as const) {
      const points = segment(s.x, s.y, x, y);
      const widths = new Float32Array(points.length / 2).fill(s.width);
      const curve: StructureCurve = { a: s, b: t, points, widths, width: s.width, ink: s.ink, cost: NaN, corner: true };
      curves.push(curve);
      rasterise(curve, s.ink, s.ink, hole, w, h, alpha, ink);
    }
  }
  if (o.extend > 0) {
    for (let i = 0; i < strokes.length; i++) {
      if (paired[i]) continue;
      const a = strokes[i]!;
      const run = runInHole(hole, w, h, a.x, a.y, a.dx, a.dy, Math.hypot(w, h));
      const len = Math.min(o.extend * run, o.extendMax);
      if (len < 1) continue;
      const segs = Math.ceil(len);
      const points = new Float32Array(2 * (segs + 1));
      const widths = new Float32Array(segs + 1);
      for (let k = 0; k <= segs; k++) {
        const t = (k / segs) * len;
        points[2 * k] = a.x + t * a.dx;
        points[2 * k + 1] = a.y + t * a.dy;
        widths[k] = a.width * (1 - k / segs); // tapers to a point: a natural pen stroke end
      }
      const curve: StructureCurve = { a, b: null, points, widths, width: a.width / 2, ink: a.ink, cost: NaN };
      curves.push(curve);
      rasterise(curve, a.ink, a.ink, hole, w, h, alpha, ink);
    }
  }
  return { width: w, height: h, alpha, ink, curves };
}
