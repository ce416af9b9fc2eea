// The plugin in a real WordPress 6.1 (Debian's files, MariaDB, php -S; see harness.mjs): the built zip
// installed and activated, posts holding every shortcode and block Chorus renders (its own, and Better
// Click To Tweet's, Social Warfare's and Novashare's exactly as those plugins save them, through
// wp_slash() and wptexturize), hostile attributes, and the pages as HTML, in Chromium with the elements
// upgraded, and in Chromium with JavaScript off. Ends with no PHP notice, warning or deprecation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { pluginZip } from './plugin.mjs';
import { startWordPress } from './harness.mjs';
import { GERMAN, assertReserveInHead, attr, elements, fallbackOf, feedItems, get, installAmpStandIn, installGermanStandIn, plainQuotes, scripts, shownQuotes, upgradedStrings, xPost } from './html.mjs';
import { launchChromium, openPage, waitFor } from '../../../test/support/browser.mjs';

let wp, browser;
const posts = {};

// Hebrew in a right-to-left embedding (U+202B … U+202C), with a left-to-right name embedded (U+202A): X takes both.
const RTL_QUOTE = '\u202Bקהל הוא מי שרואה אותך; השפעה היא מי שפועל בזכותך — \u202AAda Lovelace\u202C\u202C';

// Content as each plugin's editor saves it: BCTT's and Social Warfare's shortcodes in a paragraph, the
// blocks as comments (their attributes JSON-encoded as WordPress does, `>` as \u003e).
const CONTENT = {
  compat: [
    '[bctt tweet="Audience is who sees you. Influence is who acts because of you." url="no" via="no" nofollow="yes" prompt="Share this"]',
    '[bctt]',
    '<!-- wp:bctt/clicktotweet {"tweet":"A block from Better Click To Tweet","username":"benunc"} /-->',
    '[click_to_tweet tweet="Read this: https://example.com/read" quote="The quote Social Warfare shows" theme="style1"]',
    '[clickToTweet tweet="The older Social Warfare tag" quote="The older tag, shown"]',
    '[novashare_tweet tweet="Novashare shares this #writing #influence" cta_text="Tweet it" remove_url="true" hide_hashtags="true"]',
    '<!-- wp:novashare/click-to-tweet {"tweet":"A Novashare block","theme":"simple","remove_url":"1"} /-->',
    // A bare ">" makes wptexturize curl the quotes of the whole shortcode.
    '[bctt tweet="Less > more, and it\'s -- still fine" username="fieldnotes"]',
    '[bctt tweet="A link of its own" url="https://example.com/custom"]',
    // Social Warfare's block saves its shortcode as text in a <div> (the class WordPress adds, then its own;
    // warfare-plugins/social-warfare, assets/js/post-editor/src/block/click-to-tweet.js, save()).
    '<!-- wp:social-warfare/click-to-tweet {"tweetText":"Shared from the Social Warfare block","displayText":"Shown by the Social Warfare block"} -->\n<div class="wp-block-social-warfare-click-to-tweet social-warfare-admin-block">[click_to_tweet tweet="Shared from the Social Warfare block" quote="Shown by the Social Warfare block" theme=""]</div>\n<!-- /wp:social-warfare/click-to-tweet -->',
    // BCTT's block with its own attributes: no handle, no link, nofollow, a prompt; and a custom link.
    '<!-- wp:bctt/clicktotweet {"tweet":"A BCTT block without extras","via":false,"url":false,"nofollow":true,"prompt":"Tweet it"} /-->',
    '<!-- wp:bctt/clicktotweet {"tweet":"A BCTT block with its own link","urlcustom":"https://example.com/c"} /-->',
  ].join('\n\n'),
  chorus: [
    '[quote_to_tweet via="fieldnotes" hashtags="writing, influence" networks="x bluesky mastodon" label="Share" id="who-acts"]A thousand readers who act beat a million who scroll.[/quote_to_tweet]',
    '[quote_to_tweet text="The text shared instead" url="https://example.com/elsewhere" nofollow]The quote shown[/quote_to_tweet]',
    `[quote_to_tweet]${'Influence is measured in what readers do, not in what they see. '.repeat(7).trim()}[/quote_to_tweet]`,
    '[comment_prompt label="Tell me"]Audience or influence: which matters more to you?[/comment_prompt]',
    '[comment_prompt email="author@example.com"]Or write to me?[/comment_prompt]',
    '[course_cta href="https://courses.example/influence" campaign="launch" heading="Want to know more?" label="Take the course" dismissible dismiss-days="7"]Six weeks on writing for readers who act.[/course_cta]',
    '<!-- wp:chorus/quote-to-tweet {"quote":"A quote from the block","networks":"x bluesky","via":"no","url":"none"} /-->',
    '<!-- wp:chorus/comment-prompt {"question":"A question from the block?","inline":true,"maxlength":500} /-->',
    '<!-- wp:chorus/course-cta {"heading":"The block\'s offer","text":"From the block.","href":"https://courses.example/block","noUtm":true} /-->',
    '<!-- wp:chorus/quote-to-tweet {"quote":""} /-->',
    '[quote_to_tweet][/quote_to_tweet]',
    '[course_cta]',
  ].join('\n\n'),
  hostile: [
    '[quote_to_tweet url="javascript:alert(1)" via="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" label="<img src=x onerror=alert(2)>" onclick="alert(3)" unknown="ignored" hashtags="a&quot;onmouseover=alert(4)"]<script>alert(5)</script> is text[/quote_to_tweet]',
    '[bctt tweet="<b onmouseover=alert(6)>bold</b>" url="data:text/html,<script>alert(7)</script>" prompt="<script>alert(8)</script>"]',
    '[click_to_tweet tweet="x" quote="<img src=x onerror=alert(9)>" theme="a&quot; onclick=&quot;alert(10)"]',
    '[course_cta href="javascript:alert(11)" heading="<script>alert(12)</script>" campaign="&quot;&gt;x" image="javascript:alert(13)"]',
    '[comment_prompt for="&quot;&gt;&lt;script&gt;alert(14)&lt;/script&gt;" email="not an email" id="a b&quot;"]Q?[/comment_prompt]',
    '<!-- wp:chorus/course-cta {"heading":"Block","href":"javascript:alert(15)","className":"x\\u0022 onclick=\\u0022alert(16)"} /-->',
    '<!-- wp:chorus/quote-to-tweet {"quote":"\\u003cscript\\u003ealert(17)\\u003c/script\\u003e","url":"javascript:alert(18)","label":"\\u0022\\u003e\\u003cimg src=x onerror=alert(19)\\u003e"} /-->',
    '[quote_to_tweet related="&quot; onmouseover=&quot;alert(20),javascript:alert(21),@@,way_too_long_handle,someone:Her blog,ok_one"]Hostile related[/quote_to_tweet]',
    '<!-- wp:chorus/quote-to-tweet {"quote":"A block with a hostile related","related":"\\u0022\\u003e\\u003cscript\\u003ealert(22)\\u003c/script\\u003e"} /-->',
    '<!-- wp:bctt/clicktotweet {"tweet":"A BCTT block with a script link","urlcustom":"javascript:alert(23)"} /-->',
  ].join('\n\n'),
  // X's related accounts (its intent's `related` parameter), and a right-to-left quote with its embedding.
  related: [
    '[quote_to_tweet via="fieldnotes" related="@fieldnotes, ada_l,Grace_H ,ADA_L"]Read widely, write narrowly.[/quote_to_tweet]',
    '<!-- wp:chorus/quote-to-tweet {"quote":"A block that suggests accounts","related":"chorusdev,@ada_l","via":"no"} /-->',
    `[quote_to_tweet related="fieldnotes"]${RTL_QUOTE}[/quote_to_tweet]`,
  ].join('\n\n'),
};

