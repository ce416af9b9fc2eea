// Settings → Chorus in a real WordPress 6.1, driven in Chromium as an administrator would: saving
// (every value sanitised, and escaped when shown again), the nonce and capability checks, the "test the
// collector" button against the real collector (up, refusing, down), the script tag's data attributes
// from the settings, the blocks' live preview in the block editor, and uninstalling.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { pluginZip } from './plugin.mjs';
import { startWordPress } from './harness.mjs';
import { assertReserveInHead, shareFirstQuote } from './html.mjs';
import { launchChromium, openPage, waitFor } from '../../../test/support/browser.mjs';

let wp, browser, collector, folder, admin;
const settingsUrl = () => `${wp.url}/wp-admin/options-general.php?page=chorus`;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chorus-wp-collector-'));
  [wp, browser] = await Promise.all([startWordPress({ plugins: [pluginZip()] }), launchChromium()]);
  // The site may send from its own origin only, as a real collector would be configured for it.
  // countHeadless: the collector ignores bots' events, and headless Chromium says it is one.
  collector = await startCollector({ port: 0, db: join(folder, 'chorus.db'), token: 'test-token-wordpress-0123', sites: { 'field-notes': [wp.url] }, countHeadless: true });
  admin = await openPage(browser);
  admin.dialogs = [];
  admin.page.on('dialog', (dialog) => (admin.dialogs.push(dialog.message()), dialog.dismiss()));
  await wp.login(admin.page);
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await wp?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const option = async () => JSON.parse(await wp.php(`echo wp_json_encode( get_option( 'chorus_settings' ) );`));

/** Fills the settings form (field name → value; true/false for checkboxes) and saves it. */
async function save(page, fields) {
  await page.goto(settingsUrl(), { waitUntil: 'domcontentloaded' });
  await page.evaluate((fields) => {
    for (const [name, value] of Object.entries(fields)) {
      for (const input of document.querySelectorAll(`[name="chorus_settings[${name}]"], [name="chorus_settings[${name}][]"]`)) {
        if (input.type === 'checkbox') input.checked = Array.isArray(value) ? value.includes(input.value) : !!value;
        else if (input.type === 'radio') input.checked = input.value === value;
        else input.value = value;
      }
    }
  }, fields);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#submit')]);
}

const testButton = async (page) => {
  await page.goto(settingsUrl(), { waitUntil: 'domcontentloaded' });
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#chorus-test')]);
  return page.$eval('#chorus-test-answer', (notice) => ({ ok: notice.classList.contains('notice-success'), text: notice.textContent.trim() }));
};

const hostile = '"><script>alert(1)</script>';

it('saves every setting sanitised, and shows it again escaped', async () => {
  const { page } = admin;
  await save(page, {
    collector: `${collector.url}/collect plausible javascript:alert(1)`,
    site: 'field-notes',
    via: '@fieldnotes',
    networks: ['x', 'bluesky', 'nonsense'],
    respect_dnt: true,
    pageviews: 'off',
    course_heading: hostile,
    course_text: `Six weeks.\n${hostile}`,
    course_href: 'javascript:alert(2)',
    course_campaign: 'Launch 2026!',
  });
  const notices = await page.$$eval('.settings-error', (all) => all.map((n) => n.querySelector('p').textContent.trim()));
  assert.deepEqual(notices, ['"javascript:alert(1)" is neither an http(s) URL nor an analytics name: it was left out of the collector.'], 'the bad collector token is named, once');
  const saved = await option();
  assert.equal(saved.collector, `${collector.url}/collect plausible`);
  assert.equal(saved.site, 'field-notes');
  assert.equal(saved.via, 'fieldnotes');
  assert.deepEqual(saved.networks, ['x', 'bluesky']);
  assert.equal(saved.respect_dnt, true);
  assert.equal(saved.pageviews, 'off');
  assert.equal(saved.course_href, '', 'a javascript: link is not kept');
  assert.equal(saved.course_campaign, 'launch-2026');
  assert.equal(saved.course_heading, '">', 'tags (a script with its content) are stripped from text fields');

  // Shown again as values, not markup.
  const shown = await page.evaluate(() => ({
    heading: document.querySelector('#chorus-course_heading').value,
    text: document.querySelector('#chorus-course_text').value,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('alert(')).length,
  }));
  assert.equal(shown.heading, saved.course_heading);
  assert.equal(shown.text, saved.course_text.replace(/\r\n/g, '\n'));
  assert.equal(shown.scripts, 0);
  assert.deepEqual(admin.dialogs, []);
});

