/**
 * The Panel in a real DOM (headless Chromium): events reach the controller through listeners attached
 * to the sp-* custom elements (React 18 does not bind them), settings persist in localStorage, the
 * Cancel button that appears while busy works. Skips when Chromium is absent.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import webpack from 'webpack';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(os.tmpdir(), 'inpaint-ui-dom-test');
const have = fs.existsSync(CHROMIUM);
const d = have ? describe : describe.skip;

async function bundle(): Promise<string> {
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    target: 'web',
    entry: path.join(__dirname, 'harness.tsx'),
    output: { path: OUT, filename: 'harness.js' },
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: { rules: [{ test: /\.tsx?$/, exclude: /node_modules/, use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext' } } } }] },
  });
  await new Promise<void>((resolve, reject) =>
    compiler.run((err, stats) => {
      if (err || stats?.hasErrors()) reject(err ?? new Error(stats!.toString('errors-only')));
      else compiler.close(() => resolve());
    }),
  );
  return fs.readFileSync(path.join(OUT, 'harness.js'), 'utf8');
}

d('Panel in Chromium', () => {
  let browser: Browser;
  let code: string;
  beforeAll(async () => {
    code = await bundle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  }, 120000);
  afterAll(async () => browser?.close());

  async function open(delay = 0): Promise<Page> {
    const page = await browser.newPage();
    await page.route('http://panel.test/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/harness.js') return route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: code });
      return route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><div id="root"></div><script src="/harness.js"></script>' });
    });
    await page.goto(`http://panel.test/?delay=${delay}`);
    await page.waitForSelector('sp-button');
    return page;
  }
  const status = (p: Page) => p.$eval('sp-body[role=status]', (e) => e.textContent);

  test('slider and mode changes update the panel and are remembered', async () => {
    const page = await open();
    await page.$$eval('sp-slider', (els) => {
      const grow = els[0] as unknown as HTMLElement & { value: string };
      grow.value = '10';
      grow.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => document.body.textContent!.includes('Grow selection by 10 px'));
    await page.$eval('sp-checkbox', (c) => {
      (c as unknown as { checked: boolean }).checked = true;
      c.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('inpaint.settings.v1') ?? '{}').texture === 'auto');
    await page.$eval('sp-radio-group', (g) => {
      g.querySelectorAll('sp-radio').forEach((r) => r.removeAttribute('checked'));
      g.querySelector('sp-radio[value=mosaic]')!.setAttribute('checked', '');
      g.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('inpaint.settings.v1') ?? '{}').mode === 'mosaic');
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('inpaint.settings.v1')))!)).toEqual({ mode: 'mosaic', grow: 10, grows: { selection: 10, green: 0 }, variations: 1, texture: 'auto' });
    await page.reload();
    await page.waitForSelector('sp-button');
    expect(await page.evaluate(() => document.body.textContent!.includes('Grow selection by 10 px'))).toBe(true);
    expect(await page.$eval('sp-radio[value=mosaic]', (r) => r.hasAttribute('checked'))).toBe(true);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }, 60000);

  test('Inpaint selection and the batch list', async () => {
    const page = await open();
    await page.$eval('sp-button', (b) => (b as HTMLElement).click());
    await page.waitForFunction(() => /first\.png: filled/.test(document.querySelector('sp-body[role=status]')!.textContent!));
    expect(await page.evaluate(() => (window as unknown as { __docs: { added: unknown[] }[] }).__docs[0].added.length)).toBe(1);
    await page.$$eval('sp-button', (b) => (b[1] as HTMLElement).click());
    await page.waitForFunction(() => document.querySelectorAll('li').length === 2);
    expect(await status(page)).toBe('All documents: 1 done, 1 skipped, 0 failed.');
    expect(await page.$$eval('li', (lis) => lis.map((l) => l.textContent))).toEqual([expect.stringMatching(/^DONE first\.png: filled/), expect.stringMatching(/^SKIPPED second\.png: skipped — no selection/)]);
    await page.close();
  }, 60000);

  test('Cancel appears while busy, works, and leaves the document untouched', async () => {
    const page = await open(2000); // the fake model takes 2 s: long enough to see the busy state on a loaded machine
    await page.$eval('sp-button', (b) => (b as HTMLElement).click());
    await page.waitForSelector('sp-progressbar', { state: 'attached' });
    expect(await page.$eval('sp-button:first-of-type', (b) => b.hasAttribute('disabled'))).toBe(true);
    await page.$eval('sp-button[variant=warning]', (b) => (b as HTMLElement).click());
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('sp-body[role=status]')!.textContent!));
    expect(await status(page)).toBe('first.png: cancelled — nothing was changed.');
    expect(await page.evaluate(() => (window as unknown as { __docs: { added: unknown[] }[] }).__docs[0].added.length)).toBe(0);
    expect(await page.$('sp-progressbar')).toBeNull();
    await page.close();
  }, 60000);
});
