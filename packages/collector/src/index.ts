// The programmatic API: `startCollector(options)` runs the collector in this process.
import type { AddressInfo } from 'node:net';
import { resolveConfig, type Config, type Options } from './config.js';
import { buildApp } from './server.js';
import { openSqlite } from './storage/sqlite.js';
import { describeUrl, openPostgres } from './storage/postgres.js';
import type { Storage } from './storage/storage.js';

export { ConfigError, resolveConfig, type Config, type Options, type RateLimit } from './config.js';
export type { Report } from './report/types.js';
export type { Storage, StoredEvent } from './storage/storage.js';
export { openSqlite, openPostgres };

export interface Collector {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The admin token (generated when none was given). */
  token: string;
  config: Config;
  storage: Storage;
  /**
   * Stops taking requests, lets the ones in flight finish for at most `graceMs` (then cuts their
   * connections: a request not answered was not acknowledged, so its sender retries it) and closes the store.
   */
  close(graceMs?: number): Promise<void>;
}

export async function openStorage(config: Pick<Config, 'db' | 'databaseUrl' | 'timeouts'>): Promise<Storage> {
  try {
    return config.databaseUrl ? await openPostgres(config.databaseUrl, { timeout: config.timeouts.store }) : openSqlite(config.db);
  } catch (error) {
    const what = config.databaseUrl ? `connect to ${describeUrl(config.databaseUrl)}` : `open the SQLite file ${config.db}`;
    throw new Error(`could not ${what}: ${(error as Error).message}`, { cause: error });
  }
}

export async function startCollector(options: Options = {}): Promise<Collector> {
  const config = resolveConfig(options);
  const storage = await openStorage(config);
  const app = buildApp(config, storage);
  app.addHook('onClose', async () => storage.close());
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { address, port } = app.server.address() as AddressInfo;
  const host = address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    token: config.token,
    config,
    storage,
    close: (graceMs = 5_000) =>
      (closing ??= (async () => {
        const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
        try {
          await app.close();
        } finally {
          clearTimeout(cut);
        }
      })()),
  };
}
