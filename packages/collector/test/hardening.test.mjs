// Issue 12: what one misbehaving client or a frozen store must not do to the collector. Each test
// reproduces the defect as it was seen: a client trickling its headers or body, SIGTERM while such a
// client holds a connection, a PostgreSQL stopped with SIGSTOP, a readiness check on a store that
// does not answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startCollector } from '@chorus/collector';
import { BROWSER, ORIGIN, TOKEN, batch, event, freshDatabase, post, startCli, tempDir, testDatabaseUrl } from './helpers.mjs';

/**
 * Opens a raw connection and writes `head` then one byte of `trickle` every `everyMs`; resolves with
 * how long the server took to end the connection (ms) and what it answered.
 */
function trickle(url, head, trickle, everyMs = 200, giveUpMs = 20_000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < trickle.length) socket.write(trickle[sent++]);
    }, everyMs);
    const done = (how) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ ms: Date.now() - started, answer, how });
    };
    const giveUp = setTimeout(() => done('still open'), giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => done('closed'));
    socket.on('error', () => {});
    socket.write(head);
  });
}

const collectHead = (length) =>
  `POST /collect HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nUser-Agent: ${BROWSER}\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`;

async function collector(t, options = {}) {
  const started = await startCollector({ port: 0, db: `${tempDir(t)}/c.db`, sites: { blog: [ORIGIN] }, token: TOKEN, rateLimit: false, ...options });
  t.after(() => started.close());
  return started;
}

test('a client that trickles its headers is cut off within the headers timeout', async (t) => {
  const { url } = await collector(t, { timeouts: { headers: 1000, request: 2000 } });
  // 'X-Slow: aaaa…' one byte every 200 ms: without a bound, it would keep the connection 20 s.
  const result = await trickle(url, 'POST /collect HTTP/1.1\r\nHost: x\r\n', `X-Slow: ${'a'.repeat(200)}`);
  assert.equal(result.how, 'closed', `the connection was still open after ${result.ms} ms`);
  assert.ok(result.ms < 6000, `cut after ${result.ms} ms, bound 1000 ms (checked every 500 ms)`);
  assert.match(result.answer, /^HTTP\/1\.1 408/);
});

test('a client that trickles its body is cut off within the request timeout, and the others are served meanwhile', async (t) => {
  const { url } = await collector(t, { timeouts: { headers: 1000, request: 2000 } });
  const body = JSON.stringify(batch([event()]));
  const slow = trickle(url, collectHead(body.length), body);
  const fast = await post(url, batch([event()]));
  assert.equal(fast.status, 200);
  const result = await slow;
  assert.equal(result.how, 'closed', `the connection was still open after ${result.ms} ms`);
  assert.ok(result.ms < 7000, `cut after ${result.ms} ms, bound 2000 ms`);
  assert.match(result.answer, /^HTTP\/1\.1 408/);
});

test('the default bounds are at most 30 s, and a bound above that is refused', async (t) => {
  const { config } = await collector(t);
  assert.deepEqual(config.timeouts, { headers: 10_000, request: 15_000, store: 5_000 });
  await assert.rejects(startCollector({ port: 0, db: ':memory:', timeouts: { request: 60_000 } }), /request timeout must be 100 to 30000 ms/);
});

test('SIGTERM with a slow client connected ends cleanly (exit 0) within its grace period', { timeout: 30_000 }, async (t) => {
  const cli = startCli(['--port', '0', '--db', `${tempDir(t)}/c.db`, '--site', `blog=${ORIGIN}`, '--token', TOKEN]);
  t.after(() => cli.child.kill('SIGKILL'));
  const url = await cli.ready;
  const body = JSON.stringify(batch([event()]));
  const slow = trickle(url, collectHead(body.length), body, 1000);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the slow request is in flight
  const signalled = Date.now();
  cli.child.kill('SIGTERM');
  const { code } = await cli.exited;
  const took = Date.now() - signalled;
  assert.equal(code, 0, `exit ${code}: ${JSON.stringify(cli.output())}`);
  assert.ok(took < 9000, `took ${took} ms (grace 5 s, then the process gives up at 10 s)`);
  assert.equal((await slow).how, 'closed');
});

