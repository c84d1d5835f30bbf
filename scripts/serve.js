#!/usr/bin/env node
/**
 * Serves dist/ on http://127.0.0.1:$PORT (default 8080) for the Photopea plugin and the standalone page:
 *   http://127.0.0.1:8080/photopea/index.html   (standalone page; Photopea loads the same URL as a plugin)
 *   http://127.0.0.1:8080/photopea/plugin.json  (the plugin file for Window -> Plugins -> Add Plugin)
 * Correct MIME types (.wasm application/wasm, .mjs, .onnx), ETag/Last-Modified with revalidation
 * (no-cache) so a rebuild is picked up, and no network use. Tests reuse createStaticServer() with extra mounts.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * mounts: [[urlPrefix, directory], ...], longest prefix first wins. Returns an http.Server (not listening).
 */
function createStaticServer(mounts) {
  const sorted = [...mounts].sort((a, b) => b[0].length - a[0].length);
  return http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'Bad request\n');
    }
    if (pathname === '/') return send(302, 'Found\n', { Location: '/photopea/index.html' });
    const mount = sorted.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return send(404, 'Not found\n');
    const [prefix, dir] = mount;
    const rel = pathname.slice(prefix.length);
    const file = path.resolve(dir, '.' + path.posix.normalize('/' + rel));
    if (file !== path.resolve(dir) && !file.startsWith(path.resolve(dir) + path.sep)) return send(403, 'Forbidden\n');
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, 'Moved\n', { Location: pathname + '/' });
        return fs.stat(path.join(file, 'index.html'), (e2, st2) => (e2 ? send(404, 'Not found\n') : serve(path.join(file, 'index.html'), st2)));
      }
      if (err) return send(404, 'Not found\n');
      serve(file, st);
    });
    function serve(file, st) {
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const headers = {
        'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        ETag: etag,
        'Last-Modified': st.mtime.toUTCString(),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
        return res.end();
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    }
  });
}

module.exports = { createStaticServer, TYPES };

if (require.main === module) {
  const root = path.resolve(__dirname, '..', 'dist');
  if (!fs.existsSync(path.join(root, 'photopea', 'index.html'))) {
    console.error('dist/photopea/index.html is missing: run `npm run build` first.');
    process.exit(1);
  }
  const port = Number(process.env.PORT || 8080);
  const server = createStaticServer([['/', root]]);
  server.on('error', (e) => {
    console.error(`Cannot listen on 127.0.0.1:${port}: ${e.message}. Set another port with PORT=8090 npm start.`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`Serving ${root} on http://127.0.0.1:${port}/`);
    console.log(`  standalone page: http://127.0.0.1:${port}/photopea/index.html`);
    console.log(`  Photopea plugin: http://127.0.0.1:${port}/photopea/plugin.json (Window > Plugins > Add Plugin)`);
    try {
      const url = JSON.parse(fs.readFileSync(path.join(root, 'photopea', 'plugin.json'), 'utf8')).url;
      if (!String(url).startsWith(`http://127.0.0.1:${port}/`) && !String(url).startsWith(`http://localhost:${port}/`)) {
        console.log(`  note: plugin.json points at ${url}; for this server rebuild with --env url=http://127.0.0.1:${port}/photopea/`);
      }
    } catch {
      /* no plugin.json: nothing to check */
    }
  });
}
