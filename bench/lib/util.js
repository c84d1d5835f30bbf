'use strict';
/**
 * @file Small helpers shared by the bench sections: statistics, Markdown tables, child
 * processes with peak-RSS capture, machine and version facts. Plain Node, no dependencies.
 */
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const OUT = path.join(ROOT, 'bench', 'out');

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Formats a number with a sensible number of digits for a table cell. */
function fmt(x, digits) {
  if (x === undefined || x === null || Number.isNaN(x)) return 'n/a';
  if (typeof x === 'string') return x;
  if (digits !== undefined) return x.toFixed(digits);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** Markdown table from a header row and data rows (cells are strings or numbers). */
function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => (typeof c === 'number' ? fmt(c) : String(c))).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function mb(bytes) {
  return bytes / (1024 * 1024);
}

/**
 * Runs `node [nodeArgs] script args` with a preload that writes the child's peak RSS
 * (getrusage ru_maxrss via process.resourceUsage) to a file when it exits.
 * Resolves { code, wallMs, maxRssMB, stdout, stderr }.
 */
function runNode(script, args, { cwd = ROOT, env = {}, nodeArgs = [], timeoutMs = 10 * 60 * 1000 } = {}) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = cp.spawn(process.execPath, ['-r', path.join(__dirname, 'maxrss.js'), ...nodeArgs, script, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let maxRssMB = NaN;
      try {
        maxRssMB = JSON.parse(fs.readFileSync(rssFile, 'utf8')).maxRssKB / 1024;
        fs.unlinkSync(rssFile);
      } catch {
        /* child died before writing it */
      }
      resolve({ code: code ?? (signal ? 128 : 1), signal, wallMs, maxRssMB, stdout, stderr });
    });
  });
}

function sh(cmd, opts = {}) {
  try {
    return cp.execSync(cmd, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', ...opts }).trim();
  } catch {
    return '';
  }
}

function pkgVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function machine() {
  const cpus = os.cpus();
  let distro = '';
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    /* not Linux */
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGB: os.totalmem() / 2 ** 30,
    os: `${distro || os.type()} (kernel ${os.release()}, ${os.arch()})`,
    load: os.loadavg(),
  };
}

function versions() {
  const chromium = fs.existsSync('/usr/bin/chromium') ? sh('/usr/bin/chromium --version') : 'not installed';
  const cv2 = sh(`/usr/bin/python3 -c "import cv2; print(cv2.__version__)"`) || 'not installed';
  const commit = sh('git rev-parse --short HEAD') || 'unknown';
  const dirty = sh('git status --porcelain --untracked-files=no') ? ' (working tree has uncommitted changes)' : '';
  return {
    node: process.version,
    'onnxruntime-node': pkgVersion('onnxruntime-node'),
    'onnxruntime-web': pkgVersion('onnxruntime-web'),
    sharp: pkgVersion('sharp'),
    '@techstark/opencv-js': pkgVersion('@techstark/opencv-js'),
    'playwright-core': pkgVersion('playwright-core'),
    chromium,
    'python3-opencv': cv2,
    commit: commit + dirty,
  };
}

/** Reads a model manifest; returns [{ info, file, manifest }] or throws with a reason. */
function readManifest(manifestPath) {
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  return m.models.map((info) => ({ info, file: path.resolve(path.dirname(manifestPath), info.file), manifest: manifestPath }));
}

function ensureDir(d) {
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function log(...a) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
}

module.exports = { ROOT, SHARED, OUT, median, fmt, table, mb, runNode, sh, pkgVersion, machine, versions, readManifest, ensureDir, log };
