#!/usr/bin/env node
/**
 * Side by side: DeepCreamPy's sample input | our CLI's output | DeepCreamPy's own output, cropped
 * around the painted areas. Reads ../shared (never committed), writes a PNG where you say.
 *
 *   npm run build:cli && node dist/cli.js ../shared/data/deepcreampy/mermaid_censored.png --out /tmp/o
 *   node scripts/compare-deepcreampy.js /tmp/o/mermaid_censored.png /tmp/mermaid-compare.png [left top width height]
 */
const path = require('path');
const sharp = require('sharp');

async function main() {
  const [ours, out, ...box] = process.argv.slice(2);
  if (!ours || !out) {
    console.error('usage: compare-deepcreampy.js OUR_OUTPUT.png COMPARE.png [left top width height]');
    process.exit(2);
  }
  const shared = path.join(__dirname, '..', '..', 'shared', 'data', 'deepcreampy');
  const input = path.join(shared, 'mermaid_censored.png');
  const theirs = path.join(shared, 'mermaid_deepcreampy_output.png');
  const [left, top, width, height] = box.length === 4 ? box.map(Number) : [560, 330, 740, 820];
  const crop = (f) => sharp(f).removeAlpha().extract({ left, top, width, height }).png().toBuffer();
  const tiles = await Promise.all([crop(input), crop(ours), crop(theirs)]);
  const gap = 8;
  await sharp({ create: { width: width * 3 + gap * 2, height, channels: 3, background: '#ffffff' } })
    .composite(tiles.map((t, i) => ({ input: t, left: i * (width + gap), top: 0 })))
    .png()
    .toFile(out);
  console.log(`wrote ${out}: input | ours | DeepCreamPy, crop ${width}x${height} at (${left}, ${top})`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
