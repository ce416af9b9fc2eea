// SQLite through better-sqlite3: one file, no server; the default store for one blog on one machine.
//
// Durability: WAL with synchronous=FULL, so a transaction is fsynced to the WAL before `insert`
// resolves and the batch is answered 2xx. (WAL with NORMAL would survive a killed process too: the
// commit is written to the WAL before the call returns and the OS keeps it; it can only lose the
// last commits on a power cut or kernel crash. The contract promises "stored" on 2xx, so FULL.)
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { batchEffects, KEY_DIMENSIONS, mergeRollups, pathOf, readerDelta, WHOLE_SITE, type BatchEffects } from '../rollup.js';
import { bucketsOf, dayBounds, ROLLUPS_SCHEMA } from './schema.js';
import type { CommentRow, DayRow, InsertResult, QuoteInfo, Range, ReportReads, RollupRow, Storage, StoredEvent } from './storage.js';

/** Applied in order, each once, in one transaction at start. Append; never edit a released one. */
export const SQLITE_MIGRATIONS: (string | ((db: Database.Database) => void))[] = [
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
  // 2: per-day rollups kept in the insert's transaction, unique readers, bots; rolled up from the events already stored.
  `ALTER TABLE events ADD COLUMN path TEXT NOT NULL DEFAULT '';
   DROP INDEX events_site_widget_instance;
   CREATE INDEX events_site_type_at ON events (site, type, at);
   ${ROLLUPS_SCHEMA('REAL', 'BLOB', 'INTEGER PRIMARY KEY', 'WITHOUT ROWID')}`,
  (db) => backfill(db),
  // 4: what trackers had to drop, per day, as told by their batches.
  `CREATE TABLE dropped (site TEXT NOT NULL, day TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (site, day))`,
];