before(async () => {
  // A classic theme, as most sites on WordPress 6.1 have (settings.test.mjs runs the default block theme).
  wp = await startWordPress({ plugins: [pluginZip()], theme: 'twentytwentyone' });
  await wp.php(`
    update_option( 'chorus_settings', array( 'collector' => 'https://stats.example.com/collect', 'site' => 'field-notes', 'respect_dnt' => true, 'pageviews' => 'off' ) );
    // Left behind by Better Click To Tweet: the default handle while Chorus has none of its own.
    update_option( 'bctt-twitter-handle', '@oldhandle' );`);
  posts.compat = await wp.createPost({ title: 'Taken over as it is', content: CONTENT.compat });
  posts.chorus = await wp.createPost({ title: 'Chorus’s own', content: CONTENT.chorus });
  posts.hostile = await wp.createPost({ title: 'Hostile', content: CONTENT.hostile });
  posts.related = await wp.createPost({ title: 'Related accounts', content: CONTENT.related });
  posts.plain = await wp.createPost({ title: 'Nothing here', content: '<p>Just text.</p>' });
  posts.emptyPrompt = await wp.createPost({ title: 'An empty prompt', content: '[comment_prompt][/comment_prompt]\n\n[comment_prompt]' });
  posts.closed = await wp.createPost({ title: 'No comments', content: '[comment_prompt]Closed?[/comment_prompt]', commentStatus: 'closed' });
  installGermanStandIn(wp);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await wp?.stop();
});

