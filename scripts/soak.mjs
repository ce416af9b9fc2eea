// `npm run soak`: the collector for a set time under mixed load, faults and hostile input, then what
// it kept. Not part of `npm test` (it runs for minutes); its figures go in the collector's README.
//
//   node scripts/soak.mjs [--minutes 10] [--store sqlite|postgres] [--connections 8] [--no-build]
//
// The collector runs as its own process (the CLI), as in production. Around it, at once:
// - readers: batches of 1 to 20 valid events of every type, some sent twice (a retry whose answer was lost);
// - hostile clients: malformed JSON, oversized bodies, wrong origins, forged sites, reserved names, hostile
//   strings, no Origin and no write key, bodies trickled a byte at a time;
// - the owner: the report every 2 s, over every range;
// - faults: every 2 minutes the collector is SIGKILLed and restarted; on PostgreSQL, every 90 s the
//   database is frozen (SIGSTOP) for 4 s.
// At the end every acknowledged event is looked up in the database: `lost` must be 0. A 5xx outside an
// injected fault is counted apart: it must be 0 too. Memory is the collector's resident set, sampled.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, root } from './lib/setup.mjs';
import { clusterProcesses, ensurePostgres } from './lib/postgres.mjs';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, store: { type: 'string', default: 'sqlite' }, connections: { type: 'string', default: '8' }, 'no-build': { type: 'boolean', default: false } },
});
const DURATION_MS = Number(values.minutes) * 60_000;
const CONNECTIONS = Number(values.connections);
const ORIGIN = 'https://blog.example';
const TOKEN = randomBytes(24).toString('base64url');
const RESTART_EVERY_MS = 120_000;
const FREEZE_EVERY_MS = 90_000;
const FREEZE_MS = 4_000;

if (!values['no-build']) build();
const scratch = mkdtempSync(join(tmpdir(), 'chorus-soak-'));
const postgres = values.store === 'postgres' ? await ensurePostgres({ database: 'chorus_soak' }) : undefined;
const dbArgs = postgres ? ['--db', postgres.url] : ['--db', join(scratch, 'soak.db')];
const cli = join(root, 'packages/collector/bin/chorus-collector.js');

