// `php -l` on every PHP file of the plugin with the oldest PHP it supports (7.4), Debian's (8.2) and the
// newest there is (8.5). Debian 12 has only 8.2; 7.4 and 8.5 are PHP's own interpreter built to
// WebAssembly (@php-wasm), whose CLI runs the real `php -l`. A file passes when PHP says
// "No syntax errors detected" and nothing else: a compile-time deprecation (8.4's implicitly nullable
// parameters, say) fails it too, since a site on that PHP would log it on every request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { PHP, loadPHPRuntime } from '@php-wasm/universal';
import { ensureWordPress } from '../../../scripts/lib/wordpress.mjs';

const plugin = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['test', 'dist', 'node_modules']);
const phpFiles = readdirSync(plugin, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.php') && !SKIP.has(file.split('/')[0]))
  .sort();

const WASM = { '7.4': '@php-wasm/node-7-4', '8.5': '@php-wasm/node-8-5' };

/**
 * Lints sources ({ name: code }) with one PHP version; resolves { name: output } for the files that fail.
 * PHP 7.4's `php -l` reads only its first file, and a PHP runtime is spent once its CLI has run, so
 * that is one runtime per file (about half a second); 8.3 and later lint all files in one run.
 */
async function lintWasm(version, sources) {
  const { getPHPLoaderModule } = await import(WASM[version]);
  const loader = await getPHPLoaderModule();
  const names = Object.keys(sources);
  const batches = version === '7.4' ? names.map((name) => [name]) : [names];
  const failures = {};
  for (const batch of batches) {
    const php = new PHP(await loadPHPRuntime(loader));
    const paths = batch.map((name, i) => {
      const path = `/lint/${i}/${name}`;
      php.mkdir(path.slice(0, path.lastIndexOf('/')));
      php.writeFile(path, sources[name]);
      return path;
    });
    const response = await php.cli(['php', '-l', ...paths]);
    const output = `${await response.stdoutText}${await response.stderrText}`;
    await response.exitCode.catch(() => undefined);
    batch.forEach((name, i) => {
      // The lines PHP printed for this file: its verdict, and any error or deprecation naming it.
      const lines = output.split('\n').filter((line) => line.includes(paths[i]));
      if (lines.join('\n') !== `No syntax errors detected in ${paths[i]}`) failures[name] = lines.join('\n') || output.trim() || '(no output)';
    });
  }
  return failures;
}

function lintNative(sources) {
  if (process.env.CHORUS_TEST_WORDPRESS_ERROR) throw new Error(`Debian's PHP could not be installed: ${process.env.CHORUS_TEST_WORDPRESS_ERROR}`);
  const { php } = ensureWordPress({ log: () => {} });
  const failures = {};
  for (const [name, code] of Object.entries(sources)) {
    const result = spawnSync(php, ['-d', 'error_reporting=E_ALL', '-d', 'display_errors=stdout', '-l'], { input: code, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.status !== 0 || output !== 'No syntax errors detected in Standard input code') failures[name] = output;
  }
  return failures;
}

const lint = (version, sources) => (version === '8.2' ? lintNative(sources) : lintWasm(version, sources));

// Each version must be able to fail: a syntax error everywhere, PHP 8's `match` on 7.4, and an implicitly
// nullable parameter on 8.5 (deprecated since 8.4).
const PROBES = {
  'broken.php': ['7.4', '8.2', '8.5'],
  'match.php': ['7.4'],
  'nullable.php': ['8.5'],
};
const PROBE_SOURCES = {
  'broken.php': '<?php function chorus_probe( { }\n',
  'match.php': '<?php echo match ( 1 ) { 1 => "one", default => "other" };\n',
  'nullable.php': '<?php function chorus_probe( string $text = null ) { return $text; }\n',
  'fine.php': '<?php function chorus_probe( ?string $text = null ) { return $text ?? ""; }\n',
};

describe('php -l', () => {
  test('finds the plugin\'s PHP files', () => {
    assert.ok(phpFiles.includes('chorus.php'), `PHP files found: ${phpFiles.join(', ')}`);
  });

  for (const version of ['7.4', '8.2', '8.5']) {
    test(`PHP ${version} rejects what it must (so this lint can fail)`, async () => {
      const failures = await lint(version, PROBE_SOURCES);
      const expected = Object.keys(PROBES).filter((name) => PROBES[name].includes(version));
      assert.deepEqual(Object.keys(failures).sort(), expected.sort(), JSON.stringify(failures, null, 2));
    });

    test(`every PHP file of the plugin passes on PHP ${version}`, async () => {
      const sources = Object.fromEntries(phpFiles.map((file) => [file, readFileSync(join(plugin, file), 'utf8')]));
      const failures = await lint(version, sources);
      assert.deepEqual(failures, {}, Object.entries(failures).map(([file, output]) => `${relative(process.cwd(), join(plugin, file))}:\n${output}`).join('\n\n'));
    });
  }
});
