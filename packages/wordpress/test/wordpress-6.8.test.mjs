// The plugin on WordPress 6.8 (Debian trixie's files; PHP, MariaDB and php -S as for 6.1, see harness.mjs):
// what differs from 6.1, where render.test.mjs and settings.test.mjs run everything. On 6.5 and later
// chorus.js is printed by the script-module API (wp_enqueue_script_module), with the settings put on its
// tag through the wp_script_attributes filter; block themes print modules in <head>, classic themes in
// the footer. Checked here: that tag (one, versioned, with its data attributes, none on a page without an
// element unless page views are counted everywhere), in the default block theme and a classic one; the
// blocks rendered; the elements upgraded in Chromium and an event reaching the collector the tag names;
// the blocks' preview in 6.8's editor; feeds and AMP; no PHP notice or deprecation with WP_DEBUG.
// (Installing the zip through the upload form on 6.8 is in install.test.mjs.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { pluginZip } from './plugin.mjs';
import { startWordPress } from './harness.mjs';
import { assertReserveInHead, attr, elements, feedItems, get, installAmpStandIn, installGermanStandIn, plainQuotes, scripts, shareFirstQuote, shownQuotes, upgradedStrings } from './html.mjs';
import { launchChromium, openPage, waitFor } from '../../../test/support/browser.mjs';

const VERSION = /define\( 'CHORUS_VERSION', '([^']+)' \)/.exec(readFileSync(new URL('../chorus.php', import.meta.url), 'utf8'))[1];
const CONTENT = [
  '<!-- wp:chorus/quote-to-tweet {"quote":"A quote from the block","networks":"x bluesky","via":"fieldnotes","hashtags":"writing"} /-->',
  '<!-- wp:chorus/comment-prompt {"question":"A question from the block?","inline":true,"maxlength":500} /-->',
  '<!-- wp:chorus/course-cta {"heading":"The block\'s offer","text":"From the block.","href":"https://courses.example/block","campaign":"launch"} /-->',
  '[quote_to_tweet url="none" label="Share"]A shortcode on 6.8[/quote_to_tweet]',
  '<!-- wp:bctt/clicktotweet {"tweet":"A block from Better Click To Tweet","username":"benunc"} /-->',
].join('\n\n');

let wp, browser, collector, folder;
const posts = {};

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chorus-wp68-'));
  [wp, browser] = await Promise.all([startWordPress({ release: 'trixie', plugins: [pluginZip()] }), launchChromium()]);
  collector = await startCollector({ port: 0, db: join(folder, 'chorus.db'), token: 'test-token-wordpress-68-0123', sites: { 'field-notes': [wp.url] }, countHeadless: true });
  await wp.php(`update_option( 'chorus_settings', array( 'collector' => base64_decode( '${Buffer.from(`${collector.url}/collect`).toString('base64')}' ), 'site' => 'field-notes', 'respect_dnt' => true, 'pageviews' => 'off' ) );`);
  posts.chorus = await wp.createPost({ title: 'On 6.8', content: CONTENT });
  posts.plain = await wp.createPost({ title: 'Nothing here', content: '<!-- wp:paragraph --><p>Just text.</p><!-- /wp:paragraph -->' });
});

