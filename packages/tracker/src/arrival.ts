// A reader who came through a link a <quote-to-tweet> made: its URL ends with `#cq=<code>.<letter>`
// (see @chorus/core's quoteTag). Loaded only on such a page view.
import type { Start } from './tracker.js';

// NETWORK_CODES of @chorus/core, the other way round; kept here so the page that needs it downloads
// only this file.
const NETWORKS: Record<string, string> = {
  x: 'x',
  b: 'bluesky',
  m: 'mastodon',
  t: 'threads',
  l: 'linkedin',
  f: 'facebook',
  r: 'reddit',
  h: 'hackernews',
  e: 'email',
  w: 'whatsapp',
  g: 'telegram',
  n: 'native',
  c: 'copy',
};

/**
 * Takes the tag out of the address bar (so the reader does not share it again), records the arrival,
 * and tags every later event of this page view with it. A tag typed by hand or cut short
 * (any fragment with `cq=` in it) is only removed.
 */
export const start: Start = (record, hooks) => {
  const [, code, letter] = /^#cq=([0-9a-z]{1,6})\.([a-z])$/.exec(location.hash) ?? [];
  history.replaceState(history.state, '', location.pathname + location.search);
  const network = NETWORKS[letter];
  if (!network) return;
  record({ type: 'arrival', widget: 'quote-to-tweet', instance: code, network });
  const arrival = `${code}.${letter}`;
  // This page view's: an SPA that moves to another path starts another (coming back to this one, the
  // events are tagged again, a rare case counted generously).
  const path = location.pathname;
  hooks.push((detail) => (location.pathname == path ? { ...detail, props: { ...detail.props, arrival } } : detail));
};
