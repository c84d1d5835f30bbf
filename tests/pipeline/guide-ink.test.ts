/**
 * Guide ink for models trained with guides (ModelInfo.input.guides 'known-pixels', issue 15):
 * the network sees the guide's black strokes inside the hole as known black pixels; the classical
 * fill does not; other models never see them. Scripted runners record what the model was given.
 */
import { inpaint } from '../../src/pipeline';
import { guideInkMask } from '../../src/core/guide';
import { DEFAULT_MIX, GUIDED_MIX } from '../../src/core/hybrid';
import { chooseModel, parseManifest } from '../../src/inference/manifest';
import { lazyModels } from '../../src/inference/provider';
import type { ModelKind, ModelRunner, ModelWant } from '../../src/inference/types';
import { localFill, wantFor } from '../../src/jobs';
import type { Mask, Raster, Rect } from '../../src/core/types';
import { fakeRunner, type Call } from '../helpers/fakeRunner';

const W = 64;
const H = 48;
const grey = (c: Call) => new Float32Array(3 * c.width * c.height).fill(0.5);

function page(): { image: Raster; mask: Mask; ink: Mask; guide: Raster } {
  // a light ramp (not flat: a flat surround is filled without the model)
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.fill(180 + ((x + 2 * y) % 60), (y * W + x) * 3, (y * W + x) * 3 + 3);
  const mask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = 12; y < 36; y++) for (let x = 16; x < 48; x++) mask.data[y * W + x] = 1;
  // the guide: a black line at row 24 from x 10 to 53 (partly outside the hole), a red dot
  const g = new Uint8Array(W * H * 4);
  for (let x = 10; x < 54; x++) g.set([0, 0, 0, 255], (24 * W + x) * 4);
  g.set([200, 20, 20, 255], (16 * W + 30) * 4);
  const guide = { width: W, height: H, channels: 4 as const, data: g, maxValue: 255 };
  return { image: { width: W, height: H, channels: 3, data, maxValue: 255 }, mask, ink: guideInkMask(mask, guide)!, guide };
}

