/**
 * The standalone page in headless Chromium: an opened picture with a mosaic, "Select mosaics"
 * pressed, the detected regions shown as the brush mask (downloaded: exactly the mask of
 * core/mosaic-detect.ts on the same pixels), the status line naming the block size; Undo mask
 * takes it back.
 */
import * as fs from 'fs';
import type { Browser, Page } from 'playwright-core';
import { detectMosaics } from '../../src/core/mosaic-detect';
import { decodePngRaster, encodePngRaster } from '../../src/browser/png';
import { mosaicPage } from '../helpers/mosaicPages';
import { MODEL, describeBrowser, ensureBuilt, launch, serve, type Served } from './helpers';

jest.setTimeout(170000);

async function downloadBytes(page: Page, selector: string): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return fs.readFileSync((await dl.path())!);
}

describeBrowser('Select mosaics on the standalone page', () => {
  let browser: Browser;
  let served: Served;

  beforeAll(async () => {
    ensureBuilt();
    served = await serve();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  test('the detected mosaic becomes the mask; Undo mask clears it again', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${served.url}/photopea/index.html${MODEL.query}`);
    await page.waitForSelector('text=Drop an image here');
    const c = mosaicPage(8, 5, 2, { seed: 51 });
    await page.setInputFiles('#file', { name: 'mosaic.png', mimeType: 'image/png', buffer: Buffer.from(encodePngRaster(c.image)) });
    await page.waitForSelector('#canvas');
    await page.click('sp-button:has-text("Select mosaics")');
    await page.waitForFunction(() => /selected 1 mosaic region \(block 8/.test(document.querySelector('sp-body[role=status]')?.textContent ?? ''));
    const mask = decodePngRaster(await downloadBytes(page, '#download-mask'));
    const want = detectMosaics(c.image).mask;
    expect([mask.width, mask.height]).toEqual([c.image.width, c.image.height]);
    let wrong = 0;
    let on = 0;
    for (let i = 0; i < want.data.length; i++) {
      if (mask.data[i] !== (want.data[i] ? 255 : 0)) wrong++;
      on += want.data[i]!;
    }
    expect(on).toBeGreaterThan(0);
    expect(wrong).toBe(0);
    await page.click('#undo-mask');
    const after = decodePngRaster(await downloadBytes(page, '#download-mask'));
    expect(Array.from(after.data).every((v) => v === 0)).toBe(true);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
