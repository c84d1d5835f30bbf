/**
 * The Photopea plugin end to end in headless Chromium, inside a TEST HOST page
 * (tests/browser/photopea-host/): no real Photopea is reachable offline, so the host implements
 * Photopea's documented plugin protocol (scripts in, echoToOE strings and saveToOE ArrayBuffers out,
 * app.open(url, null, true) placing a smart object after the script ends, extra "done" noise) and a
 * foreign window forging replies. The plugin reads the active layer and the selection, runs the shared
 * panel + jobs with onnxruntime-web (WASM), and must add a new, rasterized layer above the source layer
 * whose pixels match the Node pipeline, leaving every other layer, the visibility and the selection as they were.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import type { Raster } from '../../src/core/types';
import { loadNodeModel } from '../../src/inference/node';
import { inpaintDocument } from '../../src/jobs';
import { MemoryDocument, MemoryHost } from '../helpers/memoryHost';
import { MODEL, describeBrowser, diffStats, ensureBuilt, fixturePicture, launch, screenshotPath, serve, type Served } from './helpers';

jest.setTimeout(170000);

const W = 256;
const H = 192;

function rgba(r: Raster): Uint8Array {
  const out = new Uint8Array(r.width * r.height * 4);
  for (let i = 0; i < r.width * r.height; i++) {
    out.set(r.data.subarray(i * 3, i * 3 + 3) as Uint8Array, i * 4);
    out[i * 4 + 3] = 255;
  }
  return out;
}
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function discMask(cx: number, cy: number, r: number): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m[y * W + x] = 255;
  return m;
}

function sticker(): Uint8Array {
  const px = new Uint8Array(W * H * 4);
  for (let y = 20; y < 50; y++) for (let x = 200; x < 236; x++) px.set([240, 240, 40, 255], (y * W + x) * 4);
  return px;
}

async function status(frame: Frame): Promise<string> {
  await frame.waitForFunction(() => !document.querySelector('sp-progressbar') && /done|skipped|failed|No document|filled/.test(document.querySelector('[role=status]')?.textContent ?? ''), null, {
    timeout: 150000,
  });
  return (await frame.textContent('[role=status]')) ?? '';
}

describeBrowser(`Photopea plugin in a fake Photopea test host (documented protocol; no real Photopea offline), ${MODEL.label}`, () => {
  let browser: Browser;
  let served: Served;
  let page: Page;
  const errors: string[] = [];
  const picture = fixturePicture(W, H);
  const background = rgba(picture);
  const selection = discMask(150, 80, 18);

  beforeAll(async () => {
    ensureBuilt();
    served = await serve();
    browser = await launch();
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await ctx.route('**/*', (route) => (route.request().url().startsWith(served.url) ? route.continue() : (errors.push(`network: ${route.request().url()}`), route.abort())));
    page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  async function openHost(docs: object[]): Promise<Frame> {
    await page.goto(`${served.url}/testhost/index.html`);
    await page.waitForFunction(() => !!(window as unknown as { __pp?: unknown }).__pp);
    for (const d of docs) await page.evaluate((spec) => (window as unknown as { __pp: { addDocument(s: object): number } }).__pp.addDocument(spec), d);
    if (docs.length) await page.evaluate(() => (window as unknown as { __pp: { activate(i: number): void } }).__pp.activate(0));
    await page.evaluate((u) => (window as unknown as { __pp: { mount(u: string): void } }).__pp.mount(u), `/photopea/index.html${MODEL.query}`);
    const frame = page.frame({ name: 'plugin' })!;
    await frame.waitForSelector('sp-button:has-text("Inpaint selection")', { timeout: 30000 });
    return frame;
  }

  const pp = <T>(fn: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(([f, a]) => (window as unknown as { __pp: Record<string, (...x: unknown[]) => unknown> }).__pp[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

  test('inpaints the selection of the active layer into a new layer above it; batch reports every document', async () => {
    const frame = await openHost([
      {
        name: 'photo.png',
        width: W,
        height: H,
        layers: [
          { name: 'Sticker', rgba: b64(sticker()) },
          { name: 'Background', rgba: b64(background) },
        ],
        active: 'Background',
        selection: b64(selection),
      },
      { name: 'no-selection.png', width: 64, height: 48, layers: [{ name: 'Background', rgba: b64(rgba(fixturePicture(64, 48))) }] },
      {
        name: 'grouped.psd',
        width: 64,
        height: 48,
        layers: [{ name: 'Group 1', group: true, layers: [{ name: 'Inner', rgba: b64(rgba(fixturePicture(64, 48))) }] }],
        active: 'Group 1',
        selection: b64(new Uint8Array(64 * 48).fill(255)),
      },
      // Over the 50 MP limit; a group-only document so the fake host allocates no pixels.
      { name: 'huge.psd', width: 10000, height: 6000, layers: [{ name: 'Group', group: true, layers: [] }], active: 'Group' },
    ]);
    const grow = await frame.$eval('sp-slider', (e) => Number((e as unknown as { value: number }).value));

    const t0 = Date.now();
    await frame.click('sp-button:has-text("Inpaint selection")');
    const s1 = await status(frame);
    const firstSeconds = (Date.now() - t0) / 1000;
    expect(s1).toMatch(/photo\.png: filled [\d,]+ px into layer "Inpainted"/);

    type Node = { name: string; typename: string; kind: number; visible: boolean; parent: string; active: boolean };
    const tree = await pp<Node[]>('tree', 0);
    expect(tree.map((l) => l.name)).toEqual(['Sticker', 'Inpainted', 'Background']); // new layer right above the source
    const added = tree[1];
    expect(added.kind).toBe(1); // rasterized (no longer a smart object)
    expect(tree.every((l) => l.visible)).toBe(true); // visibility restored after the exports
    expect(tree.filter((l) => l.active).map((l) => l.name)).toEqual(['Background']); // the source layer stays active
    // The user's pixels and selection are untouched.
    expect(unb64((await pp<string>('pixels', 0, 'Background'))!)).toEqual(background);
    expect(unb64((await pp<string>('pixels', 0, 'Sticker'))!)).toEqual(sticker());
    expect(unb64((await pp<string>('selection', 0))!)).toEqual(selection);

    // The new layer against the same job through the Node pipeline.
    const model = await loadNodeModel(MODEL.manifest, undefined, { kind: 'bar' });
    const doc = new MemoryDocument({
      title: 'photo.png',
      layer: { raster: { width: W, height: H, channels: 4, data: background, maxValue: 255 }, left: 0, top: 0 },
      selection: { channel: { width: W, height: H, data: selection, maxValue: 255 }, bounds: { left: 0, top: 0, right: W, bottom: H } },
    });
    const report = await inpaintDocument(new MemoryHost([doc]), doc, { mode: 'holes', grow, variations: 1 }, { get: async () => model });
    await model.dispose();
    expect(report.status).toBe('done');
    // the job's layer covers the hole's bounding box: place it into a transparent document-sized raster
    const placed = doc.added[0].pixels;
    const expected: Raster = { width: W, height: H, channels: 4, data: new Uint8Array(W * H * 4), maxValue: 255 };
    for (let y = 0; y < placed.raster.height; y++) {
      const row = placed.raster.data.subarray(y * placed.raster.width * 4, (y + 1) * placed.raster.width * 4);
      (expected.data as Uint8Array).set(row, ((y + placed.top) * W + placed.left) * 4);
    }
    const got: Raster = { width: W, height: H, channels: 4, data: unb64((await pp<string>('pixels', 0, 'Inpainted'))!), maxValue: 255 };
    const alphaMismatch = diffStats({ ...got, channels: 1, data: got.data.filter((_, i) => i % 4 === 3) }, { ...expected, channels: 1, data: expected.data.filter((_, i) => i % 4 === 3) }, () => true);
    expect(alphaMismatch.max).toBe(0); // transparent exactly outside the (grown) hole, opaque inside
    const inside = diffStats(got, expected, (i) => expected.data[i * 4 + 3] === 255);
    // eslint-disable-next-line no-console
    console.log(`photopea plugin, ${MODEL.label}: hole ${inside.n} px, plugin vs Node max |diff| ${inside.max}, mean ${inside.mean.toFixed(3)}`);
    expect(inside.n).toBeGreaterThan(800);
    expect(inside.max).toBeLessThanOrEqual(4);
    expect(inside.mean).toBeLessThan(0.5);

    await page.evaluate(() => (window as unknown as { __pp: { render(): void } }).__pp.render());
    await page.screenshot({ path: screenshotPath('photopea-panel.png') });

    // Batch over all open documents.
    await frame.click('sp-button:has-text("Inpaint all open documents")');
    const t1 = Date.now();
    const s2 = await status(frame);
    // eslint-disable-next-line no-console
    console.log(`photopea plugin: first inpaint (with model load) ${firstSeconds.toFixed(2)} s; batch of 4 documents ${((Date.now() - t1) / 1000).toFixed(2)} s`);
    expect(s2).toMatch(/1 done, 2 skipped, 1 failed/);
    const list = (await frame.textContent('ul')) ?? '';
    expect(list).toMatch(/no-selection\.png: skipped — no selection/);
    expect(list).toMatch(/grouped\.psd: skipped — .*"Group 1" is a group/);
    expect(list).toMatch(/huge\.psd: failed — "huge\.psd" is 10000×6000 px \(60\.0 MP\); the browser version handles up to 50 MP/);
    expect((await pp<Node[]>('tree', 0)).map((l) => l.name)).toEqual(['Sticker', 'Inpainted', 'Inpainted', 'Background']);
    expect(await pp<number>('activeIndex')).toBe(0); // the batch switched documents, then back to the user's
    // The batch read the source layer again (not the first result): the same job gives the same pixels.
    expect(await pp<string>('pixels', 0, 'Inpainted', 1)).toEqual(await pp<string>('pixels', 0, 'Inpainted', 0));
    expect((await pp<Node[]>('tree', 1)).map((l) => l.name)).toEqual(['Background']);
    expect((await pp<Node[]>('tree', 2)).map((l) => l.name)).toEqual(['Group 1', 'Inner']);
    await page.evaluate(() => (window as unknown as { __pp: { render(): void } }).__pp.render());
    await page.screenshot({ path: screenshotPath('photopea-batch.png') });

    const log = await page.evaluate(() => (window as unknown as { __pp: { state: { log: Record<string, unknown> } } }).__pp.state.log);
    // eslint-disable-next-line no-console
    console.log('fake Photopea log:', JSON.stringify(log));
    expect(log.silentDeaths).toEqual([]); // every script was ES5 and ran without a fatal error
    expect(log.forged as number).toBeGreaterThan(0); // forged replies were sent and ignored
    expect(log.noiseDone as number).toBeGreaterThan(0);
    expect(log.placements).toBe(2);
    expect(errors).toEqual([]);
  });

  test('Colorize layer: a new "Colorized" layer in Color blend mode above the source, the hidden "Guide" layer\'s colour dot as hint', async () => {
    const grey = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) {
      const v = background[i * 4]! * 0.3 + background[i * 4 + 1]! * 0.59 + background[i * 4 + 2]! * 0.11;
      grey.set([v, v, v, 255], i * 4);
    }
    const guide = new Uint8Array(W * H * 4);
    for (let y = 60; y < 65; y++) for (let x = 100; x < 105; x++) guide.set([30, 80, 230, 255], (y * W + x) * 4);
    const frame = await openHost([
      {
        name: 'page.png',
        width: W,
        height: H,
        layers: [
          { name: 'Guide', rgba: b64(guide), visible: false },
          { name: 'Background', rgba: b64(grey) },
        ],
        active: 'Background',
      },
    ]);
    await frame.click('sp-button:has-text("Colorize layer")');
    await frame.waitForFunction(() => !document.querySelector('sp-progressbar') && /colorized|skipped|failed/.test(document.querySelector('[role=status]')?.textContent ?? ''), null, { timeout: 150000 });
    expect(await frame.textContent('[role=status]')).toMatch(/page\.png: colorized following 25 hint px into layer "Colorized" \(Color blend mode\)/);
    type Node = { name: string; kind: number; blendMode: string; visible: boolean; active: boolean };
    const tree = await pp<Node[]>('tree', 0);
    expect(tree.map((l) => l.name)).toEqual(['Guide', 'Colorized', 'Background']);
    expect(tree[1]).toMatchObject({ kind: 1, blendMode: 'BlendMode.COLOR' });
    expect(tree.map((l) => l.visible)).toEqual([false, true, true]); // the guide stays hidden after its export
    expect(tree.filter((l) => l.active).map((l) => l.name)).toEqual(['Background']);
    expect(unb64((await pp<string>('pixels', 0, 'Background'))!)).toEqual(grey);
    expect(unb64((await pp<string>('pixels', 0, 'Guide'))!)).toEqual(guide);
    // the hint is followed: blue where the dot is
    const col = unb64((await pp<string>('pixels', 0, 'Colorized'))!);
    const o = (62 * W + 102) * 4;
    expect(col[o + 2]!).toBeGreaterThan(col[o]! + 20);
    expect(errors).toEqual([]);
  });

  test('no open document: a clear message, nothing sent but scripts', async () => {
    const frame = await openHost([]);
    await frame.click('sp-button:has-text("Inpaint selection")');
    expect(await status(frame)).toMatch(/No document is open/);
  });

  test('embedded by a page that is not Photopea: refuses to talk to it', async () => {
    // Same server, other host name = other origin (localhost vs 127.0.0.1).
    const other = served.url.replace('127.0.0.1', 'localhost');
    await page.context().route(`${other}/**`, (r) => r.continue());
    await page.goto(`${other}/testhost/index.html`);
    await page.evaluate((u) => (window as unknown as { __pp: { mount(u: string): void } }).__pp.mount(u), `${served.url}/photopea/index.html${MODEL.query}`);
    const frame = page.frame({ name: 'plugin' })!;
    const msg = await frame.waitForSelector('[role=alert]', { timeout: 20000 });
    expect(await msg.textContent()).toMatch(/embedded by http:\/\/localhost:\d+, which is not Photopea/);
    const log = await page.evaluate(() => (window as unknown as { __pp: { state: { log: { scripts: number } } } }).__pp.state.log);
    expect(log.scripts).toBe(0);
  });
});