describe('guide ink as known pixels (models trained with guides)', () => {
  test('guideInkMask: the black strokes inside the hole only, not the colour dot', () => {
    const { ink } = page();
    let n = 0;
    for (let i = 0; i < W * H; i++) if (ink.data[i]) n++;
    expect(n).toBe(32); // x 16..47 of row 24
    expect(ink.data[24 * W + 16]).toBe(1);
    expect(ink.data[24 * W + 12]).toBe(0); // outside the hole
    expect(ink.data[16 * W + 30]).toBe(0); // the red dot is a colour, not ink
  });

  test('a guides model gets the strokes as known black pixels; the input page is not modified', async () => {
    const { image, mask, ink } = page();
    const before = image.data.slice();
    const m = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const boxes: Rect[] = [];
    const r = await inpaint(image, mask, { model: m, fill: 'model', structure: 'off', guideInk: ink }, { onProgress: (e) => e.type === 'region' && boxes.push(e.box) });
    expect(m.calls).toHaveLength(1);
    const c = m.calls[0]!;
    // one box, run at its own size (no resampling): row 24, x 16..47 known and black
    const b = boxes[0]!;
    expect([c.width, c.height]).toEqual([b.right - b.left, b.bottom - b.top]);
    const at = (x: number, y: number) => (y - b.top) * c.width + (x - b.left);
    for (let x = 16; x < 48; x++) {
      expect(c.mask[at(x, 24)]).toBe(1);
      for (let k = 0; k < 3; k++) expect(c.image[k * c.width * c.height + at(x, 24)]).toBe(0);
    }
    expect(c.mask[at(30, 25)]).toBe(0); // the rest of the hole is unknown
    expect(c.mask[at(30, 16)]).toBe(0);
    expect(image.data).toEqual(before);
    // the model's fill (0.5 grey) everywhere in the hole, the strokes too: its own value lands on them
    // (a model trained with guides predicts the page's line there; jobs draw the guide where it is light)
    expect(Math.abs(r.image.data[(30 * W + 30) * 3]! - 127.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.image.data[(24 * W + 30) * 3]! - 127.5)).toBeLessThanOrEqual(1);
  });

  test("auto fill: the network's values on the strokes are kept over the classical mix", async () => {
    const { image, mask, ink } = page();
    // the fake draws the line (dark where it was shown ink), light elsewhere
    const dark = (c: Call) => {
      const o = new Float32Array(3 * c.width * c.height).fill(0.9);
      for (let i = 0; i < c.width * c.height; i++) if (c.mask[i] && c.image[i] === 0) o[i] = o[i + c.width * c.height] = o[i + 2 * c.width * c.height] = 0.2;
      return o;
    };
    const g = fakeRunner('bar', dark, { maxSide: 64, guides: 'known-pixels' });
    const r = await inpaint(image, mask, { model: g, fill: 'auto', structure: 'off', guideInk: ink });
    // next to the hole's edge the classical fill dominates the mix, yet the stroke keeps the model's 0.2
    for (const x of [16, 17, 30, 46, 47]) expect(Math.abs(r.image.data[(24 * W + x) * 3]! - 51)).toBeLessThanOrEqual(1);
  });

  test('a model without the flag never sees the ink, nor does the classical fill', async () => {
    const { image, mask, ink } = page();
    const m = fakeRunner('bar', grey, { maxSide: 64 });
    await inpaint(image, mask, { model: m, fill: 'model', structure: 'off', guideInk: ink });
    // every hole pixel stays unknown to it: as many unknown pixels as the hole has
    expect(m.calls[0]!.mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(24 * 32);
    // auto fill with a guides model: the classical part ignores the ink (no black spreads)
    const g = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const r = await inpaint(image, mask, { model: g, fill: 'auto', structure: 'off', guideInk: ink });
    let darkest = 255;
    for (let y = 12; y < 36; y++) for (let x = 16; x < 48; x++) if (y !== 24) darkest = Math.min(darkest, r.image.data[(y * W + x) * 3]!);
    expect(darkest).toBeGreaterThan(100);
    expect(g.calls[0]!.mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(24 * 32 - 32);
  });

  test('deep in the hole the guided network gets more of the mix (GUIDED_MIX) than the unguided one (DEFAULT_MIX)', async () => {
    const { image, mask, ink } = page();
    // tinted (not grey: no texture detail on top of the mix)
    for (let i = 0; i < W * H; i++) image.data[i * 3 + 2] = image.data[i * 3 + 2]! - 40;
    const white = (c: Call) => new Float32Array(3 * c.width * c.height).fill(1);
    const opts = { structure: 'off' as const };
    const classical = (await inpaint(image, mask, { ...opts, model: fakeRunner('bar', white, { maxSide: 64 }), fill: 'classical' })).image;
    const guided = (await inpaint(image, mask, { ...opts, model: fakeRunner('bar', white, { maxSide: 64, guides: 'known-pixels' }), guideInk: ink })).image;
    const plain = (await inpaint(image, mask, { ...opts, model: fakeRunner('bar', white, { maxSide: 64 }) })).image;
    // (31..33, 23): 12 px from the nearest known pixel, where the classical weight is `deep`
    for (const x of [31, 32, 33])
      for (let k = 0; k < 3; k++) {
        const i = (23 * W + x) * 3 + k;
        const c = classical.data[i]!;
        expect(Math.abs(guided.data[i]! - (GUIDED_MIX.deep * c + (1 - GUIDED_MIX.deep) * 255))).toBeLessThanOrEqual(1);
        expect(Math.abs(plain.data[i]! - (DEFAULT_MIX.deep * c + (1 - DEFAULT_MIX.deep) * 255))).toBeLessThanOrEqual(1);
      }
    expect(GUIDED_MIX.deep).toBeLessThan(DEFAULT_MIX.deep);
  });

  test("where the user drew lines in the hole, the automatic line continuation stays off (the user's lines win)", async () => {
    // white paper with a 2 px black line at rows 30-31 across the page; the hole (rows 12..35,
    // x 16..47) cuts 32 px of it; the guide draws a line at row 20 instead
    const data = new Uint8Array(W * H * 3).fill(250);
    for (let x = 0; x < W; x++) for (const y of [30, 31]) data.fill(0, (y * W + x) * 3, (y * W + x) * 3 + 3);
    const image: Raster = { width: W, height: H, channels: 3, data, maxValue: 255 };
    const mask = { width: W, height: H, data: new Uint8Array(W * H) };
    for (let y = 12; y < 36; y++) for (let x = 16; x < 48; x++) mask.data[y * W + x] = 1;
    const g = new Uint8Array(W * H * 4);
    for (let x = 10; x < 54; x++) g.set([0, 0, 0, 255], (20 * W + x) * 4);
    const ink = guideInkMask(mask, { width: W, height: H, channels: 4, data: g, maxValue: 255 })!;
    const light = (c: Call) => new Float32Array(3 * c.width * c.height).fill(0.95);
    const row30 = (r: Raster) => Math.min(...[24, 32, 40].map((x) => r.data[(30 * W + x) * 3]!));
    // no guide: the cut line is drawn back across the hole by the structure step
    const plain = (await inpaint(image, mask, { model: fakeRunner('bar', light, { maxSide: 64 }), fill: 'model' })).image;
    expect(row30(plain)).toBeLessThan(100);
    // a guide with ink in the hole: not drawn (the model's light fill stays there)
    const guided = (await inpaint(image, mask, { model: fakeRunner('bar', light, { maxSide: 64, guides: 'known-pixels' }), fill: 'model', guideInk: ink })).image;
    expect(row30(guided)).toBeGreaterThan(200);
  });

  test('an ink mask of another size is refused', async () => {
    const { image, mask } = page();
    const m = fakeRunner('bar', grey, { maxSide: 64, guides: 'known-pixels' });
    const bad = { width: 10, height: 10, data: new Uint8Array(100) };
    await expect(inpaint(image, mask, { model: m, guideInk: bad })).rejects.toThrow(/ink mask is 10x10 but the image is 64x48/);
  });

  test('manifest: "guides" is for bar models only, and only "known-pixels"', () => {
    const entry = (kind: string, guides: unknown) => ({
      models: [{ name: 'm', file: 'm.onnx', kind, sha256: '0'.repeat(64), licence: 'MIT',
        input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 256, maxSide: 512, multiple: 128, guides } }],
    });
    expect(parseManifest(entry('bar', 'known-pixels'), 't').models[0]!.input.guides).toBe('known-pixels');
    expect(() => parseManifest(entry('mosaic', 'known-pixels'), 't')).toThrow(/only bar models take guide strokes/);
    expect(() => parseManifest(entry('bar', 'yes'), 't')).toThrow(/must be "known-pixels"/);
  });

  describe('a second bar model, trained with guides, for guided fills', () => {
    const info = (name: string, kind: string, guides?: string) => ({
      name, file: `${name}.onnx`, kind, sha256: '0'.repeat(64), licence: 'MIT',
      input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 256, maxSide: 512, multiple: 128, ...(guides ? { guides } : {}) },
    });

    test('chooseModel: the plain model unless guides are wanted; either falls back to the other; a name wins', () => {
      const both = parseManifest({ models: [info('guided', 'bar', 'known-pixels'), info('plain', 'bar'), info('mos', 'mosaic')] }, 't');
      expect(chooseModel(both, undefined, 'bar').name).toBe('plain'); // listed second, still the default
      expect(chooseModel(both).name).toBe('plain');
      expect(chooseModel(both, undefined, 'bar', { guides: true }).name).toBe('guided');
      expect(chooseModel(both, undefined, 'mosaic', { guides: true }).name).toBe('mos');
      expect(chooseModel(both, 'plain', 'bar', { guides: true }).name).toBe('plain');
      const plainOnly = parseManifest({ models: [info('plain', 'bar')] }, 't');
      expect(chooseModel(plainOnly, undefined, 'bar', { guides: true }).name).toBe('plain');
      const guidedOnly = parseManifest({ models: [info('guided', 'bar', 'known-pixels')] }, 't');
      expect(chooseModel(guidedOnly, undefined, 'bar').name).toBe('guided');
    });

    test('lazyModels loads and caches the guided model apart from the plain one', async () => {
      const asked: string[] = [];
      const p = lazyModels(async (kind: ModelKind, _progress, want?: ModelWant) => {
        asked.push(`${kind}${want?.guides ? '+guides' : ''}`);
        return fakeRunner(kind, grey, want?.guides ? { guides: 'known-pixels' } : {});
      });
      const plain = await p.get('bar');
      expect(p.isLoaded('bar')).toBe(true);
      expect(p.isLoaded('bar', { guides: true })).toBe(false);
      const guided = await p.get('bar', undefined, { guides: true });
      expect(guided).not.toBe(plain);
      expect(guided.info.input.guides).toBe('known-pixels');
      expect(await p.get('bar', undefined, { guides: true })).toBe(guided);
      expect(await p.get('bar', undefined, {})).toBe(plain);
      expect(asked).toEqual(['bar', 'bar+guides']);
    });

    test('wantFor: guides only when the guide has ink strokes in the hole of a bar fill', () => {
      const { mask, guide } = page();
      expect(wantFor('bar', mask, guide)).toEqual({ guides: true });
      expect(wantFor('bar', mask, null)).toBeUndefined();
      expect(wantFor('mosaic', mask, guide)).toBeUndefined();
      // only the colour dot in the hole (the stroke erased): the plain model
      const dotOnly = { ...guide, data: guide.data.slice() };
      for (let x = 10; x < 54; x++) dotOnly.data[(24 * W + x) * 4 + 3] = 0;
      expect(wantFor('bar', mask, dotOnly)).toBeUndefined();
      // a stroke only outside the hole: the plain model
      const outside = { ...guide, data: new Uint8Array(W * H * 4) };
      for (let x = 0; x < 10; x++) outside.data.set([0, 0, 0, 255], (40 * W + x) * 4);
      expect(wantFor('bar', mask, outside)).toBeUndefined();
    });

    test('a job with a guide runs the guided model (shown the ink); without one, the plain model', async () => {
      const runners = new Map<string, ModelRunner & { calls: Call[] }>();
      const models = lazyModels(async (kind: ModelKind, _progress, want?: ModelWant) => {
        const r = fakeRunner(kind, grey, { maxSide: 64, ...(want?.guides ? { guides: 'known-pixels' as const } : {}) });
        runners.set(want?.guides ? 'guided' : 'plain', r);
        return r;
      });
      const { image, mask, guide } = page();
      const selection = { bounds: { left: 0, top: 0, right: W, bottom: H }, channel: { width: W, height: H, data: mask.data.map((v) => v * 255), maxValue: 255 } };
      const settings = { mode: 'holes' as const, grow: 0, variations: 1, fill: 'model' as const, lines: 'off' as const };
      const layer = { raster: image, left: 0, top: 0 };
      const filled = await localFill(models).fillPage({ layer, selection, guide: { raster: guide, left: 0, top: 0 } }, settings, {});
      expect(filled).toHaveProperty('layers');
      expect(runners.get('guided')!.calls).toHaveLength(1);
      // the 32 ink pixels of row 24 were known to it
      expect(runners.get('guided')!.calls[0]!.mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)).toBe(24 * 32 - 32 - 1); // and the red dot
      expect(runners.has('plain')).toBe(false);
      await localFill(models).fillPage({ layer, selection, guide: null }, settings, {});
      expect(runners.get('plain')!.calls).toHaveLength(1);
      expect(runners.get('guided')!.calls).toHaveLength(1);
    });
  });
});
