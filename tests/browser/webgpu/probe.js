/**
 * Prints one line of JSON: whether headless Chromium with the given flags has a WebGPU adapter
 * ({"adapter": {...}} or {"reason": "..."}). Run synchronously by webgpu.test.ts at collection time,
 * so that the test can be skipped with the exact reason.
 *   node probe.js <chromium> <flag>...
 */
const http = require('http');
const [chromiumPath, ...flags] = process.argv.slice(2);

(async () => {
  const { chromium } = require('playwright-core');
  const server = http.createServer((req, res) => res.end('<!doctype html><title>probe</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: flags });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`); // a secure context (navigator.gpu needs one)
    const r = await page.evaluate(async () => {
      if (!('gpu' in navigator)) return { reason: 'navigator.gpu is missing' };
      try {
        const a = await navigator.gpu.requestAdapter();
        if (!a) return { reason: 'navigator.gpu.requestAdapter() returned null (no adapter)' };
        const info = a.info ?? {};
        return { adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description, fallback: a.isFallbackAdapter ?? info.isFallbackAdapter } };
      } catch (e) {
        return { reason: `requestAdapter() threw: ${e.message}` };
      }
    });
    process.stdout.write(JSON.stringify(r) + '\n');
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => {
  process.stdout.write(JSON.stringify({ reason: `could not run Chromium: ${e.message.split('\n')[0]}` }) + '\n');
});
