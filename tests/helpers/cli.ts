/** dist/cli.js for the CLI tests: `npm test` builds it first; a test run alone builds it when it is missing. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export function ensureCli(): void {
  if (fs.existsSync(CLI)) return;
  const r = spawnSync('npx', ['webpack', '--mode', 'production', '--env', 'target=cli'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI failed:\n${r.stdout}${r.stderr}`);
}