interface Pending {
  site: string;
  events: StoredEvent[];
  reader?: string;
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
    `INSERT INTO events (site, id, type, widget, instance, at, day, path, ts, sent, received, url, title, referrer,
                         network, campaign, variant, text, props)
     VALUES (@site, @id, @type, @widget, @instance, @at, @day, @path, @ts, @sent, @received, @url, @title, @referrer,
             @network, @campaign, @variant, @text, @props)
     ON CONFLICT (site, id) DO NOTHING`,
  );
  const apply = applier(db);
  const insertBatch = (site: string, events: StoredEvent[], reader?: string): InsertResult => {
    const result: InsertResult = { inserted: [], duplicates: [] };
    const fresh: StoredEvent[] = [];
    for (const event of events) {
      const { changes } = insertOne.run({ ...event, site, props: event.props && JSON.stringify(event.props) });
      (changes ? result.inserted : result.duplicates).push(event.id);
      if (changes) fresh.push(event);
    }
    apply(site, fresh, reader);
    return result;
  };
  // Group commit: the batches that arrive in one turn of the event loop share one transaction, so
  // one fsync acknowledges them all. Each is answered only after that commit.
  const insertGroup = db.transaction((group: Pending[]) => group.map(({ site, events, reader }) => insertBatch(site, events, reader)));
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

  const addIgnored = db.prepare(
    `INSERT INTO ignored (site, day, count) VALUES (?, ?, ?) ON CONFLICT (site, day) DO UPDATE SET count = count + excluded.count`,
  );
  const addDropped = db.prepare(
    `INSERT INTO dropped (site, day, count) VALUES (?, ?, ?) ON CONFLICT (site, day) DO UPDATE SET count = count + excluded.count`,
  );
  const saltOf = db.prepare('SELECT salt FROM salts WHERE day = ?');
  const newSalt = db.transaction((day: string) => {
    db.prepare('INSERT INTO salts (day, salt) VALUES (?, ?) ON CONFLICT (day) DO NOTHING').run(day, randomBytes(32));
    db.prepare('DELETE FROM salts WHERE day <> ?').run(day);
    db.prepare('DELETE FROM visitors WHERE day < ?').run(day);
    return (saltOf.get(day) as { salt: Buffer }).salt;
  });

  return {
    kind: 'sqlite',
    description: file === ':memory:' ? 'SQLite in memory' : `SQLite ${resolve(file)}`,
    insert(site, events, reader) {
      return new Promise<InsertResult>((resolve, reject) => {
        if (pending.push({ site, events, reader, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async ignore(site, day, count) {
      addIgnored.run(site, day, count);
    },
    async drop(site, day, count) {
      addDropped.run(site, day, count);
    },
    async salt(day) {
      const found = saltOf.get(day) as { salt: Buffer } | undefined;
      return found?.salt ?? newSalt.immediate(day);
    },
    ...readStatements(db),
    async fold() {
      // Nothing waits: a SQLite file has one writer at a time, so batches update the rollups themselves.
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      flush();
      if (db.open) db.close();
    },
  };
}

/** Writes what a batch's fresh events add to the rollups, in the caller's transaction. */
function applier(db: Database.Database): (site: string, events: StoredEvent[], reader?: string) => void {
  const codeOf = db.prepare('SELECT instance FROM quotes WHERE site = ? AND code = ? LIMIT 1').pluck();
  const keyOf = db.prepare(`SELECT id FROM rollup_keys WHERE site = @site AND ${KEY_DIMENSIONS.map((d) => `${d} = @${d}`).join(' AND ')}`).pluck();
  const newKey = db.prepare(`INSERT INTO rollup_keys (site, ${KEY_DIMENSIONS.join(', ')}) VALUES (@site, ${KEY_DIMENSIONS.map((d) => `@${d}`).join(', ')})`);
  const upsertRollup = db.prepare(
    `INSERT INTO rollups (site, bucket, key, count, value) VALUES (@site, @bucket, @key, @count, @value)
     ON CONFLICT (site, bucket, key) DO UPDATE SET count = count + excluded.count, value = value + excluded.value`,
  );
  const upsertDaily = db.prepare(
    `INSERT INTO daily (site, day, path, type, count) VALUES (@site, @day, @path, @type, @count)
     ON CONFLICT (site, path, day, type) DO UPDATE SET count = count + excluded.count`,
  );
  const upsertQuote = db.prepare(
    `INSERT INTO quotes (site, instance, code, path, text, at) VALUES (@site, @instance, @code, @path, @text, @at)
     ON CONFLICT (site, instance) DO UPDATE SET
       path = CASE WHEN excluded.at >= quotes.at THEN excluded.path ELSE quotes.path END,
       text = CASE WHEN excluded.text IS NOT NULL AND (excluded.at >= quotes.at OR quotes.text IS NULL) THEN excluded.text ELSE quotes.text END,
       at = MAX(quotes.at, excluded.at)`,
  );
  const upsertPage = db.prepare(
    `INSERT INTO pages (site, path, title, at) VALUES (@site, @path, @title, @at)
     ON CONFLICT (site, path) DO UPDATE SET title = excluded.title, at = excluded.at WHERE excluded.at >= pages.at`,
  );
  const visit = db.prepare(`INSERT INTO visitors (site, day, path, step, reader) VALUES (@site, @day, @path, @step, @reader) ON CONFLICT DO NOTHING`);
  return (site, events, reader) => {
    if (!events.length) return;
    const effects: BatchEffects = batchEffects(events, (code) => codeOf.get(site, code) as string | undefined);
    // A reader counts once per post, step and day: when the day's hash is new for them.
    const readers = reader ? effects.steps.filter((step) => visit.run({ site, ...step, reader }).changes) : [];
    for (const row of mergeRollups([...effects.rollups, ...readers.map(readerDelta)])) {
      const dimensions = { site, ...row };
      const key = (keyOf.get(dimensions) as number | undefined) ?? Number(newKey.run(dimensions).lastInsertRowid);
      for (const bucket of [row.day, row.day.slice(0, 7)]) upsertRollup.run({ site, bucket, key, count: row.count, value: row.value });
    }
    for (const row of effects.series) upsertDaily.run({ site, ...row });
    for (const quote of effects.quotes) upsertQuote.run({ site, ...quote });
    for (const page of effects.pages) upsertPage.run({ site, ...page });
  };
}

/** Rolls up the events stored before the rollups existed (their readers unknown: no hash was kept). */
function backfill(db: Database.Database): void {
  const apply = applier(db);
  const setPath = db.prepare('UPDATE events SET path = ? WHERE site = ? AND id = ?');
  const page = db.prepare(`SELECT rowid AS position, * FROM events WHERE rowid > ? ORDER BY rowid LIMIT 5000`);
  for (let last = 0; ; ) {
    const rows = page.all(last) as (StoredEvent & { site: string; position: number; props: string | null })[];
    if (!rows.length) return;
    last = rows.at(-1)!.position;
    const bySite = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const event = { ...row, props: row.props === null ? null : JSON.parse(row.props) };
      event.path = pathOf(event);
      setPath.run(event.path, row.site, row.id);
      bySite.set(row.site, [...(bySite.get(row.site) ?? []), event]);
    }
    for (const [site, events] of bySite) apply(site, events);
  }
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
      if (typeof sql === 'function') sql(db);
      else db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    });
  }).immediate();
}

