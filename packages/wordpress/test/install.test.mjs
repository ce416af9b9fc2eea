// The built plugin installs as a blogger installs it: a WordPress without Chorus, an admin in Chromium,
// Plugins → Add New → Upload Plugin with packages/wordpress/dist/chorus.zip, Activate. On the oldest
// WordPress the plugin supports (6.1, Debian bookworm's) and on 6.8 (Debian trixie's).
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startWordPress } from './harness.mjs';

const zipFile = new URL('../dist/chorus.zip', import.meta.url).pathname;
// Debian's PHP keeps PHP's default upload_max_filesize: a larger zip cannot be uploaded at all.
const UPLOAD_LIMIT = 2 * 1024 * 1024;

for (const [release, wordpress] of [['bookworm', '6.1'], ['trixie', '6.8']]) describe(`installing dist/chorus.zip through Plugins → Add New → Upload Plugin, WordPress ${wordpress}`, () => {
  let wp;
  let browser;
  let page;
  const pageProblems = [];
  const browserErrors = [];
  // Requests to this WordPress that failed: a missing file (Debian links some of WordPress's libraries
  // out of its package; scripts/lib/wordpress.mjs puts them back) or a PHP error.
  const failedRequests = [];

  /** Opens an admin page (or follows a click) and keeps any PHP problem its HTML shows. */
  async function visit(action) {
    const response = await action();
    const html = await page.content();
    pageProblems.push(...wp.phpProblemsIn(html).map((line) => `${page.url()}: ${line}`));
    return response;
  }

  before(async () => {
    assert.ok(existsSync(zipFile), `${zipFile} is missing: \`npm run build\` makes it (npm test builds first)`);
    wp = await startWordPress({ release });
    assert.ok(wp.version.startsWith(`${wordpress}.`), `WordPress ${wp.version}`);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('response', (response) => {
      if (response.url().startsWith(wp.url) && response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    await wp.login(page);
  });

  after(async () => {
    await browser?.close();
    await wp?.stop();
  });

  test('the zip is smaller than the upload limit and holds one folder, chorus/', async () => {
    assert.ok(statSync(zipFile).size < UPLOAD_LIMIT, `chorus.zip is ${statSync(zipFile).size} bytes; uploads stop at ${UPLOAD_LIMIT}`);
    // Read by PHP's own ZipArchive, the reader WordPress unpacks uploads with.
    const names = JSON.parse(
      await wp.php(`
        $zip = new ZipArchive();
        if ( true !== $zip->open( base64_decode( '${Buffer.from(zipFile).toString('base64')}' ) ) ) { exit( 1 ); }
        $names = array();
        for ( $i = 0; $i < $zip->numFiles; $i++ ) { $names[] = $zip->getNameIndex( $i ); }
        echo wp_json_encode( $names );`),
    );
    assert.ok(names.includes('chorus/chorus.php'), 'chorus/chorus.php is in the zip');
    assert.deepEqual(names.filter((name) => !name.startsWith('chorus/')), [], 'every entry is under chorus/');
  });

  test('uploads through the real form and activates without a PHP notice, warning or deprecation', async () => {
    // The "Upload Plugin" button of Plugins → Add New shows this form; its own URL spares the Featured
    // tab's request to wordpress.org, which fails offline with a warning of WordPress's own.
    await visit(() => page.goto(`${wp.url}/wp-admin/plugin-install.php?tab=upload`, { waitUntil: 'domcontentloaded' }));
    const input = await page.waitForSelector('form.wp-upload-form input[type=file]#pluginzip');
    await input.uploadFile(zipFile);
    await visit(() => Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#install-plugin-submit')]));
    const result = await page.$eval('#wpbody-content', (e) => e.textContent);
    assert.match(result, /Plugin installed successfully/, `the upload page says: ${result.replace(/\s+/g, ' ').trim().slice(0, 500)}`);

    await visit(() => Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('a.button-primary[href*="action=activate"]')]));
    // (WordPress's canonical-URL script takes activate=true out of the address bar: the notice stays.)
    const notice = await page.$eval('#message', (e) => e.textContent.trim()).catch(() => `no notice on ${page.url()}`);
    assert.match(notice, /Plugin activated/);
    assert.equal((await wp.php(`echo is_plugin_active( 'chorus/chorus.php' ) ? 'active' : 'inactive';`)).trim(), 'active');
    const row = await page.$eval('tr[data-plugin="chorus/chorus.php"]', (e) => e.className);
    assert.match(row, /\bactive\b/, 'the Plugins screen lists Chorus as active');

    // The admin with Chorus active: the dashboard, the Plugins screen and the block editor.
    for (const path of ['/wp-admin/', '/wp-admin/plugins.php', '/wp-admin/post-new.php']) {
      // networkidle2 (two requests may be left), not 0: 6.8's block editor asks the REST API about its
      // permissions with two OPTIONS requests (settings, posts). WordPress answers both (200, with or
      // without Chorus), the editor gets its answer (canUser() resolves), but Chromium never marks them
      // finished: it gets their headers and first bytes only (likely because php -S sends no Content-Length
      // and the editor's apiFetch, parse: false, reads the Allow header and never the body). Everything
      // else must have loaded.
      await visit(() => page.goto(`${wp.url}${path}`, { waitUntil: 'networkidle2' }));
    }
    assert.ok(await page.waitForSelector('.block-editor-block-list__layout', { timeout: 20_000 }), 'the block editor opens');
    assert.deepEqual(failedRequests, [], 'every request to WordPress succeeds');
    assert.deepEqual(pageProblems, [], 'no PHP problem is printed in an admin page');
    assert.deepEqual(wp.phpProblems(), [], 'no PHP problem is logged');
    assert.deepEqual(browserErrors, [], 'no script error in the admin');
  });
});
