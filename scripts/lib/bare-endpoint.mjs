// The benchmark's reference point (scripts/bench-collector.mjs): the least an endpoint can do with a batch
// and still keep it. node:http, JSON.parse, and the batch's events stored as the collector stores them (the
// same columns, one transaction) in the same database; no validation, no origin or rate check, no rollups,
// no readers. Issue 9 asks the collector's ingest to stay at or above this.
//
//   node scripts/lib/bare-endpoint.mjs sqlite FILE | postgres URL     (prints "listening on URL")
import { createServer } from 'node:http';

// The collector's events table: its columns, their types (PostgreSQL's; SQLite takes them as affinities) and indexes.
const TYPES = {
  id: 'TEXT', type: 'TEXT', widget: 'TEXT', instance: 'TEXT', at: 'BIGINT', day: 'TEXT', path: 'TEXT', ts: 'DOUBLE PRECISION', sent: 'DOUBLE PRECISION',
  received: 'BIGINT', url: 'TEXT', title: 'TEXT', referrer: 'TEXT', network: 'TEXT', campaign: 'TEXT', variant: 'TEXT', text: 'TEXT', props: 'JSONB',
};
const COLUMNS = Object.keys(TYPES);
const TABLE = `CREATE TABLE IF NOT EXISTS bare_events (site TEXT NOT NULL, ${COLUMNS.map((c) => `${c} ${TYPES[c]}`).join(', ')}, PRIMARY KEY (site, id));
  CREATE INDEX IF NOT EXISTS bare_events_site_at ON bare_events (site, at);
  CREATE INDEX IF NOT EXISTS bare_events_site_type_at ON bare_events (site, type, at)`;

/** One stored row's values, in COLUMNS' order after the site. */
function rowOf(site, sent, received, event) {
  const at = Math.round(event.ts + (received - sent));
  const props = event.props ? JSON.stringify(event.props) : null;
  const path = new URL(event.url).pathname;
  return [site, event.id, event.type, event.widget, event.instance, at, new Date(at).toISOString().slice(0, 10), path, event.ts, sent, received,
    event.url, event.title, event.referrer, event.network ?? null, event.campaign ?? null, event.variant ?? null, event.props?.text ?? null, props];
}

async function openStore(kind, where) {
  const width = COLUMNS.length + 1;
  if (kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(where);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(TABLE);
    const insert = db.prepare(`INSERT OR IGNORE INTO bare_events VALUES (${Array(width).fill('?').join(', ')})`);
    const batch = db.transaction((rows) => rows.forEach((row) => insert.run(row)));
    return async (rows) => batch(rows);
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: where, max: 10 });
  await pool.query(TABLE);
  return async (rows) => {
    const values = rows.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await pool.query(`INSERT INTO bare_events VALUES ${values} ON CONFLICT DO NOTHING`, rows.flat());
  };
}

const [kind, where] = process.argv.slice(2);
const store = await openStore(kind, where);
const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8').on('data', (chunk) => (body += chunk));
  request.on('end', async () => {
    try {
      const { site, sent, events } = JSON.parse(body);
      const received = Date.now();
      await store(events.map((event) => rowOf(site, sent, received, event)));
      response.writeHead(202, { 'content-type': 'application/json', 'access-control-allow-origin': request.headers.origin ?? '*' });
      response.end(JSON.stringify({ accepted: events.map((event) => event.id) }));
    } catch (error) {
      response.writeHead(500).end(String(error.message));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
