/**
 * @file Size limits of the browser pages (Photopea plugin and standalone page).
 * A document is read whole into memory as 8-bit RGBA (4 bytes a pixel), plus a PNG copy,
 * a decoded selection and the result layer, so the page needs about 16 bytes a pixel at once.
 */
import { InpaintError } from '../core/types';

/** Largest document the browser pages accept: 50 megapixels (about 800 MB of working memory). */
export const MAX_MEGAPIXELS = 50;

export function checkDocumentSize(title: string, width: number, height: number): void {
  const mp = (width * height) / 1e6;
  if (mp > MAX_MEGAPIXELS) {
    throw new InpaintError(
      'too-large',
      `"${title}" is ${width}×${height} px (${mp.toFixed(1)} MP); the browser version handles up to ${MAX_MEGAPIXELS} MP. ` +
        'Crop or downsize the image first, or use the command-line tool, which has no such limit.',
    );
  }
}
