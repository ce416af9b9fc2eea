// What the WordPress tests read in the HTML WordPress served: elements and attributes as printed, the
// post an X intent link composes, and the plain rendering feeds and AMP pages get (the quote and a
// plain link, no element, no script), with the stand-in that makes a request an AMP one; and a share
// from a page, as the collector reports it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twitter from 'twitter-text';
import { waitFor } from '../../../test/support/browser.mjs';

export const get = async (url) => {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return response.text();
};
export const elements = (html, tag) => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
export const attr = (element, name) => {
  const match = new RegExp(`^<[a-z-]+\\b[^>]*?\\s${name}(?:="([^"]*)")?[\\s>]`).exec(element);
  return match ? (match[1] ?? true) : undefined;
};
export const decode = (text) => text.replace(/&#0?38;|&amp;/g, '&').replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<');
export const fallbackOf = (element) => decode(/<a slot="fallback"[^>]*href="([^"]*)"/.exec(element)?.[1] ?? '');

/**
 * The post X composes from an intent link (X's documented https://x.com/intent/tweet), and twitter-text's
 * verdict on it (X's own counting). `related` is not part of the post: X suggests those accounts after it.
 */
export function xPost(intent) {
  const url = new URL(intent);
  assert.equal(url.origin + url.pathname, 'https://x.com/intent/tweet');
  const p = url.searchParams;
  const post = [p.get('text'), p.get('url'), ...(p.get('hashtags')?.split(',').map((t) => `#${t}`) ?? []), p.get('via') && `via @${p.get('via')}`]
    .filter(Boolean)
    .join(' ');
  return { params: Object.fromEntries(p), post, parsed: twitter.parseTweet(post) };
}

/** The `<script>` tags of a page, each as its id or src (inline ones by their first characters). */
export const scripts = (html) =>
  [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attributes, body]) => / id="([^"]+)"/.exec(attributes)?.[1] ?? / src="([^"]+)"/.exec(attributes)?.[1] ?? body.trim().slice(0, 40));

/** Each item of an RSS 2 feed: its link and its content:encoded (the post's whole HTML, as readers show it). */
export const feedItems = (xml) =>
  [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, item]) => ({
    link: decode(/<link>([^<]*)<\/link>/.exec(item)?.[1] ?? ''),
    content: /<content:encoded><!\[CDATA\[([\s\S]*?)\]\]><\/content:encoded>/.exec(item)?.[1] ?? '',
  }));

/** Each `<quote-to-tweet>` of a page as the reader without JavaScript has it: the quote shown and its link to X. */
export const shownQuotes = (html) => elements(html, 'quote-to-tweet').map((element) => ({ text: decode(/^<[^>]*>([^<]*) <a slot="fallback"/.exec(element)?.[1] ?? ''), href: fallbackOf(element) }));

/**
 * The plain rendering of Chorus's content in `html` (a feed item, or an AMP page), asserted to have no
 * custom element, fallback slot, or Chorus script or style (a feed reader or the AMP validator drops
 * them, and an element's text with it): each quote as a blockquote of its text and a plain link, as
 * [{ text, href }] in the order of the page (comparable with shownQuotes() of the page itself).
 */
export function plainQuotes(html) {
  assert.doesNotMatch(html, /<(quote-to-tweet|comment-prompt|course-cta)\b/, 'no custom element');
  assert.doesNotMatch(html, /slot="fallback"|chorus-fallback|chorus-reserve-css|chorus\.js/, 'no fallback slot, no Chorus script or style');
  return [...html.matchAll(/<blockquote class="chorus-quote"><p>([^<]*)<\/p><p><a href="([^"]+)" rel="[^"]*">[^<]+<\/a><\/p><\/blockquote>/g)].map(([, text, href]) => ({
    text: decode(text),
    href: decode(href),
  }));
}

/**
 * A stand-in for the official AMP plugin (amp-wp), which this machine cannot download: only the two
 * detection functions Chorus calls, with the AMP plugin's names and contract. amp_is_request() (AMP 2.0
 * and later) is true for a paired AMP URL (`?amp=1`) and must not be called before `parse_query`;
 * is_amp_endpoint() is its older name, the only one before AMP 2.0 (`&amp-legacy` leaves
 * amp_is_request() undefined). It stands in for the AMP plugin, not for anything of Chorus: it does not
 * make the page AMP (no sanitizer strips what Chorus prints), so what the test sees is what Chorus sent.
 */
export const AMP_STAND_IN = `<?php
/* Plugin Name: AMP plugin stand-in (Chorus's tests: amp_is_request() and is_amp_endpoint() only) */
function chorus_test_amp_request() {
	if ( ! did_action( 'parse_query' ) ) {
		_doing_it_wrong( 'amp_is_request', 'amp_is_request() cannot be called before the parse_query action.', '2.0' );
	}
	return isset( $_GET['amp'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended
}
if ( ! isset( $_GET['amp-legacy'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
	function amp_is_request() {
		return chorus_test_amp_request();
	}
}
function is_amp_endpoint() {
	return chorus_test_amp_request();
}
`;

