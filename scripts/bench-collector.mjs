// `npm run bench-collector`: how fast the collector ingests, on each store, and how fast its report
// answers as events pile up (scripts/lib/bench-report.mjs). The collector runs as its
// own process (the CLI); this process is the load (autocannon), POSTing batches of 20 new events, like
// the tracker. Beside it, the same inserts straight into SQLite (and PostgreSQL) with no HTTP, in the
// same run, so the cost of the server shows. A script, not a test: it prints a table.
//
//   node scripts/bench-collector.mjs [--duration 10] [--connections 10] [--only sqlite|postgres]
//                                    [--report-sizes 100000,1000000,10000000 | --report-sizes 0] [--no-ingest]
//                                    [--profile DIR]   (the collector's CPU profiles, .cpuprofile files, in DIR)
//
// PostgreSQL is a throwaway cluster (scripts/lib/postgres.mjs) unless BENCH_DATABASE_URL is set.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { root } from './lib/setup.mjs';
import { clusterProcesses, ensurePostgres } from './lib/postgres.mjs';
import { procStat } from './lib/proc.mjs';
import { benchReport, printReportTable } from './lib/bench-report.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'report-sizes': { type: 'string', default: '100000,1000000,10000000' },
    'no-ingest': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const REPORT_SIZES = values['report-sizes'].split(',').map(Number).filter((n) => n > 0);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const PER_BATCH = 20;
const SITE = 'bench';
const ORIGIN = 'https://bench.example';
const TOKEN = 'bench-token-0123456789';

// The collector's build (only the collector, so work in progress elsewhere cannot stop the benchmark).
const built = spawnSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHORUS_PACKAGES: 'collector' },
});
if (built.status !== 0) process.exit(1);
const { openSqlite, openPostgres, startCollector } = await import(join(root, 'packages/collector/dist/index.js'));

