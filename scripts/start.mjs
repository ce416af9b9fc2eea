// `npm start`: builds, starts the collector on its embedded SQLite file with a demo site, serves the
// examples with their script tags pointed at it, and prints where to look.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { build, root } from './lib/setup.mjs';
import { serveStatic } from './lib/serve.mjs';

export const DEMO_SITE = 'demo';
export const DEMO_COLLECTOR = 'http://127.0.0.1:8787'; // what examples/blog's script tag names

build();
const { startCollector } = await import('@chorus/collector');

const examplesPort = Number(process.env.PORT ?? 8000);
const collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787);

// The admin token survives restarts, so a dashboard tab left open keeps working.
const tokenFile = join(root, '.chorus', 'admin-token');
mkdirSync(join(root, '.chorus'), { recursive: true });
if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
const token = process.env.CHORUS_TOKEN ?? readFileSync(tokenFile, 'utf8').trim();

const collector = await startCollector({
  port: collectorPort,
  db: join(root, '.chorus', 'chorus.db'),
  token,
  sites: { [DEMO_SITE]: [`http://localhost:${examplesPort}`, `http://127.0.0.1:${examplesPort}`] },
});
// Pages name the default collector; on another port, point them at this one.
const rewrite = collectorPort === 8787 ? undefined : (html) => html.replaceAll(DEMO_COLLECTOR, collector.url);
const examples = await serveStatic(root, { port: examplesPort, host: '127.0.0.1', rewrite });

console.log(`
Chorus is running.
  Blog example:  http://localhost:${examplesPort}/examples/blog/
  Dashboard:     ${collector.url}/   (admin token: ${collector.token})
  Collector:     ${collector.url}/collect, site "${DEMO_SITE}", events in .chorus/chorus.db
Share a quote in the blog, then open the dashboard. Ctrl+C stops both.`);

const stop = async () => {
  await Promise.allSettled([examples.close(), collector.close()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
