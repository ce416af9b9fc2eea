// A small static file server for the examples and the end-to-end tests: the repository root over
// HTTP, so pages load the built bundle by relative path exactly as any static host would serve it.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// The file for a URL path, or a redirect for a folder asked for without its slash (so that relative
// links in its index.html resolve inside it).
function lookup(dir, pathname) {
  const path = normalize(join(dir, decodeURIComponent(pathname)));
  if (path !== dir && !path.startsWith(dir + sep)) return {};
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return pathname.endsWith('/') ? lookup(dir, pathname + 'index.html') : { redirect: pathname + '/' };
    return stat.isFile() ? { file: path } : {};
  } catch {
    return {};
  }
}

/**
 * Serves `dir` on `host:port` (0 = any free port); resolves to `{ url, close }`. `rewrite(html)`, when
 * given, changes every HTML page on its way out.
 */
export function serveStatic(dir, { port = 0, host = '127.0.0.1', rewrite } = {}) {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const { file, redirect } = lookup(dir, pathname);
    if (redirect) {
      response.writeHead(301, { location: redirect }).end();
      return;
    }
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'content-type': 'text/plain' }).end(file ? 'Method not allowed' : 'Not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    if (request.method === 'HEAD') response.end();
    else if (rewrite && extname(file) === '.html') response.end(rewrite(readFileSync(file, 'utf8')));
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
