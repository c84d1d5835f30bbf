/**
 * @file The model manifest (models/models.json): parsing, validation, choice, sha256 check.
 * Pure: works in Node, browsers and UXP (hashing with @noble/hashes).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { InpaintError } from '../core/types';
import type { ModelInfo, ModelKind, ModelManifest, ModelWant, MosaicInput } from './types';

const KINDS: readonly ModelKind[] = ['bar', 'mosaic', 'colorize'];
const MOSAIC_INPUTS: readonly MosaicInput[] = ['raw', 'block-prior'];

function fail(where: string, what: string): never {
  throw new InpaintError('model', `model manifest ${where}: ${what}`);
}

function posInt(v: unknown, where: string, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(where, `"${field}" must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, where: string, field: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(where, `"${field}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function parseModel(m: unknown, where: string): ModelInfo {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(where, 'each model must be an object');
  const o = m as Record<string, unknown>;
  const name = str(o.name, where, 'name');
  const w = `${where} (${name})`;
  const file = str(o.file, w, 'file');
  if (file.includes('..') || file.startsWith('/') || file.includes('\\')) fail(w, `"file" must be a plain path inside the manifest's folder, got "${file}"`);
  const kind = o.kind as ModelKind;
  if (!KINDS.includes(kind)) fail(w, `"kind" must be one of ${KINDS.join(', ')}, got ${JSON.stringify(o.kind)}`);
  const sha = str(o.sha256, w, 'sha256').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha)) fail(w, `"sha256" must be 64 hex digits, got "${sha}"`);
  const licence = str(o.licence, w, 'licence');
  const inp = o.input as Record<string, unknown> | undefined;
  if (typeof inp !== 'object' || inp === null) fail(w, '"input" must be an object');
  if (inp.layout !== 'NCHW') fail(w, `"input.layout" must be "NCHW", got ${JSON.stringify(inp.layout)}`);
  if (inp.channels !== 3) fail(w, `"input.channels" must be 3, got ${JSON.stringify(inp.channels)}`);
  const range = inp.range;
  if (!Array.isArray(range) || range.length !== 2 || range[0] !== 0 || range[1] !== 1) {
    fail(w, `"input.range" must be [0, 1], got ${JSON.stringify(range)}`);
  }
  const size = posInt(inp.size, w, 'input.size');
  const maxSide = posInt(inp.maxSide, w, 'input.maxSide');
  const multiple = posInt(inp.multiple, w, 'input.multiple');
  if (maxSide < size) fail(w, `"input.maxSide" (${maxSide}) must be >= "input.size" (${size})`);
  if (size % multiple !== 0 || maxSide % multiple !== 0) fail(w, `"input.size" and "input.maxSide" must be multiples of "input.multiple" (${multiple})`);
  const mosaic = inp.mosaic as MosaicInput | undefined;
  if (mosaic !== undefined) {
    if (!MOSAIC_INPUTS.includes(mosaic)) fail(w, `"input.mosaic" must be one of ${MOSAIC_INPUTS.join(', ')}, got ${JSON.stringify(inp.mosaic)}`);
    if (mosaic !== 'raw' && kind !== 'mosaic') fail(w, `"input.mosaic" is "${mosaic}" but the model is a "${kind}" model (only mosaic models take a mosaic)`);
  }
  const guides = inp.guides as 'known-pixels' | undefined;
  if (guides !== undefined) {
    if (guides !== 'known-pixels') fail(w, `"input.guides" must be "known-pixels", got ${JSON.stringify(inp.guides)}`);
    if (kind !== 'bar') fail(w, `"input.guides" is given but the model is a "${kind}" model (only bar models take guide strokes)`);
  }
  const prior = inp.prior as 'classical' | undefined;
  if (prior !== undefined) {
    if (prior !== 'classical') fail(w, `"input.prior" must be "classical", got ${JSON.stringify(inp.prior)}`);
    if (kind !== 'bar') fail(w, `"input.prior" is given but the model is a "${kind}" model (only bar models correct the classical fill)`);
  }
  const info: ModelInfo = {
    name,
    file,
    kind,
    input: { layout: 'NCHW', channels: 3, range: [0, 1], size, maxSide, multiple, ...(mosaic !== undefined ? { mosaic } : {}), ...(guides ? { guides } : {}), ...(prior ? { prior } : {}) },
    sha256: sha,
    licence,
    ...(typeof o.training === 'string' ? { training: o.training } : {}),
    ...(typeof o.params === 'number' ? { params: o.params } : {}),
  };
  return info;
}

/** Parses and validates a manifest (JSON text or parsed value). `source` names it in errors. */
export function parseManifest(json: string | unknown, source = 'models.json'): ModelManifest {
  let v: unknown = json;
  if (typeof json === 'string') {
    try {
      v = JSON.parse(json);
    } catch (e) {
      fail(source, `is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof v !== 'object' || v === null || !Array.isArray((v as { models?: unknown }).models)) {
    fail(source, 'must be an object with a "models" array');
  }
  const list = (v as { models: unknown[] }).models;
  if (list.length === 0) fail(source, 'lists no models');
  const models = list.map((m, i) => parseModel(m, `${source} models[${i}]`));
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) fail(source, `model name "${m.name}" appears twice`);
    names.add(m.name);
  }
  return { models };
}

/**
 * Picks a model: by name, or by file (a manifest entry whose "file" has the same base name),
 * optionally of the given kind; with no name, the first model of that kind (with no kind either,
 * the first fill model: colorize models are only taken when asked for) that matches `want`: with
 * `want.guides` the first trained with guides (input.guides), else the first trained without;
 * when none matches, the first of the kind. A name always wins over `want`.
 */
export function chooseModel(manifest: ModelManifest, nameOrFile?: string, kind?: ModelKind, want: ModelWant = {}): ModelInfo {
  const ok = (m: ModelInfo) => !kind || m.kind === kind;
  const list = manifest.models;
  const names = list.map((m) => `${m.name} (${m.kind}, ${m.file})`).join('; ');
  if (!nameOrFile) {
    const of = list.filter((x) => (kind ? x.kind === kind : x.kind !== 'colorize'));
    const m = of.find((x) => !!x.input.guides === !!want.guides) ?? of[0];
    if (!m) throw new InpaintError('model', `no "${kind}" model in the manifest; it has: ${names}`);
    return m;
  }
  const base = nameOrFile.split(/[\\/]/).pop()!;
  const hits = list.filter((m) => m.name === nameOrFile || m.file === nameOrFile || m.file.split('/').pop() === base);
  if (hits.length === 0) throw new InpaintError('model', `no model "${nameOrFile}" in the manifest; it has: ${names}`);
  const m = hits.find(ok);
  if (!m) throw new InpaintError('model', `model "${nameOrFile}" is not a "${kind}" model; the manifest has: ${names}`);
  return m;
}

/** Lower-case hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/**
 * Throws InpaintError('model') naming the file, the expected and the actual hash when they differ.
 * `hash` defaults to the portable pure-JS sha256; Node passes its native one (several times faster).
 */
export function verifySha256(bytes: Uint8Array, expected: string, file = 'model file', hash: (b: Uint8Array) => string = sha256Hex): void {
  const actual = hash(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new InpaintError(
      'model',
      `${file} is damaged or not the expected model: sha256 is ${actual}, expected ${expected.toLowerCase()}. Reinstall the model file.`,
    );
  }
}
