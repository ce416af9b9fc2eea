// What the collector's tests share: a server on a free port, batches and events to send, and the
// PostgreSQL to run against.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ORIGIN = 'https://blog.example';
export const TOKEN = 'test-token-0123456789-abcd';
export const CLI = fileURLToPath(new URL('../bin/chorus-collector.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const newId = () => randomBytes(12).toString('base64url');

export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-collector-test-'));
  t?.after?.(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One valid event; `overrides` set or (with `undefined`) remove fields. */
export function event(overrides = {}) {
  const base = {
    id: newId(),
    type: 'impression',
    widget: 'quote-to-tweet',
    instance: 'q1',
    ts: Date.now(),
    url: 'https://blog.example/post',
    title: 'A post',
    referrer: '',
  };
  const result = { ...base, ...overrides };
  for (const [key, value] of Object.entries(result)) if (value === undefined) delete result[key];
  return result;
}

export const batch = (events, { site = 'blog', sent = Date.now() } = {}) => ({ v: 1, site, sent, events });

/** A reader's browser, as the User-Agent header says (the collector ignores the events of bots, Node's fetch among them). */
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** POSTs a body (an object is sent as JSON in text/plain, like the tracker) and reads the answer. */
export async function post(url, body, { origin = ORIGIN, type = 'text/plain;charset=UTF-8', headers = {}, userAgent = BROWSER } = {}) {
  const init = {
    method: 'POST',
    headers: { ...(origin ? { origin } : {}), ...(type ? { 'content-type': type } : {}), 'user-agent': userAgent, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  };
  const response = await fetch(`${url}/collect`, init);
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export async function getReport(url, site = 'blog', query = '', token = TOKEN) {
  const response = await fetch(`${url}/api/sites/${site}/report${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/**
 * The PostgreSQL URL the tests use: CHORUS_TEST_DATABASE_URL (set by `npm test`), else a throwaway
 * cluster of our own (when run with `node --test` directly). Null with the reason when neither works.
 */
let postgres;
export async function testDatabaseUrl() {
  if (process.env.CHORUS_TEST_DATABASE_URL) return { url: process.env.CHORUS_TEST_DATABASE_URL };
  if (process.env.CHORUS_TEST_POSTGRES_ERROR) return { url: null, reason: process.env.CHORUS_TEST_POSTGRES_ERROR };
  postgres ??= import(join(ROOT, 'scripts/lib/postgres.mjs'))
    .then(({ ensurePostgres }) => ensurePostgres({ log: () => {} }))
    .then((server) => {
      process.once('exit', () => server.stop());
      return { url: server.url, stop: server.stop };
    })
    .catch((error) => ({ url: null, reason: error.message }));
  return postgres;
}

/** A new, empty database on the server of `url`; `drop()` removes it. */
export async function freshDatabase(url) {
  const name = `chorus_${randomBytes(6).toString('hex')}`;
  const admin = async (sql) => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return { url: fresh.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs the CLI as a child process; resolves once it prints where it listens. */
export function startCli(args, { env = {}, cwd } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', check);
    exited.then(({ code, signal }) => reject(new Error(`the CLI exited (${code ?? signal}) before listening:\n${stdout}${stderr}`)));
  });
  ready.catch(() => {}); // awaited by the callers that wait for it; the others expect the exit
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

/** Runs the CLI to its end (for flags that make it exit). */
export function runCli(args, { env = {}, timeout = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const { child, exited, output } = startCli(args, { env });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within ${timeout} ms: ${JSON.stringify(output())}`));
    }, timeout);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      resolve({ code, signal, ...output() });
    });
  });
}
