// Where a report is computed. On a SQLite file, in a thread of its own with a read-only connection:
// better-sqlite3 is synchronous, so on the thread that serves /collect a report stalled ingest (during
// two 90-day reports over 1M events, /collect's worst latency went from 235 ms to 6,967 ms). WAL lets
// that connection read what is committed while batches are written. Elsewhere (PostgreSQL, a database in
// memory), in place: PostgreSQL's reads do not hold the event loop.
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Range, ReportReads } from '../storage/storage.js';
import { report, type Page } from './report.js';
import type { Report } from './types.js';

export interface Reporter {
  /** The report of `range`; with `page`, that list's window instead of its first entries. */
  (range: Range, page?: Page): Promise<Report>;
  close(): Promise<void>;
}

export const reportInPlace = (reads: ReportReads): Reporter => Object.assign((range: Range, page?: Page) => report(reads, range, page), { close: async () => {} });

export function reportInThread(file: string): Reporter {
  let worker: Worker | undefined;
  let next = 0;
  const waiting = new Map<number, { resolve: (report: Report) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  // Started on the first report, and again after a crash (the next report starts a new one).
  const start = () => {
    const started = new Worker(new URL('./worker.js', import.meta.url), { workerData: { file: resolve(file) } });
    started.unref(); // it never keeps the process alive on its own
    started.on('message', ({ id, report, error }: { id: number; report?: Report; error?: string }) => {
      const waiter = waiting.get(id);
      waiting.delete(id);
      if (error !== undefined) waiter?.reject(new Error(error));
      else waiter?.resolve(report!);
    });
    started.on('error', (error) => failAll(error));
    started.on('exit', () => {
      if (worker === started) worker = undefined;
      failAll(new Error('the report thread stopped'));
    });
    return started;
  };
  const reporter = (range: Range, page?: Page) =>
    new Promise<Report>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      (worker ??= start()).postMessage({ id, range, page });
    });
  return Object.assign(reporter, {
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  });
}
