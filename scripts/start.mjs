// `npm start`: builds, starts the collector on its embedded SQLite file with a demo site, serves the
// examples (the blog, and the author's course site on a second origin) with their script tags pointed at
// it, and prints where to look.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { build, root } from './lib/setup.mjs';
import { serveExamples } from './lib/examples.mjs';

export const DEMO_SITE = 'demo';

build();
const { startCollector } = await import('@chorus/collector');

const examplesPort = Number(process.env.PORT ?? 8000);
const coursePort = Number(process.env.COURSE_PORT ?? examplesPort + 1);
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
  // The blog and the course site send for the same site: a purchase on the course is the blog's conversion.
  sites: { [DEMO_SITE]: [examplesPort, coursePort].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) },
});
// The pages name the default ports; on others, they are rewritten to name these servers.
const examples = await serveExamples({
  collector: collector.url,
  blogPort: examplesPort,
  coursePort,
  blogHost: 'localhost',
  courseHost: 'localhost',
});

console.log(`
Chorus is running.
  Blog example:  ${examples.blog}/examples/blog/
  Course site:   ${examples.course}/examples/course/   (another origin: the course box's link goes there)
  Gallery:       ${examples.blog}/examples/gallery/   (every element, light and dark, right to left, three themes)
  Dashboard:     ${collector.url}/   (admin token: ${collector.token})
  Collector:     ${collector.url}/collect, site "${DEMO_SITE}", events in .chorus/chorus.db
  WordPress:     upload packages/wordpress/dist/chorus.zip (Plugins → Add New → Upload Plugin); for its events, run
                 npx chorus-collector --site blog=<your WordPress's origin> and give Settings → Chorus its /collect URL
                 (or npm run wordpress: a throwaway WordPress here with the plugin active, a collector and a sample post)
Read the post, share a quote, open the shared link in a private window (that is an arrival), click the course
box there and buy on the course site; the dashboard shows it within seconds. Ctrl+C stops everything.`);

const stop = async () => {
  await Promise.allSettled([examples.close(), collector.close()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
