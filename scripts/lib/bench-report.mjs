// The report's speed as events pile up: one site's events over 90 days, written through the store's
// own insert (so the rollups are built by the code that builds them in production), then the report
// API over HTTP for the last 1, 30 and 90 days, at each size. Part of `npm run bench-collector`.
//
// The site: 100 posts (a few popular, a long tail), 3 quotes and a course box at the top and the
// bottom (two variants) on each, 15 sources, 6 networks. Per page view, on average: 1 pageview, 0.4
// read, 1.5 quote impressions, 1.2 course-box impressions, 0.5 comment-prompt impression, and rarer
// shares, clicks, arrivals, comments and purchases: about 5 events.
import { randomBytes } from 'node:crypto';

const DAY = 24 * 3600 * 1000;
const POSTS = 100;
const SOURCES = ['', 't.co', 'bsky.app', 'google.com', 'news.ycombinator.com', 'reddit.com', 'mastodon.social', 'duckduckgo.com', 'bing.com', 'linkedin.com', 'facebook.com', 'threads.net', 'newsletter', 'feedly.com', 'lobste.rs'];
const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'copy'];

/** A deterministic PRNG (mulberry32), so every run writes the same events. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Page views' events, `count` of them, spread over the 90 days before `now`. */
function* pageViews(count, now, next) {
  const zipf = (n) => Math.min(n - 1, Math.floor(n ** next() - 1)); // few popular, a long tail
  let made = 0;
  while (made < count) {
    const at = now - Math.floor(next() * 90 * DAY);
    const post = zipf(POSTS);
    const path = `/posts/post-${post}`;
    const url = `https://bench.example${path}`;
    const source = SOURCES[zipf(SOURCES.length)];
    const base = { at, url, title: `Post ${post}`, referrer: source ? `https://${source}/` : '', path };
    const events = [{ ...base, type: 'pageview', widget: 'page', instance: 'page' }];
    if (next() < 0.4) events.push({ ...base, type: 'read', widget: 'page', instance: 'page' });
    for (let q = 0; q < 3; q++) {
      const instance = `p${post}-q${q}`;
      if (next() < 0.5) events.push({ ...base, type: 'impression', widget: 'quote-to-tweet', instance, props: { text: `Quote ${q} of post ${post}` } });
      if (next() < 0.02) events.push({ ...base, type: 'share', widget: 'quote-to-tweet', instance, network: NETWORKS[zipf(NETWORKS.length)], props: { text: `Quote ${q} of post ${post}` } });
    }
    const variant = next() < 0.5 ? 'A' : 'B';
    for (const instance of ['course-top', 'course-bottom']) {
      if (next() < 0.6) events.push({ ...base, type: 'impression', widget: 'course-cta', instance, campaign: 'course', variant });
      if (next() < 0.02) events.push({ ...base, type: 'click', widget: 'course-cta', instance, campaign: 'course', variant });
    }
    if (next() < 0.5) events.push({ ...base, type: 'impression', widget: 'comment-prompt', instance: 'ask' });
    if (next() < 0.002) events.push({ ...base, type: 'purchase', widget: 'course-cta', instance: 'course-bottom', campaign: 'course', variant, props: { value: 49, currency: 'EUR', post: path } });
    for (const event of events) {
      if (made++ >= count) return;
      yield event;
    }
  }
}

const stored = (event) => ({
  id: randomBytes(12).toString('base64url'),
  network: null,
  campaign: null,
  variant: null,
  props: null,
  ...event,
  day: new Date(event.at).toISOString().slice(0, 10),
  ts: event.at,
  sent: event.at,
  received: event.at,
  text: typeof event.props?.text === 'string' ? event.props.text : null,
});

/**
 * Grows one site to each size in `sizes` (events) through `storage.insert`, and after each times
 * `GET /api/sites/bench/report` for the last 1, 30 and 90 days on a collector over the same store.
 */
export async function benchReport({ label, storage, startCollector, storeOptions, sizes, site = 'bench', token, runs = 5, log = console.log }) {
  const now = Date.now();
  const next = random(42);
  const events = pageViews(Math.max(...sizes), now, next);
  const results = [];
  let written = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const started = performance.now();
    while (written < size) {
      const batch = [];
      // next() rather than for…of, which would close the generator at the first break.
      for (let item = events.next(); !item.done; item = events.next()) {
        batch.push(stored(item.value));
        if (batch.length === 2000 || written + batch.length >= size) break;
      }
      if (!batch.length) break;
      await storage.insert(site, batch, randomBytes(8).toString('base64url'));
      written += batch.length;
    }
    log(`  ${label}: ${written.toLocaleString('en')} events stored (${((performance.now() - started) / 1000).toFixed(0)} s for this step)`);
    const collector = await startCollector({ port: 0, host: '127.0.0.1', sites: { [site]: ['https://bench.example'] }, token, rateLimit: false, ...storeOptions });
    try {
      for (const days of [1, 30, 90]) {
        const from = new Date(now - (days - 1) * DAY).toISOString().slice(0, 10);
        const times = [];
        let body;
        for (let run = 0; run < runs + 1; run++) {
          const start = performance.now();
          const response = await fetch(`${collector.url}/api/sites/${site}/report?from=${from}`, { headers: { authorization: `Bearer ${token}` } });
          body = await response.text();
          if (!response.ok) throw new Error(`the report answered ${response.status}: ${body.slice(0, 200)}`);
          if (run > 0) times.push(performance.now() - start); // the first run warms the caches
        }
        times.sort((a, b) => a - b);
        const report = JSON.parse(body);
        results.push({ label, events: written, days, median: times[Math.floor(times.length / 2)], worst: times.at(-1), bytes: body.length, pageviews: report.totals.pageview ?? 0 });
      }
    } finally {
      await collector.close();
    }
  }
  return results;
}

export function printReportTable(results) {
  console.log('\n| store | events stored | range | report median ms | worst ms | report KB | page views in range |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(`| ${r.label} | ${r.events.toLocaleString('en')} | ${r.days} d | ${r.median.toFixed(1)} | ${r.worst.toFixed(1)} | ${(r.bytes / 1000).toFixed(1)} | ${r.pageviews.toLocaleString('en')} |`);
  }
}
