'use strict';
/**
 * @file The CLI's decode and encode alone (sharp, the options of src/hosts/cli/io.ts), so section 2
 * can split a CLI run into codec, process/model start and pipeline:
 *   node codec-child.js FILE  ->  { decodeMs, encodeMs }
 */
const sharp = require('sharp');

(async () => {
  const file = process.argv[2];
  let t = performance.now();
  const { data, info } = await sharp(file, { ignoreIcc: true, limitInputPixels: false }).raw().toBuffer({ resolveWithObject: true });
  const decodeMs = performance.now() - t;
  t = performance.now();
  await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels }, limitInputPixels: false })
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
  const encodeMs = performance.now() - t;
  process.stdout.write(JSON.stringify({ decodeMs, encodeMs }) + '\n');
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
