import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { collectorSuite } from './suite.mjs';

collectorSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-sqlite-'));
  return { options: { db: join(dir, 'nested', 'chorus.db') }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});
