/**
 * Shared setup of the browser tests: one production build of the page (dist/photopea-test/, rebuilt
 * when any source is newer), a local static server, headless Debian Chromium through playwright-core,
 * a deterministic fixture picture, and the model choice (the real models/models.json when present,
 * else the tiny random-weight fixture — the test names say which).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import type { Raster } from '../../src/core/types';

export const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

const REAL_MANIFEST = path.join(ROOT, 'models/models.json');
export const USE_REAL_MODEL = fs.existsSync(REAL_MANIFEST);
/** Manifest the Node reference run uses, and the query the page gets for the same model. */
const OVERRIDE = process.env.BROWSER_TEST_MODELS; // another models.json, e.g. a fresh export
export const MODEL = OVERRIDE
  ? { label: `model from BROWSER_TEST_MODELS=${OVERRIDE}`, manifest: path.resolve(OVERRIDE), query: `?models=/testmodels/${path.basename(OVERRIDE)}` }
  : USE_REAL_MODEL
    ? { label: 'real model (models/models.json)', manifest: REAL_MANIFEST, query: '' }
    : { label: 'tiny random-weight fixture (tests/fixtures/models.json; models/models.json absent)', manifest: path.join(ROOT, 'tests/fixtures/models.json'), query: '?models=/fixtures/models.json' };

if (!HAVE_CHROMIUM) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED browser tests: ${CHROMIUM} is absent (apt-get install chromium).`);
}
/** describe, or describe.skip with the reason in the title when Chromium is missing. */
export const describeBrowser = HAVE_CHROMIUM ? describe : (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: ${CHROMIUM} absent]`, fn);

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/**
 * The page under test: dist/photopea/ when `npm run build` left one newer than every source (what
 * ships), else a development-mode build of the same config into dist/photopea-test/ (no minifier:
 * ~10 s instead of ~60-100 s on 2 busy cores). BROWSER_TEST_PRODUCTION=1 forces a production build.
 * Serialised across jest workers with a lock directory.
 */
export let BUILD_DIR = path.join(ROOT, 'dist/photopea-test');
export function ensureBuilt(): string {
  // BROWSER_TEST_DIST=<folder>: test that build instead (e.g. an older commit's dist/photopea, to
  // see a new test fail on the old code).
  if (process.env.BROWSER_TEST_DIST) {
    BUILD_DIR = path.resolve(process.env.BROWSER_TEST_DIST);
    // eslint-disable-next-line no-console
    console.log(`browser tests use ${BUILD_DIR} (BROWSER_TEST_DIST)`);
    return BUILD_DIR;
  }
  const inputs = ['src', 'build/webpack.photopea.js', 'package.json', ...(USE_REAL_MODEL ? ['models'] : [])].map((p) => path.join(ROOT, p));
  const newestInput = () => Math.max(...inputs.map(newestMtime));
  const fresh = (dir: string) =>
    fs.existsSync(path.join(dir, 'bundle.js')) &&
    fs.statSync(path.join(dir, 'bundle.js')).mtimeMs > newestInput() &&
    (!USE_REAL_MODEL || fs.existsSync(path.join(dir, 'models/models.json')));
  const shipped = path.join(ROOT, 'dist/photopea');
  if (!process.env.BROWSER_TEST_PRODUCTION && fresh(shipped)) {
    BUILD_DIR = shipped;
    // eslint-disable-next-line no-console
    console.log('browser tests use the production build in dist/photopea/');
    return BUILD_DIR;
  }
  BUILD_DIR = path.join(ROOT, 'dist/photopea-test');
  const lock = `${BUILD_DIR}.lock`;
  const deadline = Date.now() + 170000;
  for (;;) {
    if (fresh(BUILD_DIR)) return BUILD_DIR;
    try {
      fs.mkdirSync(lock);
    } catch {
      // A lock left by a killed run (older than 5 minutes) is removed.
      if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 300000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      execFileSync('sleep', ['1']);
      continue;
    }
    try {
      if (!fresh(BUILD_DIR)) {
        const mode = process.env.BROWSER_TEST_PRODUCTION ? 'production' : 'development';
        execFileSync('npx', ['webpack', '--mode', mode, '--env', 'target=photopea', '--env', `out=${BUILD_DIR}`], { cwd: ROOT, stdio: 'pipe' });
      }
    } finally {
      fs.rmdirSync(lock);
    }
    // eslint-disable-next-line no-console
    console.log(`browser tests use ${path.relative(ROOT, BUILD_DIR)}/ (${process.env.BROWSER_TEST_PRODUCTION ? 'production' : 'development'} build)`);
    return BUILD_DIR;
  }
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the build at /photopea/, the model fixtures at /fixtures/, the Photopea test host at /testhost/, and `extra` mounts. */
export async function serve(extra: [string, string][] = []): Promise<Served> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createStaticServer } = require(path.join(ROOT, 'scripts/serve.js'));
  const server = createStaticServer([
    ['/photopea/', BUILD_DIR],
    ['/fixtures/', path.join(ROOT, 'tests/fixtures')],
    ['/testhost/', path.join(ROOT, 'tests/browser/photopea-host')],
    ...(OVERRIDE ? [['/testmodels/', path.dirname(path.resolve(OVERRIDE))]] : []),
    ...extra,
  ]);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A deterministic 8-bit RGB test picture: smooth gradients, a disc, stripes and a little noise. */
export function fixturePicture(width = 256, height = 192): Raster {
  const data = new Uint8Array(width * height * 3);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const dx = x - width * 0.3;
      const dy = y - height * 0.45;
      const inDisc = dx * dx + dy * dy < (height * 0.22) ** 2;
      const stripe = Math.floor(x / 12) % 2 === 0 && y > height * 0.7;
      let r = 60 + (150 * x) / width;
      let g = 90 + (100 * y) / height;
      let b = 170 - (80 * x) / width;
      if (inDisc) [r, g, b] = [220, 140, 60];
      if (stripe) [r, g, b] = [r * 0.5, g * 0.5, b * 0.5];
      const n = (rnd() - 0.5) * 10;
      data[o] = Math.max(0, Math.min(255, Math.round(r + n)));
      data[o + 1] = Math.max(0, Math.min(255, Math.round(g + n)));
      data[o + 2] = Math.max(0, Math.min(255, Math.round(b + n)));
    }
  }
  return { width, height, channels: 3, data, maxValue: 255 };
}

/** Per-channel absolute differences between two rasters of the same shape, over pixels where `where` is true. */
export function diffStats(a: Raster, b: Raster, where: (i: number) => boolean): { max: number; mean: number; n: number; over2: number } {
  let max = 0;
  let sum = 0;
  let n = 0;
  let over2 = 0;
  const c = a.channels;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!where(i)) continue;
    n++;
    for (let k = 0; k < Math.min(3, c); k++) {
      const d = Math.abs(a.data[i * c + k] - b.data[i * c + k]);
      sum += d;
      if (d > max) max = d;
      if (d > 2) over2++;
    }
  }
  return { max, mean: n ? sum / (n * Math.min(3, c)) : 0, n, over2 };
}

/** Screenshots go to docs/screenshots/ with UPDATE_SCREENSHOTS=1, else to a temp folder (tests never dirty the tree). */
export function screenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs/screenshots') : path.join(require('os').tmpdir(), 'inpaint-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
