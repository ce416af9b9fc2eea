// The CLI as a person runs it: a child process, its flags and environment, what it prints, its exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORIGIN, batch, event, post, runCli, startCli, tempDir } from './helpers.mjs';

test('--help prints the flags and exits 0', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const flag of ['--port', '--db', '--site', '--token', '--rate-limit', '--trust-proxy', 'DATABASE_URL', 'CHORUS_SITES']) {
    assert.ok(stdout.includes(flag), flag);
  }
});

test('bad flags and settings get a one-line reason and exit code 2', async () => {
  const cases = [
    [['--nope'], /unknown option '--nope'/],
    [['--port'], /--port/],
    [['--port', 'http'], /port "http"/],
    [['--port', '70000'], /port "70000"/],
    [['serve'], /unexpected argument 'serve'/],
    [['--site', 'blog'], /site "blog": give the origins/],
    [['--site', 'bad name=https://a.example'], /site "bad name"/],
    [['--site', 'blog=ftp://blog.example'], /not an origin/],
    [['--site', 'blog=https://blog.example/path'], /not an origin/],
    [['--site', 'blog=https://a.example', '--site', 'blog=https://b.example'], /given twice/],
    [['--rate-limit', 'lots'], /rate limit "lots"/],
    [['--token', 'short-token-012345678'], /at least 22 characters/],
    [[], /DATABASE_URL must start with postgres/, { DATABASE_URL: 'mysql://localhost/x' }],
    [[], /port "abc"/, { CHORUS_PORT: 'abc' }],
  ];
  for (const [args, reason, env = {}] of cases) {
    const { code, stdout, stderr } = await runCli(args, { env: { DATABASE_URL: '', ...env } });
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '', args.join(' '));
    assert.match(stderr, /^chorus-collector: .+\n$/, `one line: ${JSON.stringify(stderr)}`);
    assert.match(stderr, reason);
  }
});

test('a store it cannot open is a one-line error and exit code 1', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file'), '');
  const sqlite = await runCli(['--port', '0', '--db', join(dir, 'file', 'chorus.db')]);
  assert.equal(sqlite.code, 1);
  assert.match(sqlite.stderr, /^chorus-collector: could not open the SQLite file .+\n$/);
  const postgres = await runCli(['--port', '0'], { env: { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/chorus' } });
  assert.equal(postgres.code, 1);
  assert.match(postgres.stderr, /^chorus-collector: could not connect to PostgreSQL postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/chorus: .+\n$/);
  assert.doesNotMatch(postgres.stderr, /secret/, 'the password is not printed');
});

test('with no flags it creates ./.chorus/chorus.db, generates a token, prints both and where it listens', async (t) => {
  const dir = tempDir(t);
  const cli = startCli(['--port', '0', '--site', `blog=${ORIGIN}`], { cwd: dir, env: { DATABASE_URL: '', CHORUS_TOKEN: '' } });
  t.after(() => cli.child.kill('SIGKILL'));
  const url = await cli.ready;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { stdout } = cli.output();
  const token = /admin token \(generated[^)]*\): (\S+)/.exec(stdout)?.[1];
  assert.ok(token && token.length >= 20, stdout);
  assert.match(stdout, new RegExp(`store: SQLite ${join(dir, '.chorus', 'chorus.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.ok(existsSync(join(dir, '.chorus', 'chorus.db')));
  assert.equal((await post(url, batch([event()]))).status, 200);
  const report = await fetch(`${url}/api/sites/blog/report`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(report.status, 200);
  assert.equal((await report.json()).totals.impression, 1);
});

test('reads its settings from the environment, and a flag wins over a variable', async (t) => {
  const dir = tempDir(t);
  const env = {
    CHORUS_PORT: '0',
    CHORUS_DB: join(dir, 'env.db'),
    CHORUS_SITES: `blog=${ORIGIN} news=https://news.example,https://www.news.example`,
    CHORUS_TOKEN: 'env-token-1234567890123',
    CHORUS_RATE_LIMIT: '2/60',
    DATABASE_URL: '',
  };
  const cli = startCli(['--token', 'flag-token-1234567890123'], { env });
  t.after(() => cli.child.kill('SIGKILL'));
  const url = await cli.ready;
  const { stdout } = cli.output();
  assert.doesNotMatch(stdout, /admin token/, 'a given token is not printed');
  assert.match(stdout, /news \(https:\/\/news\.example, https:\/\/www\.news\.example\)/);
  assert.ok(existsSync(join(dir, 'env.db')));
  const auth = (token) => fetch(`${url}/api/sites/news/report`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await auth('flag-token-1234567890123')).status, 200);
  assert.equal((await auth('env-token-1234567890123')).status, 401);
  const send = () => post(url, batch([event()], { site: 'news' }), { origin: 'https://www.news.example' });
  assert.equal((await send()).status, 200);
  assert.equal((await send()).status, 200);
  assert.equal((await send()).status, 429, 'CHORUS_RATE_LIMIT 2/60 applies');
});

test('behind a proxy (--trust-proxy) the rate limit keys on X-Forwarded-For', async (t) => {
  const dir = tempDir(t);
  const cli = startCli(['--port', '0', '--db', join(dir, 'p.db'), '--site', `blog=${ORIGIN}`, '--rate-limit', '1/60', '--trust-proxy', '1'], {
    env: { DATABASE_URL: '' },
  });
  t.after(() => cli.child.kill('SIGKILL'));
  const url = await cli.ready;
  const from = (ip) => post(url, batch([event()]), { headers: { 'x-forwarded-for': ip } });
  assert.equal((await from('203.0.113.1')).status, 200);
  assert.equal((await from('203.0.113.2')).status, 200, 'another reader behind the same proxy');
  assert.equal((await from('203.0.113.1')).status, 429);
});
