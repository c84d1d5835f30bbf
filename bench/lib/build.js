'use strict';
/**
 * @file Builds what the bench needs when it is missing or older than the sources:
 * dist/cli.js (`npm run build:cli`), the bench bundles (build/webpack.bench.js) and the
 * browser page (`webpack --env target=photopea`). Build time is not part of any measurement.
 */
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, log } = require('./util');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const stale = (out, srcDirs) => !fs.existsSync(out) || fs.statSync(out).mtimeMs < Math.max(...srcDirs.map((d) => newest(path.join(ROOT, d))));

const done = new Map();

/** Returns null when `out` is there and fresh (building it if needed), else the reason it is not. */
function ensure(name, out, srcDirs, cmd) {
  if (done.has(name)) return done.get(name);
  let why = null;
  if (stale(path.join(ROOT, out), srcDirs)) {
    log(`building ${name}: ${cmd}`);
    try {
      cp.execSync(cmd, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60 * 1000 });
    } catch (e) {
      why = `build failed (${cmd}): ${String(e.stderr || e.message).trim().split('\n').slice(-3).join(' ').slice(0, 300)}`;
    }
    if (!why && !fs.existsSync(path.join(ROOT, out))) why = `${cmd} did not produce ${out}`;
  }
  done.set(name, why);
  return why;
}

module.exports = {
  cli: () => (fs.existsSync(path.join(ROOT, 'build', 'webpack.cli.js')) ? ensure('cli', 'dist/cli.js', ['src'], 'npm run build:cli') : 'build/webpack.cli.js does not exist yet'),
  bench: () => ensure('bench bundles', 'dist/bench/pipeline-node.js', ['src', 'bench/src', 'bench/browser', 'tests/helpers'], 'npx webpack --config build/webpack.bench.js'),
};
/** The standalone/Photopea page built into dist/bench/photopea (not the web engineer's dist/photopea). */
module.exports.page = () =>
  fs.existsSync(path.join(ROOT, 'build', 'webpack.photopea.js'))
    ? ensure('browser page', 'dist/bench/photopea/bundle.js', ['src'], 'npx webpack --mode production --env target=photopea --env out=dist/bench/photopea')
    : 'build/webpack.photopea.js does not exist yet';