// The collector, restarted on the same port after each kill.
let server;
let port = 0;
let peakRss = 0;
const rssSamples = [];
async function startServer() {
  const child = spawn(process.execPath, [cli, '--port', String(port), '--site', `blog=${ORIGIN}`, '--token', TOKEN, '--rate-limit', 'off', ...dbArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  child.stderr.resume();
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the collector exited (${code}) before listening: ${out}`)));
  });
  port = Number(new URL(url).port);
  server = { child, url };
}
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

// What happened.
const counts = { requests: 0, acknowledged: 0, refused4xx: 0, faulted5xx: 0, unexpected5xx: 0, networkErrors: 0, reports: 0 };
const acknowledged = new Set();
const latencies = [];
let faultUntil = 0;
const inFault = () => Date.now() < faultUntil + 6_000; // a batch sent during a fault may be answered a little after it

const TYPES = [
  ['impression', 'quote-to-tweet'], ['share', 'quote-to-tweet'], ['copy', 'quote-to-tweet'], ['pageview', 'page'], ['read', 'page'],
  ['impression', 'course-cta'], ['click', 'course-cta'], ['purchase', 'course-cta'], ['impression', 'comment-prompt'], ['comment', 'comment-prompt'], ['arrival', 'quote-to-tweet'],
];
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '\u202e\u0000\ud800', 'x'.repeat(2000), '${7*7}{{7*7}}', "'; DROP TABLE events; --"];
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const newId = () => randomBytes(12).toString('base64url');
function validEvent() {
  const [type, widget] = pick(TYPES);
  const post = `/posts/${Math.floor(Math.random() * 50)}`;
  return {
    id: newId(), type, widget, instance: widget === 'page' ? 'page' : `${widget}-${Math.floor(Math.random() * 3)}`, ts: Date.now(),
    url: `${ORIGIN}${post}`, title: Math.random() < 0.05 ? pick(HOSTILE) : `Post ${post}`, referrer: pick(['', 'https://t.co/x', 'https://bsky.app/']),
    ...(type === 'share' ? { network: pick(['x', 'bluesky', 'mastodon']) } : {}),
    ...(widget === 'course-cta' ? { campaign: 'course', variant: pick(['A', 'B']) } : {}),
    ...(type === 'purchase' ? { props: { value: 49, currency: 'EUR', post } } : type === 'comment' ? { props: { text: pick(HOSTILE) } } : {}),
  };
}
const batchOf = (events) => JSON.stringify({ v: 1, site: 'blog', sent: Date.now(), events });

async function send(body, { origin = ORIGIN } = {}) {
  counts.requests++;
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}/collect`, {
      method: 'POST',
      headers: { ...(origin ? { origin } : {}), 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const answer = await response.json().catch(() => ({}));
    latencies.push(performance.now() - started);
    if (response.status === 200) {
      counts.acknowledged++;
      for (const id of answer.accepted ?? []) acknowledged.add(id);
    } else if (response.status >= 500) counts[inFault() ? 'faulted5xx' : 'unexpected5xx']++;
    else counts.refused4xx++;
    return response.status;
  } catch {
    counts.networkErrors++; // the collector was killed mid-request: not acknowledged, so sent again as a tracker would
    return 0;
  }
}

async function reader() {
  while (Date.now() < end) {
    const events = Array.from({ length: 1 + Math.floor(Math.random() * 20) }, validEvent);
    const body = batchOf(events);
    let status = await send(body);
    // A tracker retries what was not acknowledged (and sometimes an acknowledged batch whose answer it lost).
    for (let tries = 0; status !== 200 && status < 400 && tries < 10 && Date.now() < end + 30_000; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** Math.min(tries, 4)));
      status = await send(body);
    }
    if (Math.random() < 0.05) await send(body);
  }
}

async function hostile() {
  const attacks = [
    () => send('{"v":1,'),
    () => send('x'.repeat(70 * 1024)),
    () => send(batchOf([validEvent()]), { origin: 'https://evil.example' }),
    () => send(JSON.stringify({ v: 1, site: 'nope', sent: Date.now(), events: [validEvent()] })),
    () => send(batchOf([{ ...validEvent(), type: 'constructor' }, { ...validEvent(), props: JSON.parse('{"__proto__":"x"}') }])),
    () => send(batchOf([validEvent()]), { origin: null }),
    () => send(batchOf([{ ...validEvent(), ts: 'yesterday' }, { id: 'x' }])),
    () => trickle(),
  ];
  while (Date.now() < end) {
    await pick(attacks)();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A client sending its body a byte every 200 ms: the collector must cut it off (408) within its bound. */
function trickle() {
  return new Promise((resolve) => {
    const { hostname, port: p } = new URL(server.url);
    const socket = connect(Number(p), hostname);
    const body = batchOf([validEvent()]);
    socket.on('error', () => {});
    socket.write(`POST /collect HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`);
    let sent = 0;
    const timer = setInterval(() => sent < body.length && socket.write(body[sent++]), 200);
    const done = () => (clearInterval(timer), socket.destroy(), resolve());
    socket.on('close', done);
    setTimeout(done, 40_000);
  });
}

async function owner() {
  while (Date.now() < end) {
    const from = pick(['', `?from=${new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10)}`, '?post=/posts/1']);
    try {
      const response = await fetch(`${server.url}/api/sites/blog/report${from}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(20_000) });
      await response.arrayBuffer();
      if (response.status >= 500) counts[inFault() ? 'faulted5xx' : 'unexpected5xx']++;
      counts.reports++;
    } catch {
      counts.networkErrors++;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function faults() {
  let nextRestart = Date.now() + RESTART_EVERY_MS;
  let nextFreeze = Date.now() + FREEZE_EVERY_MS;
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rss = rssOf(server.child.pid);
    peakRss = Math.max(peakRss, rss);
    rssSamples.push(rss);
    if (Date.now() >= nextRestart && Date.now() < end - 10_000) {
      nextRestart += RESTART_EVERY_MS;
      faultUntil = Date.now() + 3_000;
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));
      await startServer();
      console.log(`  ${new Date().toISOString()}: SIGKILLed and restarted the collector`);
    }
    if (postgres && Date.now() >= nextFreeze && Date.now() < end - 10_000) {
      nextFreeze += FREEZE_EVERY_MS;
      const pids = await clusterProcesses(postgres.url);
      faultUntil = Date.now() + FREEZE_MS;
      const signal = (name) => pids.forEach((pid) => {
        try {
          process.kill(pid, name);
        } catch {
          // a backend that ended meanwhile
        }
      });
      signal('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, FREEZE_MS));
      signal('SIGCONT');
      console.log(`  ${new Date().toISOString()}: froze PostgreSQL for ${FREEZE_MS / 1000} s`);
    }
  }
}

async function storedIds() {
  if (postgres) {
    const { default: pg } = await import('pg');
    const client = new pg.Client(postgres.url);
    await client.connect();
    const { rows } = await client.query('SELECT id FROM events');
    await client.end();
    return new Set(rows.map((row) => row.id));
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbArgs[1], { readonly: true });
  const ids = new Set(db.prepare('SELECT id FROM events').pluck().all());
  db.close();
  return ids;
}

await startServer();
const end = Date.now() + DURATION_MS;
console.log(`Soak: ${values.minutes} min on ${postgres ? 'PostgreSQL' : 'SQLite'}, ${CONNECTIONS} readers, hostile clients, reports every 2 s, a SIGKILL every ${RESTART_EVERY_MS / 60_000} min${postgres ? `, PostgreSQL frozen ${FREEZE_MS / 1000} s every ${FREEZE_EVERY_MS / 1000} s` : ''}`);
await Promise.all([...Array.from({ length: CONNECTIONS }, reader), hostile(), hostile(), owner(), faults()]);

const stored = await storedIds();
const lost = [...acknowledged].filter((id) => !stored.has(id)).length;
latencies.sort((a, b) => a - b);
const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const third = Math.floor(rssSamples.length / 3);
const avg = (list) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
console.log(`
| requests | acknowledged batches | events acknowledged | events stored | lost | 4xx (refused, with a reason) | 5xx in faults | 5xx otherwise | network errors (killed mid-request) | p99 ms | peak RSS | RSS first / last third |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${counts.requests} | ${counts.acknowledged} | ${acknowledged.size} | ${stored.size} | ${lost} | ${counts.refused4xx} | ${counts.faulted5xx} | ${counts.unexpected5xx} | ${counts.networkErrors} | ${p99.toFixed(0)} | ${mb(peakRss)} | ${mb(avg(rssSamples.slice(0, third)))} / ${mb(avg(rssSamples.slice(-third)))} |
(${counts.reports} reports read)`);

server.child.kill('SIGTERM');
await new Promise((resolve) => server.child.once('exit', resolve));
await postgres?.stop();
rmSync(scratch, { recursive: true, force: true });
process.exit(lost || counts.unexpected5xx ? 1 : 0);
