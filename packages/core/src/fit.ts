import { exact, graphemes, loadDomains, postLength, weightedLength } from './weighted-length.js';
import { mastodonHost } from './mastodon.js';
import { shareWith, type Fit, type Fitted, type FittedShare, type Network, type ShareOptions } from './share.js';

export { loadDomains, weightedLength };

const codePoints = (text: string) => Array.from(text).length;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** How each network counts its post, as a function of the graphemes of the text in it. */
function measure(network: Network, post: (text: string) => string): (parts: string[]) => number {
  const whole = (parts: string[]) => post(parts.join(''));
  // The page's url, a real address on a public domain, counts 23 on X and Mastodon whatever its domain: a
  // host with a built-in one stands for it, so it never needs the list of domains. A host X takes for no
  // link (localhost, an IP address: no dot, or a last label that is no name) counts as X counts it. (Every
  // post is the text, then what post('') adds, url first, after a space.)
  const after = post('').replace(/\/\/[^/]*\.[a-z][\w-]*/, '//x.com');
  const counted = (parts: string[]) => [parts.join(''), after].filter(Boolean).join(' ');
  switch (network) {
    case 'x':
      return (parts) => weightedLength(counted(parts));
    case 'bluesky': {
      // 300 graphemes and 3000 UTF-8 bytes. The text, a space, then url and hashtags: no grapheme
      // spans that space.
      const more = graphemes(post('')).length;
      return (parts) => Math.max(parts.length + (more && more + 1), utf8Length(whole(parts)) / 10);
    }
    case 'mastodon':
      // Mastodon counts graphemes (the server) or nearly so (its composer), and a URL with a scheme
      // as 23. Code points are never fewer.
      return (parts) => postLength(counted(parts), codePoints, true);
    case 'threads': {
      // Threads does not say how it counts its 500 characters: UTF-16 units are never fewer than
      // characters or graphemes, and emoji count their UTF-8 bytes, as Threads' API is reported to.
      const size = (parts: string[]) =>
        parts.reduce((sum, part) => sum + (/\p{Extended_Pictographic}|\p{RI}|\u20E3/u.test(part) ? utf8Length(part) : part.length), 0);
      const more = size(graphemes(post('')));
      return (parts) => size(parts) + (more && more + 1);
    }
    default:
      return (parts) => whole(parts).length;
  }
}

/** Fits as exactFit does, but where that needs the list of domains still loading, by a count never lower. */
const boundFit: Fit = (network, text, post, limit) => fit(text, measure(network, post), limit);

/**
 * Fits any text exactly as the network counts it, cutting it when it is too long. Undefined while the
 * full list of top-level domains a URL in the text needs is loading: `ready` then resolves once it has.
 */
export let exactFit: Fit = (...args) => {
  const fitted = exact(() => boundFit(...args));
  // Where the list cannot be loaded, fitted with counts never lower from then on.
  if (!fitted) ready = loadDomains().then(() => exactFit, () => (exactFit = boundFit));
  return fitted;
};

/** exactFit, once the list of domains it has started to load, if it has, is loaded or failed to load. */
export let ready: Promise<Fit> = Promise.resolve(exactFit);

/**
 * `text` itself when the `size` of its graphemes is within `limit`, else its longest start that
 * fits with `…` added: cut between graphemes, at the end of a word when one ends in the last 20, and
 * not inside a word holding a link (half a link is a broken one) unless it is the first.
 */
function fit(text: string, size: (graphemes: string[]) => number, limit: number): Fitted {
  const parts = graphemes(text);
  if (size(parts) <= limit) return { text, truncated: false };
  // Where a cut at each grapheme goes: back to the start of a word with a link in it.
  const back = parts.map((_, i) => i);
  for (let i = 0, start = 0; i <= parts.length; i++) {
    if (i < parts.length && !/\s/.test(parts[i])) continue;
    if (start && /https?:\/\/|www\./i.test(parts.slice(start, i).join(''))) back.fill(start, start, i);
    start = i + 1;
  }
  const cut = (n: number) => {
    n = back[n] ?? n;
    while (n > 0 && !parts[n - 1].trim()) n--;
    return [...parts.slice(0, n), '…'];
  };
  const fits = (n: number) => size(cut(n)) <= limit;
  // A binary search: the size grows with the text, give or take a URL or emoji completing itself,
  // and whatever it finds fits.
  let low = -1;
  let high = parts.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (fits(middle)) low = middle;
    else high = middle;
  }
  let end = low;
  for (let n = low; n > 0 && n > low - 20; n--) {
    if (/\s/.test(parts[n])) {
      if (fits(n)) end = n;
      break;
    }
  }
  return { text: end < 0 ? '' : cut(end).join(''), truncated: true };
}

/**
 * A share link for `network`, with the text fitted so the post the network composes from it is
 * valid: networks that put url, hashtags and via into the post count them too. A text that fits
 * is kept as it is. Exact once loadDomains() has resolved (this starts it when a text needs it);
 * before, a text with a host outside the built-in list of domains may be cut shorter than needed.
 * Throws a TypeError for Mastodon without a valid `instance`. Here, beside the exact counting it
 * needs, and not in share.ts, which widgets import statically.
 */
export function share(network: Network, options: ShareOptions): FittedShare {
  // Only a bare host name: a URL or handle here is a caller's mistake, not a reader's typing.
  const instance = /[/@]/.test(options.instance ?? '') ? undefined : mastodonHost(options.instance);
  return shareWith((...args) => exactFit(...args) ?? boundFit(...args), network, { ...options, instance })!;
}

/** The share link alone. */
export const shareUrl = (network: Network, options: ShareOptions): string => share(network, options).url;