let quotePost;
it('prints the saved settings as the script tag’s data attributes', async () => {
  const post = (quotePost = await wp.createPost({ title: 'With a quote', content: '[quote_to_tweet]Audience or influence?[/quote_to_tweet]' }));
  const html = await (await fetch(post.url)).text();
  const tag = /<script type="module"[^>]*chorus\.js[^>]*>/.exec(html)?.[0] ?? '';
  assert.match(tag, new RegExp(`data-collector="${collector.url}/collect plausible"`));
  assert.match(tag, /data-site="field-notes"/);
  assert.match(tag, / data-respect-dnt[ >]/);
  assert.match(tag, /data-pageviews="off"/);
  assert.doesNotMatch(tag, /data-debug/);
  const quote = /<quote-to-tweet[^>]*>/.exec(html)[0];
  assert.match(quote, /via="fieldnotes"/, 'the default handle');
  assert.match(quote, /networks="x bluesky"/, 'the default networks');
});

it('sends what a reader does on a WordPress page to the collector the settings name', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(quotePost.url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('quote-to-tweet')?.shadowRoot?.querySelector('a[href*="bsky.app"]') && window.chorus?.flush);
  const { shared, report } = await shareFirstQuote(page, { collector, site: 'field-notes', token: 'test-token-wordpress-0123' });
  assert.ok(shared, 'the share reached the collector, under the site name of the settings');
  assert.deepEqual(shared.networks, { bluesky: 1 });
  assert.match(shared.text, /^Audience or influence\?/);
  assert.equal((await report()).totals.pageview ?? 0, 0, 'page views are off in the settings');
  assert.deepEqual(errors, []);
  await context.close();
});

it('loads the script on every page when page views are counted everywhere', async () => {
  const plain = await wp.createPost({ title: 'No element', content: '<!-- wp:paragraph --><p>Text.</p><!-- /wp:paragraph -->' });
  assert.doesNotMatch(await (await fetch(plain.url)).text(), /chorus\.js/);
  await save(admin.page, { pageviews: 'everywhere' });
  const html = await (await fetch(plain.url)).text();
  assert.match(html, /<script type="module" src="[^"]*chorus\.js\?ver=[^"]*" id="chorus-js"[^>]*data-collector=/);
  assert.doesNotMatch(html, /data-pageviews/);
  assert.doesNotMatch(html, /chorus-reserve-css/, 'no reserve CSS where there is no element');
  await save(admin.page, { pageviews: 'off' });
});

it('suggests its text for the privacy policy', async () => {
  await admin.page.goto(`${wp.url}/wp-admin/options-privacy.php?tab=policyguide`, { waitUntil: 'domcontentloaded' });
  const guide = await admin.page.$eval('#wpbody-content', (body) => body.textContent);
  assert.match(guide, /This site uses Chorus/);
  assert.match(guide, /No cookie is set/);
  assert.match(guide, /Nothing is sent when your browser asks for Do Not Track/, 'and says so when Do Not Track is respected');
});

