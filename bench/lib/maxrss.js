'use strict';
/**
 * @file Preloaded with `node -r` into a measured child: on exit, writes the process's peak
 * resident set size (getrusage ru_maxrss, the number `/usr/bin/time -v` prints as
 * "Maximum resident set size") to $BENCH_RSS_FILE.
 */
const fs = require('fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  delete process.env.BENCH_RSS_FILE; // not inherited by grandchildren
  process.on('exit', () => {
    try {
      fs.writeFileSync(file, JSON.stringify({ maxRssKB: process.resourceUsage().maxRSS }));
    } catch {
      /* nothing to report to */
    }
  });
}
