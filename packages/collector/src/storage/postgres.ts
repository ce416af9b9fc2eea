// PostgreSQL through pg: for a busy site, several collector processes behind a reverse proxy.
// A batch is one INSERT statement, so it commits (durably, with PostgreSQL's default
// synchronous_commit) or fails whole before the collector answers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { batchEffects, codesNamed, isDerived, KEY_DIMENSIONS, pathOf, readerDelta, WHOLE_SITE, type RollupDelta } from '../rollup.js';
import { bucketsOf, dayBounds, ROLLUPS_SCHEMA } from './schema.js';
import type { CommentRow, DayRow, InsertResult, QuoteInfo, Range, RollupRow, Storage, StoredEvent } from './storage.js';

type Query = (sql: string, values?: unknown[]) => Promise<pg.QueryResult>;
interface Queryable {
  query(config: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult>;
}

/** Applied in order, each once, in one transaction at start. Append; never edit a released one. */
export const POSTGRES_MIGRATIONS: (string | ((query: Query) => Promise<void>))[] = [
  `CREATE TABLE events (
     site TEXT NOT NULL,
     id TEXT NOT NULL,
     type TEXT NOT NULL,
     widget TEXT NOT NULL,
     instance TEXT NOT NULL,
     at BIGINT NOT NULL,
     day TEXT NOT NULL,
     ts DOUBLE PRECISION NOT NULL,
     sent DOUBLE PRECISION NOT NULL,
     received BIGINT NOT NULL,
     url TEXT NOT NULL,
     title TEXT NOT NULL,
     referrer TEXT NOT NULL,
     network TEXT,
     campaign TEXT,
     variant TEXT,
     text TEXT,
     props JSONB,
     PRIMARY KEY (site, id)
   );
   CREATE INDEX events_site_at ON events (site, at);
   CREATE INDEX events_site_widget_instance ON events (site, widget, instance, at);`,
  // 2: per-day rollups kept in the insert's transaction, unique readers, bots; rolled up from the events already stored.
  `ALTER TABLE events ADD COLUMN path TEXT NOT NULL DEFAULT '';
   DROP INDEX events_site_widget_instance;
   CREATE INDEX events_site_type_at ON events (site, type, at);
   ${ROLLUPS_SCHEMA('DOUBLE PRECISION', 'BYTEA', 'BIGSERIAL PRIMARY KEY', '')}
   -- What batches add, appended in their own transaction; folded into rollups and daily every second, so
   -- they hold a second of traffic at most (no index: read whole, emptied whole).
   CREATE TABLE rollup_deltas (site TEXT NOT NULL, bucket TEXT NOT NULL, key BIGINT NOT NULL, count BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL);
   CREATE TABLE daily_deltas (site TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL, type TEXT NOT NULL, count BIGINT NOT NULL);`,
  (query) => backfill(query),
  // 4: what trackers had to drop, per day, as told by their batches.
  `CREATE TABLE dropped (site TEXT NOT NULL, day TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (site, day))`,
];

// Any constant works; it only has to be the same in every collector process.
const MIGRATION_LOCK = 0x63686f72; // "chor"
const FOLD_LOCK = 0x666f6c64; // "fold"
/** How often the deltas are folded into the rollups. */
const FOLD_MS = 1000;

/** The events' columns and their types, for reading a batch's JSON as rows (`props` arrives as JSON already). */
const COLUMNS = {
  id: 'text', type: 'text', widget: 'text', instance: 'text', at: 'bigint', day: 'text', path: 'text', ts: 'float8',
  sent: 'float8', received: 'bigint', url: 'text', title: 'text', referrer: 'text', network: 'text', campaign: 'text',
  variant: 'text', text: 'text', props: 'jsonb',
} as const;
const NAMES = Object.keys(COLUMNS).join(', ');
/** The rows of a JSON array of objects, as table `alias` with these columns. */
const rowsOf = (json: string, alias: string, columns: Record<string, string>) =>
  `json_to_recordset(${json}) AS ${alias} (${Object.entries(columns).map(([name, type]) => `${name} ${type}`).join(', ')})`;

/**
 * A batch in ONE statement, the same text every time (so each connection prepares it once). It arrives
 * as JSON, which costs the collector one JSON.stringify per batch where arrays of values cost a quoting
 * pass per value: $1 the site, $2 the reader, $3 the events (as stored), $4 what each event adds (one row
 * per rollup key: `series` when it also counts in the series), $5 the reader's steps. Joined to the ids
 * the insert returns, so a retried event adds nothing: each row's day and month buckets, its series rows
 * (for its post and the whole site), the visitors the insert returns (the new ones) and their rows.
 */
function batchStatement(alreadyStored: boolean): string {
  const events = rowsOf('$3::json', 'e', COLUMNS);
  const fresh = alreadyStored
    ? `fresh AS (SELECT e.id FROM ${events})`
    : `fresh AS (INSERT INTO events (site, ${NAMES}) SELECT $1, ${NAMES} FROM ${events}
         ON CONFLICT (site, id) DO NOTHING RETURNING id)`;
  const adds = rowsOf('$4::json', 'a', { id: 'text', key: 'bigint', count: 'bigint', value: 'float8', day: 'text', path: 'text', type: 'text', series: 'boolean' });
  return `WITH ${fresh},
    adds AS (SELECT a.* FROM ${adds} JOIN fresh USING (id)),
    deltas AS (INSERT INTO rollup_deltas (site, bucket, key, count, value)
      SELECT $1, b.bucket, adds.key, SUM(adds.count), SUM(adds.value) FROM adds
      CROSS JOIN LATERAL (VALUES (adds.day), (substr(adds.day, 1, 7))) AS b (bucket) GROUP BY b.bucket, adds.key),
    series AS (INSERT INTO daily_deltas (site, day, path, type, count)
      SELECT $1, adds.day, w.path, adds.type, SUM(adds.count) FROM adds
      CROSS JOIN LATERAL (VALUES (NULLIF(adds.path, '')), ('${WHOLE_SITE}')) AS w (path)
      WHERE adds.series AND w.path IS NOT NULL GROUP BY adds.day, w.path, adds.type),
    steps AS (SELECT * FROM ${rowsOf('$5::json', 's', { day: 'text', path: 'text', step: 'text', key: 'bigint' })}),
    -- A reader counts once per post, step and day: the visitors the insert returns are the new ones. A
    -- batch whose events were all stored before finds its visitors there too, so it adds nothing.
    seen AS (INSERT INTO visitors (site, day, path, step, reader) SELECT $1, day, path, step, $2::text FROM steps
      ON CONFLICT DO NOTHING RETURNING day, path, step),
    readers AS (INSERT INTO rollup_deltas (site, bucket, key, count, value)
      SELECT $1, b.bucket, steps.key, 1, 0 FROM seen JOIN steps USING (day, path, step)
      CROSS JOIN LATERAL (VALUES (seen.day), (substr(seen.day, 1, 7))) AS b (bucket))
    SELECT id FROM fresh`;
}
const BATCH = batchStatement(false);
const ROLLED_UP = batchStatement(true);

// BIGINT and COUNT come back from pg as strings (they may exceed 2^53); ours never do.
const toNumber = (value: unknown) => Number(value);

export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return `PostgreSQL ${parsed.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

export interface PostgresOptions {
  /** Connections in the pool. */
  max?: number;
  /** ms a connect or a statement may take before it fails (a frozen server then yields 503s, not hangs). */
  timeout?: number;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Storage> {
  const timeout = options.timeout ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Each bound on its own side: the client's for a server that does not answer at all (stopped,
    // unreachable), the server's for a statement stuck behind a lock.
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    statement_timeout: timeout,
  });
  // An idle client that loses its connection emits here; without a listener that would crash the process.
  pool.on('error', (error) => console.error(`chorus-collector: PostgreSQL connection lost: ${error.message}`));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const inTransaction = async <T>(work: (query: Query) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work((sql, values) => client.query(sql, values));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // A client that failed (perhaps a timeout, its query still pending) is closed, not reused.
      client.release(failure);
    }
  };
  const rangeValues = ({ site, from, to, post }: Range) => [site, ...dayBounds(from, to), post ?? null];
  const write = writer();
  // Batches append their rollups to the deltas (no row that every batch updates, so batches do not wait
  // for each other's commits); one process at a time folds them into the rollups, every second.
  let folding: Promise<void> | undefined;
  const fold = () =>
    (folding ??= inTransaction(async (query) => {
      const { rows } = await query('SELECT pg_try_advisory_xact_lock($1) AS mine', [FOLD_LOCK]);
      if (!rows[0].mine) return;
      await query(
        `WITH moved AS (DELETE FROM rollup_deltas RETURNING site, bucket, key, count, value)
         INSERT INTO rollups (site, bucket, key, count, value)
         SELECT site, bucket, key, SUM(count), SUM(value) FROM moved GROUP BY site, bucket, key ORDER BY site, bucket, key
         ON CONFLICT (site, bucket, key) DO UPDATE SET count = rollups.count + EXCLUDED.count, value = rollups.value + EXCLUDED.value`,
      );
      await query(
        `WITH moved AS (DELETE FROM daily_deltas RETURNING site, day, path, type, count)
         INSERT INTO daily (site, day, path, type, count)
         SELECT site, day, path, type, SUM(count) FROM moved GROUP BY site, day, path, type ORDER BY site, path, day, type
         ON CONFLICT (site, path, day, type) DO UPDATE SET count = daily.count + EXCLUDED.count`,
      );
    })
      // The deltas' deleted rows, vacuumed at once: the report reads the deltas whole, and should not read a
      // minute of dead rows until autovacuum comes (VACUUM takes no lock that inserts wait for).
      .then(async () => void (await pool.query('VACUUM (SKIP_LOCKED) rollup_deltas, daily_deltas')))
      .catch((error) => console.error(`chorus-collector: could not fold the rollups' deltas (tried again in ${FOLD_MS / 1000} s): ${error.message}`))
      .finally(() => (folding = undefined)));
  const folder = setInterval(fold, FOLD_MS);
  folder.unref();
  const numbers = <T>(rows: Record<string, unknown>[], ...columns: string[]) =>
    rows.map((row) => ({ ...row, ...Object.fromEntries(columns.map((column) => [column, toNumber(row[column])])) })) as T[];

  return {
    kind: 'postgres',
    description: describeUrl(url),
    // Ids must be unique within one call (the route keeps the first of each).
    insert(site, events, reader) {
      return events.length ? write(pool, site, events, reader) : Promise.resolve({ inserted: [], duplicates: [] });
    },
    async ignore(site, day, count) {
      await pool.query(
        `INSERT INTO ignored (site, day, count) VALUES ($1, $2, $3) ON CONFLICT (site, day) DO UPDATE SET count = ignored.count + EXCLUDED.count`,
        [site, day, count],
      );
    },
    async drop(site, day, count) {
      await pool.query(
        `INSERT INTO dropped (site, day, count) VALUES ($1, $2, $3) ON CONFLICT (site, day) DO UPDATE SET count = dropped.count + EXCLUDED.count`,
        [site, day, count],
      );
    },
    salt(day) {
      return inTransaction(async (query) => {
        // Every collector process on this database takes the first salt made for the day.
        await query('INSERT INTO salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [day, randomBytes(32)]);
        await query('DELETE FROM salts WHERE day <> $1', [day]);
        await query('DELETE FROM visitors WHERE day < $1', [day]);
        const { rows } = await query('SELECT salt FROM salts WHERE day = $1', [day]);
        return rows[0].salt as Buffer;
      });
    },
    async rollups({ site, from, to, post }) {
      // Grouped on the integer key over the range's buckets (whole months as one row per key).
      const { rows } = await pool.query({
        name: 'chorus-rollups',
        text: `SELECT ${KEY_DIMENSIONS.map((d) => `k.${d}`).join(', ')}, s.count, s.value
           FROM (SELECT key, SUM(count) AS count, SUM(value) AS value
                   FROM (SELECT key, count, value FROM rollups WHERE site = $1 AND bucket = ANY($2)
                         UNION ALL SELECT key, count, value FROM rollup_deltas WHERE site = $1 AND bucket = ANY($2)) AS both_
                  GROUP BY key) AS s
           JOIN rollup_keys AS k ON k.id = s.key
          WHERE $3::text IS NULL OR k.path = $3`,
        values: [site, bucketsOf(...dayBounds(from, to)), post ?? null],
      });
      return numbers<RollupRow>(rows, 'count', 'value');
    },
    async days({ site, from, to, post }) {
      const { rows } = await pool.query({
        name: 'chorus-days',
        text: `SELECT day, type, SUM(count) AS count
           FROM (SELECT day, type, count FROM daily WHERE site = $1 AND path = $2 AND day >= $3 AND day <= $4
                 UNION ALL SELECT day, type, count FROM daily_deltas WHERE site = $1 AND path = $2 AND day >= $3 AND day <= $4) AS both_
          GROUP BY day, type ORDER BY day`,
        values: [site, post ?? WHOLE_SITE, ...dayBounds(from, to)],
      });
      return numbers<DayRow>(rows, 'count');
    },
    async ignored(range) {
      const { rows } = await pool.query(`SELECT COALESCE(SUM(count), 0) AS count FROM ignored WHERE site = $1 AND day >= $2 AND day <= $3`, rangeValues(range).slice(0, 3));
      return toNumber(rows[0].count);
    },
    async dropped(range) {
      const { rows } = await pool.query(`SELECT COALESCE(SUM(count), 0) AS count FROM dropped WHERE site = $1 AND day >= $2 AND day <= $3`, rangeValues(range).slice(0, 3));
      return toNumber(rows[0].count);
    },
    async titles(site, paths) {
      const { rows } = await pool.query<{ path: string; title: string }>('SELECT path, title FROM pages WHERE site = $1 AND path = ANY($2)', [site, paths]);
      return new Map(rows.map((row) => [row.path, row.title]));
    },
    async quotes(site, instances) {
      const { rows } = await pool.query<QuoteInfo>('SELECT instance, path, text FROM quotes WHERE site = $1 AND instance = ANY($2)', [site, instances]);
      return new Map(rows.map((row) => [row.instance, row]));
    },
    async comments({ site, from, to, post }, limit) {
      const { rows } = await pool.query({
        name: 'chorus-comments',
        text: `SELECT id, widget, instance, at, url, title, text, props FROM events
          WHERE site = $1 AND type = 'comment' AND at >= $2 AND at < $3 AND ($5::text IS NULL OR path = $5)
          ORDER BY at DESC, id LIMIT $4`,
        values: [site, from, to, limit, post ?? null],
      });
      return rows.map((row) => ({ ...row, at: toNumber(row.at) })) as CommentRow[];
    },
    async fold() {
      await folding;
      await fold();
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      clearInterval(folder);
      await folding;
      await pool.end();
    },
  };
}

