/**
 * @file Entry of dist/cli.js (webpack adds the #!/usr/bin/env node banner).
 */
import { main } from './main';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, home: __dirname }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`inpaint: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