export const installAmpStandIn = (wp) => writeFileSync(join(wp.root, 'wp-content/mu-plugins/amp-stand-in.php'), AMP_STAND_IN);

/**
 * Shares the first quote of the upgraded page in `page` on Bluesky (the reader's new tab kept from
 * opening), sends what the tracker queued, and waits for the collector's report of `site` to count a
 * share: resolves { shared (that quote's row, if it came), report (a function that fetches the report again) }.
 */
export async function shareFirstQuote(page, { collector, site, token }) {
  await page.evaluate(() => {
    const quote = document.querySelector('quote-to-tweet');
    quote.addEventListener('click', (event) => event.preventDefault());
    quote.shadowRoot.querySelector('a[href*="bsky.app"]').click();
    return window.chorus.flush();
  });
  const report = async () => (await fetch(`${collector.url}/api/sites/${site}/report`, { headers: { authorization: `Bearer ${token}` } })).json();
  return { shared: await waitFor(async () => (await report()).quotes?.find((q) => q.shares > 0), 10_000), report };
}

// A German site without a language pack: a must-use plugin translates some of Chorus's strings, on
// requests with ?de, through gettext as a .mo file's translations would reach it (one translation hostile,
// to show a translation cannot end the script it is printed in).
export const GERMAN = {
  Copy: 'Kopieren',
  'Share on %s': 'Auf %s teilen',
  'Click to Tweet': 'Zum Twittern klicken',
  Dismiss: 'Schließen',
  Send: 'Senden',
  'Your reply': 'Deine Antwort',
  'Find out more': 'Mehr erfahren',
  'Could not copy': '</script><script>alert("copy")</script>',
};
const GERMAN_PLUGIN = `<?php
add_filter( 'gettext', function ( $translation, $text, $domain ) {
	$de = json_decode( base64_decode( '${Buffer.from(JSON.stringify(GERMAN)).toString('base64')}' ), true );
	return 'chorus' === $domain && isset( $_GET['de'] ) && isset( $de[ $text ] ) ? $de[ $text ] : $translation;
}, 10, 3 );
`;
export const installGermanStandIn = (wp) => writeFileSync(join(wp.root, 'wp-content/mu-plugins/german-stand-in.php'), GERMAN_PLUGIN);

/**
 * Opens `url` (a page with a Chorus element of each kind) in `page` and reads, once upgraded, the strings
 * the elements show: { copy, bluesky (the Bluesky link's accessible name, when there is one), primary (the first
 * X button's text), dismiss, send, reply, course (a course button's text without a label), copyFailed (the
 * class's string), seenCopy: every text a copy button had in a frame, before a paint }.
 */
export async function upgradedStrings(page, url) {
  // requestAnimationFrame runs before each paint: what the copy buttons say then is what the reader could see.
  await page.evaluateOnNewDocument(() => {
    window.seenCopy = [];
    const look = () => {
      for (const el of document.querySelectorAll('quote-to-tweet')) {
        const copy = el.shadowRoot?.querySelector('[part~=copy]');
        if (copy) window.seenCopy.push(copy.textContent);
      }
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')].every((el) => el.shadowRoot?.querySelector('a, button, textarea')) &&
      window.seenCopy.length > 0,
  );
  return page.evaluate(() => {
    const shadow = (selector) => document.querySelector(selector)?.shadowRoot;
    const quotes = [...document.querySelectorAll('quote-to-tweet')].map((el) => el.shadowRoot);
    const courses = [...document.querySelectorAll('course-cta')].filter((el) => !el.hasAttribute('label'));
    return {
      copy: quotes[0].querySelector('[part~=copy]')?.textContent,
      bluesky: quotes.map((q) => q.querySelector('a[href*="bsky.app"]')).find(Boolean)?.getAttribute('aria-label'),
      primary: shadow('quote-to-tweet:not([label])')?.querySelector('[part~=primary]')?.textContent,
      dismiss: shadow('course-cta[dismissible]')?.querySelector('[part~=close]')?.getAttribute('aria-label'),
      send: shadow('comment-prompt[inline]')?.querySelector('button[type=submit]')?.textContent,
      reply: shadow('comment-prompt[inline]')?.querySelector('label[for=reply]')?.textContent,
      course: courses[0]?.shadowRoot.querySelector('[part~=button]')?.textContent.trim(),
      copyFailed: customElements.get('quote-to-tweet').strings.copyFailed,
      seenCopy: [...new Set(window.seenCopy)],
    };
  });
}

/** Asserts that `html` has the reserve CSS, with its rules for the elements, in `<head>`. */
export function assertReserveInHead(html) {
  const at = html.indexOf('<style id="chorus-reserve-css">');
  assert.ok(at >= 0, 'the reserve CSS is printed');
  assert.ok(at < html.indexOf('</head>'), 'the reserve CSS is in <head>');
  assert.match(html.slice(at), /^<style id="chorus-reserve-css">[^<]*quote-to-tweet:not\(:defined\)[^<]*<\/style>/, 'with its rules');
}
