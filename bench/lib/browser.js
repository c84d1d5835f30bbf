'use strict';
/**
 * @file Headless Chromium driver for the browser figures: a static file server, the harness page
 * (dist/bench/web, the jobs/pipeline/web-inference path the plugin page uses), CDP heap polling,
 * a WebAssembly.Memory hook, and the renderer process's peak RSS (VmHWM from /proc).
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const { ROOT, SHARED } = require('./util');

const CHROMIUM = '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png', '.json': 'application/json', '.onnx': 'application/octet-stream' };

function browserAvailable() {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  try {
    require.resolve('playwright-core', { paths: [ROOT] });
  } catch {
    return 'playwright-core is not installed';
  }
  return null;
}

/** Serves /r/<path under the repo> and /s/<path under ../shared>. */
function startServer() {
  const server = http.createServer((req, res) => {
    const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const base = u.startsWith('/r/') ? ROOT : u.startsWith('/s/') ? SHARED : null;
    const file = base && path.resolve(base, '.' + u.slice(2));
    if (!file || !file.startsWith(base) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

const urlFor = (origin, file) => {
  const abs = path.resolve(file);
  if (abs.startsWith(SHARED + path.sep)) return `${origin}/s/${path.relative(SHARED, abs)}`;
  return `${origin}/r/${path.relative(ROOT, abs)}`;
};

/** Keeps every WebAssembly.Memory the page creates or instantiates, so its size can be read. */
const WASM_HOOK = `(() => {
  const mems = new Set();
  const keep = (x) => { try { if (x instanceof WebAssembly.Memory) mems.add(x); } catch {} };
  const scan = (inst) => { try { for (const v of Object.values(inst.exports || {})) keep(v); } catch {} };
  const M = WebAssembly.Memory;
  WebAssembly.Memory = function (d) { const m = new M(d); mems.add(m); return m; };
  WebAssembly.Memory.prototype = M.prototype;
  const wrap = (name) => {
    const f = WebAssembly[name];
    if (!f) return;
    WebAssembly[name] = async function (...a) {
      const r = await f.apply(this, a);
      scan(r.instance || r);
      for (const imp of Object.values(a[1] || {})) for (const v of Object.values(imp || {})) keep(v);
      return r;
    };
  };
  wrap('instantiate'); wrap('instantiateStreaming');
  globalThis.__wasmBytes = () => { let n = 0; for (const m of mems) n += m.buffer.byteLength; return n; };
})();`;

function childrenMap() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(+d);
    } catch {
      /* gone */
    }
  }
  return kids;
}

function statusKB(pid, key) {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? +m[1] : 0;
  } catch {
    return 0;
  }
}

/** Renderer processes of the Chromium whose command line holds `marker`. */
function rendererPids(marker) {
  const kids = childrenMap();
  const roots = [];
  for (const [, list] of kids)
    for (const pid of list) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(marker) && !cmd.includes('--type=')) roots.push(pid);
      } catch {
        /* gone */
      }
    }
  const out = [];
  const walk = (pid) => {
    for (const c of kids.get(pid) ?? []) {
      try {
        if (fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) out.push(c);
      } catch {
        /* gone */
      }
      walk(c);
    }
  };
  roots.forEach(walk);
  return out;
}

/**
 * Opens the harness page in a fresh headless Chromium. Returns helpers to load the model, run a
 * page, and read memory: { loadModel, runPage, memory, close, browserVersion }.
 */