/**
 * The report's reads on connection `db`, as a store's read methods: the main connection's, or a
 * read-only one in the report's thread (src/report/thread.ts).
 */
export function readStatements(db: Database.Database): ReportReads {
  // The report's reads: the buckets of the range (whole months as one row per key), grouped on the
  // integer key, so their cost follows the number of keys and buckets, not the number of events.
  const rollups = db.prepare(
    `SELECT ${KEY_DIMENSIONS.map((d) => `k.${d}`).join(', ')}, s.count, s.value
       FROM (SELECT key, SUM(count) AS count, SUM(value) AS value FROM rollups
              WHERE site = @site AND bucket IN (SELECT value FROM json_each(@buckets)) GROUP BY key) AS s
       JOIN rollup_keys AS k ON k.id = s.key
      WHERE @post IS NULL OR k.path = @post`,
  );
  const days = db.prepare(`SELECT day, type, count FROM daily WHERE site = @site AND path = @path AND day >= @first AND day <= @last ORDER BY day`);
  const post = 'AND (@post IS NULL OR path = @post)';
  const ignored = db.prepare(`SELECT COALESCE(SUM(count), 0) AS count FROM ignored WHERE site = @site AND day >= @first AND day <= @last`);
  const dropped = db.prepare(`SELECT COALESCE(SUM(count), 0) AS count FROM dropped WHERE site = @site AND day >= @first AND day <= @last`);
  const titles = db.prepare(`SELECT path, title FROM pages WHERE site = ? AND path IN (SELECT value FROM json_each(?))`);
  const quotes = db.prepare(`SELECT instance, path, text FROM quotes WHERE site = ? AND instance IN (SELECT value FROM json_each(?))`);
  const comments = db.prepare(
    // INDEXED BY: without statistics SQLite would walk every event of the range by time instead.
    `SELECT id, widget, instance, at, url, title, text, props FROM events INDEXED BY events_site_type_at
      WHERE site = @site AND type = 'comment' AND at >= @from AND at < @to ${post}
      ORDER BY at DESC, id LIMIT @limit`,
  );
  const rangeParams = ({ site, from, to, post }: Range) => {
    const [first, last] = dayBounds(from, to);
    return { site, first, last, post: post ?? null };
  };
  const bucketParams = (range: Range) => ({ site: range.site, post: range.post ?? null, buckets: JSON.stringify(bucketsOf(...dayBounds(range.from, range.to))) });
  return {
    async rollups(range) {
      return rollups.all(bucketParams(range)) as RollupRow[];
    },
    async days(range) {
      const { site, first, last, post } = rangeParams(range);
      return days.all({ site, first, last, path: post ?? WHOLE_SITE }) as DayRow[];
    },
    async ignored(range) {
      return (ignored.get(rangeParams(range)) as { count: number }).count;
    },
    async dropped(range) {
      return (dropped.get(rangeParams(range)) as { count: number }).count;
    },
    async titles(site, paths) {
      const rows = titles.all(site, JSON.stringify(paths)) as { path: string; title: string }[];
      return new Map(rows.map((row) => [row.path, row.title]));
    },
    async quotes(site, instances) {
      const rows = quotes.all(site, JSON.stringify(instances)) as QuoteInfo[];
      return new Map(rows.map((row) => [row.instance, row]));
    },
    async comments(range, limit) {
      const rows = comments.all({ ...range, post: range.post ?? null, limit }) as (Omit<CommentRow, 'props'> & { props: string | null })[];
      return rows.map((row) => ({ ...row, props: row.props === null ? null : JSON.parse(row.props) }));
    },
  };
}

/** A read-only connection to an existing file, with the report's reads: for the report's own thread. */
export function openSqliteReads(file: string): ReportReads & { close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return { ...readStatements(db), close: () => db.close() };
}