after(async () => {
  await browser?.close();
  await collector?.close();
  await wp?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const chorusTags = (html) => html.match(/<script\b[^>]*chorus\.js[^>]*>/g) ?? [];

/** The one tag of chorus.js in `html`: a module of the script-module API, versioned, with the settings. */
function assertModuleTag(html) {
  const tags = chorusTags(html);
  assert.equal(tags.length, 1, `one script tag of chorus.js: ${tags.join('\n')}`);
  const [tag] = tags;
  assert.equal(attr(tag, 'type'), 'module');
  assert.equal(attr(tag, 'id'), 'chorus-js-module', 'printed by WP_Script_Modules (the id it gives a module), not by the 6.1 filter');
  assert.equal(attr(tag, 'src'), `${wp.url}/wp-content/plugins/chorus/js/chorus.js?ver=${VERSION}`, "the plugin's version busts caches");
  assert.equal(attr(tag, 'data-collector'), `${collector.url}/collect`);
  assert.equal(attr(tag, 'data-site'), 'field-notes');
  assert.equal(attr(tag, 'data-respect-dnt'), true);
  assert.equal(attr(tag, 'data-pageviews'), 'off');
  assert.equal(attr(tag, 'data-debug'), undefined);
  return tag;
}

describe('WordPress 6.8, the default block theme (Twenty Twenty-Five)', () => {
  it('is the WordPress this file is about, with the script-module API', async () => {
    assert.match(wp.version, /^6\.8\./);
    assert.equal(await wp.php(`echo get_stylesheet() . ' ' . ( function_exists( 'wp_enqueue_script_module' ) ? 'modules' : 'none' );`), 'twentytwentyfive modules');
  });

  it('prints chorus.js once, through wp_enqueue_script_module, in <head>, with the settings as data attributes', async () => {
    const html = await get(posts.chorus.url);
    const tag = assertModuleTag(html);
    assert.ok(html.indexOf(tag) < html.indexOf('</head>'), 'a block theme prints modules in <head>');
    assertReserveInHead(html);
    assert.doesNotMatch(await get(posts.plain.url), /chorus\.js|chorus-reserve-css/, 'nothing on a page without an element');
  });

  it('renders the blocks (apiVersion 2) and shortcodes as the elements, with their attributes', async () => {
    const html = await get(posts.chorus.url);
    const quotes = elements(html, 'quote-to-tweet');
    assert.equal(quotes.length, 3);
    assert.deepEqual([attr(quotes[0], 'networks'), attr(quotes[0], 'via'), attr(quotes[0], 'hashtags')], ['x bluesky', 'fieldnotes', 'writing']);
    assert.deepEqual([attr(quotes[1], 'url'), attr(quotes[1], 'label')], ['none', 'Share']);
    assert.match(attr(quotes[2], 'class'), /\bbctt-click-to-tweet\b/);
    const [prompt] = elements(html, 'comment-prompt');
    assert.deepEqual([attr(prompt, 'inline'), attr(prompt, 'maxlength'), attr(prompt, 'for')], [true, '500', '#respond']);
    const [course] = elements(html, 'course-cta');
    assert.deepEqual([attr(course, 'href'), attr(course, 'campaign')], ['https://courses.example/block', 'launch']);
    assert.match(course, /<strong slot="heading" role="heading" aria-level="2">The block&#039;s offer<\/strong><p>From the block\.<\/p>/);
  });

  it('upgrades the elements in Chromium, and chorus.js sends to the collector its tag names', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(posts.chorus.url, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')].every((el) => el.shadowRoot?.querySelector('a, button, textarea')) && window.chorus?.flush);
    const state = await page.evaluate(() => ({
      x: [...document.querySelectorAll('quote-to-tweet')].map((el) => new URL(el.shadowRoot.querySelector('a[href*="x.com"]').href).searchParams.get('text')),
      fallbacks: [...document.querySelectorAll('[slot=fallback]')].filter((a) => a.getClientRects().length > 0).length,
    }));
    assert.deepEqual(state.x, ['A quote from the block', 'A shortcode on 6.8', 'A block from Better Click To Tweet']);
    assert.equal(state.fallbacks, 0, 'no fallback link shows once upgraded');
    const { shared } = await shareFirstQuote(page, { collector, site: 'field-notes', token: 'test-token-wordpress-68-0123' });
    assert.ok(shared, "the share reached the collector of the tag's data-collector, as the site of its data-site");
    assert.deepEqual(shared.networks, { bluesky: 1 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("gives the elements the site's language before the script module, from the first paint", async () => {
    installGermanStandIn(wp);
    assert.doesNotMatch(await get(posts.chorus.url), /chorus-strings/, 'nothing on an English site');
    const html = await get(`${posts.chorus.url}?de=1`);
    const at = html.indexOf('<script type="module" id="chorus-strings">');
    assert.ok(at >= 0 && at < html.indexOf(assertModuleTag(html)), 'the strings before the module');
    const { page, context, errors } = await openPage(browser);
    const shown = await upgradedStrings(page, `${posts.chorus.url}?de=1`);
    assert.deepEqual(
      [shown.copy, shown.bluesky, shown.send, shown.reply, shown.course, shown.seenCopy],
      ['Kopieren', 'Auf Bluesky teilen', 'Senden', 'Deine Antwort', 'Mehr erfahren', ['Kopieren']],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('previews the real element in 6.8’s block editor', async () => {
    const { page, context, errors } = await openPage(browser);
    const warnings = [];
    page.on('console', (message) => ['error', 'warning'].includes(message.type()) && /chorus|apiVersion/i.test(message.text()) && warnings.push(message.text()));
    await wp.login(page);
    await page.goto(`${wp.url}/wp-admin/post-new.php`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.wp?.data?.select('core/block-editor') && window.wp.blocks.getBlockType('chorus/quote-to-tweet'), { timeout: 30_000 });
    await page.evaluate(() => wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('chorus/quote-to-tweet', { quote: 'Previewed on 6.8.', networks: 'x bluesky' })));
    // The editor canvas is the page itself or, where WordPress iframes it, the iframe's document.
    const preview = await waitFor(async () => {
      for (const frame of page.frames()) {
        const href = await frame.evaluate(() => document.querySelector('[data-type="chorus/quote-to-tweet"] quote-to-tweet')?.shadowRoot?.querySelector('a[href*="x.com"]')?.href).catch(() => undefined);
        if (href) return href;
      }
      return undefined;
    }, 20_000);
    assert.ok(preview, 'the server-rendered element, upgraded by chorus.js in the editor');
    assert.equal(new URL(preview).searchParams.get('text'), 'Previewed on 6.8.');
    assert.deepEqual(warnings, [], 'no warning about the blocks in the console');
    assert.deepEqual(errors, []);
    assert.deepEqual(wp.phpProblemsIn(await page.content()), []);
    await context.close();
  });

  it('loads the script on every page when page views are counted everywhere', async () => {
    await wp.php(`$s = get_option( 'chorus_settings' ); $s['pageviews'] = 'everywhere'; update_option( 'chorus_settings', $s );`);
    try {
      const html = await get(posts.plain.url);
      assert.equal(chorusTags(html).length, 1);
      assert.equal(attr(chorusTags(html)[0], 'id'), 'chorus-js-module');
      assert.equal(attr(chorusTags(html)[0], 'data-pageviews'), undefined);
      assert.doesNotMatch(html, /chorus-reserve-css/, 'no reserve CSS where there is no element');
    } finally {
      await wp.php(`$s = get_option( 'chorus_settings' ); $s['pageviews'] = 'off'; update_option( 'chorus_settings', $s );`);
    }
  });

  it('gives feeds and AMP pages the quote and a plain link, no element and no script', async () => {
    const page = shownQuotes(await get(posts.chorus.url));
    const item = feedItems(await get(`${wp.url}/feed/`)).find(({ link }) => link === posts.chorus.url);
    assert.deepEqual(plainQuotes(item.content), page);
    // A stand-in for the AMP plugin's detection functions (see html.mjs): what Chorus prints on an AMP request.
    installAmpStandIn(wp);
    const amp = await get(`${posts.chorus.url}?amp=1`);
    assert.deepEqual(plainQuotes(amp), page);
    assert.deepEqual(scripts(amp), scripts(await get(posts.plain.url)), 'no script but those of a page without Chorus');
  });
});

describe('WordPress 6.8, a classic theme (Twenty Twenty-One)', () => {
  it('prints the module once, in the footer, with the data attributes, and the reserve CSS in <head>', async () => {
    await wp.php(`switch_theme( 'twentytwentyone' );`);
    const html = await get(posts.chorus.url);
    const tag = assertModuleTag(html);
    assert.ok(html.indexOf(tag) > html.indexOf('</head>'), 'a classic theme prints modules in the footer');
    assertReserveInHead(html);
    assert.equal(elements(html, 'quote-to-tweet').length, 3);
    const german = await get(`${posts.chorus.url}?de=1`);
    const at = german.indexOf('<script type="module" id="chorus-strings">');
    assert.ok(at >= 0 && at < german.indexOf(assertModuleTag(german)), 'the strings in <head>, before the module in the footer');
    assert.doesNotMatch(await get(posts.plain.url), /chorus\.js|chorus-reserve-css/);
  });
});

it('logs no PHP notice, warning or deprecation with WP_DEBUG on', () => {
  assert.deepEqual(wp.phpProblems(), []);
});
