/**
 * Type-level proof: the adapter's narrow API (src/hosts/photoshop/api.ts) is satisfied by the real
 * `photoshop` module as typed by @types/photoshop, and the double implements the same API.
 * ts-jest only transpiles, so this runs tsc on tests/photoshop/tsconfig.json.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('tsc: adapter, double and @types/photoshop agree', () => {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  let out = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    out = String((e as { stdout?: Buffer }).stdout ?? e);
  }
  expect(out).toBe('');
});
