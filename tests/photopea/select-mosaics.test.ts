/**
 * "Select mosaics" in the Photopea plugin: PhotopeaDocument.writeSelection sends the selection as
 * rectangles (selectRectsScript: ES5, values as JSON literals), run here against the DOM of the
 * browser tests' Photopea test host (tests/browser/photopea-host/fake-photopea.js, loaded in a vm
 * without its iframe): the document's selection becomes exactly the detected mosaic.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { detectMosaics } from '../../src/core/mosaic-detect';
import { PhotopeaHost, selectionRects } from '../../src/hosts/photopea/host';
import { selectRectsScript } from '../../src/hosts/photopea/scripts';
import { PhotopeaError, type PhotopeaTransport } from '../../src/hosts/photopea/transport';
import { maskSelection } from '../../src/jobs/mosaics';
import { mosaicPage } from '../helpers/mosaicPages';

const FAKE = path.join(__dirname, '..', 'browser', 'photopea-host', 'fake-photopea.js');
const ES5_ONLY = [/=>/, /`/, /\blet\s/, /\bconst\s/, /\.\.\.[A-Za-z_$[]/, /\bclass\s/];

interface Pp {
  app: unknown;
  globals: Record<string, unknown>;
  addDocument(spec: { name: string; width: number; height: number; layers: { name: string }[] }): number;
  selection(i: number): string | null;
}

/** The test host's DOM in a vm, and a transport that runs each script against it (values from __out). */
function fakePhotopea(): { pp: Pp; transport: PhotopeaTransport; scripts: string[] } {
  const window: Record<string, unknown> = { addEventListener: () => undefined };
  vm.runInNewContext(fs.readFileSync(FAKE, 'utf8'), { window, atob, btoa, Uint8Array, Uint8ClampedArray, Math, Map, Set, Error, String, Number, Array, JSON });
  const pp = window.__pp as Pp;
  const scripts: string[] = [];
  const transport = {
    async run(script: string) {
      scripts.push(script);
      for (const re of ES5_ONLY) if (re.test(script)) throw new Error(`not ES5: ${re}`);
      const values: unknown[] = [];
      const g = pp.globals;
      let failed: string | null = null;
      new Function('app', 'SolidColor', 'LayerKind', 'RasterizeType', 'BlendMode', 'SelectionType', '__out', '__fail', script)(
        pp.app, g.SolidColor, g.LayerKind, g.RasterizeType, g.BlendMode, g.SelectionType,
        (v: unknown) => values.push(v),
        (m: string) => (failed = m),
      );
      if (failed) throw new PhotopeaError('script', failed);
      return { values, files: [] };
    },
  } as unknown as PhotopeaTransport;
  return { pp, transport, scripts };
}

describe('Select mosaics (Photopea)', () => {
  it('selectionRects covers exactly the selected pixels', () => {
    const c = mosaicPage(6, 2, 5, { seed: 41 });
    const { mask } = detectMosaics(c.image);
    const sel = maskSelection(mask, 3, 9)!;
    const rects = selectionRects(sel);
    const W = c.image.width + 3;
    const H = c.image.height + 9;
    const covered = new Uint8Array(W * H);
    for (const [l, t, r, b] of rects) for (let y = t; y < b; y++) for (let x = l; x < r; x++) covered[y * W + x]++;
    let wrong = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const want = x >= 3 && y >= 9 && mask.data[(y - 9) * c.image.width + x - 3] ? 1 : 0;
        if (covered[y * W + x] !== want) wrong++;
      }
    expect(wrong).toBe(0);
    // rows with the same runs are merged: far fewer rectangles than rows of runs
    expect(rects.length).toBeLessThan(c.image.height);
  });

  it('writeSelection makes the detected mosaic the document selection (replacing the old one)', async () => {
    const { pp, transport, scripts } = fakePhotopea();
    const c = mosaicPage(10, 7, 1, { seed: 42 });
    const { width: w, height: h } = c.image;
    pp.addDocument({ name: 'page "1".png', width: w, height: h, layers: [{ name: 'Background' }] });
    const host = new PhotopeaHost(transport);
    const doc = (await host.activeDocument())!;
    const { mask } = detectMosaics(c.image);
    await (doc as unknown as { writeSelection(s: unknown): Promise<void> }).writeSelection(maskSelection(mask)!);
    const got = Buffer.from(pp.selection(0)!, 'base64');
    let wrong = 0;
    let on = 0;
    for (let i = 0; i < w * h; i++) {
      if (got[i] !== (mask.data[i] ? 255 : 0)) wrong++;
      on += mask.data[i]!;
    }
    expect(on).toBeGreaterThan(0);
    expect(wrong).toBe(0);
    // the document name went in as a JSON literal
    expect(scripts[scripts.length - 1]).toContain(JSON.stringify('page "1".png'));
  });

  it('the script is ES5 and embeds the rectangles as JSON', () => {
    const s = selectRectsScript({ index: 0, name: '"); app.echoToOE("pwned"); ("', width: 10, height: 10 }, [[1, 2, 3, 4]]);
    for (const re of ES5_ONLY) expect(s).not.toMatch(re);
    expect(s).toContain('var R=[[1,2,3,4]];');
    expect(s).not.toContain('app.echoToOE("pwned")');
  });
});
