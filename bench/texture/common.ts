/**
 * @file Shared helpers of the texture benchmarks: load the evaluation cases exactly as
 * ../shared/tools/eval_cases.py builds them (512x512 crop of the page, hole = mask > 127), and
 * score an output the way it does (PSNR on RGB, L1 in the hole, texture ratio = mean |Laplacian|
 * of the gray output over the ground truth's, inside the hole). Evaluation only, never training.
 */
import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sharp = require('sharp');

/** ../shared relative to the repository root (run the benchmarks from the root), or $INPAINT_SHARED. */
export const SHARED = path.resolve(process.env.INPAINT_SHARED ?? path.join(process.cwd(), '../shared'));
export const CASES_JSON = path.join(SHARED, 'data/eval/cases/cases.json');
export const PAGES = path.join(SHARED, 'data/eval/openmantra');

export interface EvalCase {
  id: string;
  source: string;
  x: number;
  y: number;
  size: number;
  kind: 'bucket' | 'bars' | 'mosaic';
  bucket?: string;
}

export interface LoadedCase {
  readonly c: EvalCase;
  readonly group: string;
  /** ground truth, interleaved RGB uint8 */
  readonly rgb: Uint8Array;
  /** planar float RGB in [0,1] */
  readonly planar: Float32Array;
  readonly hole: Uint8Array;
  readonly size: number;
}

export function listCases(limit = 0): EvalCase[] {
  if (!fs.existsSync(CASES_JSON)) throw new Error(`evaluation cases not found at ${CASES_JSON} (needs ../shared)`);
  let cases: EvalCase[] = JSON.parse(fs.readFileSync(CASES_JSON, 'utf8')).cases;
  cases = cases.filter((c) => c.kind !== 'mosaic');
  if (limit) {
    const step = Math.max(1, Math.floor(cases.length / limit));
    cases = cases.filter((_, i) => i % step === 0).slice(0, limit);
  }
  return cases;
}

export async function loadCase(c: EvalCase): Promise<LoadedCase> {
  const s = c.size;
  const img = await sharp(path.join(PAGES, c.source))
    .extract({ left: c.x, top: c.y, width: s, height: s })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ch = img.info.channels as number;
  const rgb = new Uint8Array(s * s * 3);
  for (let i = 0; i < s * s; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = img.data[i * ch + Math.min(k, ch - 1)];
  const m = await sharp(path.join(path.dirname(CASES_JSON), 'masks', c.id + '.png')).greyscale().raw().toBuffer();
  const hole = new Uint8Array(s * s);
  for (let i = 0; i < s * s; i++) hole[i] = m[i] > 127 ? 1 : 0;
  return { c, group: c.bucket ?? c.kind, rgb, planar: toPlanar(rgb, s * s), hole, size: s };
}

export function toPlanar(rgb: Uint8Array, n: number): Float32Array {
  const p = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) p[k * n + i] = rgb[i * 3 + k] / 255;
  return p;
}

export function toInterleaved8(planar: Float32Array, n: number): Uint8Array {
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.max(0, Math.min(255, Math.round(planar[k * n + i] * 255)));
  return out;
}

function gray8(rgb: Uint8Array, n: number): Float64Array {
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = Math.round(0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]);
  return g;
}

function meanAbsLapIn(g: Float64Array, s: number, hole: Uint8Array): number {
  let sum = 0;
  let cnt = 0;
  for (let y = 0; y < s; y++) {
    const ym = y > 0 ? y - 1 : 1;
    const yp = y < s - 1 ? y + 1 : s - 2;
    for (let x = 0; x < s; x++) {
      const i = y * s + x;
      if (!hole[i]) continue;
      const xm = x > 0 ? x - 1 : 1;
      const xp = x < s - 1 ? x + 1 : s - 2;
      sum += Math.abs(g[ym * s + x] + g[yp * s + x] + g[y * s + xm] + g[y * s + xp] - 4 * g[i]);
      cnt++;
    }
  }
  return cnt ? sum / cnt : 0;
}

export interface Score {
  psnr: number;
  l1: number;
  tex: number;
}

/** Scores an interleaved RGB uint8 output against the case's ground truth, as eval_cases.py does (without SSIM). */
export function score(out: Uint8Array, lc: LoadedCase): Score {
  const n = lc.size * lc.size;
  let se = 0;
  let l1 = 0;
  let hc = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const d = out[i * 3 + k] - lc.rgb[i * 3 + k];
      se += d * d;
      if (lc.hole[i]) l1 += Math.abs(d);
    }
    if (lc.hole[i]) hc++;
  }
  const mse = se / (3 * n);
  const psnr = mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
  const lo = meanAbsLapIn(gray8(out, n), lc.size, lc.hole);
  const lg = meanAbsLapIn(gray8(lc.rgb, n), lc.size, lc.hole);
  return { psnr, l1: l1 / (3 * hc * 255), tex: lg > 1e-6 ? lo / lg : 1 };
}

export function table(rows: { group: string; method: string; s: Score[] }[]): string {
  const lines = ['| group | n | method | PSNR dB | L1 hole % | texture ratio | texture median |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const m = (f: (s: Score) => number) => r.s.reduce((a, s) => a + f(s), 0) / r.s.length;
    const tx = r.s.map((s) => s.tex).sort((a, b) => a - b);
    lines.push(
      `| ${r.group} | ${r.s.length} | ${r.method} | ${m((s) => s.psnr).toFixed(2)} | ${(100 * m((s) => s.l1)).toFixed(2)} | ${m((s) => s.tex).toFixed(2)} | ${tx[tx.length >> 1].toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
