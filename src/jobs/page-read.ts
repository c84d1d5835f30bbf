/**
 * @file How a job reads its page from a host. Hosts that can read a rectangle of a layer (they have
 * HostDocument.layerBounds: Photoshop) are asked only for the part the fill reads — the holes' context
 * boxes and margins, pipeline/region.ts — whenever the holes are known before the layer's pixels:
 * a selection, or green paint on a layer of its own (HostDocument.readGreenPaint). The fill is the
 * same, pixel for pixel, as on the whole layer. Otherwise (green paint on the layer itself, a guide
 * layer, colorize, hosts without layerBounds, a FillEngine elsewhere) the whole layer is read.
 */
import { growMask, maskBounds, selectionToMask } from '../core/mask';
import type { Mask, Rect } from '../core/types';
import type { HostDocument, LayerPixels, SelectionPixels } from '../contracts/host';
import { JOB_MODES, modelKindForJob, type JobSettings } from '../contracts/settings';
import type { ModelKind, ModelRunner } from '../inference/types';
import { modeForModel } from '../pipeline/modes';
import { inpaintReadRegion } from '../pipeline/region';

/** A job's page as read from its host. */
export interface PageRead {
  readonly layer: LayerPixels;
  readonly selection: SelectionPixels | null;
  readonly guide: LayerPixels | null;
  /** Green paint on its own layer: the holes in `layer`'s pixel grid, grown (PageInput.holes). */
  readonly holes?: Mask;
  /** The job's model when it was loaded before the pixels (its input size sets the region). */
  readonly model?: ModelRunner;
}

/** `src` (its pixel (0,0) at srcLeft, srcTop) placed into a width x height grid at dstLeft, dstTop; the rest 0. */
export function placeMask(src: Mask, srcLeft: number, srcTop: number, dstLeft: number, dstTop: number, width: number, height: number): Mask {
  const out = new Uint8Array(width * height);
  const x0 = Math.max(srcLeft, dstLeft);
  const x1 = Math.min(srcLeft + src.width, dstLeft + width);
  const y0 = Math.max(srcTop, dstTop);
  const y1 = Math.min(srcTop + src.height, dstTop + height);
  if (x1 > x0) {
    for (let y = y0; y < y1; y++) {
      const s = (y - srcTop) * src.width + (x0 - srcLeft);
      out.set(src.data.subarray(s, s + (x1 - x0)), (y - dstTop) * width + (x0 - dstLeft));
    }
  }
  return { width, height, data: out };
}

function grown(m: Mask, grow: number): Mask {
  return grow > 0 && maskBounds(m) ? growMask(m, grow) : m;
}

/**
 * Reads the layer (all of it, or the region the fill needs), the selection (selection modes), the
 * guide layer and, in green mode, a separate paint layer's holes. `loadModel` (jobs running the
 * fill here) loads the job's model when its input size is needed to know the region.
 */
export async function readPage(
  doc: HostDocument,
  settings: JobSettings,
  opts: { readonly colorizing: boolean; readonly loadModel?: (kind: ModelKind) => Promise<ModelRunner> },
): Promise<PageRead> {
  const { colorizing, loadModel } = opts;
  const job = JOB_MODES[settings.mode];
  const bySelection = !colorizing && job.mask === 'selection';
  const paint = !colorizing && job.mask === 'green' && doc.readGreenPaint ? await doc.readGreenPaint() : null;
  const readGuide = () => (doc.readGuide ? doc.readGuide(settings.guide ?? 'Guide') : Promise.resolve(null));
  const frame: Rect | null = (bySelection || paint) && loadModel && doc.layerBounds ? await doc.layerBounds() : null;
  if (!frame) {
    const layer = await doc.readLayer();
    const selection = bySelection ? await doc.readSelection() : null;
    const guide = await readGuide();
    if (!paint) return { layer, selection, guide };
    const { raster } = layer;
    return { layer, selection, guide, holes: grown(placeMask(paint.holes, paint.left, paint.top, layer.left, layer.top, raster.width, raster.height), settings.grow) };
  }
  // The holes in the whole layer's grid, as the fill would make them from the whole layer.
  const selection = bySelection ? await doc.readSelection() : null;
  const guide = await readGuide();
  const fw = frame.right - frame.left;
  const fh = frame.bottom - frame.top;
  const source = paint
    ? placeMask(paint.holes, paint.left, paint.top, frame.left, frame.top, fw, fh)
    : selection
      ? placeMask(selectionToMask(selection.channel), selection.bounds.left, selection.bounds.top, frame.left, frame.top, fw, fh)
      : null;
  const holes = source && grown(source, settings.grow);
  let region: Rect | null = null;
  let model: ModelRunner | undefined;
  if (!holes || !maskBounds(holes)) {
    // nothing to fill (the job says why): one pixel is enough
    region = { left: frame.left, top: frame.top, right: frame.left + 1, bottom: frame.top + 1 };
  } else if (!guide) {
    // (a guide layer changes the holes the fill sees, core/guide.ts: then the whole layer is read)
    model = await loadModel!(modelKindForJob(settings.mode));
    const r = inpaintReadRegion(holes, model.info.input, modeForModel(job.fill, model.info.kind, model.info.name))!;
    region = { left: frame.left + r.left, top: frame.top + r.top, right: frame.left + r.right, bottom: frame.top + r.bottom };
  }
  const layer = await doc.readLayer(region ? { region } : undefined);
  const { raster } = layer;
  return {
    layer,
    selection,
    guide,
    ...(paint && holes ? { holes: placeMask(holes, frame.left, frame.top, layer.left, layer.top, raster.width, raster.height) } : {}),
    ...(model ? { model } : {}),
  };
}
