/**
 * @file The real pipeline as an eval_cases.py command: inpaint() from src/pipeline with the
 * network (onnxruntime-node) and `texture` auto or off, on {in}/<id>.png (hole = exact #00FF00).
 *
 *   /usr/bin/python3 ../shared/tools/eval_cases.py ../shared/data/eval/cases/cases.json \
 *     ../shared/data/eval/openmantra --baselines \
 *     --cmd "node bench/out/texture-build/bench/texture/pipeline-cmd.js {in} {out} --texture auto"
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadNodeModel } from '../../src/inference/node';
import { inpaint } from '../../src/pipeline';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sharp = require('sharp');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const [inDir, outDir] = process.argv.slice(2, 4);
  if (!inDir || !outDir) throw new Error('usage: pipeline-cmd.js IN_DIR OUT_DIR [--texture auto|off] [--manifest models/models.json] [--threads 1]');
  const texture = arg('texture', 'auto') as 'auto' | 'off';
  const model = await loadNodeModel(arg('manifest', 'models/models.json'), undefined, { kind: 'bar', threads: Number(arg('threads', '1')) });
  fs.mkdirSync(outDir, { recursive: true });
  const cpu: number[] = [];
  for (const f of fs.readdirSync(inDir).filter((x) => x.endsWith('.png')).sort()) {
    const { data, info } = await sharp(path.join(inDir, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const n = info.width * info.height;
    const ch = info.channels as 1 | 3;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (ch === 3 && data[i * 3] === 0 && data[i * 3 + 1] === 255 && data[i * 3 + 2] === 0) mask[i] = 1;
    const c0 = process.cpuUsage();
    const res = await inpaint(
      { width: info.width, height: info.height, channels: ch, data: new Uint8Array(data), maxValue: 255 },
      { width: info.width, height: info.height, data: mask },
      { model, texture },
    );
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
    await sharp(Buffer.from(res.image.data), { raw: { width: info.width, height: info.height, channels: ch } }).png().toFile(path.join(outDir, f));
  }
  await model.dispose();
  cpu.sort((a, b) => a - b);
  process.stderr.write(`inpaint (texture ${texture}): ${cpu.length} crops, process CPU per crop (model + texture) median ${cpu[cpu.length >> 1]?.toFixed(0)} ms, max ${cpu[cpu.length - 1]?.toFixed(0)} ms\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