/** `$n` placeholders for `rows` of `width` values each, after `offset` values. */
const placeholders = (rows: number, width: number, offset = 0) =>
  Array.from({ length: rows }, (_, row) => `(${Array.from({ length: width }, (_, column) => `$${offset + row * width + column + 1}`).join(', ')})`).join(', ');

/**
 * Stores a batch and what its new events add with the one prepared statement above (atomic, one round
 * trip). What it needs beforehand is looked up first: the quotes arrival codes name, the ids of rollup
 * keys (made once and kept in memory; a key no event ends up using is harmless), and the quotes and
 * pages that changed (kept in memory as written, so the next batch skips them).
 */
function writer(): (db: Queryable, site: string, events: StoredEvent[], reader?: string, alreadyStored?: boolean) => Promise<InsertResult> {
  const keyIds = new Map<string, string>();
  const written = new Map<string, string>(); // quote or page → what it holds
  const name = (site: string, row: object) => [site, ...KEY_DIMENSIONS.map((d) => (row as Record<string, unknown>)[d])].join('\u0000');

  const resolveKeys = async (db: Queryable, site: string, rows: RollupDelta[]) => {
    const unknown = [...new Map(rows.filter((row) => !keyIds.has(name(site, row))).map((row) => [name(site, row), row])).values()];
    if (!unknown.length) return;
    const width = KEY_DIMENSIONS.length + 1;
    const dimensions = unknown.flatMap((row) => [site, ...KEY_DIMENSIONS.map((d) => row[d])]);
    await db.query(`INSERT INTO rollup_keys (site, ${KEY_DIMENSIONS.join(', ')}) VALUES ${placeholders(unknown.length, width)} ON CONFLICT DO NOTHING`, dimensions);
    const { rows: found } = await db.query(
      `SELECT id, site, ${KEY_DIMENSIONS.join(', ')} FROM rollup_keys WHERE (site, ${KEY_DIMENSIONS.join(', ')}) IN (${placeholders(unknown.length, width)})`,
      dimensions,
    );
    for (const row of found) keyIds.set(name(site, row), row.id);
  };

  return async (db, site, events, reader, alreadyStored = false) => {
    const codes = codesNamed(events);
    const known = new Map<string, string>();
    if (codes.length) {
      const { rows } = await db.query('SELECT DISTINCT ON (code) code, instance FROM quotes WHERE site = $1 AND code = ANY($2) ORDER BY code, instance', [site, codes]);
      for (const row of rows) known.set(row.code, row.instance);
    }
    const effects = batchEffects(events, (code) => known.get(code));
    const steps = reader ? effects.steps : [];
    const readerRows = steps.map(readerDelta);
    const byEvent = [...effects.byEvent];
    await resolveKeys(db, site, [...byEvent.flatMap(([, rows]) => rows), ...readerRows]);
    const adds = byEvent.flatMap(([id, rows]) =>
      rows.map((row) => ({ id, key: keyIds.get(name(site, row)), count: row.count, value: row.value, day: row.day, path: row.path, type: row.type, series: !isDerived(row.type) })),
    );
    const stepRows = steps.map((step, index) => ({ ...step, key: keyIds.get(name(site, readerRows[index])) }));
    // Quotes and pages every batch would update (an impression carries the quote's text): only when they changed.
    const learnt: [string, string][] = [];
    const changed = <T>(kind: string, items: T[], id: (item: T) => string, holds: (item: T) => string) =>
      items
        .filter((item) => {
          const key = `${kind}\u0000${site}\u0000${id(item)}`;
          if (written.get(key) === holds(item)) return false;
          learnt.push([key, holds(item)]);
          return true;
        })
        .sort((a, b) => (id(a) < id(b) ? -1 : 1));
    // Before the batch, on their own: a batch that then fails leaves a quote's text or a page's title
    // written, which its retry writes again.
    const quotes = changed('quote', effects.quotes, (q) => q.instance, (q) => `${q.path}\u0000${q.text}`);
    if (quotes.length) {
      await db.query(
        `INSERT INTO quotes (site, instance, code, path, text, at) VALUES ${placeholders(quotes.length, 6)}
         ON CONFLICT (site, instance) DO UPDATE SET
           path = CASE WHEN EXCLUDED.at >= quotes.at THEN EXCLUDED.path ELSE quotes.path END,
           text = CASE WHEN EXCLUDED.text IS NOT NULL AND (EXCLUDED.at >= quotes.at OR quotes.text IS NULL) THEN EXCLUDED.text ELSE quotes.text END,
           at = GREATEST(quotes.at, EXCLUDED.at)`,
        quotes.flatMap((q) => [site, q.instance, q.code, q.path, q.text, q.at]),
      );
    }
    const pages = changed('page', effects.pages, (p) => p.path, (p) => p.title);
    if (pages.length) {
      await db.query(
        `INSERT INTO pages (site, path, title, at) VALUES ${placeholders(pages.length, 4)}
         ON CONFLICT (site, path) DO UPDATE SET title = EXCLUDED.title, at = EXCLUDED.at WHERE EXCLUDED.at >= pages.at`,
        pages.flatMap((p) => [site, p.path, p.title, p.at]),
      );
    }
    const { rows: inserted } = await db.query({
      name: alreadyStored ? 'chorus-rolled-up' : 'chorus-batch',
      text: alreadyStored ? ROLLED_UP : BATCH,
      values: [site, reader ?? null, JSON.stringify(events), JSON.stringify(adds), JSON.stringify(stepRows)],
    });
    for (const [key, holds] of learnt) written.set(key, holds);
    const fresh = new Set(inserted.map((row) => row.id as string));
    return { inserted: [...fresh], duplicates: events.map((event) => event.id).filter((id) => !fresh.has(id)) };
  };
}

