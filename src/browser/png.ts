/**
 * @file Lossless PNG decode/encode for the browser pages (and Node tests), with fast-png.
 * Canvas round trips premultiply alpha and may convert colour spaces, so every pixel
 * transfer in the Photopea plugin and the standalone page goes through this file instead.
 */
import { convertIndexedToRgb, decode, encode } from 'fast-png';
import { Deflate } from 'pako';
import { InpaintError, type Channels, type Raster } from '../core/types';

/** Decodes a PNG into a Raster (8-bit or 16-bit; palette and low bit depths are expanded to 8-bit). */
export function decodePngRaster(bytes: ArrayBuffer | Uint8Array): Raster {
  let png;
  try {
    png = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  } catch (e) {
    throw new InpaintError('bad-input', `Could not read the PNG image (${(e as Error).message}).`);
  }
  const { width, height } = png;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const channels = (rgb.length / (width * height)) as Channels;
    return { width, height, channels, data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), maxValue: 255 };
  }
  const channels = png.channels as Channels;
  if (png.depth === 16) {
    return { width, height, channels, data: png.data as Uint16Array, maxValue: 65535 };
  }
  if (png.depth === 8) {
    const d = png.data;
    return { width, height, channels, data: d instanceof Uint8Array ? d : new Uint8Array(d.buffer, d.byteOffset, d.length), maxValue: 255 };
  }
  // 1, 2 or 4-bit gray (rows are byte-aligned): expand to 8-bit.
  const depth = png.depth;
  const src = png.data as Uint8Array;
  const out = new Uint8Array(width * height * channels);
  const perRow = Math.ceil((width * channels * depth) / 8);
  const maxv = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * channels; i++) {
      const bit = i * depth;
      const byte = src[y * perRow + (bit >> 3)];
      const v = (byte >> (8 - depth - (bit & 7))) & maxv;
      out[y * width * channels + i] = Math.round((v * 255) / maxv);
    }
  }
  return { width, height, channels, data: out, maxValue: 255 };
}

/** Encodes a Raster as PNG (8-bit, or 16-bit when maxValue > 255; Photoshop's 32768 scale is rescaled to 65535). */
export function encodePngRaster(r: Raster): Uint8Array {
  let data: Uint8Array | Uint16Array = r.data;
  let depth: 8 | 16 = 8;
  if (r.maxValue > 255) {
    depth = 16;
    if (r.maxValue !== 65535) {
      const src = r.data;
      const d16 = new Uint16Array(src.length);
      for (let i = 0; i < src.length; i++) d16[i] = Math.min(65535, Math.round((src[i] * 65535) / r.maxValue));
      data = d16;
    }
  }
  return encode({ width: r.width, height: r.height, data, depth, channels: r.channels });
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  const t = new Uint8Array([...type].map((ch) => ch.charCodeAt(0)));
  out.set(t, 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32([t, data]));
  return out;
}

/**
 * An 8-bit RGBA PNG of `width` x `height`, transparent (all zero) except where `layer` (8-bit
 * RGBA, placed at `left`, `top`; parts outside are dropped) has pixels, which are copied as they
 * are. Rows are made and deflated one at a time: no page-sized raster and no page-sized filter
 * buffer exist, only the compressed bytes (small where the page is transparent).
 */
export function encodePlacedRgba8Png(layer: Raster, left: number, top: number, width: number, height: number): Uint8Array {
  if (layer.channels !== 4 || layer.maxValue !== 255 || !(layer.data instanceof Uint8Array)) {
    throw new InpaintError('bad-input', 'encodePlacedRgba8Png needs an 8-bit RGBA layer.');
  }
  if (!(width >= 1 && height >= 1)) throw new InpaintError('bad-input', `Cannot encode a ${width}x${height} PNG.`);
  const rowBytes = 1 + width * 4; // filter byte 0 (None), then RGBA
  const deflate = new Deflate({ level: 6 });
  const zero = new Uint8Array(rowBytes);
  const row = new Uint8Array(rowBytes);
  const x0 = Math.max(0, left);
  const x1 = Math.min(width, left + layer.width);
  const src = layer.data;
  for (let y = 0; y < height; y++) {
    const ly = y - top;
    const last = y === height - 1;
    if (ly < 0 || ly >= layer.height || x1 <= x0) {
      deflate.push(zero, last);
      continue;
    }
    row.fill(0);
    const from = (ly * layer.width + (x0 - left)) * 4;
    row.set(src.subarray(from, from + (x1 - x0) * 4), 1 + x0 * 4);
    deflate.push(row, last);
  }
  if (deflate.err) throw new InpaintError('bad-input', `Could not encode the PNG (${deflate.msg}).`);
  const idat = deflate.result as Uint8Array;
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering method, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Base64 of bytes, in chunks (no stack overflow on large images). */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(bin);
}

export function pngDataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${toBase64(bytes)}`;
}
