import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectorSuite } from './suite.mjs';
import { freshDatabase, testDatabaseUrl } from './helpers.mjs';

const server = await testDatabaseUrl();
if (server.url) {
  collectorSuite('PostgreSQL', async () => {
    const database = await freshDatabase(server.url);
    return { options: { databaseUrl: database.url }, cleanup: database.drop };
  });
} else {
  // Never a silent pass: a machine without PostgreSQL fails here, with the reason.
  test('PostgreSQL tests', () => assert.fail(`the PostgreSQL tests did not run: ${server.reason}`));
}