test('a frozen PostgreSQL: /collect and /readyz answer 503 with Retry-After within the store timeout, and ingest recovers on its own', { timeout: 30_000 }, async (t) => {
  const database = await testDatabaseUrl();
  assert.ok(database.url, `PostgreSQL is needed: ${database.reason}`);
  const fresh = await freshDatabase(database.url);
  t.after(() => fresh.drop());
  const errors = [];
  const log = console.error;
  console.error = (...args) => errors.push(args.join(' '));
  t.after(() => (console.error = log));
  const started = await startCollector({ port: 0, databaseUrl: fresh.url, sites: { blog: [ORIGIN] }, token: TOKEN, rateLimit: false, timeouts: { store: 1000 } });
  t.after(() => started.close());
  const { url } = started;
  assert.equal((await post(url, batch([event()]))).status, 200);

  const { clusterProcesses } = await import('../../../scripts/lib/postgres.mjs');
  const processes = await clusterProcesses(fresh.url);
  const signal = (name) => processes.forEach((pid) => {
    try {
      process.kill(pid, name);
    } catch {
      // a backend that ended meanwhile
    }
  });
  signal('SIGSTOP');
  let thawed = false;
  const thaw = () => !thawed && (thawed = true, signal('SIGCONT'));
  // The cluster is shared with the other tests: thawed whatever happens here (a hang that times out included).
  const safety = setTimeout(thaw, 10_000);
  t.after(() => (clearTimeout(safety), thaw()));
  process.once('exit', thaw);

  const frozenAt = Date.now();
  const refused = await post(url, batch([event()]));
  const took = Date.now() - frozenAt;
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.json.error, 'storage_unavailable');
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.ok(took < 5000, `answered after ${took} ms (store timeout 1000 ms)`);
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal((await fetch(`${url}/healthz`)).status, 200, 'liveness does not depend on the store');
  assert.ok(errors.some((line) => /could not store a batch/.test(line)), `a log line says so: ${errors.join('\n')}`);

  thaw();
  let recovered;
  for (let i = 0; i < 20 && recovered?.status !== 200; i++) {
    recovered = await post(url, batch([event()]));
    if (recovered.status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(recovered.status, 200, 'ingest comes back once PostgreSQL does');
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
});

test('/readyz answers 200 when the store answers', async (t) => {
  const { url } = await collector(t);
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ok: true, store: 'sqlite' });
});

test('names every object has (constructor, __proto__) are refused with a reason, and could not corrupt a report anyway', async (t) => {
  const { url } = await collector(t);
  const answer = await post(url, batch([event({ type: 'constructor' }), event({ network: 'constructor', type: 'share' }), event(), JSON.parse('{"id":"proto-key-0001","type":"impression","widget":"quote-to-tweet","instance":"q1","ts":1,"url":"https://blog.example/post","title":"t","referrer":"","props":{"__proto__":"x"}}')]));
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json.rejected.map((r) => r.reason), [
    '/events/0/type is a reserved name ("constructor")',
    '/events/1/network is a reserved name ("constructor")',
    '/events/3/props/__proto__ is a reserved name',
  ]);
  assert.equal(answer.json.accepted.length, 1);

  // The report counts by name in objects without a prototype: a stored name is a name like any other.
  const { buildReport } = await import('../dist/report/report.js');
  const row = (type, network) => ({ day: '2026-01-01', path: '/p', widget: 'quote-to-tweet', instance: 'q', type, network, campaign: '', variant: '', source: '', currency: '', count: 1, value: 0 });
  const range = { site: 's', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) };
  const report = buildReport(range, { rollups: [row('constructor', ''), row('share', 'constructor'), row('next:constructor', 'x')], days: [{ day: '2026-01-01', type: 'constructor', count: 1 }], ignored: 0, comments: [] });
  assert.equal(report.totals.constructor, 1);
  assert.equal(report.quotes[0].networks.constructor, 1);
  assert.deepEqual(report.quotes[0].next, { read: 0, share: 0, click: 0, comment: 0 });
  assert.equal(report.series[0].constructor, 1);
  assert.equal(JSON.parse(JSON.stringify(report)).totals.constructor, 1);
});