const newId = () => randomBytes(12).toString('base64url');
const wireEvent = (now) => ({
  id: newId(),
  type: 'impression',
  widget: 'quote-to-tweet',
  instance: 'q1',
  ts: now,
  url: 'https://bench.example/a-post',
  title: 'A post',
  referrer: '',
  props: { text: 'Ship small things, often.', truncated: false },
});
const readerAgent = () => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${Math.floor(Math.random() * 10_000)}.0 Safari/537.36`;
const body = () => {
  const now = Date.now();
  return JSON.stringify({ v: 1, site: SITE, sent: now, events: Array.from({ length: PER_BATCH }, () => wireEvent(now)) });
};
// What the server stores for such an event (see packages/collector/src/validate.ts toStored).
const storedEvent = (now) => ({
  ...wireEvent(now),
  at: now,
  day: new Date(now).toISOString().slice(0, 10),
  path: '/a-post',
  sent: now,
  received: now,
  network: null,
  campaign: null,
  variant: null,
  text: 'Ship small things, often.',
});

/** The collector (its CLI) on a store, with what the load needs. */
const collector = (storeArgs) => [join(root, 'packages/collector/bin/chorus-collector.js'), '--port', '0', '--site', `${SITE}=${ORIGIN}`, '--token', TOKEN, '--rate-limit', 'off', ...storeArgs];
/** The reference point: an endpoint that only stores the same rows in the same database (scripts/lib/bare-endpoint.mjs). */
const bareEndpoint = (kind, where) => [join(root, 'scripts/lib/bare-endpoint.mjs'), kind, where];

function startServer(command) {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const child = spawn(process.execPath, [...profile, ...command], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`the collector exited (${code}): ${out}`)));
  });
}

async function stopServer({ child }) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(url, duration) {
  const result = await autocannon({
    url: `${url}/collect`,
    connections: CONNECTIONS,
    duration,
    // Each batch from one of many readers (the collector counts readers by IP and User-Agent): one reader's
    // batches come one after another, and ten connections of a single reader would wait on each other's rows.
    requests: [{ method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN }, setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'user-agent': readerAgent() }, body: body() }) }],
  });
  return result;
}

/** CPU seconds these processes have used so far (user and system, from /proc): steadier than events/s on a shared machine. */
const cpuSeconds = (pids) =>
  pids.reduce((sum, pid) => {
    const fields = procStat(pid) ?? []; // a process that ended meanwhile counts nothing
    return sum + (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  }, 0);

async function overHttp(label, command, databaseUrl) {
  const server = await startServer(command);
  try {
    await load(server.url, 2); // warm-up: JIT, connection pools, the file's first pages
    const database = databaseUrl ? await clusterProcesses(databaseUrl) : [];
    const before = [cpuSeconds([server.child.pid]), cpuSeconds(database)];
    const result = await load(server.url, DURATION);
    const per10k = (seconds) => ((seconds / Math.max(1, result['2xx'] * PER_BATCH)) * 10_000).toFixed(2);
    const cpu = `server CPU per 10k events: collector ${per10k(cpuSeconds([server.child.pid]) - before[0])} s${databaseUrl ? `, PostgreSQL ${per10k(cpuSeconds(database) - before[1])} s` : ''}`;
    const isCollector = command[0].endsWith('chorus-collector.js');
    const report = isCollector && (await (await fetch(`${server.url}/api/sites/${SITE}/report?from=0`, { headers: { authorization: `Bearer ${TOKEN}` } })).json());
    const stored = report ? `; ${report.totals.impression} events stored in all` : '';
    const failed = result.non2xx + result.errors + result.timeouts;
    return {
      label: `${label}, over HTTP`,
      eventsPerSecond: (result['2xx'] * PER_BATCH) / result.duration,
      requestsPerSecond: result['2xx'] / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      note: `${result['2xx']} batches acknowledged, ${failed} failed${stored}; ${cpu}`,
    };
  } finally {
    await stopServer(server);
  }
}

async function direct(label, storage, concurrency = 1) {
  const latencies = [];
  let batches = 0;
  const end = performance.now() + DURATION * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const now = Date.now();
      const rows = Array.from({ length: PER_BATCH }, () => storedEvent(now));
      const start = performance.now();
      await storage.insert(SITE, rows);
      latencies.push(performance.now() - start);
      batches++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await storage.close();
  latencies.sort((a, b) => a - b);
  const seconds = DURATION;
  return {
    label: `${label}, direct (no HTTP)`,
    eventsPerSecond: (batches * PER_BATCH) / seconds,
    requestsPerSecond: batches / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    note: concurrency === 1 ? `one batch of ${PER_BATCH} at a time, each its own transaction` : `${concurrency} batches at a time`,
  };
}

const rows = [];
const reports = [];
const scratch = mkdtempSync(join(tmpdir(), 'chorus-bench-'));
const ingest = !values['no-ingest'];
try {
  if (values.only !== 'postgres') {
    if (ingest) {
      rows.push(await overHttp('SQLite (synchronous=FULL)', collector(['--db', join(scratch, 'http.db')])));
      rows.push(await overHttp('SQLite (synchronous=FULL), bare endpoint', bareEndpoint('sqlite', join(scratch, 'bare.db'))));
      rows.push(await direct('SQLite (synchronous=FULL)', openSqlite(join(scratch, 'direct-full.db'))));
      rows.push(await direct('SQLite (synchronous=NORMAL)', openSqlite(join(scratch, 'direct-normal.db'), { synchronous: 'NORMAL' })));
    }
    if (REPORT_SIZES.length) {
      const db = join(scratch, 'report.db');
      const storage = openSqlite(db);
      try {
        reports.push(...(await benchReport({ label: 'SQLite', storage, startCollector, storeOptions: { db }, sizes: REPORT_SIZES, token: TOKEN })));
      } finally {
        await storage.close();
      }
    }
  }
  if (values.only !== 'sqlite') {
    const postgres = process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} } : await ensurePostgres({ database: 'chorus_bench' });
    try {
      if (ingest) {
        rows.push(await overHttp('PostgreSQL', collector(['--db', postgres.url]), postgres.url));
        rows.push(await overHttp('PostgreSQL, bare endpoint', bareEndpoint('postgres', postgres.url), postgres.url));
        rows.push(await direct('PostgreSQL', await openPostgres(postgres.url), CONNECTIONS));
      }
      if (REPORT_SIZES.length) {
        // A database of its own, so the ingest benchmark's events are not in the report.
        const { default: pg } = await import('pg');
        const admin = new pg.Client(postgres.url);
        await admin.connect();
        await admin.query('DROP DATABASE IF EXISTS chorus_bench_report WITH (FORCE)');
        await admin.query('CREATE DATABASE chorus_bench_report');
        await admin.end();
        const url = new URL(postgres.url);
        url.pathname = '/chorus_bench_report';
        const storage = await openPostgres(url.toString());
        try {
          reports.push(...(await benchReport({ label: 'PostgreSQL', storage, startCollector, storeOptions: { databaseUrl: url.toString() }, sizes: REPORT_SIZES, token: TOKEN })));
        } finally {
          await storage.close();
        }
      }
    } finally {
      await postgres.stop();
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const fixed = (n, digits = 0) => (n === undefined ? '–' : n.toFixed(digits));
console.log(`\n${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; ${DURATION} s each, ${CONNECTIONS} connections, ${PER_BATCH} events a batch\n`);
console.log('| store | events/s | batches/s | p50 ms | p99 ms | notes |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  console.log(`| ${row.label} | ${fixed(row.eventsPerSecond)} | ${fixed(row.requestsPerSecond)} | ${fixed(row.p50, 1)} | ${fixed(row.p99, 1)} | ${row.note} |`);
}
if (reports.length) printReportTable(reports);
