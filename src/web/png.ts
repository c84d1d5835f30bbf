/**
 * @file Lossless PNG decode/encode for the browser pages (and Node tests), with fast-png.
 * Canvas round trips premultiply alpha and may convert colour spaces, so every pixel
 * transfer in the Photopea plugin and the standalone page goes through this file instead.
 */
import { convertIndexedToRgb, decode, encode } from 'fast-png';
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
