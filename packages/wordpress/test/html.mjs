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