test('answers are never sniffed, the report is never cached, and an admin token shorter than 16 random bytes is refused', async (t) => {
  const { url } = await collector(t);
  const collected = await post(url, batch([event()]));
  assert.equal(collected.headers.get('x-content-type-options'), 'nosniff');
  const report = await fetch(`${url}/api/sites/blog/report`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(report.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(report.headers.get('cache-control'), 'no-store');
  assert.equal((await fetch(`${url}/nowhere`)).headers.get('x-content-type-options'), 'nosniff');
  await assert.rejects(startCollector({ port: 0, db: ':memory:', token: 'x'.repeat(21) }), /at least 22 characters/);
});

test('a batch without an Origin (a server) needs the site\'s write key; browsers send as before', async (t) => {
  const KEY = 'write-key-blog-0123456789';
  const { url } = await collector(t, { sites: { blog: [ORIGIN], shop: [ORIGIN] }, siteKeys: { blog: KEY } });
  const asServer = (site, key) => post(url, batch([event()], { site }), { origin: null, headers: key ? { 'x-chorus-key': key } : {} });
  const missing = await asServer('blog');
  assert.equal(missing.status, 401);
  assert.equal(missing.json.error, 'write_key_required');
  assert.match(missing.json.reason, /X-Chorus-Key/);
  assert.equal((await asServer('blog', 'not-the-key-0123456789012')).status, 401);
  const keyless = await asServer('shop', KEY);
  assert.equal(keyless.status, 401, 'a site without a write key takes batches only from browsers');
  assert.match(keyless.json.reason, /--site-key shop=KEY/);
  assert.equal((await asServer('blog', KEY)).status, 200);
  assert.equal((await post(url, batch([event()], { site: 'shop' }))).status, 200, 'a browser (with an Origin) needs no key');
  await assert.rejects(startCollector({ port: 0, db: ':memory:', sites: { blog: [ORIGIN] }, siteKeys: { blog: 'short' } }), /at least 22 characters/);
  await assert.rejects(startCollector({ port: 0, db: ':memory:', sites: { blog: [ORIGIN] }, siteKeys: { nope: KEY } }), /no such site/);
});

test('a report over a flood of quote instances does not stall /collect (SQLite: the report has its own thread)', async (t) => {
  const file = `${tempDir(t)}/flood.db`;
  // The flood of issue 12: 200k distinct instances, as rollup rows of today, written straight into the file.
  const { openSqlite } = await import('@chorus/collector');
  (await openSqlite(file)).close();
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  const today = new Date().toISOString().slice(0, 10);
  db.transaction(() => {
    const key = db.prepare(`INSERT INTO rollup_keys (site, path, widget, instance, type, network, campaign, variant, source, currency) VALUES ('blog', '/post', 'quote-to-tweet', ?, 'impression', '', '', '', '', '')`);
    const row = db.prepare(`INSERT INTO rollups (site, bucket, key, count, value) VALUES ('blog', ?, ?, 1, 0)`);
    for (let i = 0; i < 200_000; i++) row.run(today, key.run(`flood-${i}`).lastInsertRowid);
  })();
  db.close();
  const { url } = await collector(t, { db: file });

  const reportDone = getReportTimed(url);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the report is being computed
  const collectStarted = Date.now();
  const answer = await post(url, batch([event()]));
  const collectMs = Date.now() - collectStarted;
  const { ms: reportMs, json } = await reportDone;
  assert.equal(answer.status, 200);
  assert.equal(json.quotes.length, 50, 'the report is bounded');
  assert.ok(json.quotesMore >= 200_000 - 50, `and says how many more: ${json.quotesMore}`);
  t.diagnostic(`/collect took ${collectMs} ms while a ${reportMs} ms report ran`);
  assert.ok(collectMs < reportMs / 2, `/collect took ${collectMs} ms while a ${reportMs} ms report ran`);
});

async function getReportTimed(url) {
  const started = Date.now();
  const response = await fetch(`${url}/api/sites/blog/report`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { ms: Date.now() - started, json: await response.json() };
}

test('the rest of a bounded list is paged through the API, in the report\'s order', async (t) => {
  const { url } = await collector(t);
  for (let start = 0; start < 120; start += 40) {
    const events = Array.from({ length: 40 }, (_, i) => event({ instance: `q${String(start + i).padStart(3, '0')}` }));
    assert.equal((await post(url, batch(events))).status, 200);
  }
  const api = async (path) => {
    const response = await fetch(`${url}/api/sites/blog/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, json: await response.json() };
  };
  const first = await api('report');
  assert.equal(first.json.quotes.length, 50);
  assert.equal(first.json.quotesMore, 70);
  const second = await api('report/quotes?offset=50&limit=50');
  assert.equal(second.status, 200);
  assert.deepEqual([second.json.list, second.json.offset, second.json.limit, second.json.items.length, second.json.more], ['quotes', 50, 50, 50, 20]);
  const third = await api('report/quotes?offset=100');
  assert.deepEqual([third.json.items.length, third.json.more], [20, 0]);
  const all = [...first.json.quotes, ...second.json.items, ...third.json.items].map((q) => q.instance);
  assert.equal(new Set(all).size, 120, 'every instance once across the pages');
  assert.deepEqual(all, [...all].sort(), 'in the report\'s order (equal shares: by instance)');
  assert.equal((await post(url, batch([event({ type: 'pageview', widget: 'page', instance: 'page' })]))).status, 200);
  assert.deepEqual((await api('report/posts?limit=1')).json.items.map((p) => p.path), ['/post']);
  assert.equal((await api('report/nope')).status, 404);
  assert.equal((await api('report/quotes?limit=0')).json.error, 'invalid_page');
  assert.equal((await api('report/quotes?offset=-1')).status, 400);
  assert.equal((await api('report/quotes?limit=501')).status, 400);
  assert.equal((await fetch(`${url}/api/sites/blog/report/quotes`)).status, 401, 'the admin token guards the pages too');
});
