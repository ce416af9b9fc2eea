// PostgreSQL through pg: for a busy site, several collector processes behind a reverse proxy.
// A batch is one INSERT statement, so it commits (durably, with PostgreSQL's default
// synchronous_commit) or fails whole before the collector answers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { batchEffects, codesNamed, mergeRollups, pathOf, readerDelta, ROLLUP_DIMENSIONS, WHOLE_SITE, type ReaderStep } from '../rollup.js';
import { bucketsOf, dayBounds, ROLLUPS_SCHEMA } from './schema.js';

const KEY_DIMENSIONS = ROLLUP_DIMENSIONS.filter((d) => d !== 'day');
import type { CommentRow, DayRow, InsertResult, QuoteInfo, Range, RollupRow, Storage, StoredEvent } from './storage.js';

type Query = (sql: string, values?: unknown[]) => Promise<pg.QueryResult>;

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
   ${ROLLUPS_SCHEMA('DOUBLE PRECISION', 'BYTEA', 'BIGSERIAL PRIMARY KEY', '')}`,
  (query) => backfill(query),
];

// Any constant works; it only has to be the same in every collector process.
const MIGRATION_LOCK = 0x63686f72; // "chor"

const COLUMNS = [
  'id', 'type', 'widget', 'instance', 'at', 'day', 'path', 'ts', 'sent', 'received', 'url', 'title', 'referrer',
  'network', 'campaign', 'variant', 'text', 'props',
] as const;

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

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
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
    try {
      await client.query('BEGIN');
      const result = await work((sql, values) => client.query(sql, values));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  const rangeValues = ({ site, from, to, post }: Range) => [site, ...dayBounds(from, to), post ?? null];
  const numbers = <T>(rows: Record<string, unknown>[], ...columns: string[]) =>
    rows.map((row) => ({ ...row, ...Object.fromEntries(columns.map((column) => [column, toNumber(row[column])])) })) as T[];

  return {
    kind: 'postgres',
    description: describeUrl(url),
    // Ids must be unique within one call (the route keeps the first of each).
    insert(site, events, reader): Promise<InsertResult> {
      if (events.length === 0) return Promise.resolve({ inserted: [], duplicates: [] });
      return inTransaction(async (query) => {
        const values: unknown[] = [site];
        const rows = events.map((event) => {
          const placeholders = COLUMNS.map((column) => {
            values.push(column === 'props' ? (event.props && JSON.stringify(event.props)) : event[column as keyof StoredEvent]);
            return `$${values.length}`;
          });
          return `($1, ${placeholders.join(', ')})`;
        });
        const { rows: inserted } = await query(
          `INSERT INTO events (site, ${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
           ON CONFLICT (site, id) DO NOTHING RETURNING id`,
          values,
        );
        const fresh = new Set(inserted.map((row) => row.id as string));
        await apply(query, site, events.filter((event) => fresh.has(event.id)), reader);
        return {
          inserted: [...fresh],
          duplicates: events.map((event) => event.id).filter((id) => !fresh.has(id)),
        };
      });
    },
    async ignore(site, day, count) {
      await pool.query(
        `INSERT INTO ignored (site, day, count) VALUES ($1, $2, $3) ON CONFLICT (site, day) DO UPDATE SET count = ignored.count + EXCLUDED.count`,
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
      const { rows } = await pool.query(
        `SELECT ${KEY_DIMENSIONS.map((d) => `k.${d}`).join(', ')}, s.count, s.value
           FROM (SELECT key, SUM(count) AS count, SUM(value) AS value FROM rollups
                  WHERE site = $1 AND bucket = ANY($2) GROUP BY key) AS s
           JOIN rollup_keys AS k ON k.id = s.key
          WHERE $3::text IS NULL OR k.path = $3`,
        [site, bucketsOf(...dayBounds(from, to)), post ?? null],
      );
      return numbers<RollupRow>(rows, 'count', 'value');
    },
    async days({ site, from, to, post }) {
      const { rows } = await pool.query(
        'SELECT day, type, count FROM daily WHERE site = $1 AND path = $2 AND day >= $3 AND day <= $4 ORDER BY day',
        [site, post ?? WHOLE_SITE, ...dayBounds(from, to)],
      );
      return numbers<DayRow>(rows, 'count');
    },
    async ignored(range) {
      const { rows } = await pool.query(`SELECT COALESCE(SUM(count), 0) AS count FROM ignored WHERE site = $1 AND day >= $2 AND day <= $3`, rangeValues(range).slice(0, 3));
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
      const { rows } = await pool.query(
        `SELECT id, widget, instance, at, url, title, text, props FROM events
          WHERE site = $1 AND type = 'comment' AND at >= $2 AND at < $3 AND ($5::text IS NULL OR path = $5)
          ORDER BY at DESC, id LIMIT $4`,
        [site, from, to, limit, post ?? null],
      );
      return rows.map((row) => ({ ...row, at: toNumber(row.at) })) as CommentRow[];
    },
    async close() {
      await pool.end();
    },
  };
}

/** `$n` placeholders for `rows` of `width` values each, after `offset` values. */
const placeholders = (rows: number, width: number, offset = 0) =>
  Array.from({ length: rows }, (_, row) => `(${Array.from({ length: width }, (_, column) => `$${offset + row * width + column + 1}`).join(', ')})`).join(', ');

/** Writes what a batch's fresh events add to the rollups, in the caller's transaction. */
async function apply(query: Query, site: string, events: StoredEvent[], reader?: string): Promise<void> {
  if (!events.length) return;
  const codes = codesNamed(events);
  const known = new Map<string, string>();
  if (codes.length) {
    const { rows } = await query('SELECT DISTINCT ON (code) code, instance FROM quotes WHERE site = $1 AND code = ANY($2) ORDER BY code, instance', [site, codes]);
    for (const row of rows) known.set(row.code, row.instance);
  }
  const effects = batchEffects(events, (code) => known.get(code));
  if (reader && effects.steps.length) {
    // A reader counts once per post, step and day: the rows the insert returns are the new ones.
    const { rows: fresh } = await query(
      `INSERT INTO visitors (site, day, path, step, reader) VALUES ${placeholders(effects.steps.length, 5)}
       ON CONFLICT DO NOTHING RETURNING day, path, step`,
      effects.steps.flatMap((s) => [site, s.day, s.path, s.step, reader]),
    );
    effects.rollups = mergeRollups([...effects.rollups, ...fresh.map((row) => readerDelta(row as { day: string; path: string; step: ReaderStep }))]);
  }
  // Merged and sorted by key: one statement touches each row once, and concurrent batches lock rows in the same order.
  if (effects.rollups.length) {
    const width = KEY_DIMENSIONS.length + 1;
    const dimensions = effects.rollups.flatMap((row) => [site, ...KEY_DIMENSIONS.map((d) => row[d])]);
    await query(
      `INSERT INTO rollup_keys (site, ${KEY_DIMENSIONS.join(', ')}) VALUES ${placeholders(effects.rollups.length, width)} ON CONFLICT DO NOTHING`,
      dimensions,
    );
    const { rows: keys } = await query(
      `SELECT id, ${KEY_DIMENSIONS.join(', ')} FROM rollup_keys WHERE (site, ${KEY_DIMENSIONS.join(', ')}) IN (${placeholders(effects.rollups.length, width)})`,
      dimensions,
    );
    const idOf = new Map(keys.map((row) => [KEY_DIMENSIONS.map((d) => row[d]).join('\u0000'), row.id as string]));
    const buckets = effects.rollups
      .flatMap((row) => {
        const key = idOf.get(KEY_DIMENSIONS.map((d) => row[d]).join('\u0000'))!;
        return [row.day, row.day.slice(0, 7)].map((bucket) => ({ bucket, key, count: row.count, value: row.value }));
      })
      .reduce((merged, row) => {
        const id = `${row.bucket} ${row.key}`;
        const found = merged.get(id);
        if (found) Object.assign(found, { count: found.count + row.count, value: found.value + row.value });
        else merged.set(id, row);
        return merged;
      }, new Map<string, { bucket: string; key: string; count: number; value: number }>());
    const ordered = [...buckets.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : Number(a.key) - Number(b.key)));
    await query(
      `INSERT INTO rollups (site, bucket, key, count, value) VALUES ${placeholders(ordered.length, 5)}
       ON CONFLICT (site, bucket, key) DO UPDATE SET count = rollups.count + EXCLUDED.count, value = rollups.value + EXCLUDED.value`,
      ordered.flatMap((row) => [site, row.bucket, row.key, row.count, row.value]),
    );
  }
  if (effects.series.length) {
    await query(
      `INSERT INTO daily (site, day, path, type, count) VALUES ${placeholders(effects.series.length, 5)}
       ON CONFLICT (site, path, day, type) DO UPDATE SET count = daily.count + EXCLUDED.count`,
      effects.series.flatMap((row) => [site, row.day, row.path, row.type, row.count]),
    );
  }
  const quotes = effects.quotes.sort((a, b) => (a.instance < b.instance ? -1 : 1));
  if (quotes.length) {
    await query(
      `INSERT INTO quotes (site, instance, code, path, text, at) VALUES ${placeholders(quotes.length, 6)}
       ON CONFLICT (site, instance) DO UPDATE SET
         path = CASE WHEN EXCLUDED.at >= quotes.at THEN EXCLUDED.path ELSE quotes.path END,
         text = CASE WHEN EXCLUDED.text IS NOT NULL AND (EXCLUDED.at >= quotes.at OR quotes.text IS NULL) THEN EXCLUDED.text ELSE quotes.text END,
         at = GREATEST(quotes.at, EXCLUDED.at)`,
      quotes.flatMap((q) => [site, q.instance, q.code, q.path, q.text, q.at]),
    );
  }
  const pages = effects.pages.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (pages.length) {
    await query(
      `INSERT INTO pages (site, path, title, at) VALUES ${placeholders(pages.length, 4)}
       ON CONFLICT (site, path) DO UPDATE SET title = EXCLUDED.title, at = EXCLUDED.at WHERE EXCLUDED.at >= pages.at`,
      pages.flatMap((p) => [site, p.path, p.title, p.at]),
    );
  }
}

/** Rolls up the events stored before the rollups existed (their readers unknown: no hash was kept). */
async function backfill(query: Query): Promise<void> {
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
      await apply(query, site, events);
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
