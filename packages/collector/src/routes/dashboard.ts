// The dashboard: one page and its script, built into dist/dashboard. The page holds no data; the
// script signs in with the token and reads the report API.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { refuse } from './collect.js';

const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

// Nothing but our own script runs, and the page cannot be framed (the token is typed into it).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Chorus</title>
<link rel="icon" href="data:,">
<style>
  html { font: 16px/1.5 system-ui, sans-serif; -webkit-text-size-adjust: 100%; }
  body { margin: 0; background: Canvas; color: CanvasText; }
</style>
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<chorus-dashboard><noscript>The Chorus dashboard needs JavaScript.</noscript></chorus-dashboard>
</body>
</html>
`;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Chorus</title>
<p>The dashboard is not built: run <code>npm run build</code> at the repository root. The collector and its API work without it.</p>
`;

export function dashboardRoutes(app: FastifyInstance, dir = DASHBOARD_DIR) {
  const security = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

  app.get('/', async (_request, reply) => {
    const built = existsSync(`${dir}app.js`);
    return reply.headers(security).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(built ? PAGE : NOT_BUILT);
  });

  app.get<{ Params: { file: string } }>('/dashboard/:file', async (request, reply) => {
    const { file } = request.params;
    // Only the flat list of scripts the build writes: no paths, so nothing outside the folder.
    if (!/^[\w-]+(\.[\w-]+)*\.js$/.test(file)) return refuse(reply, 404, 'not_found', `no dashboard file ${file}`);
    let code;
    try {
      code = await readFile(`${dir}${file}`);
    } catch {
      return refuse(reply, 404, 'not_found', `no dashboard file ${file}`);
    }
    return reply.headers(security).type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(code);
  });
}
