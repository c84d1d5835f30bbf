#!/usr/bin/env node
/**
 * Independent checker for a green-paint inpainting result (does not use the project's code).
 *   node tests/cli/check-output.js GREEN_INPUT OUTPUT [--original ORIGINAL] [--fringe 2] [--json]
 * Checks: same size/channels/depth; no pure-green pixel left; no green halo left: no unchanged
 * pixel within fringe+1 px of the input's pure green whose green excess e = G - max(R,B) is
 * >= max/16 and that is a blend of green over each neighbour farther from the paint (weight
 * >= 1/16, residual <= max/8), as a soft edge is; greenish picture content is not); no pixel changed
 * outside the painted area (pure green plus greenish pixels, e >= max/32, at most `fringe` px
 * from pure green). Also reports how many pixels changed outside the exact pure green.
 * With --original (mosaic mode) "unchanged" is measured against the original.
 * Exit 0 when every check passes, 1 otherwise.
 */
const sharp = require('sharp');

async function read(file) {
  const meta = await sharp(file, { ignoreIcc: true }).metadata();
  const deep = meta.depth === 'ushort';
  const s = sharp(file, { ignoreIcc: true, limitInputPixels: false });
  const { data, info } = await (deep ? s.toColourspace(meta.channels <= 2 ? 'grey16' : 'rgb16').raw({ depth: 'ushort' }) : s.raw()).toBuffer({ resolveWithObject: true });
  const px = deep ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) : new Uint8Array(data);
  return { w: info.width, h: info.height, c: info.channels, fileChannels: meta.channels, depth: meta.depth, max: deep ? 65535 : 255, px };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const original = opt('--original');
  const fringe = Number(opt('--fringe', '2'));
  const json = args.includes('--json');
  const [inFile, outFile] = args.filter((a) => a !== '--json');
  if (!inFile || !outFile) {
    console.error('usage: check-output.js GREEN_INPUT OUTPUT [--original ORIGINAL] [--fringe 2] [--json]');
    process.exit(2);
  }
  const a = await read(inFile);
  const o = await read(outFile);
  const ref = original ? await read(original) : a;
  const res = { size: `${o.w}x${o.h}`, channels: o.fileChannels, depth: o.depth, problems: [] };
  if (a.w !== o.w || a.h !== o.h) res.problems.push(`size ${o.w}x${o.h} != input ${a.w}x${a.h}`);
  if (ref.fileChannels !== o.fileChannels || ref.depth !== o.depth) res.problems.push(`channels/depth ${o.fileChannels}/${o.depth} != ${ref.fileChannels}/${ref.depth}`);
  if (res.problems.length) return finish(res, json);
  const { w, h } = a;
  const pure = new Uint8Array(w * h);
  const t = a.max / 32;
  for (let i = 0; i < w * h; i++) {
    const p = i * a.c;
    if (a.c >= 3 && a.px[p] === 0 && a.px[p + 1] === a.max && a.px[p + 2] === 0) pure[i] = 1;
  }
  // chessboard distance to pure green, up to fringe + 1
  const near = (i, d) => {
    const x = i % w, y = (i - x) / w;
    for (let yy = Math.max(0, y - d); yy <= Math.min(h - 1, y + d); yy++)
      for (let xx = Math.max(0, x - d); xx <= Math.min(w - 1, x + d); xx++) if (pure[yy * w + xx]) return true;
    return false;
  };
  const greenish = (img, i) => img.c >= 3 && img.px[i * img.c + 1] - Math.max(img.px[i * img.c], img.px[i * img.c + 2]) >= t;
  const ex = (img, i) => (img.c >= 3 ? img.px[i * img.c + 1] - Math.max(img.px[i * img.c], img.px[i * img.c + 2]) : 0);
  const dist = (i, lim) => {
    const x = i % w, y = (i - x) / w;
    for (let d = 0; d <= lim; d++) if (near(i, d)) return d;
    return lim + 1;
  };
  // a halo pixel is a blend of pure green over what lies beyond it: for every neighbour q farther
  // from the paint, p = a*green + (1-a)*q + r with a >= 1/16 and |r| <= max/8 (a thin teal line
  // next to dark blue is not such a blend)
  const halo = (i) => {
    if (ex(o, i) < o.max / 16) return false;
    const x = i % w, y = (i - x) / w, d = dist(i, fringe + 2), c = o.c, P = i * c;
    let outer = 0;
    for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
      for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
        const j = yy * w + xx;
        if (dist(j, fringe + 2) <= d) continue;
        outer++;
        const Q = j * c;
        const g = [-o.px[Q], o.max - o.px[Q + 1], -o.px[Q + 2]];
        const v = [o.px[P] - o.px[Q], o.px[P + 1] - o.px[Q + 1], o.px[P + 2] - o.px[Q + 2]];
        const den = g[0] ** 2 + g[1] ** 2 + g[2] ** 2;
        if (den === 0) return false;
        const al = (v[0] * g[0] + v[1] * g[1] + v[2] * g[2]) / den;
        const r = Math.hypot(v[0] - al * g[0], v[1] - al * g[1], v[2] - al * g[2]);
        if (al < 1 / 16 || r > o.max / 8) return false;
      }
    return outer > 0;
  };
  let pureLeft = 0, fringeLeft = 0, changedOutside = 0, changedInside = 0, holes = 0, changedOutsideExact = 0;
  for (let i = 0; i < w * h; i++) {
    const p = i * o.c;
    if (o.c >= 3 && o.px[p] === 0 && o.px[p + 1] === o.max && o.px[p + 2] === 0) pureLeft++;
    const painted = pure[i] || (greenish(a, i) && near(i, fringe));
    if (painted) holes++;
    let diff = false;
    for (let k = 0; k < o.c; k++) if (o.px[p + k] !== ref.px[p + k]) diff = true;
    if (diff && !painted) changedOutside++;
    if (diff && !pure[i]) changedOutsideExact++;
    if (diff && painted) changedInside++;
    if (!diff && greenish(o, i) && near(i, fringe + 1) && halo(i)) { fringeLeft++; if (process.env.CHECK_DEBUG) { const x = i % w, y = (i - x) / w; const rows = []; for (let dy = -2; dy <= 2; dy++) { const r = []; for (let dx = -3; dx <= 3; dx++) { const j = (y + dy) * w + x + dx; r.push(pure[j] ? "G" : `${a.px[j * a.c]},${a.px[j * a.c + 1]},${a.px[j * a.c + 2]}`); } rows.push(r.join(" | ")); } console.error(x, y, "\n" + rows.join("\n")); } }
  }
  Object.assign(res, { holes, pureGreenLeft: pureLeft, greenFringeLeft: fringeLeft, changedOutside, changedInside, changedOutsideExactGreen: changedOutsideExact });
  if (holes === 0) res.problems.push('the input has no pure green');
  if (pureLeft) res.problems.push(`${pureLeft} pure-green pixels left`);
  if (fringeLeft) res.problems.push(`${fringeLeft} pixels of green halo left next to the holes`);
  if (changedOutside) res.problems.push(`${changedOutside} pixels changed outside the painted area`);
  finish(res, json);
}

function finish(res, json) {
  if (json) console.log(JSON.stringify(res));
  else console.log(res.problems.length ? `FAIL ${res.problems.join('; ')}` : `OK ${res.size}, ${res.holes} painted pixels, ${res.changedInside} filled, 0 changed outside (${res.changedOutsideExactGreen} fringe pixels outside the exact green)`);
  process.exit(res.problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
