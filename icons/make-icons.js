/**
 * Regenerates the plugin's PNG icons from one SVG glyph: node icons/make-icons.js
 * Panel icons 23x23 (@1x) and 46x46 (@2x) for dark and light themes; plugin-list icon 48x48 and 96x96.
 * UXP resolves a manifest path "icons/x.png" with scale [1, 2] to icons/x@1x.png and icons/x@2x.png.
 */
const path = require('path');
const sharp = require('sharp');

/** A picture frame with a dashed selection whose inside is patched (filled). `c` is the glyph colour. */
function glyph(c, size) {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">
  <rect x="2" y="3" width="20" height="18" rx="2" fill="none" stroke="${c}" stroke-width="1.6"/>
  <path d="M4.5 18.5 L9 13 L12 16 L15 12 L19.5 18.5 Z" fill="${c}" opacity="0.55"/>
  <rect x="11" y="6" width="7.5" height="6" fill="${c}"/>
  <rect x="9.6" y="4.6" width="10.3" height="8.8" fill="none" stroke="${c}" stroke-width="1" stroke-dasharray="1.6 1.2"/>
</svg>`);
}

const out = [
  ['dark-panel', '#D8D8D8', 23],
  ['light-panel', '#464646', 23],
  ['plugin', '#2D8CEB', 48],
];

(async () => {
  for (const [name, colour, size] of out) {
    for (const scale of [1, 2]) {
      const px = size * scale;
      const file = path.join(__dirname, `${name}@${scale}x.png`);
      await sharp(glyph(colour, px)).resize(px, px).png().toFile(file);
      console.log(file, `${px}x${px}`);
    }
  }
})();
