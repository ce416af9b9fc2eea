// PostgreSQL through pg: for a busy site, several collector processes behind a reverse proxy.
// A batch is one INSERT statement, so it commits (durably, with PostgreSQL's default
// synchronous_commit) or fails whole before the collector answers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { batchEffects, codesNamed, isDerived, KEY_DIMENSIONS, pathOf, readerDelta, WHOLE_SITE, type RollupDelta, type RollupKey } from '../rollup.js';
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
/** Batch statements in flight at once (see the group commit in openPostgres), and the events one may hold. */
const WRITERS = 2;
const GROUP_EVENTS = 1000;

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
 * Batches in ONE statement, the same text every time (so each connection prepares it once), for one
 * batch or several written together (see the group commit in openPostgres). They arrive as one JSON
 * array, which costs the collector one JSON.stringify where arrays of values cost a quoting pass per
 * value; each batch is its site, its events (as stored), what each event adds (one row per rollup key:
 * `series` when it also counts in the series) and its reader's steps. Joined to the ids the insert
 * returns, so a retried event adds nothing: each row's day and month buckets, its series rows (for its
 * post and the whole site), the visitors the insert returns (the new ones) and their rows.
 */
function batchStatement(alreadyStored: boolean): string {
  const each = (list: string, alias: string, columns: Record<string, string>) => `SELECT b.site, ${alias}.* FROM batches AS b, ${rowsOf(`b.${list}`, alias, columns)}`;
  const events = `(${each('events', 'e', COLUMNS)}) AS e`;
  const fresh = alreadyStored
    ? `fresh AS (SELECT e.site, e.id FROM ${events})`
    : `fresh AS (INSERT INTO events (site, ${NAMES}) SELECT site, ${NAMES} FROM ${events}
         ON CONFLICT (site, id) DO NOTHING RETURNING site, id)`;
  const adds = each('adds', 'a', { id: 'text', key: 'bigint', count: 'bigint', value: 'float8', day: 'text', path: 'text', type: 'text', series: 'boolean' });
  return `WITH batches AS (SELECT * FROM ${rowsOf('$1::json', 'b', { site: 'text', events: 'json', adds: 'json', steps: 'json' })}),
    ${fresh},
    adds AS (SELECT a.* FROM (${adds}) AS a JOIN fresh USING (site, id)),
    deltas AS (INSERT INTO rollup_deltas (site, bucket, key, count, value)
      SELECT adds.site, b.bucket, adds.key, SUM(adds.count), SUM(adds.value) FROM adds
      CROSS JOIN LATERAL (VALUES (adds.day), (substr(adds.day, 1, 7))) AS b (bucket) GROUP BY adds.site, b.bucket, adds.key),
    series AS (INSERT INTO daily_deltas (site, day, path, type, count)
      SELECT adds.site, adds.day, w.path, adds.type, SUM(adds.count) FROM adds
      CROSS JOIN LATERAL (VALUES (NULLIF(adds.path, '')), ('${WHOLE_SITE}')) AS w (path)
      WHERE adds.series AND w.path IS NOT NULL GROUP BY adds.site, adds.day, w.path, adds.type),
    -- Distinct: batches of one reader written together may name the same step.
    steps AS (SELECT DISTINCT * FROM (${each('steps', 's', { reader: 'text', day: 'text', path: 'text', step: 'text', key: 'bigint' })}) AS s),
    -- A reader counts once per post, step and day: the visitors the insert returns are the new ones. A
    -- batch whose events were all stored before finds its visitors there too, so it adds nothing.
    seen AS (INSERT INTO visitors (site, day, path, step, reader) SELECT site, day, path, step, reader FROM steps
      ON CONFLICT DO NOTHING RETURNING site, day, path, step, reader),
    readers AS (INSERT INTO rollup_deltas (site, bucket, key, count, value)
      SELECT seen.site, b.bucket, steps.key, 1, 0 FROM seen JOIN steps USING (site, day, path, step, reader)
      CROSS JOIN LATERAL (VALUES (seen.day), (substr(seen.day, 1, 7))) AS b (bucket))
    SELECT site, id FROM fresh`;
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
  // Group commit: at most WRITERS batch statements at a time; batches that arrive meanwhile wait, and go
  // together in the next one (up to GROUP_EVENTS events). Alone when the collector is quiet; under load,
  // one statement, one round trip and one commit for several batches, which is what lets the collector
  // keep up with more than it could batch by batch. Each batch is answered only once its statement committed.
  const waiting: { prepared: Prepared; done: (result: InsertResult) => void; fail: (error: unknown) => void }[] = [];
  let writers = 0;
  /** The batches that wait, from the first, while they hold GROUP_EVENTS events at most (the first always goes). */
  const nextGroup = () => {
    let size = 0;
    for (let events = 0; size < waiting.length && (size == 0 || events + waiting[size].prepared.events.length <= GROUP_EVENTS); size++) {
      events += waiting[size].prepared.events.length;
    }
    return waiting.splice(0, size);
  };
  const commitGroup = async (group: typeof waiting) => {
    try {
      const results = await write.commit(pool, group.map(({ prepared }) => prepared));
      group.forEach(({ done }, i) => done(results[i]));
    } catch (error) {
      // A batch PostgreSQL refuses (a data or constraint error: class 22 or 23) must not fail the others
      // written with it: then each is tried on its own. Any other failure (a timeout, a lost connection) is all of theirs.
      if (group.length == 1 || !/^2[23]/.test((error as { code?: string }).code ?? '')) return group.forEach(({ fail }) => fail(error));
      await Promise.all(group.map(({ prepared, done, fail }) => write.commit(pool, [prepared]).then(([result]) => done(result), fail)));
    }
  };
  const commitWaiting = () => {
    while (writers < WRITERS && waiting.length) {
      writers++;
      void commitGroup(nextGroup()).finally(() => {
        writers--;
        commitWaiting();
      });
    }
  };
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
    async insert(site, events, reader) {
      if (!events.length) return { inserted: [], duplicates: [] };
      const prepared = await write.prepare(pool, site, events, reader);
      return new Promise<InsertResult>((done, fail) => {
        waiting.push({ prepared, done, fail });
        commitWaiting();
      });
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

/** A batch ready for the statement above: its site, its rows, and what to remember once it is stored. */
interface Prepared {
  site: string;
  events: StoredEvent[];
  adds: { id: string }[];
  steps: object[];
  learnt: [string, string][];
}

/**
 * Writes batches with the statement above. `prepare` looks up and writes first what a batch needs
 * beforehand: the quotes arrival codes name, the ids of rollup keys (made once and kept in memory; a key
 * no event ends up using is harmless), and the quotes and pages that changed (kept in memory as
 * written, so the next batch skips them). `commit` then stores prepared batches in one statement
 * (atomic, one round trip) and answers for each.
 */
function writer() {
  const keyIds = new Map<string, string>();
  const written = new Map<string, string>(); // quote or page → what it holds
  const name = (site: string, row: RollupKey) => [site, ...KEY_DIMENSIONS.map((d) => row[d])].join('\u0000');

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

  async function prepare(db: Queryable, site: string, events: StoredEvent[], reader?: string): Promise<Prepared> {
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
    return {
      site,
      events,
      adds: byEvent.flatMap(([id, rows]) =>
        rows.map((row) => ({ id, key: keyIds.get(name(site, row)), count: row.count, value: row.value, day: row.day, path: row.path, type: row.type, series: !isDerived(row.type) })),
      ),
      steps: steps.map((step, index) => ({ ...step, reader, key: keyIds.get(name(site, readerRows[index])) })),
      learnt,
    };
  }

  async function commit(db: Queryable, batches: Prepared[], alreadyStored = false): Promise<InsertResult[]> {
    const { rows } = await db.query({
      name: alreadyStored ? 'chorus-rolled-up' : 'chorus-batch',
      text: alreadyStored ? ROLLED_UP : BATCH,
      values: [JSON.stringify((batches.length > 1 ? firstCopies(batches) : batches).map(({ site, events, adds, steps }) => ({ site, events, adds, steps })))],
    });
    const fresh = new Set(rows.map((row) => `${row.site} ${row.id}`));
    return batches.map(({ site, events, learnt }) => {
      for (const [key, holds] of learnt) written.set(key, holds);
      const inserted: string[] = [];
      const duplicates: string[] = [];
      // Each event new for one batch at most: the first that holds it.
      for (const { id } of events) (fresh.delete(`${site} ${id}`) ? inserted : duplicates).push(id);
      return { inserted, duplicates };
    });
  }

  return { prepare, commit };
}

/**
 * Batches written together without the events an earlier one holds (a retry sent while the first was on
 * its way), nor what those add, so that each is stored and counted once: the first batch's.
 */
function firstCopies(batches: Prepared[]): Prepared[] {
  const taken = new Set<string>();
  return batches.map((batch) => {
    const again = new Set(batch.events.filter(({ id }) => taken.has(`${batch.site} ${id}`) || !taken.add(`${batch.site} ${id}`)).map(({ id }) => id));
    return again.size ? { ...batch, events: batch.events.filter(({ id }) => !again.has(id)), adds: batch.adds.filter(({ id }) => !again.has(id)) } : batch;
  });
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
      await write.commit(db, [await write.prepare(db, site, events)], true);
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
