// SQLite through better-sqlite3: one file, no server; the default store for one blog on one machine.
//
// Durability: WAL with synchronous=FULL, so a transaction is fsynced to the WAL before `insert`
// resolves and the batch is answered 2xx. (WAL with NORMAL would survive a killed process too: the
// commit is written to the WAL before the call returns and the OS keeps it; it can only lose the
// last commits on a power cut or kernel crash. The contract promises "stored" on 2xx, so FULL.)
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { CommentRow, CountRow, DayRow, InsertResult, Storage, StoredEvent } from './storage.js';

/** Applied in order, each once, in one transaction at start. Append; never edit a released one. */
export const SQLITE_MIGRATIONS: string[] = [
  `CREATE TABLE events (
     site TEXT NOT NULL,
     id TEXT NOT NULL,
     type TEXT NOT NULL,
     widget TEXT NOT NULL,
     instance TEXT NOT NULL,
     at INTEGER NOT NULL,
     day TEXT NOT NULL,
     ts INTEGER NOT NULL,
     sent INTEGER NOT NULL,
     received INTEGER NOT NULL,
     url TEXT NOT NULL,
     title TEXT NOT NULL,
     referrer TEXT NOT NULL,
     network TEXT,
     campaign TEXT,
     variant TEXT,
     text TEXT,
     props TEXT,
     PRIMARY KEY (site, id)
   );
   CREATE INDEX events_site_at ON events (site, at);
   CREATE INDEX events_site_widget_instance ON events (site, widget, instance, at);`,
];

interface Pending {
  site: string;
  events: StoredEvent[];
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteOptions {
  /** `FULL` (default) fsyncs every commit; `NORMAL` only at checkpoints (see above). */
  synchronous?: 'FULL' | 'NORMAL';
}

export function openSqlite(file: string, options: SqliteOptions = {}): Storage {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const insertOne = db.prepare(
    `INSERT INTO events (site, id, type, widget, instance, at, day, ts, sent, received, url, title, referrer,
                         network, campaign, variant, text, props)
     VALUES (@site, @id, @type, @widget, @instance, @at, @day, @ts, @sent, @received, @url, @title, @referrer,
             @network, @campaign, @variant, @text, @props)
     ON CONFLICT (site, id) DO NOTHING`,
  );
  const insertBatch = (site: string, events: StoredEvent[]): InsertResult => {
    const result: InsertResult = { inserted: [], duplicates: [] };
    for (const event of events) {
      const { changes } = insertOne.run({ ...event, site, props: event.props && JSON.stringify(event.props) });
      (changes ? result.inserted : result.duplicates).push(event.id);
    }
    return result;
  };
  // Group commit: the batches that arrive in one turn of the event loop share one transaction, so
  // one fsync acknowledges them all. Each is answered only after that commit.
  const insertGroup = db.transaction((group: Pending[]) => group.map(({ site, events }) => insertBatch(site, events)));
  let pending: Pending[] = [];
  const flush = () => {
    const group = pending;
    pending = [];
    if (!group.length) return;
    let results: InsertResult[];
    try {
      results = insertGroup(group);
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve }, index) => resolve(results[index]));
  };
  const counts = db.prepare(
    `SELECT widget, instance, type, network, campaign, variant, COUNT(*) AS count
       FROM events WHERE site = ? AND at >= ? AND at < ?
      GROUP BY widget, instance, type, network, campaign, variant`,
  );
  const days = db.prepare(
    `SELECT day, type, COUNT(*) AS count FROM events WHERE site = ? AND at >= ? AND at < ? GROUP BY day, type ORDER BY day`,
  );
  const latestTexts = db.prepare(
    `SELECT instance, text FROM (
       SELECT instance, text, ROW_NUMBER() OVER (PARTITION BY instance ORDER BY at DESC, received DESC, id) AS rank
         FROM events
        WHERE site = ? AND widget = ? AND text IS NOT NULL AND instance IN (SELECT value FROM json_each(?))
     ) WHERE rank = 1`,
  );
  const comments = db.prepare(
    `SELECT id, widget, instance, at, url, title, text, props FROM events
      WHERE site = ? AND type = 'comment' AND at >= ? AND at < ?
      ORDER BY at DESC, id LIMIT ?`,
  );

  return {
    kind: 'sqlite',
    description: file === ':memory:' ? 'SQLite in memory' : `SQLite ${resolve(file)}`,
    insert(site, events) {
      return new Promise<InsertResult>((resolve, reject) => {
        if (pending.push({ site, events, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async counts({ site, from, to }) {
      return counts.all(site, from, to) as CountRow[];
    },
    async days({ site, from, to }) {
      return days.all(site, from, to) as DayRow[];
    },
    async latestTexts(site, widget, instances) {
      const rows = latestTexts.all(site, widget, JSON.stringify(instances)) as { instance: string; text: string }[];
      return new Map(rows.map((row) => [row.instance, row.text]));
    },
    async comments({ site, from, to }, limit) {
      const rows = comments.all(site, from, to, limit) as (Omit<CommentRow, 'props'> & { props: string | null })[];
      return rows.map((row) => ({ ...row, props: row.props === null ? null : JSON.parse(row.props) }));
    },
    async close() {
      flush();
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  // IMMEDIATE takes the write lock first, so two processes starting on one file cannot both migrate.
  db.transaction(() => {
    const { current } = db.prepare('SELECT COALESCE(MAX(version), 0) AS current FROM schema_migrations').get() as { current: number };
    if (current > SQLITE_MIGRATIONS.length) {
      throw new Error(`the database's schema is version ${current}, newer than this collector knows (${SQLITE_MIGRATIONS.length}): upgrade the collector`);
    }
    SQLITE_MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (version <= current) return;
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    });
  }).immediate();
}
