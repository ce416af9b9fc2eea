// A batch's `dropped` (issue 12): the events a tracker had to drop, stored and shown in the report as
// `trackerDropped`, on SQLite and on PostgreSQL, over real HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { batch, event, freshDatabase, getReport, ORIGIN, post, tempDir, testDatabaseUrl, TOKEN } from './helpers.mjs';

const stores = [
  { name: 'SQLite', open: async () => ({ options: { db: join(tempDir(), 'chorus.db') } }) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const { url, reason } = await testDatabaseUrl();
      if (!url) throw new Error(`no PostgreSQL to test against: ${reason}`); // never a silent pass
      const database = await freshDatabase(url);
      return { options: { databaseUrl: database.url }, drop: database.drop };
    },
  },
];

for (const store of stores) {
  describe(`a tracker's drops (${store.name})`, () => {
    let collector, database;
    before(async () => {
      database = await store.open();
      collector = await startCollector({ port: 0, ...database.options, token: TOKEN, sites: { blog: [ORIGIN] }, rateLimit: false });
    });
    after(async () => {
      await collector?.close();
      await database?.drop?.();
    });

    const dropped = async () => {
      const { status, json } = await getReport(collector.url);
      assert.equal(status, 200);
      return json.trackerDropped;
    };

    it('counts them once per batch the collector takes, not again when the batch comes back', async () => {
      assert.equal(await dropped(), 0);
      const told = { ...batch([event(), event()]), dropped: 7 };
      assert.equal((await post(collector.url, told)).status, 200);
      assert.equal(await dropped(), 7);
      // Its answer was lost (a timeout): the tracker sends the same events, and the same count, again.
      assert.equal((await post(collector.url, told)).status, 200);
      assert.equal(await dropped(), 7);
      assert.equal((await post(collector.url, { ...batch([event()]), dropped: 3 })).status, 200);
      assert.equal(await dropped(), 10);
    });

    it('refuses a count that is not one', async () => {
      for (const wrong of [-1, 1.5, '4']) {
        const { status, json } = await post(collector.url, { ...batch([event()]), dropped: wrong });
        assert.equal(status, 400, `dropped: ${JSON.stringify(wrong)}`);
        assert.match(json.reason, /dropped/);
      }
      assert.equal(await dropped(), 10);
    });
  });
}
