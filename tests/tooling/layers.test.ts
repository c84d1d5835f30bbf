/**
 * `npm run lint:layers` can fail: the project's dependency-cruiser config (.dependency-cruiser.cjs)
 * and core tsconfig (tsconfig.core.json) are run over tiny throwaway trees in a temp dir that mirror
 * src/'s folder names, one with planted violations (each must be reported under its rule) and one
 * that follows the layering (must pass). The real src/ is checked by `npm run lint:layers` itself.
 */
import { execFile } from 'child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
// dependency-cruiser is ESM-only (no require() under ts-jest's CommonJS), so run its CLI.
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

type Files = Record<string, string>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const dirs: string[] = [];

/** A temp project: the repo's own tsconfig.json, a package.json, the given files. */
function tree(files: Files): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  dirs.push(dir);
  const all: Files = {
    'tsconfig.json': readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'),
    'package.json': JSON.stringify({ name: 'layers-fixture', private: true, dependencies: { 'onnxruntime-node': '*', react: '*' } }),
    // Stub packages, so these imports resolve like the real ones do (to node_modules/<name>/…).
    'node_modules/onnxruntime-node/package.json': JSON.stringify({ name: 'onnxruntime-node', version: '0.0.0', main: 'index.js' }),
    'node_modules/onnxruntime-node/index.js': 'exports.InferenceSession = {};\n',
    'node_modules/react/package.json': JSON.stringify({ name: 'react', version: '0.0.0', main: 'index.js' }),
    'node_modules/react/index.js': 'exports.createElement = () => null;\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/**
 * Runs `depcruise src --config <project config>` in `dir` with the default `err` reporter, as
 * `npm run lint:layers` does (its exit code is the number of errors; the json reporter's is always 0),
 * and returns its violations as "rule: from -> to".
 */
async function cruise(dir: string): Promise<{ code: number; violations: string[]; output: string }> {
  const r = await run([DEPCRUISE, 'src', '--config', CONFIG], dir);
  const output = `${r.stdout}${r.stderr}`;
  if (!/dependency violations|no dependency violations found/.test(output)) throw new Error(`depcruise failed (exit ${r.code}):\n${output}`);
  const violations = [...output.matchAll(/^\s*error ([\w-]+): (\S+) →\s*(\S+)/gm)].map((m) => `${m[1]}: ${m[2]} -> ${m[3]}`).sort();
  return { code: r.code, violations, output };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A tree that follows every rule; the dirty tree adds violations to it. */
const CLEAN: Files = {
  'src/core/types.ts': 'export interface Raster { width: number; height: number; data: Uint8ClampedArray }\n',
  'src/core/mask.ts': "import type { Raster } from './types';\nexport const area = (r: Raster): number => r.width * r.height;\n",
  'src/inference/node.ts':
    "import * as ort from 'onnxruntime-node';\nimport * as path from 'path';\nimport type { Raster } from '../core/types';\n" +
    'export const load = (r: Raster) => [ort, path.sep, r];\n',
  'src/pipeline/index.ts': "import { area } from '../core/mask';\nimport type { load } from '../inference/node';\nexport const run = (l: typeof load) => [area, l];\n",
  'src/contracts/host.ts': "import type { Raster } from '../core/types';\nimport type { run } from '../pipeline';\nexport interface Host { read(): Raster; run: typeof run }\n",
  'src/jobs/index.ts': "import type { Host } from '../contracts/host';\nimport { run } from '../pipeline';\nexport const job = (h: Host) => [h, run];\n",
  'src/ui/Panel.ts': "import * as React from 'react';\nimport { job } from '../jobs';\nexport const Panel = () => [React, job];\n",
  'src/browser/png.ts': "import type { Host } from '../contracts/host';\nimport type { Raster } from '../core/types';\nexport const png = (h: Host, r: Raster) => [h, r];\n",
  'src/hosts/cli/main.ts':
    "import { promises as fs } from 'fs';\nimport { load } from '../../inference/node';\nimport { job } from '../../jobs';\nimport { Panel } from '../../ui/Panel';\nimport { png } from '../../browser/png';\n" +
    'export const main = () => [fs, load, job, Panel, png];\n',
  // UXP provides `uxp` and `photoshop` at run time (nothing in node_modules): allowed in this host only.
  'src/hosts/photoshop/index.ts': "const uxp = require('uxp');\nconst ps = require('photoshop');\nexport const panel = [uxp, ps];\n",
  'src/web/plugin.ts': "import { main } from '../hosts/cli/main';\nimport { panel } from '../hosts/photoshop';\nexport const page = [main, panel];\n",
};

describe('dependency-cruiser layer rules (.dependency-cruiser.cjs)', () => {
  test('a tree that follows the layering passes', async () => {
    const { code, violations } = await cruise(tree(CLEAN));
    expect(violations).toEqual([]);
    expect(code).toBe(0);
  });

  test('each planted violation is reported under its rule, and nothing else is', async () => {
    const dirty: Files = {
      ...CLEAN,
      // core -> a host; core -> a Node builtin; core -> an npm package
      'src/core/a.ts': "import { b } from '../hosts/cli/b';\nexport const a = b;\n",
      'src/core/n.ts': "import { readFileSync } from 'fs';\nexport const n = readFileSync;\n",
      'src/core/r.ts': "import * as React from 'react';\nexport const r = React;\n",
      // host -> another host
      'src/hosts/cli/b.ts': "import { c } from '../photoshop/c';\nexport const b = c;\n",
      'src/hosts/photoshop/c.ts': 'export const c = 1;\n',
      // host -> web
      'src/hosts/cli/w.ts': "import { page } from '../../web/plugin';\nexport const w = page;\n",
      // a file directly in src/hosts/ is a host of its own; type-only imports count
      'src/hosts/host.ts': 'export interface OldHost { name: string }\n',
      'src/ui/old.ts': "import type { OldHost } from '../hosts/host';\nexport type T = OldHost;\n",
      'src/hosts/cli/old.ts': "import type { OldHost } from '../host';\nexport type U = OldHost;\n",
      // onnxruntime outside src/inference (the pipeline may not import npm packages at all, either)
      'src/pipeline/x.ts': "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n",
      'src/ui/ort.ts': "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n",
      // layers reaching up: inference -> pipeline, pipeline -> contracts, contracts -> jobs, jobs -> ui,
      // ui -> hosts, browser -> jobs, browser -> Node builtin, ui -> Node builtin
      'src/inference/up.ts': "import { run } from '../pipeline';\nexport const up = run;\n",
      'src/pipeline/up.ts': "import type { Host } from '../contracts/host';\nexport type P = Host;\n",
      'src/contracts/up.ts': "import { job } from '../jobs';\nexport const cu = job;\n",
      'src/jobs/up.ts': "import { Panel } from '../ui/Panel';\nexport const ju = Panel;\n",
      'src/browser/up.ts': "import { job } from '../jobs';\nimport * as path from 'path';\nexport const bu = [job, path];\n",
      'src/ui/fs.ts': "import * as fs from 'fs';\nexport const uf = fs;\n",
      // a cycle
      'src/jobs/p.ts': "import { q } from './q';\nexport const p = () => q;\n",
      'src/jobs/q.ts': "import { p } from './p';\nexport const q = () => p;\n",
      // an import that resolves to nothing; UXP's modules outside the Photoshop host
      'src/ui/u.ts': "import { missing } from './missing';\nexport const u = missing;\n",
      'src/ui/uxp.ts': "const uxp = require('uxp');\nexport const ux = uxp;\n",
    };
    const { code, violations, output } = await cruise(tree(dirty));
    expect(code).toBe(violations.length);
    expect(output).toContain(`x ${violations.length} dependency violations (${violations.length} errors, 0 warnings)`);
    expect(violations).toEqual(
      [
        'layer-core: src/core/a.ts -> src/hosts/cli/b.ts',
        'layer-core: src/core/n.ts -> fs',
        'layer-core: src/core/r.ts -> node_modules/react/index.js',
        'host-to-other-host: src/hosts/cli/b.ts -> src/hosts/photoshop/c.ts',
        'host-to-web: src/hosts/cli/w.ts -> src/web/plugin.ts',
        'layer-ui: src/ui/old.ts -> src/hosts/host.ts',
        'host-to-other-host: src/hosts/cli/old.ts -> src/hosts/host.ts',
        'onnxruntime-outside-inference: src/pipeline/x.ts -> node_modules/onnxruntime-node/index.js',
        'layer-pipeline: src/pipeline/x.ts -> node_modules/onnxruntime-node/index.js',
        'onnxruntime-outside-inference: src/ui/ort.ts -> node_modules/onnxruntime-node/index.js',
        'layer-inference: src/inference/up.ts -> src/pipeline/index.ts',
        'layer-pipeline: src/pipeline/up.ts -> src/contracts/host.ts',
        'layer-contracts: src/contracts/up.ts -> src/jobs/index.ts',
        'layer-jobs: src/jobs/up.ts -> src/ui/Panel.ts',
        'layer-browser: src/browser/up.ts -> src/jobs/index.ts',
        'layer-browser-external: src/browser/up.ts -> path',
        'layer-ui-external: src/ui/fs.ts -> fs',
        // a cycle is reported once, as its first edge (the err reporter lists the rest below it)
        'no-circular: src/jobs/p.ts -> src/jobs/q.ts',
        'not-to-unresolvable: src/ui/u.ts -> ./missing',
        'layer-ui-external: src/ui/u.ts -> ./missing',
        'uxp-runtime-outside-photoshop-host: src/ui/uxp.ts -> uxp',
        'layer-ui-external: src/ui/uxp.ts -> uxp',
      ].sort(),
    );
  });
});

describe('tsconfig.core.json: src/core compiles without DOM or Node types', () => {
  test('document, console, setTimeout and process are errors; plain ES2022 is not', async () => {
    const dir = tree({
      // Same compiler options as the project's core check, over the temp tree's core.
      'tsconfig.core.json': JSON.stringify({ extends: path.join(ROOT, 'tsconfig.core.json'), include: ['src/core/**/*.ts'] }),
      'src/core/ok.ts':
        'export const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);\n' +
        'export const m = new Map<string, bigint>([["x", 1n]]);\nexport const r = Math.hypot(3, 4) + Number.EPSILON;\n',
      'src/core/dom.ts': 'export const t = document.title;\n',
      'src/core/node.ts': 'console.log("x");\nsetTimeout(() => 0, 1);\nexport const e = process.env;\n',
    });
    const r = await run([TSC, '-p', 'tsconfig.core.json', '--pretty', 'false'], dir);
    const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(r.code).not.toBe(0);
    expect(errors.filter((l) => l.startsWith('src/core/ok.ts'))).toEqual([]);
    for (const name of ['document', 'console', 'setTimeout', 'process']) {
      expect(errors.some((l) => l.includes(`Cannot find name '${name}'`))).toBe(true);
    }
    expect(errors.every((l) => /^src\/core\/(dom|node)\.ts/.test(l))).toBe(true);
  });
});