/** Rolls up the events stored before the rollups existed (their readers unknown: no hash was kept). */
async function backfill(query: Query): Promise<void> {
  const write = writer();
  const db = { query };
  for (let last: { site: string; id: string } | undefined; ; ) {
    const { rows } = await query(
      `SELECT * FROM events ${last ? 'WHERE (site, id) > ($1, $2)' : ''} ORDER BY site, id LIMIT 5000`,
      last ? [last.site, last.id] : [],
    );
    if (!rows.length) return;
    last = rows.at(-1);
    const bySite = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const event = { ...row, at: toNumber(row.at), path: pathOf(row) } as StoredEvent & { site: string };
      bySite.set(event.site, [...(bySite.get(event.site) ?? []), event]);
    }
    for (const [site, events] of bySite) {
      await query(`UPDATE events SET path = u.path FROM (SELECT unnest($2::text[]) AS id, unnest($3::text[]) AS path) u WHERE events.site = $1 AND events.id = u.id`, [
        site,
        events.map((e) => e.id),
        events.map((e) => e.path),
      ]);
      await write(db, site, events, undefined, true);
    }
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Several collectors may start at once against one database: one migrates, the others wait.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ current: number }>('SELECT COALESCE(MAX(version), 0)::int AS current FROM schema_migrations');
    const current = rows[0].current;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(`the database's schema is version ${current}, newer than this collector knows (${POSTGRES_MIGRATIONS.length}): upgrade the collector`);
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      const migration = POSTGRES_MIGRATIONS[version - 1];
      if (typeof migration === 'function') await migration((sql, values) => client.query(sql, values));
      else await client.query(migration);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
