// The rollups' life cycle, on the stores themselves: a database from before them is rolled up when it
// migrates, and a day's salt (and every reader hash made with it) is destroyed when the next day's
// is made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgres, openSqlite } from '@chorus/collector';
import { SQLITE_MIGRATIONS } from '../dist/storage/sqlite.js';
import { report, parseRange } from '../dist/report/report.js';
import { event, freshDatabase, newId, tempDir, testDatabaseUrl } from './helpers.mjs';

const DAY = 24 * 3600 * 1000;

test('a SQLite file from before the rollups is rolled up on its first start, and its report is the same', async (t) => {
  const file = join(tempDir(t), 'old.db');
  const old = new Database(file);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  old.exec(SQLITE_MIGRATIONS[0]);
  old.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run();
  const insert = old.prepare(
    `INSERT INTO events (site, id, type, widget, instance, at, day, ts, sent, received, url, title, referrer, network, campaign, variant, text, props)
     VALUES ('blog', @id, @type, @widget, @instance, @at, @day, @at, @at, @at, @url, @title, '', @network, NULL, NULL, @text, @props)`,
  );
  const now = Date.now();
  for (let i = 0; i < 7000; i++) {
    // More than one page of the backfill (5,000 events), over three days.
    const at = now - (i % 3) * DAY;
    insert.run({ id: newId(), type: i % 10 ? 'impression' : 'share', widget: 'quote-to-tweet', instance: 'q1', at, day: new Date(at).toISOString().slice(0, 10), url: 'https://blog.example/post/', title: 'Post', network: i % 10 ? null : 'x', text: 'Quote', props: '{"text":"Quote"}' });
  }
  old.close();

  const storage = openSqlite(file);
  t.after(() => storage.close());
  const migrated = await report(storage, parseRange('blog', '', ''));
  assert.deepEqual([migrated.totals.impression, migrated.totals.share], [6300, 700]);
  assert.deepEqual([migrated.quotes[0].text, migrated.quotes[0].path, { ...migrated.quotes[0].networks }], ['Quote', '/post', { x: 700 }]);
  assert.equal(migrated.series.reduce((sum, day) => sum + day.share, 0), 700);
});

/** A store, and a way to count rows straight from its database. */
const stores = [
  [
    'SQLite',
    async (t) => {
      const file = join(tempDir(t), 'salt.db');
      const count = async (table) => {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
        } finally {
          db.close();
        }
      };
      return { storage: openSqlite(file), count };
    },
  ],
  [
    'PostgreSQL',
    async (t) => {
      const server = await testDatabaseUrl();
      if (!server.url) assert.fail(`the PostgreSQL tests did not run: ${server.reason}`);
      const database = await freshDatabase(server.url);
      t.after(database.drop);
      const count = async (table) => {
        const client = new pg.Client(database.url);
        await client.connect();
        try {
          return Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
        } finally {
          await client.end();
        }
      };
      return { storage: await openPostgres(database.url), count };
    },
  ],
];

for (const [label, open] of stores) {
  test(`${label}: a day's salt is kept for that day only; the next day's destroys it and the hashes made with it`, async (t) => {
    const { storage, count } = await open(t);
    t.after(() => storage.close());
    const first = await storage.salt('2026-12-01');
    assert.equal(first.length, 32);
    assert.deepEqual(await storage.salt('2026-12-01'), first, 'the same salt all day, in every process');
    const day = '2026-12-01';
    const view = { ...event({ type: 'pageview', widget: 'page', instance: 'page' }), at: Date.parse(`${day}T12:00:00Z`), day, path: '/post', sent: 0, received: 0, network: null, campaign: null, variant: null, text: null, props: null };
    await storage.insert('blog', [view], 'hash-a');
    await storage.insert('blog', [{ ...view, id: newId() }], 'hash-a');
    await storage.insert('blog', [{ ...view, id: newId() }], 'hash-b');
    assert.equal(await count('visitors'), 2);
    const second = await storage.salt('2026-12-02');
    assert.notDeepEqual(second, first);
    assert.equal(await count('salts'), 1, "only the new day's salt is left");
    assert.equal(await count('visitors'), 0, 'the hashes of the day before are gone');
    const rows = await storage.rollups({ site: 'blog', from: Date.parse('2026-12-01'), to: Date.parse('2026-12-02') });
    assert.equal(rows.find((row) => row.type === 'readers:viewed')?.count, 2, 'two readers, counted once each, and still counted');
    assert.equal(rows.find((row) => row.type === 'pageview')?.count, 3);
  });
}