describe('server-rendered HTML', () => {
  it('takes over Better Click To Tweet, Social Warfare and Novashare content as those plugins saved it', async () => {
    const html = await get(posts.compat.url);
    const quotes = elements(html, 'quote-to-tweet');
    assert.equal(quotes.length, 12, 'one <quote-to-tweet> per box');

    const [bctt, empty, bcttBlock, sw, swOld, ns, nsBlock, texturized, custom, swBlock, bareBlock, customBlock] = quotes;
    assert.match(attr(bctt, 'class'), /\bbctt-click-to-tweet\b/, "BCTT's class stays a CSS hook");
    assert.equal(attr(bctt, 'url'), 'none', 'url="no": no page link');
    assert.equal(attr(bctt, 'via'), undefined, 'via="no": no handle');
    assert.equal(attr(bctt, 'nofollow'), true);
    assert.equal(attr(bctt, 'label'), 'Share this', 'prompt is the label');
    assert.match(bctt, />Audience is who sees you\. Influence is who acts because of you\. <a slot="fallback"/);
    const bcttPost = xPost(fallbackOf(bctt));
    assert.equal(bcttPost.params.url, undefined);
    assert.equal(bcttPost.params.text, 'Audience is who sees you. Influence is who acts because of you.');
    assert.match(bctt, /rel="noopener noreferrer nofollow"/);

    assert.match(empty, />Taken over as it is <a/, 'an empty [bctt] shares the post title');
    assert.equal(attr(empty, 'via'), 'oldhandle', "BCTT's handle option is the default handle");
    assert.equal(attr(empty, 'url'), posts.compat.url, 'and the post');

    assert.equal(attr(bcttBlock, 'via'), 'benunc', "the block's username is the handle");
    assert.equal(xPost(fallbackOf(bcttBlock)).params.via, 'benunc');
    // BCTT has no related of its own: it sends the handle it credits as X's related too, and so does Chorus.
    assert.equal(attr(bcttBlock, 'related'), 'benunc');
    assert.equal(xPost(fallbackOf(bcttBlock)).params.related, 'benunc');
    assert.equal(attr(empty, 'related'), 'oldhandle');
    assert.equal(attr(bctt, 'related'), undefined, 'via="no": no related either');
    assert.equal(bcttPost.params.related, undefined);
    assert.equal(attr(sw, 'related'), undefined, "Social Warfare's sends none");
    assert.match(bcttBlock, />A block from Better Click To Tweet </);

    assert.match(attr(sw, 'class'), /\bswp_CTT\b.*\bstyle1\b/, "Social Warfare's classes stay");
    assert.match(sw, />The quote Social Warfare shows </, 'its quote is shown');
    assert.equal(attr(sw, 'text'), 'Read this: https://example.com/read', 'its tweet is shared');
    assert.equal(attr(sw, 'url'), 'none', 'a tweet that holds a link shares no other');
    assert.match(swOld, />The older tag, shown </);

    assert.match(attr(ns, 'class'), /\bns-ctt\b/);
    assert.match(ns, />Novashare shares this </, 'hide_hashtags: the trailing hashtags are not shown');
    assert.equal(attr(ns, 'hashtags'), 'writing influence', '…but shared as hashtags');
    assert.equal(attr(ns, 'url'), 'none', 'remove_url');
    assert.equal(attr(ns, 'label'), 'Tweet it', 'cta_text');
    assert.match(attr(nsBlock, 'class'), /\bns-ctt-simple\b/);
    assert.equal(attr(nsBlock, 'url'), 'none', 'a flag saved as a string still counts');

    assert.match(texturized, /Less &gt; more, and it’s – still fine|Less &gt; more, and it’s — still fine/, 'a shortcode wptexturize curled is still read');
    assert.equal(attr(texturized, 'via'), 'fieldnotes');
    assert.equal(attr(custom, 'url'), 'https://example.com/custom', "BCTT's url with a link shares that link");
    assert.equal(xPost(fallbackOf(custom)).params.url, 'https://example.com/custom');

    // Social Warfare's block: its shortcode, rendered once, inside the block's <div>.
    assert.equal(html.match(/Shown by the Social Warfare block/g).length, 1, 'shown once');
    assert.match(html, /<div class="wp-block-social-warfare-click-to-tweet social-warfare-admin-block">\s*<quote-to-tweet /);
    assert.match(attr(swBlock, 'class'), /\bswp_CTT\b/);
    assert.match(swBlock, />Shown by the Social Warfare block </);
    assert.equal(attr(swBlock, 'text'), 'Shared from the Social Warfare block');
    assert.equal(xPost(fallbackOf(swBlock)).params.text, 'Shared from the Social Warfare block');

    // BCTT's block: via and url false, nofollow, prompt; urlcustom.
    assert.match(attr(bareBlock, 'class'), /\bbctt-click-to-tweet\b/);
    assert.equal(attr(bareBlock, 'url'), 'none');
    assert.equal(attr(bareBlock, 'via'), undefined, 'via false: no handle, not even the default');
    assert.equal(attr(bareBlock, 'related'), undefined);
    assert.equal(attr(bareBlock, 'nofollow'), true);
    assert.equal(attr(bareBlock, 'label'), 'Tweet it');
    assert.match(bareBlock, /<a slot="fallback"[^>]*rel="noopener noreferrer nofollow"[^>]*>Tweet it</);
    assert.deepEqual([xPost(fallbackOf(bareBlock)).params.url, xPost(fallbackOf(bareBlock)).params.via], [undefined, undefined]);
    assert.equal(attr(customBlock, 'url'), 'https://example.com/c');
    assert.equal(attr(customBlock, 'via'), 'oldhandle', 'the default handle');
    assert.equal(xPost(fallbackOf(customBlock)).params.url, 'https://example.com/c');
  });

  it("renders Chorus's shortcodes and blocks with every attribute, and the site's defaults", async () => {
    const html = await get(posts.chorus.url);
    const quotes = elements(html, 'quote-to-tweet');
    assert.equal(quotes.length, 4, 'two shortcodes, a long one and a block; the empty ones render no element');
    const [own, other, long, block] = quotes;
    assert.equal(attr(own, 'id'), 'who-acts');
    assert.equal(attr(own, 'via'), 'fieldnotes');
    assert.equal(attr(own, 'hashtags'), 'writing influence');
    assert.equal(attr(own, 'networks'), 'x bluesky mastodon');
    assert.equal(attr(own, 'label'), 'Share');
    assert.equal(attr(other, 'text'), 'The text shared instead');
    assert.equal(attr(other, 'url'), 'https://example.com/elsewhere');
    assert.equal(attr(other, 'nofollow'), true, 'a bare flag');
    assert.equal(attr(block, 'networks'), 'x bluesky');
    assert.equal(attr(block, 'url'), 'none');
    assert.equal(attr(block, 'via'), undefined);

    // The no-JavaScript link of the long quote: cut at a word, ended with "…", a post X accepts.
    const { params, parsed } = xPost(fallbackOf(long));
    assert.ok(params.text.endsWith('…'), params.text);
    assert.ok(parsed.valid && parsed.weightedLength <= 280, `X counts ${parsed.weightedLength}`);
    assert.ok(parsed.weightedLength > 200, 'not cut far more than needed');
    assert.equal(params.url, posts.chorus.url);
    assert.match(long, />Influence is measured/, 'the quote shown is whole');
    for (const quote of [own, other, block]) assert.ok(xPost(fallbackOf(quote)).parsed.valid);
    assert.deepEqual(xPost(fallbackOf(own)).params, {
      text: 'A thousand readers who act beat a million who scroll.',
      url: posts.chorus.url,
      via: 'fieldnotes',
      hashtags: 'writing,influence',
    });

    const prompts = elements(html, 'comment-prompt');
    assert.equal(prompts.length, 3);
    assert.equal(attr(prompts[0], 'for'), '#respond', '[comment_prompt] defaults to the comment form');
    assert.match(prompts[0], /<a slot="fallback" class="chorus-fallback" href="#respond">Tell me<\/a>/);
    assert.equal(attr(prompts[1], 'email'), 'author@example.com');
    assert.equal(attr(prompts[1], 'for'), undefined, 'an email prompt is not sent to the form');
    assert.match(prompts[1], /href="mailto:author@example\.com\?subject=Re%3A%20Chorus%E2%80%99s%20own"/);
    assert.equal(attr(prompts[2], 'inline'), true);
    assert.equal(attr(prompts[2], 'maxlength'), '500');

    const courses = elements(html, 'course-cta');
    assert.equal(courses.length, 2);
    assert.equal(attr(courses[0], 'href'), 'https://courses.example/influence');
    assert.equal(attr(courses[0], 'campaign'), 'launch');
    assert.equal(attr(courses[0], 'dismissible'), true);
    assert.equal(attr(courses[0], 'dismiss-days'), '7');
    assert.equal(attr(courses[0], 'label'), 'Take the course');
    assert.match(courses[0], /<strong slot="heading" role="heading" aria-level="2">Want to know more\?<\/strong><p>Six weeks on writing for readers who act\.<\/p>/);
    assert.equal(attr(courses[1], 'no-utm'), true);

    const comments = html.match(/<!-- Chorus: this [a-z-]+ has no text, so it is not shown\. -->/g) ?? [];
    assert.equal(comments.length, 3, 'an empty quote, block or box renders a comment for the editor, nothing for the reader');
  });

  it('gives the element and the no-JavaScript link the accounts X suggests, and keeps a right-to-left quote whole', async () => {
    const html = await get(posts.related.url);
    const [shortcode, block, rtl] = elements(html, 'quote-to-tweet');
    assert.equal(attr(shortcode, 'related'), 'fieldnotes,ada_l,Grace_H', 'a leading @ and spaces dropped, each handle once');
    assert.deepEqual(xPost(fallbackOf(shortcode)).params, {
      text: 'Read widely, write narrowly.',
      url: posts.related.url,
      via: 'fieldnotes',
      related: 'fieldnotes,ada_l,Grace_H',
    });
    assert.equal(attr(block, 'related'), 'chorusdev,ada_l', "the block's attribute");
    assert.equal(xPost(fallbackOf(block)).params.related, 'chorusdev,ada_l');
    assert.equal(xPost(fallbackOf(block)).params.via, undefined);
    // U+202A–U+202E are valid on X: the link shares the quote with its embeddings, as the page shows it.
    const { params, parsed } = xPost(fallbackOf(rtl));
    assert.equal(params.text, RTL_QUOTE);
    assert.equal(params.related, 'fieldnotes');
    assert.ok(parsed.valid, `X takes ${JSON.stringify(params.text)}`);
    assert.deepEqual(shownQuotes(html)[2], { text: RTL_QUOTE, href: fallbackOf(rtl) });
  });

  /** Parsed as a browser would (jsdom runs no script): no element, event handler or URL got through. */
  function assertHarmless(html, count) {
    const { document } = new JSDOM(html).window;
    const rendered = [...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')];
    assert.equal(rendered.length, count);
    for (const element of rendered) {
      for (const node of [element, ...element.querySelectorAll('*')]) {
        assert.ok(['QUOTE-TO-TWEET', 'COMMENT-PROMPT', 'COURSE-CTA', 'A', 'STRONG', 'P'].includes(node.tagName), `no <${node.tagName}> from an attribute`);
        for (const { name, value } of node.attributes) {
          assert.doesNotMatch(name, /^on/, `no ${name}= on <${node.localName}>`);
          assert.notEqual(name, 'unknown', 'unknown attributes are ignored');
          assert.doesNotMatch(value, /^\s*(javascript|data):/i, `${name}="${value}"`);
        }
      }
    }
    return document;
  }

  it('escapes or drops every hostile attribute, and ignores unknown ones', async () => {
    const html = await get(posts.hostile.url);
    const document = assertHarmless(html, 10);
    const quotes = elements(html, 'quote-to-tweet');
    const [quote, bctt, sw] = quotes.map((h) => new JSDOM(h).window.document.querySelector('quote-to-tweet'));
    assert.match(quote.textContent, /^<script>alert\(5\)<\/script> is text/, 'markup in a quote stays text');
    assert.equal(quote.getAttribute('label'), '<img src=x onerror=alert(2)>', 'and in an attribute, text');
    assert.equal(quote.getAttribute('via'), null, 'a handle that is not one is dropped');
    assert.equal(quote.getAttribute('url'), posts.hostile.url, 'a javascript: URL is dropped for the post');
    assert.match(bctt.textContent, /^<b onmouseover=alert\(6\)>bold<\/b>/);
    assert.equal(bctt.getAttribute('url'), posts.hostile.url, 'a data: URL too');
    assert.match(sw.className, /^chorus-quote swp_CTT [\w-]+$/);
    // related: every value that is not a handle is dropped, on the element and in the link to X.
    assert.equal(attr(quotes[4], 'related'), 'ok_one');
    assert.equal(xPost(fallbackOf(quotes[4])).params.related, 'ok_one');
    assert.equal(attr(quotes[5], 'related'), undefined, 'nothing left: no attribute');
    assert.equal(xPost(fallbackOf(quotes[5])).params.related, undefined);
    assert.equal(attr(quotes[6], 'url'), posts.hostile.url, "a javascript: urlcustom in BCTT's block is dropped for the post");
    assert.doesNotMatch(fallbackOf(quotes[6]), /javascript/);
    const [course, block] = elements(html, 'course-cta').map((h) => new JSDOM(h).window.document.querySelector('course-cta'));
    assert.equal(course.getAttribute('href'), null);
    assert.equal(course.querySelector('img'), null, 'no image from a javascript: URL');
    assert.equal(block.getAttribute("href"), null);
    const prompt = document.querySelector('comment-prompt');
    assert.equal(prompt.getAttribute('email'), null);
    assert.equal(prompt.getAttribute('for'), '"><script>alert(14)</script>', 'a selector stays an attribute value (the element rejects it)');
  });

  it('lets a contributor inject nothing either (their content also goes through kses)', async () => {
    const { id } = await wp.createUser({ role: 'contributor' });
    const post = await wp.createPost({ title: 'By a contributor', content: CONTENT.hostile, author: id });
    assertHarmless(await get(post.url), 10);
  });

  it('prints the script tag as a module with the settings, its URL versioned, only on pages with an element', async () => {
    const html = await get(posts.chorus.url);
    const tags = html.match(/<script\b[^>]*chorus\.js[^>]*>/g);
    assert.equal(tags?.length, 1, 'one script tag');
    const [tag] = tags;
    assert.match(tag, /type="module"/);
    assert.match(tag, /src="[^"]*\/wp-content\/plugins\/chorus\/js\/chorus\.js\?ver=\d+\.\d+\.\d+"/);
    assert.equal(attr(tag, 'data-collector'), 'https://stats.example.com/collect');
    assert.equal(attr(tag, 'data-site'), 'field-notes');
    assert.equal(attr(tag, 'data-respect-dnt'), true);
    assert.equal(attr(tag, 'data-pageviews'), 'off');
    assertReserveInHead(html);

    const plain = await get(posts.plain.url);
    assert.doesNotMatch(plain, /chorus\.js|chorus-reserve-css/, 'nothing on a page without an element');

    // No site name saved: the site's host.
    await wp.php(`$s = get_option( 'chorus_settings' ); $s['site'] = ''; update_option( 'chorus_settings', $s );`);
    try {
      const [unnamed] = (await get(posts.chorus.url)).match(/<script\b[^>]*chorus\.js[^>]*>/g);
      assert.equal(attr(unnamed, 'data-site'), new URL(wp.url).hostname);
    } finally {
      await wp.php(`$s = get_option( 'chorus_settings' ); $s['site'] = 'field-notes'; update_option( 'chorus_settings', $s );`);
    }
  });

  it('renders an empty comment prompt as nothing but a comment for the editor', async () => {
    const html = await get(posts.emptyPrompt.url);
    assert.equal(elements(html, 'comment-prompt').length, 0);
    assert.equal(html.match(/<!-- Chorus: this comment-prompt has no text, so it is not shown\. -->/g)?.length, 2, '[comment_prompt][/comment_prompt] and a bare [comment_prompt]');
    assert.doesNotMatch(html, /slot="fallback"|class="chorus-fallback"/, 'no link either');
  });

  it("prints the elements' strings in the site's language before chorus.js, only what differs, and nothing on an English site", async () => {
    assert.doesNotMatch(await get(posts.chorus.url), /chorus-strings/, 'an English site prints no strings');
    const html = await get(`${posts.chorus.url}?de=1`);
    const script = /<script type="module" id="chorus-strings">([^<]*)<\/script>/.exec(html);
    assert.ok(script, 'the strings, as a module with no < in it');
    assert.ok(html.indexOf(script[0]) < html.indexOf('chorus.js'), 'before chorus.js');
    assert.equal(html.match(/id="chorus-strings"/g).length, 1, 'once');
    const json = JSON.parse(/Object\.entries\((\{.*?\})\)\)/.exec(script[1])[1]);
    assert.deepEqual(json, {
      'quote-to-tweet': { label: 'Zum Twittern klicken', shareOn: 'Auf {network} teilen', copy: 'Kopieren', copyFailed: GERMAN['Could not copy'] },
      'comment-prompt': { reply: 'Deine Antwort', send: 'Senden' },
      'course-cta': { label: 'Mehr erfahren', dismiss: 'Schließen' },
    });
    assert.match(html, /<a [^>]*slot="fallback"[^>]*>Zum Twittern klicken</, 'the fallback link is translated as before');

    // An element only the footer has (a widget, a template): the strings go before the footer's script.
    writeFileSync(join(wp.root, 'wp-content/mu-plugins/late-quote.php'), "<?php\nadd_action( 'get_footer', function () { if ( isset( $_GET['late'] ) ) { echo do_shortcode( '[quote_to_tweet]Late[/quote_to_tweet]' ); } } );\n");
    const late = await get(`${posts.plain.url}?late=1&de=1`);
    const at = late.indexOf('<script type="module" id="chorus-strings">');
    assert.ok(at > late.indexOf('</head>') && at < late.indexOf('chorus.js'), 'in the footer, before chorus.js');
    assert.equal(late.match(/id="chorus-strings"/g).length, 1);
  });

  it('cuts every no-JavaScript link to a post X accepts, and leaves a text that fits alone', async () => {
    const long = 'Influence is measured in what readers do. '.repeat(10).trim();
    const cases = [
      { text: 'Short and sweet.', url: 'https://blog.example/post/', via: 'fieldnotes', hashtags: 'writing' },
      { text: long, url: 'https://blog.example/post/', via: 'fieldnotes', hashtags: 'writing influence' },
      { text: '影響力は、読者が何をするかで測られる。'.repeat(12), url: 'https://blog.example/', via: '', hashtags: '' },
      { text: '🙂👍🏽👩‍👩‍👧 '.repeat(40), url: '', via: '', hashtags: '' },
      { text: 'see a.io b.io c.io d.io e.io f.io g.io h.io i.io j.io k.io l.io m.io n.io', url: 'https://blog.example/', via: '', hashtags: '' },
      { text: 'x'.repeat(400), url: 'https://blog.example/', via: 'fieldnotes', hashtags: '' },
      { text: 'Tags galore', url: 'https://blog.example/', via: 'fieldnotes', hashtags: Array.from({ length: 40 }, (_, i) => `tag${i}`).join(' ') },
      { text: 'Cafe\u0301 ', url: '', via: '', hashtags: '' },
      // Directional embeddings and overrides stay (X takes them); U+FEFF goes (X refuses it).
      { text: '\u202Bשלום עולם\u202C \u202Dltr\u202C \u202Ertl\u202C \uFEFFabc', url: '', via: '', hashtags: '' },
      { text: '\u202Bשלום עולם, מה שלומך היום?\u202C '.repeat(12), url: 'https://blog.example/', via: 'fieldnotes', hashtags: '', related: 'fieldnotes,ada_l' },
      { text: long, url: 'https://blog.example/post/', via: 'fieldnotes', hashtags: 'writing influence', related: 'a,b' },
    ];
    const intents = JSON.parse(
      await wp.php(`
        $cases = json_decode( ${JSON.stringify(JSON.stringify(cases))}, true );
        echo wp_json_encode( array_map( function ( $c ) { return chorus_x_intent( $c['text'], $c['url'], $c['via'], $c['hashtags'], $c['related'] ?? '' ); }, $cases ) );`),
    );
    intents.forEach((intent, i) => {
      const { params, parsed } = xPost(intent);
      assert.ok(parsed.valid && parsed.weightedLength <= 280, `case ${i}: X counts ${parsed.weightedLength} for ${intent}`);
      const cut = params.text !== cases[i].text.replace(/[\uFFFE\uFEFF\uFFFF]/g, '');
      assert.equal(cut, params.text.endsWith('…'), `case ${i}: a cut text ends with …`);
    });
    assert.equal(xPost(intents[0]).params.text, 'Short and sweet.', 'a text that fits is shared whole');
    assert.ok(xPost(intents[1]).parsed.weightedLength > 240, 'a long text is cut near the limit, not far below it');
    assert.equal(xPost(intents[6]).params.hashtags, undefined, 'hashtags that leave no room are left out');
    assert.equal(xPost(intents[6]).params.text, 'Tags galore');
    assert.equal(xPost(intents[8]).params.text, '\u202Bשלום עולם\u202C \u202Dltr\u202C \u202Ertl\u202C abc');
    assert.ok(xPost(intents[9]).params.text.startsWith('\u202Bשלום'), 'a long right-to-left text is cut, its embeddings kept');
    assert.equal(xPost(intents[9]).params.related, 'fieldnotes,ada_l');
    assert.equal(xPost(intents[10]).params.text, xPost(intents[1]).params.text, 'related is not part of the post: the same cut');
    assert.equal(xPost(intents[10]).params.related, 'a,b');
  });

  it('lets a theme change an element, the script tag and where the script loads, through its filters', async () => {
    writeFileSync(
      join(wp.root, 'wp-content/mu-plugins/chorus-filters.php'),
      `<?php
if ( isset( $_GET['filters'] ) ) {
	add_filter( 'chorus_render_args', function ( $args, $tag ) { if ( 'quote-to-tweet' === $tag ) { $args['hashtags'] = 'fromtheme'; } return $args; }, 10, 2 );
	add_filter( 'chorus_script_data', function ( $data ) { $data['data-debug'] = true; return $data; } );
	add_filter( 'chorus_page_has_elements', '__return_true' );
}
`,
    );
    const html = await get(`${posts.chorus.url}?filters=1`);
    assert.ok(elements(html, 'quote-to-tweet').every((quote) => attr(quote, 'hashtags') === 'fromtheme'));
    assert.match(/<script type="module"[^>]*chorus\.js[^>]*>/.exec(html)[0], / data-debug[ >]/);
    const plain = await get(`${posts.plain.url}?filters=1`);
    assert.match(plain, /<style id="chorus-reserve-css">/, 'a template with elements of its own gets the reserve CSS…');
    assert.match(plain, /chorus\.js\?ver=/, '…and the script');
  });

  it('gives feeds the quote and a plain link for every shortcode and block: no element, no script', async () => {
    const items = feedItems(await get(`${wp.url}/feed/`));
    for (const [post, count] of [[posts.compat, 12], [posts.chorus, 4], [posts.related, 3]]) {
      const item = items.find(({ link }) => link === post.url);
      assert.ok(item, `${post.url} is in the feed`);
      const page = shownQuotes(await get(post.url));
      assert.equal(page.length, count);
      assert.deepEqual(plainQuotes(item.content), page, 'each quote shown, with the link the page has for readers without JavaScript');
      assert.doesNotMatch(item.content, /<script\b/i);
    }
    const chorus = items.find(({ link }) => link === posts.chorus.url).content;
    assert.match(chorus, /<p class="chorus-question"><strong>Audience or influence: which matters more to you\?<\/strong> <a href="[^"]*\/#respond">Tell me<\/a><\/p>/);
    assert.match(chorus, /<p class="chorus-course"><strong>Want to know more\?<\/strong><br \/>Six weeks on writing for readers who act\.<br \/><a href="https:\/\/courses\.example\/influence">Take the course<\/a><\/p>/);
  });

  // The AMP plugin itself cannot be downloaded here: a must-use plugin stands in for its two detection
  // functions (see AMP_STAND_IN in html.mjs), so this tests what Chorus prints on a request the AMP
  // plugin calls AMP, not the AMP plugin's own processing of the page.
  it('gives AMP pages the quote and a plain link: no element, and no script or style of its own', async () => {
    installAmpStandIn(wp);
    const without = scripts(await get(posts.plain.url));
    for (const post of [posts.compat, posts.chorus]) {
      const page = await get(post.url);
      assert.match(page, /chorus\.js\?ver=/, 'the page itself has the script…');
      for (const amp of [`${post.url}?amp=1`, `${post.url}?amp=1&amp-legacy=1`]) {
        const html = await get(amp);
        assert.deepEqual(plainQuotes(html), shownQuotes(page), `${amp}: each quote, with the link the page has for readers without JavaScript`);
        assert.deepEqual(scripts(html), without, `${amp}: …the AMP page no script but those of a page without Chorus`);
      }
    }
    await wp.php(`$s = get_option( 'chorus_settings' ); $s['pageviews'] = 'everywhere'; update_option( 'chorus_settings', $s );`);
    try {
      assert.match(await get(posts.plain.url), /chorus\.js\?ver=/, 'page views everywhere: the script on a page without an element…');
      assert.doesNotMatch(await get(`${posts.plain.url}?amp=1`), /chorus\.js/, '…but not on its AMP page');
    } finally {
      await wp.php(`$s = get_option( 'chorus_settings' ); $s['pageviews'] = 'off'; update_option( 'chorus_settings', $s );`);
    }
  });

  it('does not send readers to a comment form that is closed', async () => {
    const [prompt] = elements(await get(posts.closed.url), 'comment-prompt');
    assert.equal(attr(prompt, 'for'), undefined);
    assert.doesNotMatch(prompt, /slot="fallback"/);
  });
});