it('places the course box in a block theme too', async () => {
  const post = await wp.createPost({ title: 'Course post', content: '<!-- wp:paragraph --><p>Body.</p><!-- /wp:paragraph -->', categories: ['Course'] });
  await save(admin.page, { course_cat: await wp.php(`echo get_cat_ID( 'Course' );`), course_top: true, course_bottom: true, course_heading: 'Want more?', course_text: 'My course.', course_href: 'https://courses.example/' });
  const html = await (await fetch(post.url)).text();
  assert.deepEqual([...html.matchAll(/<course-cta[^>]*id="([^"]+)"/g)].map((m) => m[1]), ['chorus-course-top', 'chorus-course-bottom']);
  assertReserveInHead(html);
});

it('refuses a save without the nonce, and a user who cannot manage options', async () => {
  const before = await option();
  const cookies = (await admin.page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const post = (path, body) =>
    fetch(`${wp.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const forged = await post('/wp-admin/options.php', { option_page: 'chorus', action: 'update', 'chorus_settings[site]': 'forged' });
  assert.equal(forged.status, 403, 'no nonce: refused');
  const test = await post('/wp-admin/admin-post.php', { action: 'chorus_test_collector' });
  assert.equal(test.status, 403, 'the test button without its nonce: refused');
  assert.deepEqual(await option(), before);

  // An author, logged in for real.
  const author = await openPage(browser);
  await wp.login(author.page, await wp.createUser({ role: 'author' }));
  const page = await author.page.goto(settingsUrl(), { waitUntil: 'domcontentloaded' });
  assert.equal(page.status(), 403, 'an author cannot open Settings → Chorus');
  const authorCookies = (await author.page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const asAuthor = await fetch(`${wp.url}/wp-admin/admin-post.php`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: authorCookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'chorus_test_collector' }),
  });
  assert.equal(asAuthor.status, 403);
  assert.match(await asAuthor.text(), /not allowed to test the collector/);
  await author.context.close();
  assert.deepEqual(await option(), before);
});

it('tests the collector: accepted when it is up, the reason when it refuses, what is wrong when it is down', async () => {
  const { page } = admin;
  const up = await testButton(page);
  assert.equal(up.ok, true, up.text);
  assert.match(up.text, new RegExp(`accepted the test event for site "field-notes" from ${wp.url} \\(HTTP 20\\d\\)`));

  await save(page, { site: 'not-on-the-collector' });
  const refused = await testButton(page);
  assert.equal(refused.ok, false);
  assert.match(refused.text, /refused the test event \(HTTP 403\): site "not-on-the-collector" is not configured/);

  await collector.close();
  const down = await testButton(page);
  assert.equal(down.ok, false);
  assert.match(down.text, new RegExp(`The collector at ${collector.url}/collect could not be reached: .+`));
  await save(page, { site: 'field-notes' });
});

it('previews the real element in the block editor', async () => {
  const { page } = admin;
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(`${wp.url}/wp-admin/post-new.php`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.wp?.data?.select('core/block-editor') && window.wp.blocks.getBlockType('chorus/quote-to-tweet'), { timeout: 30_000 });
  await page.evaluate(() => {
    wp.data.dispatch('core/edit-post')?.toggleFeature && wp.data.select('core/edit-post').isFeatureActive('welcomeGuide') && wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
    wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('chorus/quote-to-tweet', { quote: 'Previewed in the editor.', networks: 'x bluesky' }));
  });
  const preview = await waitFor(
    () => page.evaluate(() => {
      const el = document.querySelector('.wp-block-chorus-quote-to-tweet quote-to-tweet, [data-type="chorus/quote-to-tweet"] quote-to-tweet');
      return el?.shadowRoot?.querySelector('a[href*="bsky.app"]') ? el.shadowRoot.querySelector('a[href*="x.com"]').href : undefined;
    }),
    20_000,
  );
  assert.ok(preview, 'the server-rendered element, upgraded by chorus.js in the editor');
  assert.equal(new URL(preview).searchParams.get('text'), 'Previewed in the editor.');

  // The sidebar's "Accounts to suggest", typed in as an author would: the preview's X link suggests them.
  await page.evaluate(() => wp.data.dispatch('core/edit-post').openGeneralSidebar('edit-post/block'));
  const related = await page.waitForFunction(
    () => [...document.querySelectorAll('.components-base-control')].find((control) => control.textContent.includes('Accounts to suggest'))?.querySelector('input'),
    { timeout: 20_000 },
  );
  await related.asElement().type('@fieldnotes, ada_l');
  const suggested = await waitFor(
    () => page.evaluate(() => {
      const href = document.querySelector('[data-type="chorus/quote-to-tweet"] quote-to-tweet')?.shadowRoot?.querySelector('a[href*="x.com"]')?.href;
      return href && new URL(href).searchParams.get('related');
    }),
    20_000,
  );
  assert.equal(suggested, 'fieldnotes,ada_l', 'saved as typed, rendered as handles');
  assert.equal(await page.evaluate(() => wp.data.select('core/block-editor').getSelectedBlock()?.attributes.related), '@fieldnotes, ada_l');

  // A post written with Better Click To Tweet: its block is previewed, and turns into Chorus's.
  const old = await page.evaluate(() => {
    const [block] = wp.blocks.parse('<!-- wp:bctt/clicktotweet {"tweet":"Written with BCTT","url":false,"prompt":"Tweet it","username":"benunc"} /-->');
    wp.data.dispatch('core/block-editor').insertBlocks(block);
    const [chorus] = wp.blocks.switchToBlockType(block, 'chorus/quote-to-tweet') ?? [];
    return { name: block.name, valid: block.isValid, chorus: chorus && { name: chorus.name, ...chorus.attributes } };
  });
  assert.equal(old.name, 'bctt/clicktotweet', 'not a "missing block"');
  assert.equal(old.valid, true);
  assert.deepEqual(
    { name: old.chorus?.name, quote: old.chorus?.quote, url: old.chorus?.url, label: old.chorus?.label, via: old.chorus?.via, related: old.chorus?.related },
    { name: 'chorus/quote-to-tweet', quote: 'Written with BCTT', url: 'none', label: 'Tweet it', via: 'benunc', related: 'benunc' },
  );
  const oldPreview = await waitFor(
    () => page.evaluate(() => document.querySelector('[data-type="bctt/clicktotweet"] quote-to-tweet.bctt-click-to-tweet')?.shadowRoot?.querySelector('a[href*="x.com"]')?.href),
    20_000,
  );
  assert.ok(oldPreview, 'its preview is the upgraded element');
  assert.deepEqual(errors, []);
});

it('deactivating keeps the settings; uninstalling removes them', async () => {
  await wp.php(`deactivate_plugins( 'chorus/chorus.php' );`);
  assert.notEqual((await option()).site, undefined);
  await wp.php(`uninstall_plugin( 'chorus/chorus.php' );`);
  assert.equal(await wp.php(`var_export( get_option( 'chorus_settings' ) );`), 'false');
});

it('logs no PHP notice, warning or deprecation with WP_DEBUG on', () => {
  assert.deepEqual(wp.phpProblems(), []);
});