for (const [label, open] of stores) {
  test(`${label}: the rollups read the same before and after the pending deltas are folded in`, async (t) => {
    const { storage, count } = await open(t);
    t.after(() => storage.close());
    const now = Date.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const stored = (fields) => ({ ...event(fields), at: now, day, path: '/post', sent: now, received: now, network: null, campaign: null, variant: null, text: null, props: null, ...fields });
    for (let i = 0; i < 5; i++) {
      await storage.insert('blog', [stored({ type: 'pageview', widget: 'page', instance: 'page' }), stored({ type: 'share', network: 'x' })], `reader-${i % 2}`);
    }
    const range = { site: 'blog', from: now - 1000, to: now + 1000 };
    const sorted = (rows) => rows.map((row) => JSON.stringify(row)).sort();
    const [before, beforeDays] = [sorted(await storage.rollups(range)), await storage.days(range)];
    await storage.fold();
    assert.deepEqual(sorted(await storage.rollups(range)), before);
    assert.deepEqual(await storage.days(range), beforeDays);
    assert.equal(before.length, 4, 'pageview, share, readers:viewed and readers:acted');
    if (label === 'PostgreSQL') assert.equal(await count('rollup_deltas'), 0, 'folded');
  });
}

for (const [label, open] of stores) {
  test(`${label}: batches stored at once (PostgreSQL writes them together) count each event and reader once; one that cannot be stored fails alone`, async (t) => {
    const { storage } = await open(t);
    t.after(() => storage.close());
    const now = Date.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const stored = (fields) => ({ ...event(fields), at: now, day, path: '/post', sent: now, received: now, network: null, campaign: null, variant: null, text: null, props: null, ...fields });
    // A reader's share sent twice at once (a retry while the first was on its way), by batches 0 and 3.
    const shared = stored({ type: 'share', network: 'x' });
    const batches = Array.from({ length: 24 }, (_, i) => [
      stored({ type: 'pageview', widget: 'page', instance: 'page' }),
      stored({ type: 'impression' }),
      ...(i == 0 || i == 3 ? [shared] : []),
    ]);
    const answers = await Promise.all(batches.map((events, i) => storage.insert('blog', events, `reader-${i % 3}`)));
    const inserted = answers.flatMap((answer) => answer.inserted);
    assert.equal(new Set(inserted).size, inserted.length, 'no event is new twice');
    assert.equal(inserted.length, 24 * 2 + 1);
    assert.deepEqual(answers.flatMap((answer) => answer.duplicates), [shared.id], 'the second copy is a duplicate');
    const counts = Object.fromEntries((await storage.rollups({ site: 'blog', from: now - 1000, to: now + 1000 })).map((row) => [row.type, row.count]));
    assert.deepEqual(counts, { pageview: 24, impression: 24, share: 1, 'readers:viewed': 3, 'readers:acted': 1 });
    assert.equal((await storage.days({ site: 'blog', from: now - 1000, to: now + 1000 })).find((row) => row.type === 'share')?.count, 1);

    if (label !== 'PostgreSQL') return;
    // PostgreSQL cannot hold U+0000 in text (validation never lets one through): such a batch, written
    // together with others, fails alone and the others are stored.
    const poisoned = stored({ type: 'impression', text: 'a\u0000b' });
    const more = Array.from({ length: 6 }, (_, i) => (i == 2 ? [poisoned] : [stored({ type: 'impression' })]));
    const settled = await Promise.allSettled(more.map((events) => storage.insert('blog', events, 'reader-0')));
    assert.deepEqual(settled.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    assert.equal(Object.fromEntries((await storage.rollups({ site: 'blog', from: now - 1000, to: now + 1000 })).map((row) => [row.type, row.count])).impression, 29);
  });
}
