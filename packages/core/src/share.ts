import { graphemes, postLength, SCHEME_URL, weightedLength } from './weighted-length.js';
import { safeHttpUrl } from './safe-url.js';

export type Network =
  | 'x'
  | 'bluesky'
  | 'mastodon'
  | 'threads'
  | 'linkedin'
  | 'facebook'
  | 'reddit'
  | 'hackernews'
  | 'email'
  | 'whatsapp'
  | 'telegram';

export const NETWORKS: readonly Network[] = [
  'x',
  'bluesky',
  'mastodon',
  'threads',
  'linkedin',
  'facebook',
  'reddit',
  'hackernews',
  'email',
  'whatsapp',
  'telegram',
];

export interface ShareOptions {
  /** What the reader shares: a post's text, or a title. Cut to fit the network when too long. */
  text: string;
  /** The page shared; dropped unless http(s). */
  url?: string;
  /** An X handle (`@` optional), added as "via @handle" on X. */
  via?: string;
  /** Hashtags, `#` optional: a list, or one string separated by commas or spaces. */
  hashtags?: string | string[];
  /** Mastodon: the reader's server, a host name such as `mastodon.social`. */
  instance?: string;
}

export interface FittedShare {
  /** The share link. */
  url: string;
  /** Whether `text` was cut (it then ends with `…`). */
  truncated: boolean;
  /** `options.text` as the link carries it: unchanged, or cut and ended with `…`. */
  text: string;
}

type Fitted = Omit<FittedShare, 'url'>;

/** Characters that make X refuse a post (twitter-text's invalid characters). */
const X_INVALID = /[\uFFFE\uFEFF\uFFFF\u202A-\u202E]/g;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const codePoints = (text: string) => Array.from(text).length;

/**
 * A share link for `network`, with the text fitted so the post the network composes from it is
 * valid: networks that put url, hashtags and via into the post count them too. A text that fits
 * is kept as it is. Throws a TypeError for Mastodon without a valid `instance`.
 *
 * | network | what it posts | limit |
 * | --- | --- | --- |
 * | x | text, url, #hashtags, via @handle | 280, X's weighted length |
 * | bluesky | text url #hashtags | 300 graphemes (and 3000 UTF-8 bytes) |
 * | mastodon | text url #hashtags | 500 code points, URLs 23 |
 * | threads | text #hashtags, url as the link attachment | 500, counted high (see below) |
 * | reddit | title, url | 300 |
 * | hackernews | title, url | 80 |
 * | linkedin, facebook | url | none (the text is not sent) |
 * | email, whatsapp, telegram | text and url | none |
 */
export function share(network: Network, options: ShareOptions): FittedShare {
  const text = String(options.text ?? '');
  const url = safeHttpUrl(options.url);
  const tags = [options.hashtags ?? []]
    .flat()
    .join(',')
    .replace(X_INVALID, '')
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^[#＃]+/, ''))
    .filter(Boolean);
  const hashtags = tags.map((tag) => `#${tag}`);
  const via = options.via?.replace(X_INVALID, '').trim().replace(/^@+/, '');
  const kept = { text, truncated: false };

  switch (network) {
    case 'x': {
      // X puts the url, hashtags and "via @handle" after the text, each after a space; parts
      // separated by spaces are counted independently, so their order does not change the count.
      const post = (text: string) => join(text, url, ...hashtags, via && `via @${via}`);
      const fitted = fit(text.replace(X_INVALID, ''), (parts) => weightedLength(post(parts.join(''))), 280);
      return link('https://x.com/intent/post', { text: fitted.text, url, via, hashtags: tags.join(',') }, fitted);
    }
    case 'bluesky': {
      // No url parameter: the URL is part of the text and counts in full. The text, a space, then
      // url and hashtags: no grapheme spans that space.
      const post = (text: string) => join(text, url, ...hashtags);
      const more = graphemes(post('')).length;
      const size = (parts: string[]) => Math.max(parts.length + (more && more + 1), utf8Length(post(parts.join(''))) / 10);
      const fitted = fit(text, size, 300);
      return link('https://bsky.app/intent/compose', { text: post(fitted.text) }, fitted);
    }
    case 'mastodon': {
      const host = mastodonHost(options.instance);
      const post = (text: string) => join(text, url, ...hashtags);
      // Mastodon counts graphemes (the server) or nearly so (its composer), and a URL with a scheme
      // as 23. Code points are never fewer.
      const fitted = fit(text, (parts) => postLength(post(parts.join('')), codePoints, SCHEME_URL), 500);
      return link(`https://${host}/share`, { text: post(fitted.text) }, fitted);
    }
    case 'threads': {
      // Threads does not say how it counts its 500 characters: UTF-16 units are never fewer than
      // characters or graphemes, and emoji count their UTF-8 bytes, as Threads' API is reported to.
      const post = (text: string) => join(text, ...hashtags);
      const size = (parts: string[]) =>
        parts.reduce((sum, part) => sum + (/\p{Extended_Pictographic}|\p{RI}|\u20E3/u.test(part) ? utf8Length(part) : part.length), 0);
      const more = size(graphemes(post('')));
      const fitted = fit(text, (parts) => size(parts) + (more && more + 1), 500);
      return link('https://www.threads.com/intent/post', { text: post(fitted.text), url }, fitted);
    }
    case 'linkedin':
      return link('https://www.linkedin.com/sharing/share-offsite/', { url }, kept);
    case 'facebook':
      return link('https://www.facebook.com/sharer/sharer.php', { u: url }, kept);
    case 'reddit': {
      const fitted = fit(text, (parts) => parts.join('').length, 300);
      return link('https://www.reddit.com/submit', { url, title: fitted.text }, fitted);
    }
    case 'hackernews': {
      const fitted = fit(text, (parts) => parts.join('').length, 80);
      return link('https://news.ycombinator.com/submitlink', { u: url, t: fitted.text }, fitted);
    }
    case 'email':
      return link('mailto:', { subject: text, body: url }, kept);
    case 'whatsapp':
      return link('https://wa.me/', { text: join(text, url) }, kept);
    case 'telegram':
      return link('https://t.me/share/url', { url, text }, kept);
  }
  throw new TypeError(`share: unknown network ${JSON.stringify(network)}; expected one of ${NETWORKS.join(', ')}`);
}

/** The share link alone. */
export const shareUrl = (network: Network, options: ShareOptions): string => share(network, options).url;

const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');

function link(base: string, params: Record<string, string | undefined>, fitted: Fitted): FittedShare {
  const query = Object.entries(params)
    .filter((param): param is [string, string] => !!param[1])
    // A lone surrogate would make encodeURIComponent throw.
    .map(([key, value]) => `${key}=${encodeURIComponent(value.replace(/\p{Cs}/gu, '\uFFFD'))}`)
    .join('&');
  return { url: query ? `${base}?${query}` : base, ...fitted };
}

function mastodonHost(instance: string | undefined): string {
  const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
  if (instance && new RegExp(`^(?:${label}\\.)+${label}(?::\\d{1,5})?$`, 'u').test(instance)) {
    try {
      return new URL(`https://${instance}`).host;
    } catch {
      // Not a host after all: fall through.
    }
  }
  throw new TypeError(
    `share: Mastodon needs the reader's server as a host name, such as "mastodon.social" (got ${JSON.stringify(instance)})`,
  );
}

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
