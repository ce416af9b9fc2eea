// The report's thread (see thread.ts): a read-only connection to the SQLite file, whose reads never wait
// for the thread that takes the batches.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteReads } from '../storage/sqlite.js';
import type { Range } from '../storage/storage.js';
import { report, type Page } from './report.js';

const reads = openSqliteReads(workerData.file);
parentPort!.on('message', async ({ id, range, page }: { id: number; range: Range; page?: Page }) => {
  try {
    parentPort!.postMessage({ id, report: await report(reads, range, page) });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
