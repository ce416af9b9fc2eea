// `npm test`: installs what is missing, builds, checks the size budgets, runs the Node tests
// (`*.test.mjs`) and the browser tests (`*.test.ts`, in real Chromium), and ends with one line
// `N passed, N failed` over all of them.
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, ensureChromium, root, run } from './lib/setup.mjs';
import { ensurePostgres } from './lib/postgres.mjs';
import { ensureWordPress } from './lib/wordpress.mjs';

const testDirs = [join(root, 'test'), ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'test'))];

function findTests(suffix) {
  const files = [];
  for (const dir of testDirs.filter(existsSync)) {
    for (const entry of readdirSync(dir, { recursive: true })) {
      if (String(entry).endsWith(suffix)) files.push(relative(root, join(dir, String(entry))));
    }
  }
  return files.sort();
}

const scratch = mkdtempSync(join(tmpdir(), 'chorus-test-'));
const totals = { passed: 0, failed: 0 };
const count = (name, passed, failed) => {
  totals.passed += passed;
  totals.failed += failed;
  console.log(`\n${name}: ${passed} passed, ${failed} failed\n`);
};

ensureChromium();
build();

// Size budgets: each budget is one check.
{
  const report = join(scratch, 'size.json');
  const status = run(process.execPath, ['scripts/size.mjs', '--json', report]);
  const checks = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : [];
  const failed = checks.filter((c) => !c.ok).length;
  count('size budgets', checks.length - failed, failed + (status !== 0 && failed === 0 ? 1 : 0));
}

// A real PostgreSQL for the collector's tests (CHORUS_TEST_DATABASE_URL, when given, is used instead).
// When there is none, the tests that need it fail with the reason: they never pass silently.
let postgres;
if (!process.env.CHORUS_TEST_DATABASE_URL) {
  try {
    postgres = await ensurePostgres();
    process.env.CHORUS_TEST_DATABASE_URL = postgres.url;
  } catch (error) {
    console.error(`PostgreSQL could not be started, so its tests will fail: ${error.message}`);
    process.env.CHORUS_TEST_POSTGRES_ERROR = error.message;
  }
}

// PHP, MariaDB and WordPress's files for the WordPress plugin's tests (packages/wordpress/test), installed
// when missing; each test file starts its own WordPress. When they cannot be had, those tests fail with the reason.
try {
  ensureWordPress();
} catch (error) {
  console.error(`WordPress could not be prepared, so its tests will fail: ${error.message}`);
  process.env.CHORUS_TEST_WORDPRESS_ERROR = error.message;
}
// WordPress 6.8 (Debian trixie's files, fetched over HTTP and verified), for the tests of the 6.5+ paths.
try {
  if (!process.env.CHORUS_TEST_WORDPRESS_ERROR) ensureWordPress({ release: 'trixie' });
} catch (error) {
  console.error(`WordPress 6.8 (Debian trixie's) could not be prepared, so its tests will fail: ${error.message}`);
  process.env.CHORUS_TEST_WORDPRESS_TRIXIE_ERROR = error.message;
}

// Node tests: pure modules, servers and end-to-end tests that drive Chromium themselves.
try {
  const files = findTests('.test.mjs');
  const tap = join(scratch, 'node.tap');
  const status = run(process.execPath, [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const number = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
  const failed = number('fail') + number('cancelled');
  count('node tests', number('pass'), failed + (status !== 0 && failed === 0 ? 1 : 0));
} finally {
  await postgres?.stop();
}

// Browser tests: components in real Chromium through @web/test-runner.
{
  const results = join(scratch, 'browser.json');
  const status = run(process.execPath, ['node_modules/@web/test-runner/dist/bin.js', '--config', 'test/web-test-runner.config.mjs'], {
    env: { ...process.env, CHORUS_TEST_RESULTS: results },
  });
  const { passed = 0, failed = 0 } = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : {};
  count('browser tests', passed, failed + (status !== 0 && failed === 0 ? 1 : 0));
}

console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
