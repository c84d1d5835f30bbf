/**
 * @file Mosaics found on a page (core/mosaic-detect.ts) as the jobs use them: a hole mask for
 * the mosaic fill (the CLI's `--mosaic --detect`, the standalone page's mask), one line that
 * says what was found (the CLI's per-page summary, the panels' status), and "Select mosaics"
 * (the Photoshop panel and the Photopea plugin: the detected regions become the selection).
 */
import { growMask, maskBounds } from '../core/mask';
import { detectMosaics, type MosaicRegion } from '../core/mosaic-detect';
import { InpaintError, type Mask, type Raster } from '../core/types';
import type { Host, HostDocument, SelectionPixels } from '../contracts/host';

/** The mosaics found on a page as a hole mask grown by `grow` px, with their regions; null when there is none. */
export function mosaicHoles(raster: Raster, grow = 0): { mask: Mask; regions: readonly MosaicRegion[] } | null {
  const { mask, regions } = detectMosaics(raster);
  if (regions.length === 0) return null;
  return { mask: grow > 0 ? growMask(mask, grow) : mask, regions };
}

/** One line for the mosaics found on a page, e.g. "2 mosaic regions (block 8: 12,300 px at 10,20-130,140; block 12: …)". */
export function describeMosaics(regions: readonly MosaicRegion[]): string {
  if (regions.length === 0) return 'no mosaic found';
  const n = regions.length;
  const parts = regions.map((r) => `block ${r.grid.block}: ${r.pixels.toLocaleString('en-US')} px at ${r.bounds.left},${r.bounds.top}-${r.bounds.right},${r.bounds.bottom}`);
  return `${n} mosaic region${n === 1 ? '' : 's'} (${parts.join('; ')})`;
}

/** The detected mask as a selection channel over its bounds (255 inside), placed at (left, top) in the document; null when empty. */
export function maskSelection(mask: Mask, left = 0, top = 0): SelectionPixels | null {
  const b = maskBounds(mask);
  if (!b) return null;
  const w = b.right - b.left;
  const h = b.bottom - b.top;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = (b.top + y) * mask.width + b.left;
    for (let x = 0; x < w; x++) data[y * w + x] = mask.data[row + x] ? 255 : 0;
  }
  return { channel: { width: w, height: h, data, maxValue: 255 }, bounds: { left: left + b.left, top: top + b.top, right: left + b.right, bottom: top + b.bottom } };
}

/**
 * What "Select mosaics" needs from a document beyond HostDocument: replacing its selection with
 * a grey channel placed in document coordinates (maxValue = fully selected; nothing selected
 * outside its bounds), as one undo step where the host has undo. Hosts that can do it implement
 * `writeSelection` on their documents (Photoshop, Photopea, the tests' memory host).
 */
export interface SelectionWriter {
  writeSelection(selection: SelectionPixels): Promise<void>;
}

export function canWriteSelection(doc: HostDocument): doc is HostDocument & SelectionWriter {
  return typeof (doc as Partial<SelectionWriter>).writeSelection === 'function';
}

export interface SelectReport {
  readonly document: string;
  readonly status: 'done' | 'skipped' | 'failed';
  /** One sentence for the status line. */
  readonly message: string;
  readonly regions: readonly MosaicRegion[];
}

/**
 * "Select mosaics": finds the mosaics on the active layer of `doc` and makes them the document's
 * selection (replacing it), so the user can adjust it and Inpaint in Mosaic mode. Pixels and
 * layers are not changed; with no mosaic found the selection is left as it was. Never throws
 * for per-document problems: they come back as the report.
 */
export async function selectMosaics(host: Host, doc: HostDocument): Promise<SelectReport> {
  const title = doc.title;
  try {
    if (!canWriteSelection(doc)) return { document: title, status: 'skipped', message: `${title}: this editor cannot take a selection from the plugin.`, regions: [] };
    const body = async (): Promise<SelectReport> => {
      const layer = await doc.readLayer();
      const { mask, regions } = detectMosaics(layer.raster);
      const sel = maskSelection(mask, layer.left, layer.top);
      if (!sel) return { document: title, status: 'skipped', message: `${title}: no mosaic found on the active layer; the selection was left as it was.`, regions };
      await doc.writeSelection(sel);
      return { document: title, status: 'done', message: `${title}: selected ${describeMosaics(regions)}. Adjust the selection if needed, then Inpaint in Mosaic mode.`, regions };
    };
    return host.transaction ? await host.transaction(doc, 'Select mosaics', () => body()) : await body();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof InpaintError && (e.code === 'unsupported' || e.code === 'bad-input')) return { document: title, status: 'skipped', message: `${title}: skipped — ${msg}`, regions: [] };
    return { document: title, status: 'failed', message: `${title}: failed — ${msg}`, regions: [] };
  }
}