/** A page whose requests go to WordPress only (the test's collector is not there), with the dialogs it opens. */
async function openLocalPage() {
  const opened = { ...(await openPage(browser)), dialogs: [] };
  opened.page.on('dialog', (dialog) => (opened.dialogs.push(dialog.message()), dialog.dismiss()));
  await opened.page.setRequestInterception(true);
  opened.page.on('request', (request) => (request.url().startsWith(wp.url) ? request.continue() : request.abort()));
  return opened;
}

describe('in Chromium', () => {
  it('runs nothing from hostile attributes', async () => {
    const { page, context, errors, dialogs } = await openLocalPage();
    await page.goto(posts.hostile.url, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('quote-to-tweet')].every((el) => el.shadowRoot?.querySelector('a')));
    await page.hover('quote-to-tweet');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('upgrades every element: the share links are right and the fallback links are hidden', async () => {
    // The test's collector is not there: what the page would send is not the point here.
    const { page, context, errors } = await openLocalPage();
    await page.goto(posts.compat.url, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('quote-to-tweet')].every((el) => el.shadowRoot?.querySelector('a[href*="x.com"]')));
    const quotes = await page.evaluate(() =>
      [...document.querySelectorAll('quote-to-tweet')].map((el) => {
        const x = el.shadowRoot.querySelector('a[href*="x.com"]');
        const fallback = el.querySelector('[slot=fallback]');
        return { href: x.href, rel: x.rel, label: x.textContent.trim(), fallbackShown: fallback.getClientRects().length > 0, height: el.getBoundingClientRect().height };
      }),
    );
    assert.equal(quotes.length, 12);
    for (const quote of quotes) assert.equal(quote.fallbackShown, false, 'the fallback link is not shown once upgraded');
    const params = quotes.map((q) => new URL(q.href).searchParams);
    assert.equal(params[0].get('text'), 'Audience is who sees you. Influence is who acts because of you.', 'the fallback link is not shared');
    assert.equal(params[0].get('url'), null, 'url="no"');
    assert.match(quotes[0].rel, /\bnofollow\b/);
    assert.equal(quotes[0].label, 'Share this');
    assert.equal(params[1].get('text'), 'Taken over as it is');
    assert.match(params[1].get('url'), new RegExp(`^${posts.compat.url}#cq=`), 'the post, with the attribution tag');
    assert.equal(params[2].get('via'), 'benunc');
    assert.equal(params[2].get('related'), 'benunc');
    assert.equal(params[3].get('text'), 'Read this: https://example.com/read');
    assert.equal(params[3].get('url'), null);
    assert.equal(params[5].get('text'), 'Novashare shares this');
    assert.equal(params[5].get('hashtags'), 'writing,influence');
    assert.equal(params[9].get('text'), 'Shared from the Social Warfare block');
    assert.deepEqual([params[10].get('url'), params[10].get('via'), quotes[10].label], [null, null, 'Tweet it']);
    assert.match(quotes[10].rel, /\bnofollow\b/);
    assert.match(params[11].get('url'), /^https:\/\/example\.com\/c#cq=/, 'the custom link, with the attribution tag');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("gives the upgraded element's X link the related accounts, and a right-to-left quote whole", async () => {
    const { page, context, errors } = await openLocalPage();
    await page.goto(posts.related.url, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('quote-to-tweet')].every((el) => el.shadowRoot?.querySelector('a[href*="x.com"]')));
    const links = await page.evaluate(() => [...document.querySelectorAll('quote-to-tweet')].map((el) => el.shadowRoot.querySelector('a[href*="x.com"]').href));
    const params = links.map((href) => new URL(href).searchParams);
    assert.ok(links.every((href) => href.startsWith('https://x.com/intent/tweet?')), links.join(' '));
    assert.deepEqual(params.map((p) => p.get('related')), ['fieldnotes,ada_l,Grace_H', 'chorusdev,ada_l', 'fieldnotes']);
    assert.equal(params[2].get('text'), RTL_QUOTE);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("upgrades Chorus's own elements, the reserved box keeping its height", async () => {
    const { page, context, errors } = await openPage(browser);
    await page.setRequestInterception(true);
    // chorus.js held back a moment, to measure the boxes before and after the upgrade.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    page.on('request', async (request) => {
      if (!request.url().startsWith(wp.url)) return request.abort();
      if (request.url().includes('/chorus/js/')) await held;
      request.continue();
    });
    // A module script holds DOMContentLoaded back: the page is measured once parsed, before it runs.
    const loaded = page.goto(posts.chorus.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.readyState !== 'loading');
    const heights = () => page.evaluate(() => [...document.querySelectorAll('quote-to-tweet, course-cta')].map((el) => `${el.localName} ${Math.round(el.getBoundingClientRect().height)}`));
    const before = await heights();
    assert.equal(await page.evaluate(() => !!customElements.get('quote-to-tweet')), false, 'measured before the upgrade');
    release();
    await loaded;
    await page.waitForFunction(() => [...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')].every((el) => el.shadowRoot?.querySelector('a, button, textarea, p')));
    assert.deepEqual(await heights(), before, 'no layout shift when the quotes and course boxes upgrade');
    const state = await page.evaluate(() => ({
      networks: [...document.querySelector('#who-acts').shadowRoot.querySelectorAll('a[part~=network]')].map((a) => new URL(a.href).host),
      prompt: document.querySelector('comment-prompt').shadowRoot.querySelector('a')?.getAttribute('href'),
      course: document.querySelector('course-cta').shadowRoot.querySelector('a[part~=button]')?.href,
      fallbacks: [...document.querySelectorAll('[slot=fallback]')].filter((a) => a.getClientRects().length > 0).length,
    }));
    assert.deepEqual(state.networks.slice(0, 2), ['x.com', 'bsky.app']);
    assert.equal(state.prompt, '#respond');
    assert.equal(new URL(state.course).searchParams.get('utm_campaign'), 'launch');
    assert.equal(state.fallbacks, 0, 'no fallback link shows once the elements are upgraded');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shows the elements' strings in the site's language, from the first paint", async () => {
    const { page, context, errors, dialogs } = await openLocalPage();
    const shown = await upgradedStrings(page, `${posts.chorus.url}?de=1`);
    assert.deepEqual(shown, {
      copy: 'Kopieren',
      bluesky: 'Auf Bluesky teilen',
      primary: 'Zum Twittern klicken',
      dismiss: 'Schließen',
      send: 'Senden',
      reply: 'Deine Antwort',
      course: 'Mehr erfahren',
      copyFailed: GERMAN['Could not copy'],
      seenCopy: ['Kopieren'],
    }, 'no frame painted the English "Copy"');
    // An element added later is in German too (the class's strings changed), and labels still win.
    const later = await page.evaluate(async () => {
      document.body.insertAdjacentHTML('beforeend', '<quote-to-tweet id="later">Added later</quote-to-tweet><quote-to-tweet id="labelled" label="Own label">Labelled</quote-to-tweet>');
      await Promise.all(['#later', '#labelled'].map((id) => document.querySelector(id).updateComplete));
      return ['#later', '#labelled'].map((id) => document.querySelector(id).shadowRoot.querySelector('[part~=primary]').textContent);
    });
    assert.deepEqual(later, ['Zum Twittern klicken', 'Own label']);
    assert.deepEqual(dialogs, [], 'a translation runs nothing');
    assert.deepEqual(errors, []);
    await context.close();

    // An English page: the English strings.
    const english = await openLocalPage();
    const plain = await upgradedStrings(english.page, posts.chorus.url);
    assert.deepEqual([plain.copy, plain.dismiss, plain.send], ['Copy', 'Dismiss', 'Send']);
    await english.context.close();
  });

  it('mirrors on a right-to-left site', async () => {
    // WordPress is right-to-left when its locale says so; this site has no such language pack installed,
    // so a must-use plugin sets the direction on requests that ask for it.
    writeFileSync(join(wp.root, 'wp-content/mu-plugins/rtl.php'), "<?php\nadd_action( 'init', function () { if ( isset( $_GET['rtl'] ) ) { $GLOBALS['wp_locale']->text_direction = 'rtl'; } } );\n");
    const { page, context, errors } = await openLocalPage();
    await page.goto(`${posts.chorus.url}?rtl=1`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#who-acts')?.shadowRoot?.querySelector('a[part~=primary]'));
    const layout = await page.evaluate(() => {
      const quote = document.querySelector('#who-acts');
      const box = quote.getBoundingClientRect();
      const button = quote.shadowRoot.querySelector('a[part~=primary]').getBoundingClientRect();
      const style = getComputedStyle(quote);
      return { dir: document.documentElement.dir, right: style.borderRightWidth, left: style.borderLeftWidth, buttonFromRight: box.right - button.right, buttonFromLeft: button.left - box.left };
    });
    assert.equal(layout.dir, 'rtl');
    assert.notEqual(layout.right, '0px', 'the quote’s rule is on the right');
    assert.equal(layout.left, '0px');
    assert.ok(layout.buttonFromRight < layout.buttonFromLeft, 'the first button starts on the right');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('without JavaScript: the quote and a working link to X, to the comment form and to the course', async () => {
    const { page, context } = await openPage(browser);
    await page.setJavaScriptEnabled(false);
    await page.goto(posts.chorus.url, { waitUntil: 'load' });
    const links = await page.$$eval('[slot=fallback]', (all) => all.map((a) => ({ href: a.href, text: a.textContent, shown: a.getClientRects().length > 0 && a.getBoundingClientRect().width > 0 })));
    assert.ok(links.length >= 6);
    for (const link of links) assert.ok(link.shown, `${link.text} is shown`);
    const x = links.filter((link) => link.href.startsWith('https://x.com/'));
    assert.equal(x.length, 4);
    for (const link of x) assert.ok(xPost(link.href).parsed.valid, link.href);
    assert.ok(links.some((link) => link.href === `${posts.chorus.url}#respond`));
    assert.ok(links.some((link) => link.href === 'https://courses.example/influence'));
    await context.close();
  });
});

describe('the course box', () => {
  it('is placed at the top and the bottom of the posts of its category, and only there', async () => {
    const inCategory = await wp.createPost({ title: 'A post of the course', content: '<p>The text.</p>', categories: ['Course'] });
    const elsewhere = await wp.createPost({ title: 'Another post', content: '<p>Other text.</p>', categories: ['Other'] });
    await wp.php(`
      $s = get_option( 'chorus_settings' );
      $s['course_cat'] = get_cat_ID( 'Course' );
      $s['course_top'] = true; $s['course_bottom'] = true;
      $s['course_heading'] = 'Want to know more?';
      $s['course_text'] = 'Take my video course.';
      $s['course_href'] = 'https://courses.example/influence';
      $s['course_campaign'] = 'influence-course';
      update_option( 'chorus_settings', $s );`);
    const html = await get(inCategory.url);
    const boxes = elements(html, 'course-cta');
    assert.deepEqual(boxes.map((box) => attr(box, 'id')), ['chorus-course-top', 'chorus-course-bottom']);
    for (const box of boxes) assert.equal(attr(box, 'campaign'), 'influence-course');
    const text = html.indexOf('<p>The text.</p>');
    assert.ok(html.indexOf('chorus-course-top') < text && text < html.indexOf('chorus-course-bottom'));
    assert.match(html, /chorus\.js\?ver=/, 'the script is there');
    assert.equal(elements(await get(elsewhere.url), 'course-cta').length, 0);

    const { page, context, errors } = await openLocalPage();
    await page.goto(inCategory.url, { waitUntil: 'load' });
    await page.waitForFunction(() => [...document.querySelectorAll('course-cta')].every((el) => el.shadowRoot?.querySelector('a[part~=button]')));
    const placements = await page.evaluate(() => [...document.querySelectorAll('course-cta')].map((el) => new URL(el.shadowRoot.querySelector('a[part~=button]').href).searchParams.get('utm_content')));
    assert.deepEqual(placements, ['chorus-course-top', 'chorus-course-bottom']);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('with Better Click To Tweet active', () => {
  it('leaves its shortcode and block to it, and still renders the others', async () => {
    // A stand-in with BCTT's folder, shortcode and block names (the real one is not in any registry this
    // machine reaches): what matters is that something else registered them.
    const folder = mkdtempSync(join(tmpdir(), 'chorus-bctt-'));
    mkdirSync(join(folder, 'better-click-to-tweet'));
    writeFileSync(
      join(folder, 'better-click-to-tweet', 'better-click-to-tweet.php'),
      `<?php
/* Plugin Name: Better Click To Tweet (stand-in) */
add_shortcode( 'bctt', function () { return '<span class="bctt-own">BCTT renders this</span>'; } );
add_action( 'init', function () { register_block_type( 'bctt/clicktotweet', array( 'render_callback' => function () { return '<span class="bctt-own">BCTT block</span>'; } ) ); } );
`,
    );
    await wp.installPlugin(join(folder, 'better-click-to-tweet'));
    rmSync(folder, { recursive: true, force: true });
    const html = await get(posts.compat.url);
    assert.equal((html.match(/class="bctt-own"/g) ?? []).length, 7, 'the four [bctt] (one empty) and the three blocks are BCTT’s');
    assert.equal(elements(html, 'quote-to-tweet').length, 5, 'Social Warfare’s (its block too) and Novashare’s are still Chorus’s');
    await wp.php(`deactivate_plugins( 'better-click-to-tweet/better-click-to-tweet.php' );`);
    assert.equal(elements(await get(posts.compat.url), 'quote-to-tweet').length, 12, 'and Chorus takes them over again once it is gone');
  });
});

describe('with Social Warfare and Novashare active', () => {
  it('leaves their shortcodes and blocks to them, and still renders Better Click To Tweet’s', async () => {
    // Stand-ins with their folders, shortcode and block names, as for BCTT above.
    const folder = mkdtempSync(join(tmpdir(), 'chorus-sw-ns-'));
    const standIns = {
      'social-warfare': `add_shortcode( 'click_to_tweet', function () { return '<span class="swp-own">SW</span>'; } );
add_shortcode( 'clickToTweet', function () { return '<span class="swp-own">SW</span>'; } );`,
      novashare: `add_shortcode( 'novashare_tweet', function () { return '<span class="ns-own">NS</span>'; } );
add_action( 'init', function () { register_block_type( 'novashare/click-to-tweet', array( 'render_callback' => function () { return '<span class="ns-own">NS block</span>'; } ) ); } );`,
    };
    for (const [slug, code] of Object.entries(standIns)) {
      mkdirSync(join(folder, slug));
      writeFileSync(join(folder, slug, `${slug}.php`), `<?php\n/* Plugin Name: ${slug} (stand-in) */\n${code}\n`);
      await wp.installPlugin(join(folder, slug));
    }
    rmSync(folder, { recursive: true, force: true });
    try {
      const html = await get(posts.compat.url);
      assert.equal((html.match(/class="swp-own"/g) ?? []).length, 3, 'both Social Warfare tags, and the one its block saved, are its own');
      assert.equal((html.match(/class="ns-own"/g) ?? []).length, 2, 'Novashare’s shortcode and block are its own');
      assert.equal(elements(html, 'quote-to-tweet').length, 7, 'the four [bctt] and three BCTT blocks are still Chorus’s');
    } finally {
      await wp.php(`deactivate_plugins( array( 'social-warfare/social-warfare.php', 'novashare/novashare.php' ) );`);
    }
    assert.equal(elements(await get(posts.compat.url), 'quote-to-tweet').length, 12, 'and Chorus takes them over again once they are gone');
  });
});

it('logs no PHP notice, warning or deprecation with WP_DEBUG on', () => {
  assert.deepEqual(wp.phpProblems(), []);
});
