// Browser tests of every package, in the system Chromium. Tests import packages by name, so the
// export maps are what gets tested.
import { writeFileSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';

// Counts what ran for `npm test`'s closing line; a test file that failed to load counts as a failure.
function countingReporter(file) {
  const tally = (suite, sum) => {
    for (const test of suite?.tests ?? []) if (!test.skipped) sum[test.passed ? 'passed' : 'failed']++;
    for (const child of suite?.suites ?? []) tally(child, sum);
    return sum;
  };
  return {
    stop({ sessions }) {
      const sum = { passed: 0, failed: 0 };
      for (const session of sessions) {
        tally(session.testResults, sum);
        if (!session.passed && (session.errors?.length ?? 0) > 0) sum.failed++;
      }
      if (file) writeFileSync(file, JSON.stringify(sum));
    },
  };
}

export default {
  rootDir: new URL('..', import.meta.url).pathname,
  files: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
  // The builds that ship (the export maps' default), not the development ones.
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs } })],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(process.env.CHORUS_TEST_RESULTS)],
};
