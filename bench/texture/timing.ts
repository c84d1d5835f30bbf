/**
 * @file Timing of refineTexture on real 512x512 evaluation crops, one per hole-size bucket
 * (single-threaded). Reports min and median of --reps runs per crop.
 *
 *   node bench/out/texture-build/bench/texture/timing.js [--reps 5] [--opts '{"mode":"always"}']
 */
import { diffusionFill, refineTexture, type TextureOptions } from '../../src/core/texture';
import { listCases, loadCase } from './common';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const reps = Number(arg('reps', '5'));
  const opts: Partial<TextureOptions> = JSON.parse(arg('opts', '{}'));
  const ids = arg('ids', '005,025,045,065,085,105,125').split(',');
  const cases = listCases().filter((c) => ids.includes(c.id));
  for (const c of cases) {
    const lc = await loadCase(c);
    const s = lc.size;
    const n = s * s;
    const guide = new Float32Array(3 * n);
    for (let k = 0; k < 3; k++) guide.set(diffusionFill(lc.planar.subarray(k * n, (k + 1) * n), lc.hole, s, s), k * n);
    const t: number[] = [];
    const cpu: number[] = [];
    let refined = 0;
    let holes = 0;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = refineTexture(lc.planar, lc.hole, guide, { width: s, height: s, channels: 3, ...opts });
      t.push(performance.now() - t0);
      const dc = process.cpuUsage(c0);
      cpu.push((dc.user + dc.system) / 1000);
      refined = res.refinedPixels;
      holes = res.holePixels;
    }
    t.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(
      `case ${c.id} (${c.bucket ?? c.kind}, hole ${((100 * holes) / n).toFixed(1)} %, refined ${refined}): min ${t[0].toFixed(0)} ms, median ${t[t.length >> 1].toFixed(0)} ms wall; CPU time min ${cpu[0].toFixed(0)} ms, median ${cpu[cpu.length >> 1].toFixed(0)} ms`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
