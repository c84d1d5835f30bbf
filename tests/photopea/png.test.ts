/** Lossless PNG codec of the browser pages (fast-png), checked against sharp. */
import sharp from 'sharp';
import { decodePngRaster, encodePlacedRgba8Png, encodePngRaster, toBase64 } from '../../src/browser/png';
import { applyLayer } from '../../src/browser/raster-view';
import { checkDocumentSize } from '../../src/browser/limits';

describe('web PNG codec', () => {
  test('8-bit RGBA round trip is exact, including semi-transparent pixels, and sharp reads the same pixels', async () => {
    const w = 7, h = 5;
    const data = new Uint8Array(w * h * 4).map((_, i) => (i * 37 + 11) % 256);
    const png = encodePngRaster({ width: w, height: h, channels: 4, data, maxValue: 255 });
    const back = decodePngRaster(png);
    expect([back.width, back.height, back.channels, back.maxValue]).toEqual([w, h, 4, 255]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    const viaSharp = await sharp(Buffer.from(png)).raw().toBuffer();
    expect(Array.from(viaSharp)).toEqual(Array.from(data));
  });

  test('16-bit stays 16-bit; Photoshop 32768 scale is rescaled to 65535', () => {
    const d16 = new Uint16Array([0, 1000, 65535, 40000, 3, 7]);
    const back = decodePngRaster(encodePngRaster({ width: 2, height: 1, channels: 3, data: d16, maxValue: 65535 }));
    expect(back.maxValue).toBe(65535);
    expect(Array.from(back.data)).toEqual(Array.from(d16));
    const ps = decodePngRaster(encodePngRaster({ width: 1, height: 1, channels: 1, data: new Uint16Array([32768]), maxValue: 32768 }));
    expect(Array.from(ps.data)).toEqual([65535]);
  });

  test('palette and 1-bit PNGs from sharp are expanded to 8-bit', async () => {
    const rgb = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    const pal = await sharp(rgb, { raw: { width: 2, height: 2, channels: 3 } }).png({ palette: true, colours: 4 }).toBuffer();
    const r = decodePngRaster(pal);
    expect(r.maxValue).toBe(255);
    expect(Array.from(r.data.subarray(0, 3))).toEqual([255, 0, 0]);
    const bw = await sharp(Buffer.from([0, 255, 255, 0]), { raw: { width: 2, height: 2, channels: 1 } }).png({ palette: false, colours: 2 }).toColourspace('b-w').toBuffer();
    const g = decodePngRaster(bw);
    expect(Array.from(g.data.filter((_, i) => i % g.channels === 0))).toEqual([0, 255, 255, 0]);
  });

  test('a layer placed into a transparent page, encoded row by row, reads back exactly (our decoder and sharp)', async () => {
    for (const [lw, lh, left, top, W, H] of [
      [5, 3, 2, 1, 9, 6],
      [4, 4, 0, 0, 4, 4],
      [6, 2, -2, 5, 7, 6], // partly outside: clipped
      [3, 3, 20, 20, 5, 5], // wholly outside: all transparent
      [300, 200, 37, 11, 401, 250], // several deflate blocks
    ]) {
      const layer = new Uint8Array(lw * lh * 4).map((_, i) => (i * 53 + 7) % 256);
      const png = encodePlacedRgba8Png({ width: lw, height: lh, channels: 4, data: layer, maxValue: 255 }, left, top, W, H);
      const want = new Uint8Array(W * H * 4);
      for (let y = 0; y < lh; y++)
        for (let x = 0; x < lw; x++) {
          const dx = x + left, dy = y + top;
          if (dx < 0 || dy < 0 || dx >= W || dy >= H) continue;
          want.set(layer.subarray((y * lw + x) * 4, (y * lw + x) * 4 + 4), (dy * W + dx) * 4);
        }
      const back = decodePngRaster(png);
      expect([back.width, back.height, back.channels, back.maxValue]).toEqual([W, H, 4, 255]);
      expect(Buffer.from(back.data).equals(Buffer.from(want))).toBe(true);
      const viaSharp = await sharp(Buffer.from(png)).raw().toBuffer({ resolveWithObject: true });
      expect(viaSharp.info.channels).toBe(4);
      expect(viaSharp.data.equals(Buffer.from(want))).toBe(true);
    }
    expect(() => encodePlacedRgba8Png({ width: 1, height: 1, channels: 3, data: new Uint8Array(3), maxValue: 255 }, 0, 0, 2, 2)).toThrow(/8-bit RGBA/);
  });

  test('garbage is a clear bad-input error', () => {
    expect(() => decodePngRaster(new Uint8Array([1, 2, 3]))).toThrow(/Could not read the PNG image/);
  });

  test('base64 of large buffers', () => {
    const u = new Uint8Array(100000).map((_, i) => i & 255);
    expect(toBase64(u)).toBe(Buffer.from(u).toString('base64'));
  });

  test('applyLayer replaces only pixels where the layer has alpha', () => {
    const image = { width: 2, height: 1, channels: 3 as const, data: new Uint8Array([1, 2, 3, 4, 5, 6]), maxValue: 255 };
    const layer = { raster: { width: 2, height: 1, channels: 4 as const, data: new Uint8Array([9, 9, 9, 0, 7, 8, 9, 255]), maxValue: 255 }, left: 0, top: 0 };
    expect(Array.from(applyLayer(image, layer).data)).toEqual([1, 2, 3, 7, 8, 9]);
  });

  test('size limit names the size and the limit', () => {
    expect(() => checkDocumentSize('a.png', 8000, 8000)).toThrow(/"a\.png" is 8000×8000 px \(64\.0 MP\); the browser version handles up to 50 MP/);
    expect(() => checkDocumentSize('a.png', 7000, 7000)).not.toThrow();
  });
});