async function openHarness({ origin, threads = 1 } = {}) {
  const { chromium } = require(require.resolve('playwright-core', { paths: [ROOT] }));
  const marker = `--bench-marker-${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
      marker,
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(10 * 60 * 1000);
  await page.addInitScript(WASM_HOOK);
  const cdp = await page.context().newCDPSession(page);
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(String(e)));
  await page.goto(`${origin}/r/dist/bench/web/index.html`);
  await page.waitForFunction(() => !!globalThis.bench);

  const heap = async () => {
    try {
      const h = await cdp.send('Runtime.getHeapUsage');
      const w = await page.evaluate(() => globalThis.__wasmBytes());
      return { jsHeap: h.usedSize, backing: h.backingStorageSize ?? 0, wasm: w };
    } catch {
      return null;
    }
  };
  const renderers = () => rendererPids(marker);
  const rss = () => renderers().reduce((a, pid) => Math.max(a, statusKB(pid, 'VmRSS')), 0) / 1024;
  const hwm = () => renderers().reduce((a, pid) => Math.max(a, statusKB(pid, 'VmHWM')), 0) / 1024;

  /** Polls heap usage every 100 ms while `fn` runs; returns [result, peaks]. */
  async function sampled(fn) {
    const peak = { jsHeap: 0, backing: 0, wasm: 0, sum: 0, samples: 0 };
    let on = true;
    const poll = (async () => {
      while (on) {
        const h = await heap();
        if (h) {
          peak.jsHeap = Math.max(peak.jsHeap, h.jsHeap);
          peak.backing = Math.max(peak.backing, h.backing);
          peak.wasm = Math.max(peak.wasm, h.wasm);
          peak.sum = Math.max(peak.sum, h.jsHeap + h.backing + h.wasm);
          peak.samples++;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const r = await fn();
      const h = await heap();
      if (h) {
        peak.jsHeap = Math.max(peak.jsHeap, h.jsHeap);
        peak.backing = Math.max(peak.backing, h.backing);
        peak.wasm = Math.max(peak.wasm, h.wasm);
        peak.sum = Math.max(peak.sum, h.jsHeap + h.backing + h.wasm);
      }
      return [r, peak];
    } finally {
      on = false;
      await poll;
    }
  }

  return {
    browserVersion: browser.version(),
    baselineRssMB: rss(),
    loadModel: (info, modelFile, backends = ['wasm']) =>
      sampled(() => page.evaluate(([i, u, b]) => globalThis.bench.loadModel(i, u, b), [info, urlFor(origin, modelFile), backends])),
    runPage: (file, action = 'inpaint') => sampled(() => page.evaluate(([u, a]) => globalThis.bench.runPage(u, a), [urlFor(origin, file), action])),
    detect: (file, reps) => page.evaluate(([u, n]) => globalThis.bench.detect(u, n), [urlFor(origin, file), reps]),
    /** Calls globalThis.bench[name](...args) in the page. */
    call: (name, ...args) => page.evaluate(([n, a]) => globalThis.bench[n](...a), [name, args]),
    rssMB: rss,
    peakRssMB: hwm,
    /** Resets the renderers' peak RSS (VmHWM) to their current RSS (Linux: clear_refs 5); false where not allowed. */
    resetPeak: () => {
      let ok = true;
      for (const pid of renderers()) {
        try {
          fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        } catch {
          ok = false;
        }
      }
      return ok;
    },
    consoleLines,
    close: () => browser.close(),
  };
}

/**
 * The real standalone page (dist/bench/photopea, the production build of src/web) in a fresh
 * Chromium, driven as a user does: open the PNG with the file input, choose "Green paint", press
 * "Inpaint selection" (the model loads lazily on the first press), then press it again for a warm
 * run. Memory as in openHarness. Returns { openMs, firstMs, warmMs, status, backend, peaks, baselineRssMB, peakRssMB }.
 */
async function runStandalonePage({ origin, pageDir, manifest, file }) {
  const { chromium } = require(require.resolve('playwright-core', { paths: [ROOT] }));
  const marker = `--bench-marker-${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--enable-precise-memory-info', marker],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10 * 60 * 1000);
    await page.addInitScript(WASM_HOOK);
    const cdp = await ctx.newCDPSession(page);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${urlFor(origin, path.join(pageDir, 'index.html'))}?models=${encodeURIComponent(new URL(urlFor(origin, manifest)).pathname)}`);
    await page.waitForSelector('#file', { state: 'attached' });
    const renderers = () => rendererPids(marker);
    const baselineRssMB = renderers().reduce((a, pid) => Math.max(a, statusKB(pid, 'VmRSS')), 0) / 1024;
    const peaks = { jsHeap: 0, backing: 0, wasm: 0, sum: 0 };
    let on = true;
    const poll = (async () => {
      while (on) {
        try {
          const h = await cdp.send('Runtime.getHeapUsage');
          const w = await page.evaluate(() => globalThis.__wasmBytes());
          peaks.jsHeap = Math.max(peaks.jsHeap, h.usedSize);
          peaks.backing = Math.max(peaks.backing, h.backingStorageSize ?? 0);
          peaks.wasm = Math.max(peaks.wasm, w);
          peaks.sum = Math.max(peaks.sum, h.usedSize + (h.backingStorageSize ?? 0) + w);
        } catch {
          /* page busy or navigating */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const status = () => page.evaluate(() => document.querySelector('aside [role=status]')?.textContent ?? '');
    try {
      let t = Date.now();
      await page.setInputFiles('#file', file);
      await page.waitForSelector('#canvas');
      const openMs = Date.now() - t;
      await page.click('sp-radio[value="green"]');
      await page.waitForFunction(() => document.querySelector('sp-radio[value="green"]')?.hasAttribute('checked'), null, { timeout: 10000 });
      t = Date.now();
      await page.click('aside sp-button:has-text("Inpaint selection")');
      await page.waitForFunction(() => !!document.querySelector('#download') || /failed|skipped|cancelled/.test(document.querySelector('aside [role=status]')?.textContent ?? ''));
      const firstMs = Date.now() - t;
      const st = await status();
      if (!/filled/.test(st)) throw new Error(`the page said: ${st}`);
      const backend = await page.evaluate(() => globalThis.__inpaintBackend);
      const sliders = await page.$$eval('aside sp-slider', (els) => els.map((e) => Number(e.value)));
      await page.click('#compare');
      t = Date.now();
      await page.click('aside sp-button:has-text("Inpaint selection")');
      await page.waitForSelector('text=showing Result 2'); // the page numbers its results
      const warmMs = Date.now() - t;
      return { openMs, firstMs, warmMs, status: st, backend, grow: sliders[0], peaks, baselineRssMB, peakRssMB: renderers().reduce((a, pid) => Math.max(a, statusKB(pid, 'VmHWM')), 0) / 1024, errors };
    } finally {
      on = false;
      await poll;
    }
  } finally {
    await browser.close();
  }
}

module.exports = { browserAvailable, startServer, openHarness, runStandalonePage, urlFor };
