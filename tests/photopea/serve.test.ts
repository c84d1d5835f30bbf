/** scripts/serve.js (npm start): MIME types, revalidation, path traversal, loopback only. */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createStaticServer } = require('../../scripts/serve.js');

function get(port: number, p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  let dir: string;
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-'));
    fs.mkdirSync(path.join(dir, 'photopea/ort'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'photopea/index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(dir, 'photopea/ort/x.wasm'), Buffer.from([0, 97, 115, 109]));
    fs.writeFileSync(path.join(dir, 'photopea/m.onnx'), 'onnx');
    fs.writeFileSync(path.join(dir, 'photopea/g.mjs'), 'export {}');
    fs.writeFileSync(path.join(os.tmpdir(), 'serve-secret.txt'), 'secret');
    server = createStaticServer([['/', dir]]);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('MIME types for wasm, onnx, mjs and html', async () => {
    expect((await get(port, '/photopea/ort/x.wasm')).headers['content-type']).toBe('application/wasm');
    expect((await get(port, '/photopea/m.onnx')).headers['content-type']).toBe('application/octet-stream');
    expect((await get(port, '/photopea/g.mjs')).headers['content-type']).toMatch(/^text\/javascript/);
    const html = await get(port, '/photopea/');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
  });

  test('revalidation: ETag + no-cache, 304 when unchanged; HEAD has no body', async () => {
    const a = await get(port, '/photopea/ort/x.wasm');
    expect(a.headers['cache-control']).toBe('no-cache');
    expect((await get(port, '/photopea/ort/x.wasm', { 'If-None-Match': String(a.headers.etag) })).status).toBe(304);
    const h = await get(port, '/photopea/ort/x.wasm', {}, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.body.length).toBe(0);
  });

  test('no path traversal; unknown paths 404; / redirects to the page; other methods refused', async () => {
    expect((await get(port, '/../serve-secret.txt')).status).toBe(404);
    expect((await get(port, '/photopea/%2e%2e/%2e%2e/serve-secret.txt')).status).toBe(404);
    expect((await get(port, '/photopea/..%2f..%2fserve-secret.txt')).status).toBe(404);
    expect((await get(port, '/nope.js')).status).toBe(404);
    const r = await get(port, '/');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/photopea/index.html');
    expect((await get(port, '/photopea/index.html', {}, 'POST')).status).toBe(405);
  });
});
