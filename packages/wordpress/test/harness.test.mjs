// The harness itself (harness.mjs), shown to catch what the plugin's tests look for: a throwaway plugin
// with a PHP warning on activation and a deprecation in admin pages, a fatal error from php(), content as
// the editor stores it; and WordPress 6.1's own PHP 8.2 problems, which it leaves out, are exactly those.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeZip } from '../../../scripts/lib/zip.mjs';
import { KNOWN_CORE_PROBLEMS, launchBrowser, phpProblemsIn, startWordPress } from './harness.mjs';

describe('the harness catches what the tests look for', () => {
  let wp;
  const dir = mkdtempSync(join(tmpdir(), 'chorus-probe-'));
  // A throwaway plugin that misbehaves the way a careless one does: a warning on activation, and in admin
  // pages a deprecation and a failed query.
  const probe = join(dir, 'probe.zip');
  writeZip(probe, [
    { name: 'probe/' },
    {
      name: 'probe/probe.php',
      data: `<?php
/**
 * Plugin Name: Probe
 */
register_activation_hook( __FILE__, function () { $settings = array(); return $settings['missing']; } );
add_action( 'admin_notices', function () { echo strlen( null ); $GLOBALS['wpdb']->query( 'SELECT * FROM chorus_no_such_table' ); } );
`,
    },
  ]);

  before(async () => {
    wp = await startWordPress({ plugins: [probe] });
  });

  after(async () => {
    await wp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a warning on activation is in phpProblems()', () => {
    assert.equal(wp.phpProblems().length, 1, wp.phpProblems().join('\n'));
    assert.match(wp.phpProblems()[0], /PHP Warning: +Undefined array key "missing" in .*\/wp-content\/plugins\/probe\/probe\.php/);
  });

  test('a deprecation and a database error printed in an admin page are found by phpProblemsIn() and logged', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await wp.login(page);
      await page.goto(`${wp.url}/wp-admin/`, { waitUntil: 'domcontentloaded' });
      const problems = phpProblemsIn(await page.content());
      assert.equal(problems.length, 2, problems.join('\n'));
      assert.match(problems[0], /^Deprecated: +strlen\(\): Passing null to parameter #1/);
      assert.match(problems[1], /^WordPress database error: \[Table 'wordpress\.chorus_no_such_table' doesn't exist\]/);
      assert.ok(wp.phpProblems().some((line) => /WordPress database error Table 'wordpress\.chorus_no_such_table' doesn't exist/.test(line)), wp.phpProblems().join('\n'));
    } finally {
      await browser.close();
    }
  });

  test('createUser() makes a user who logs in with that role', async () => {
    const author = await wp.createUser({ role: 'author' });
    assert.equal(await wp.php(`echo implode( ',', get_userdata( ${author.id} )->roles );`), 'author');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await wp.login(page, author);
      assert.equal(await page.$eval('#wp-admin-bar-my-account .display-name', (e) => e.textContent), author.user);
      const settings = await page.goto(`${wp.url}/wp-admin/options-general.php`);
      assert.equal(settings.status(), 403, 'an author cannot open Settings');
    } finally {
      await browser.close();
    }
  });

  test('php() rejects with the fatal error, and resolves what the code prints', async () => {
    assert.equal(await wp.php(`echo get_option( 'blogname' );`), 'Chorus test site');
    await assert.rejects(wp.php('chorus_no_such_function();'), /exited with 255[\s\S]*Call to undefined function chorus_no_such_function\(\)/);
  });

  test('WordPress 6.1\'s own PHP 8.2 problems are left out, and each known one still happens', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await wp.login(page); // wp-login.php
      await page.goto(`${wp.url}/wp-admin/options-privacy.php`, { waitUntil: 'domcontentloaded' });
    } finally {
      await browser.close();
    }
    await wp.php(`wp_remote_get( home_url( '/robots.txt' ) );`); // loads Requests
    const all = wp.phpProblems({ all: true });
    for (const known of KNOWN_CORE_PROBLEMS) {
      assert.ok(all.some((line) => known.test(line)), `no longer logged (${known.because}): take it off KNOWN_CORE_PROBLEMS`);
    }
    assert.deepEqual(wp.phpProblems().filter((line) => KNOWN_CORE_PROBLEMS.some((known) => known.test(line))), []);
    // What is left is the probe's own (its warning on activation, its deprecation and failed query in admin
    // pages) and the fatal error the php() test caused.
    const ours = (line) => /\/wp-content\/plugins\/probe\/|chorus_no_such_(function|table)/.test(line);
    assert.deepEqual(wp.phpProblems().filter((line) => !ours(line)), []);
  });

  test('createPost() stores content as the editor does and serves it on a pretty permalink', async () => {
    const content = '[quote_to_tweet]It\'s "quoted" \\ with a backslash[/quote_to_tweet]';
    const post = await wp.createPost({ title: 'Probe post', content, categories: ['Courses'] });
    assert.match(post.url, /^http:\/\/127\.0\.0\.1:\d+\/probe-post\/$/);
    const stored = await wp.php(`echo get_post_field( 'post_content', ${post.id} ) . '|' . implode( ',', wp_get_post_categories( ${post.id}, array( 'fields' => 'names' ) ) );`);
    assert.equal(stored, `${content}|Courses`);
    const response = await fetch(post.url);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<title>Probe post/);
  });
});
