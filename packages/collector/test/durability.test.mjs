// The process dies or is stopped in the middle of a flood of batches: nothing it acknowledged is lost.
// The CLI runs as a child process; what is stored is read straight from the database afterwards.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { BROWSER, ORIGIN, TOKEN, batch, event, freshDatabase, startCli, tempDir, testDatabaseUrl } from './helpers.mjs';

const WORKERS = 8;
const EVENTS_PER_BATCH = 20;

/**
 * Posts batches from several connections until `halt()`; remembers what was acknowledged, what was sent,
 * and how many requests are out (sent, not yet answered) at any moment.
 */
function flood(url) {
  const acknowledged = new Set();
  const sent = [];
  let running = true;
  let out = 0;
  const worker = async () => {
    while (running) {
      const events = Array.from({ length: EVENTS_PER_BATCH }, () => event());
      const body = batch(events);
      sent.push(body);
      out++;
      try {
        const response = await fetch(`${url}/collect`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain', 'user-agent': BROWSER }, body: JSON.stringify(body) });
        const answer = await response.json();
        if (response.status === 200) for (const id of answer.accepted) acknowledged.add(id);
      } catch {
        // the server went away mid-request: not acknowledged
      } finally {
        out--;
      }
    }
  };
  const workers = Array.from({ length: WORKERS }, worker);
  return {
    acknowledged,
    sent,
    /** Sends no new batch from now on, and says how many are out at this moment. */
    halt: () => {
      running = false;
      return out;
    },
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

const waitFor = async (condition, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

function stores() {
  return [
    {
      label: 'SQLite',
      async open(t) {
        const file = join(tempDir(t), 'chorus.db');
        return {
          args: ['--db', file],
          async ids() {
            const db = new Database(file, { readonly: true });
            try {
              return new Set(db.prepare('SELECT id FROM events').pluck().all());
            } finally {
              db.close();
            }
          },
        };
      },
    },
    {
      label: 'PostgreSQL',
      async open(t) {
        const server = await testDatabaseUrl();
        if (!server.url) return t.skip(`no PostgreSQL: ${server.reason}`);
        const database = await freshDatabase(server.url);
        t.after(database.drop);
        return {
          args: ['--db', database.url],
          async ids() {
            const client = new pg.Client(database.url);
            await client.connect();
            try {
              return new Set((await client.query('SELECT id FROM events')).rows.map((row) => row.id));
            } finally {
              await client.end();
            }
          },
        };
      },
    },
  ];
}

const cliArgs = (store) => ['--port', '0', '--site', `blog=${ORIGIN}`, '--token', TOKEN, '--rate-limit', 'off', ...store.args];

for (const { label, open } of stores()) {
  describe(`durability on ${label}`, () => {
    test('SIGKILL during a flood of batches loses no acknowledged event; resending the rest stores each once', async (t) => {
      const store = await open(t);
      if (!store) return;
      const first = startCli(cliArgs(store), { env: { DATABASE_URL: '' } });
      t.after(() => first.child.kill('SIGKILL'));
      const url = await first.ready;
      const load = flood(url);
      await waitFor(() => load.acknowledged.size >= 2000);
      // Counted at the kill, so no batch made afterwards (refused at once) counts as in flight.
      const inFlight = load.halt();
      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      await load.stop();
      assert.ok(inFlight > 0, `batches were in flight when it died (${inFlight} of ${WORKERS} connections)`);

      const stored = await store.ids();
      const lost = [...load.acknowledged].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${load.acknowledged.size} acknowledged events lost`);

      // The tracker resends what it never saw acknowledged: after a restart every event is there once.
      const second = startCli(cliArgs(store), { env: { DATABASE_URL: '' } });
      t.after(() => second.child.kill('SIGKILL'));
      const again = await second.ready;
      for (const body of load.sent) {
        const response = await fetch(`${again}/collect`, { method: 'POST', headers: { origin: ORIGIN, 'user-agent': BROWSER }, body: JSON.stringify(body) });
        assert.equal(response.status, 200);
      }
      const report = await (await fetch(`${again}/api/sites/blog/report?from=0`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      assert.equal(report.totals.impression, load.sent.length * EVENTS_PER_BATCH, 'every event once, none twice');
    });

    test('SIGTERM lets the request in flight finish and commit, then exits 0', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cli = startCli(cliArgs(store), { env: { DATABASE_URL: '' } });
      t.after(() => cli.child.kill('SIGKILL'));
      const url = new URL(await cli.ready);
      const load = flood(url.origin);
      await waitFor(() => load.acknowledged.size >= 500);

      // A request whose body is half sent when the signal comes.
      const slow = event({ instance: 'in-flight' });
      const body = JSON.stringify(batch([slow]));
      const answer = new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: '/collect', method: 'POST', headers: { origin: ORIGIN, 'user-agent': BROWSER, 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode, text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 20));
        setTimeout(() => {
          cli.child.kill('SIGTERM');
          // Still alive and waiting for the rest of that request.
          setTimeout(() => {
            if (cli.child.exitCode !== null) reject(new Error('exited before the request in flight finished'));
            req.end(body.slice(20));
          }, 300);
        }, 100);
      });
      const { status, text } = await answer;
      assert.equal(status, 200, text);
      const exit = await cli.exited;
      await load.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, cli.output().stderr);
      assert.match(cli.output().stdout, /SIGTERM: stopped/);

      const stored = await store.ids();
      assert.ok(stored.has(slow.id), 'the request in flight was committed');
      const lost = [...load.acknowledged].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${load.acknowledged.size} acknowledged events lost`);
    });
  });
}
