/**
 * @file Small raster helpers for the pages: display conversion, result compositing, image decoding.
 */
import { InpaintError, type Raster } from '../core/types';
import type { LayerPixels } from '../contracts/host';
import { decodePngRaster } from './png';

/**
 * 8-bit RGBA ImageData for display (16-bit and gray are converted; nothing is premultiplied).
 * An 8-bit RGBA raster is wrapped, not copied (the ImageData shares its pixels: do not modify it).
 */
export function toImageData(r: Raster): ImageData {
  const n = r.width * r.height;
  const shared = typeof SharedArrayBuffer !== 'undefined' && r.data.buffer instanceof SharedArrayBuffer;
  if (r.channels === 4 && r.maxValue === 255 && r.data instanceof Uint8Array && r.data.length === n * 4 && !shared) {
    return new ImageData(new Uint8ClampedArray(r.data.buffer as ArrayBuffer, r.data.byteOffset, n * 4), r.width, r.height);
  }
  const out = new ImageData(r.width, r.height);
  const d = out.data;
  const c = r.channels;
  const s = 255 / r.maxValue;
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const v0 = r.data[o] * s;
    d[i * 4] = v0;
    d[i * 4 + 1] = c >= 3 ? r.data[o + 1] * s : v0;
    d[i * 4 + 2] = c >= 3 ? r.data[o + 2] * s : v0;
    d[i * 4 + 3] = c === 4 ? r.data[o + 3] * s : c === 2 ? r.data[o + 1] * s : 255;
  }
  return out;
}

/**
 * The image with a result layer on top: where the layer has alpha (the filled hole), its pixels
 * replace the image's; everywhere else the image stays byte-identical. Same size/depth/channels as the image.
 */
export function applyLayer(image: Raster, layer: LayerPixels): Raster {
  const out = image.data.slice() as Uint8Array | Uint16Array;
  const L = layer.raster;
  const c = image.channels;
  for (let y = 0; y < L.height; y++) {
    const iy = y + layer.top;
    if (iy < 0 || iy >= image.height) continue;
    for (let x = 0; x < L.width; x++) {
      const ix = x + layer.left;
      if (ix < 0 || ix >= image.width) continue;
      const q = (y * L.width + x) * 4;
      if (L.data[q + 3] === 0) continue;
      const o = (iy * image.width + ix) * c;
      if (c >= 3) {
        out[o] = L.data[q];
        out[o + 1] = L.data[q + 1];
        out[o + 2] = L.data[q + 2];
        if (c === 4) out[o + 3] = L.data[q + 3];
      } else {
        out[o] = L.data[q];
        if (c === 2) out[o + 1] = L.data[q + 3];
      }
    }
  }
  return { ...image, data: out };
}

/** Decodes a user's file: PNG losslessly with fast-png, other formats through the browser's decoder. */
export async function decodeImageFile(file: Blob): Promise<Raster> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const isPng = head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47;
  if (isPng) return decodePngRaster(await file.arrayBuffer());
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new InpaintError('bad-input', 'This file is not an image the browser can read. Use PNG, JPEG or WebP.');
  }
  const canvas = document.createElement('canvas');
  canvas.width = bmp.width;
  canvas.height = bmp.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const id = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: id.width, height: id.height, channels: 4, data: new Uint8Array(id.data.buffer), maxValue: 255 };
}
