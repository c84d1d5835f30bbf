/**
 * @file A fill command in the form ../shared/tools/eval_cases.py expects ("COMMAND {in} {out}"):
 * every {in}/<id>.png has its hole painted pure green; the hole is filled with a guide (a
 * push-pull diffusion fill, or the PNGs of another command such as the network's, --guide DIR)
 * and then, unless --texture off, refined with refineTexture. Writes {out}/<id>.png.
 *
 *   /usr/bin/python3 ../shared/tools/eval_cases.py ../shared/data/eval/cases/cases.json \
 *     ../shared/data/eval/openmantra --baselines \
 *     --cmd "node bench/out/texture-build/bench/texture/cmd.js {in} {out} --texture auto"
 */
import * as fs from 'fs';
import * as path from 'path';
import { diffusionFill, refineTexture, type TextureMode } from '../../src/core/texture';
import { toInterleaved8, toPlanar } from './common';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sharp = require('sharp');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const [inDir, outDir] = process.argv.slice(2, 4);
  if (!inDir || !outDir) throw new Error('usage: cmd.js IN_DIR OUT_DIR [--texture auto|always|off] [--guide diffusion|DIR] [--opts JSON]');
  const mode = arg('texture', 'auto') as TextureMode;
  const guideSrc = arg('guide', 'diffusion');
  const extra = JSON.parse(arg('opts', '{}'));
  fs.mkdirSync(outDir, { recursive: true });
  const times: number[] = [];
  for (const f of fs.readdirSync(inDir).filter((x) => x.endsWith('.png')).sort()) {
    const { data, info } = await sharp(path.join(inDir, f)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const w = info.width;
    const h = info.height;
    const n = w * h;
    const ch = info.channels;
    const rgb = new Uint8Array(3 * n);
    const hole = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) rgb[i * 3 + k] = data[i * ch + Math.min(k, ch - 1)];
      if (rgb[i * 3] === 0 && rgb[i * 3 + 1] === 255 && rgb[i * 3 + 2] === 0) hole[i] = 1;
    }
    const crop = toPlanar(rgb, n);
    let guide: Float32Array;
    if (guideSrc === 'diffusion') {
      guide = new Float32Array(3 * n);
      for (let k = 0; k < 3; k++) guide.set(diffusionFill(crop.subarray(k * n, (k + 1) * n), hole, w, h), k * n);
    } else {
      const g = await sharp(path.join(guideSrc, f)).removeAlpha().toColourspace('srgb').raw().toBuffer();
      guide = toPlanar(new Uint8Array(g), n);
    }
    const t0 = performance.now();
    const res = refineTexture(crop, hole, guide, { width: w, height: h, channels: 3, mode, ...extra });
    times.push(performance.now() - t0);
    await sharp(Buffer.from(toInterleaved8(res.data, n)), { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(path.join(outDir, f));
  }
  times.sort((a, b) => a - b);
  process.stderr.write(`refineTexture (${mode}): ${times.length} crops, median ${times[times.length >> 1]?.toFixed(0)} ms, max ${times[times.length - 1]?.toFixed(0)} ms\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
