// PostgreSQL through pg: for a busy site, several collector processes behind a reverse proxy.
// A batch is one INSERT statement, so it commits (durably, with PostgreSQL's default
// synchronous_commit) or fails whole before the collector answers.
import pg from 'pg';
import type { CommentRow, CountRow, DayRow, InsertResult, Storage, StoredEvent } from './storage.js';

/** Applied in order, each once, in one transaction at start. Append; never edit a released one. */
export const POSTGRES_MIGRATIONS: string[] = [
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
];

// Any constant works; it only has to be the same in every collector process.
const MIGRATION_LOCK = 0x63686f72; // "chor"

const COLUMNS = [
  'id', 'type', 'widget', 'instance', 'at', 'day', 'ts', 'sent', 'received', 'url', 'title', 'referrer',
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

  return {
    kind: 'postgres',
    description: describeUrl(url),
    // Ids must be unique within one call (the route keeps the first of each).
    async insert(site, events): Promise<InsertResult> {
      if (events.length === 0) return { inserted: [], duplicates: [] };
      const values: unknown[] = [site];
      const rows = events.map((event) => {
        const placeholders = COLUMNS.map((column) => {
          values.push(column === 'props' ? (event.props && JSON.stringify(event.props)) : event[column as keyof StoredEvent]);
          return `$${values.length}`;
        });
        return `($1, ${placeholders.join(', ')})`;
      });
      const { rows: inserted } = await pool.query<{ id: string }>(
        `INSERT INTO events (site, ${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
         ON CONFLICT (site, id) DO NOTHING RETURNING id`,
        values,
      );
      const fresh = new Set(inserted.map((row) => row.id));
      return {
        inserted: [...fresh],
        duplicates: events.map((event) => event.id).filter((id) => !fresh.has(id)),
      };
    },
    async counts({ site, from, to }) {
      const { rows } = await pool.query(
        `SELECT widget, instance, type, network, campaign, variant, COUNT(*) AS count
           FROM events WHERE site = $1 AND at >= $2 AND at < $3
          GROUP BY widget, instance, type, network, campaign, variant`,
        [site, from, to],
      );
      return rows.map((row) => ({ ...row, count: toNumber(row.count) })) as CountRow[];
    },
    async days({ site, from, to }) {
      const { rows } = await pool.query(
        `SELECT day, type, COUNT(*) AS count FROM events WHERE site = $1 AND at >= $2 AND at < $3 GROUP BY day, type ORDER BY day`,
        [site, from, to],
      );
      return rows.map((row) => ({ ...row, count: toNumber(row.count) })) as DayRow[];
    },
    async latestTexts(site, widget, instances) {
      const { rows } = await pool.query<{ instance: string; text: string }>(
        `SELECT DISTINCT ON (instance) instance, text FROM events
          WHERE site = $1 AND widget = $2 AND text IS NOT NULL AND instance = ANY($3)
          ORDER BY instance, at DESC, received DESC, id`,
        [site, widget, instances],
      );
      return new Map(rows.map((row) => [row.instance, row.text]));
    },
    async comments({ site, from, to }, limit) {
      const { rows } = await pool.query(
        `SELECT id, widget, instance, at, url, title, text, props FROM events
          WHERE site = $1 AND type = 'comment' AND at >= $2 AND at < $3
          ORDER BY at DESC, id LIMIT $4`,
        [site, from, to, limit],
      );
      return rows.map((row) => ({ ...row, at: toNumber(row.at) })) as CommentRow[];
    },
    async close() {
      await pool.end();
    },
  };
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
      await client.query(POSTGRES_MIGRATIONS[version - 1]);
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
