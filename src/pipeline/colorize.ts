/**
 * @file colorize(): a black-and-white page (or a colour page, from its luminance) gets colour from
 * the colorize model, optionally steered by the user's colour hints (dots or strokes on a
 * transparent layer). One model call at the working resolution (core/colorize.ts); the page's own
 * luminance is kept at full resolution, so its lines and tones are exactly as they were.
 */
import { colorizeWorkSize, composeColorized, hasColour, packColorize, checkHints, propagateHints } from '../core/colorize';
import { InpaintError, type Raster } from '../core/types';
import { nextTask } from '../inference/tasks';
import type { ModelRunner } from '../inference/types';
import type { RunContext } from './types';

export interface ColorizeOptions {
  /** A loaded model of kind 'colorize'. */
  readonly model: ModelRunner;
  /** Colour hints: RGBA (or grey+alpha) of the page's size, transparent where there is no hint. */
  readonly hints?: Raster | null;
  /** Always return RGBA (alpha opaque where the page has none): what a new layer needs. */
  readonly rgba?: boolean;
}

export interface ColorizeResult {
  /** RGB (RGBA when the page has alpha, kept as it was), same size and bit depth as the page. */
  readonly image: Raster;
  /** The page already had colour: it was colorized from its luminance (its colours replaced). */
  readonly hadColour: boolean;
  /** Hint pixels given (alpha > 0). */
  readonly hintPixels: number;
  /** The working resolution the model ran at. */
  readonly work: { readonly width: number; readonly height: number };
  /** Milliseconds per stage (pack, model, hints, compose). */
  readonly ms: { readonly pack: number; readonly model: number; readonly hints: number; readonly compose: number };
}

function countHints(h: Raster): number {
  const { data: d, channels: c } = h;
  let n = 0;
  for (let o = c - 1; o < d.length; o += c) if (d[o]! > 0) n++;
  return n;
}

export async function colorize(image: Raster, options: ColorizeOptions, ctx: RunContext = {}): Promise<ColorizeResult> {
  const { width: w, height: h, channels: c, data } = image;
  if (!(w >= 1 && h >= 1) || data.length !== w * h * c || ![1, 2, 3, 4].includes(c)) {
    throw new InpaintError('bad-input', `image data (${data.length} values) does not match ${w}x${h}x${c}`);
  }
  const { model } = options;
  if (model.info.kind !== 'colorize') {
    throw new InpaintError('model', `model ${model.info.name} is a "${model.info.kind}" model; colorizing needs a "colorize" model`);
  }
  const hints = options.hints ?? null;
  if (hints) checkHints(image, hints);
  const { signal, onProgress } = ctx;
  const aborted = () => {
    if (signal?.aborted) throw new InpaintError('aborted', 'Colorizing was cancelled; the image is unchanged.');
  };
  aborted();
  const { maxSide, multiple } = model.info.input;
  const { pw, ph } = colorizeWorkSize(w, h, maxSide, multiple);
  onProgress?.({ type: 'start', regions: 1 });
  onProgress?.({ type: 'region', index: 0, regions: 1, box: { left: 0, top: 0, right: w, bottom: h } });
  let t = Date.now();
  const lap = () => {
    const now = Date.now();
    const d = now - t;
    t = now;
    return d;
  };
  const planes = packColorize(image, hints, pw, ph);
  const pack = lap();
  await nextTask();
  aborted();
  lap();
  // The model colours the page from its luminance alone; the hints then correct it (below). Fed
  // to the model too, they did worse on crops of the training pages (10 hints 27.50 against 27.80
  // dB, 100 hints 29.03 against 30.55, models/README.md): the model reproduces a hint where it is
  // drawn, which leaves nothing for the spreading to carry beyond it.
  const blind = planes.img.slice();
  blind.fill(0.5, pw * ph);
  const res = await model.run(blind, new Float32Array(pw * ph), pw, ph);
  const modelMs = lap();
  await nextTask();
  aborted();
  // the hints' colour reaches the whole region each one is in, not only the model's reading of it
  propagateHints(res, planes.img, planes.mask, pw, ph);
  const hintMs = lap();
  const out = composeColorized(image, res, pw, ph, hints, !!options.rgba);
  const compose = lap();
  onProgress?.({ type: 'done', regions: 1 });
  return {
    image: out,
    hadColour: hasColour(image),
    hintPixels: hints ? countHints(hints) : 0,
    work: { width: pw, height: ph },
    ms: { pack, model: modelMs, hints: hintMs, compose },
  };
}
