// A throwaway PostgreSQL for tests and benchmarks: Debian's server binaries (installed when missing and
// we are root), a new cluster in a temporary folder, started on a free localhost port with its socket
// in that folder, and one database. `stop()` shuts it down and deletes the folder.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pids, procStat } from './proc.mjs';

const isRoot = () => process.getuid?.() === 0;

function sh(command, args, { asUser, env, quiet } = {}) {
  const [file, argv] = asUser ? ['runuser', ['-u', asUser, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})${output && !quiet ? `:\n${output}` : ''}`);
  }
  return result.stdout;
}

/** The folder with initdb, pg_ctl and createdb: Debian's newest version, else whatever is on PATH. */
function findBinaries() {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(debian, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && ['initdb', 'pg_ctl', 'createdb'].every((name) => existsSync(join(dir, name)))) return dir;
  }
  return undefined;
}

/** A free port on 127.0.0.1 (also used by the WordPress test harness). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ log?: (line: string) => void, database?: string }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 * Throws with the reason when PostgreSQL cannot be had (not root, and no server binaries).
 */
export async function ensurePostgres({ log = (line) => console.log(line), database = 'chorus_test' } = {}) {
  let bin = findBinaries();
  if (!bin && isRoot()) {
    log('Installing PostgreSQL from the system packages (apt-get install postgresql)…');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    sh('apt-get', ['update', '-qq'], { env });
    sh('apt-get', ['install', '-y', '-qq', 'postgresql'], { env });
    bin = findBinaries();
  }
  if (!bin) {
    throw new Error('PostgreSQL is not installed and cannot be installed without root: install it (Debian: apt-get install postgresql) or set CHORUS_TEST_DATABASE_URL');
  }

  // initdb refuses to run as root: as root the cluster belongs to the `postgres` user Debian's package made.
  const asUser = isRoot() ? 'postgres' : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'chorus-pg-'));
  const data = join(dir, 'data');
  const stop = async () => {
    try {
      sh(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], { asUser, quiet: true });
    } catch {
      // not running (start failed, or already stopped)
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asUser) {
      chownSync(dir, Number(sh('id', ['-u', asUser])), Number(sh('id', ['-g', asUser])));
    }
    sh(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], { asUser });
    const port = await freePort();
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
    sh(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start'], { asUser });
    sh(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database], { asUser });
    log(`PostgreSQL (${bin}) on 127.0.0.1:${port}, data in ${data}`);
    return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Every process of the cluster behind `url` (superuser): its postmaster, from the pid file in its data
 * directory, and the postmaster's children. For tests and the soak that freeze it with SIGSTOP.
 */
export async function clusterProcesses(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client(url);
  await client.connect();
  const { rows } = await client.query('SHOW data_directory');
  await client.end();
  const postmaster = Number(readFileSync(join(rows[0].data_directory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = pids().filter((pid) => Number(procStat(pid)?.[1]) === postmaster);
  return [postmaster, ...children];
}
