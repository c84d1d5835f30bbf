/**
 * @file Texture benchmark on the evaluation cases: guide alone vs guide + refineTexture, per bucket.
 *
 *   npx tsc -p bench/texture/tsconfig.json && node bench/out/texture-build/bench/texture/eval.js \
 *     [--limit N] [--guide diffusion|DIR] [--variants '{"auto":{"mode":"auto"}}'] [--save DIR]
 *
 * --guide diffusion (default): a push-pull diffusion fill computed here (a Telea-like blur fill).
 * --guide DIR: DIR/<id>.png, e.g. the network's outputs on the green-painted inputs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { diffusionFill, refineTexture, type TextureOptions } from '../../src/core/texture';
import { listCases, loadCase, score, table, toInterleaved8, toPlanar, type Score } from './common';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sharp = require('sharp');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const limit = Number(arg('limit', '0'));
  const guideSrc = arg('guide', 'diffusion');
  const save = arg('save', '');
  const variants: Record<string, Partial<TextureOptions>> = JSON.parse(arg('variants', '{"auto":{"mode":"auto"},"always":{"mode":"always"}}'));
  const only = arg('only', '');
  let cases = listCases(limit);
  if (only) cases = cases.filter((c) => only.split(',').includes(c.id));
  const groups = new Map<string, Map<string, Score[]>>();
  const times = new Map<string, number[]>();
  const add = (g: string, m: string, s: Score) => {
    for (const k of [g, 'all']) {
      if (!groups.has(k)) groups.set(k, new Map());
      const gm = groups.get(k)!;
      if (!gm.has(m)) gm.set(m, []);
      gm.get(m)!.push(s);
    }
  };
  for (const c of cases) {
    const lc = await loadCase(c);
    const s = lc.size;
    const n = s * s;
    let guide: Float32Array;
    if (guideSrc === 'diffusion') {
      guide = new Float32Array(3 * n);
      for (let k = 0; k < 3; k++) guide.set(diffusionFill(lc.planar.subarray(k * n, (k + 1) * n), lc.hole, s, s), k * n);
    } else {
      const g = await sharp(path.join(guideSrc, c.id + '.png')).removeAlpha().toColourspace('srgb').raw().toBuffer();
      guide = toPlanar(new Uint8Array(g), n);
    }
    const base = new Float32Array(3 * n);
    for (let i = 0; i < 3 * n; i++) base[i] = lc.hole[i % n] ? guide[i] : lc.planar[i];
    add(lc.group, 'guide', score(toInterleaved8(base, n), lc));
    const line: string[] = [];
    for (const [name, v] of Object.entries(variants)) {
      // The crop given to refineTexture has its hole painted green, as a user's input would.
      const crop = Float32Array.from(lc.planar);
      for (let i = 0; i < n; i++) if (lc.hole[i]) (crop[i] = 0), (crop[n + i] = 1), (crop[2 * n + i] = 0);
      const c0 = process.cpuUsage();
      const res = refineTexture(crop, lc.hole, guide, { width: s, height: s, channels: 3, ...v });
      const cu = process.cpuUsage(c0);
      const dt = (cu.user + cu.system) / 1000; // CPU time: the machine is shared, wall time is not ours
      if (!times.has(name)) times.set(name, []);
      times.get(name)!.push(dt);
      const o8 = toInterleaved8(res.data, n);
      for (let i = 0; i < n; i++) {
        if (lc.hole[i]) continue;
        for (let k = 0; k < 3; k++) if (o8[i * 3 + k] !== lc.rgb[i * 3 + k]) throw new Error(`case ${c.id}: ${name} changed a pixel outside the hole`);
      }
      const sc = score(o8, lc);
      add(lc.group, name, sc);
      line.push(`${name} ${sc.psnr.toFixed(2)}dB tex ${sc.tex.toFixed(2)} ${dt.toFixed(0)}ms ${res.refinedPixels}/${res.holePixels}`);
      if (save) {
        fs.mkdirSync(path.join(save, name), { recursive: true });
        await sharp(Buffer.from(o8), { raw: { width: s, height: s, channels: 3 } }).png().toFile(path.join(save, name, c.id + '.png'));
      }
    }
    const gs = groups.get(lc.group)!.get('guide')!;
    const g0 = gs[gs.length - 1];
    process.stderr.write(`${c.id} ${lc.group} guide ${g0.psnr.toFixed(2)}dB tex ${g0.tex.toFixed(2)} | ${line.join(' | ')}\n`);
    if (save) {
      fs.mkdirSync(path.join(save, 'guide'), { recursive: true });
      await sharp(Buffer.from(toInterleaved8(base, n)), { raw: { width: s, height: s, channels: 3 } }).png().toFile(path.join(save, 'guide', c.id + '.png'));
    }
  }
  const order = [...groups.keys()].filter((k) => /^\d/.test(k)).sort();
  for (const k of ['bars', 'all']) if (groups.has(k)) order.push(k);
  const rows: { group: string; method: string; s: Score[] }[] = [];
  for (const g of order) for (const [m, s] of groups.get(g)!) rows.push({ group: g, method: m, s });
  console.log(table(rows));
  for (const [name, t] of times) {
    t.sort((a, b) => a - b);
    console.log(`${name}: refineTexture CPU time per 512x512 crop: median ${t[t.length >> 1].toFixed(0)} ms, max ${t[t.length - 1].toFixed(0)} ms`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
