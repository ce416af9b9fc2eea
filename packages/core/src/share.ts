// Share links, with the text fitted by a function passed in. Neither this module nor the package's main
// entry imports the exact counting (fit.ts, `@chorus/core/fit`, with share() and weightedLength()): widgets
// reach it only through a dynamic import, so every bundler leaves it out of a page's first load, not only
// those that drop an unused import (Rolldown keeps one; esbuild splits by what an entry can reach).
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

/** What each network is called, for share buttons (an element may translate its copy, e.g. `email`). */
export const NETWORK_NAMES: Readonly<Record<Network, string>> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  threads: 'Threads',
  linkedin: 'LinkedIn',
  facebook: 'Facebook',
  reddit: 'Reddit',
  hackernews: 'Hacker News',
  email: 'Email',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
};

/** Every network Chorus makes share links for. */
export const NETWORKS = Object.keys(NETWORK_NAMES) as readonly Network[];

export interface ShareOptions {
  /** What the reader shares: a post's text, or a title. Cut to fit the network when too long. */
  text: string;
  /** The page shared; dropped unless http(s). */
  url?: string;
  /** An X handle (`@` optional), added as "via @handle" on X. */
  via?: string;
  /** X: handles (no `@`) separated by commas, that X suggests following once the post is sent. */
  related?: string;
  /** Hashtags, `#` optional: a list, or one string separated by commas or spaces. */
  hashtags?: string | string[];
  /** Mastodon: the reader's server, a host name such as `mastodon.social`. */
  instance?: string | null;
}

export interface FittedShare {
  /** The share link. */
  url: string;
  /** Whether `text` was cut (it then ends with `…`). */
  truncated: boolean;
  /** `options.text` as the link carries it: unchanged, or cut and ended with `…`. */
  text: string;
}

export type Fitted = Omit<FittedShare, 'url'>;

/**
 * How a text is made to fit: given the network, the text, how the network composes its post around
 * the text, and the post's limit, the text to share, or undefined when this way cannot tell.
 */
export type Fit = (network: Network, text: string, post: (text: string) => string, limit: number) => Fitted | undefined;

/** Characters that make X refuse a post (twitter-text's invalid characters; its directional ones are valid). */
const X_INVALID = /[\uFFFE\uFEFF\uFFFF]/g;

/**
 * A share link for `network`, with the text made to fit by `fit` so the post the network composes
 * from it is valid: networks that put url, hashtags and via into the post count them too. Undefined
 * when `fit` cannot tell. Throws a TypeError for Mastodon unless `instance` is a host name as
 * mastodonHost() writes it (share(), in fit.ts, also takes a host name in other spellings: upper case, an IDN).
 *
 * | network | what it posts | limit |
 * | --- | --- | --- |
 * | x | text, url, #hashtags, via @handle (and `related`, suggested after) | 280, X's weighted length |
 * | bluesky | text url #hashtags | 300 graphemes (and 3000 UTF-8 bytes) |
 * | mastodon | text url #hashtags | 500 code points, URLs 23 |
 * | threads | text #hashtags, url as the link attachment | 500, counted high (see below) |
 * | reddit | title, url | 300 |
 * | hackernews | title, url | 80 |
 * | linkedin, facebook | url | none (the text is not sent) |
 * | email, whatsapp, telegram | text and url | none |
 */
export function shareWith(fit: Fit, network: Network, options: ShareOptions): FittedShare | undefined {
  const url = safeHttpUrl(options.url);
  // A list's string is its items joined by commas; each tag runs from its first character that is not
  // a separator or a hash sign.
  const tags = String(options.hashtags ?? '').replace(X_INVALID, '').match(/[^\s,#＃][^\s,]*/g) ?? [];
  const hashtags = tags.map((tag) => `#${tag}`);
  const via = options.via?.replace(X_INVALID, '').trim().replace(/^@+/, '');
  const host = options.instance;
  const withTags = (text: string) => join(text, url, ...hashtags);
  const asText = (text: string) => ({ text });
  const withUrl = (text: string) => ({ text, url });

  // Each network's share link, its limit (0: the text is never cut), the link's parameters given the
  // post, and how the network composes the post from the text (default: the text alone).
  const intents: Record<Network, Intent> = {
    // X puts the url, hashtags and "via @handle" after the text, each after a space; parts separated by
    // spaces are counted independently, so their order does not change the count.
    x: [
      'https://x.com/intent/tweet',
      280,
      (_, text) => ({ text, url, via, hashtags: '' + tags, related: options.related }),
      (text) => join(text, url, ...hashtags, via && `via @${via}`),
    ],
    // No url parameter: the URL is part of the text and counts in full. The text, a space, then url
    // and hashtags: no grapheme spans that space.
    bluesky: ['https://bsky.app/intent/compose', 300, asText, withTags],
    mastodon: [`https://${host}/share`, 500, asText, withTags],
    threads: ['https://www.threads.com/intent/post', 500, withUrl, (text) => join(text, ...hashtags)],
    linkedin: ['https://www.linkedin.com/sharing/share-offsite/', 0, () => ({ url })],
    facebook: ['https://www.facebook.com/sharer/sharer.php', 0, () => ({ u: url })],
    reddit: ['https://www.reddit.com/submit', 300, (title) => ({ url, title })],
    hackernews: ['https://news.ycombinator.com/submitlink', 80, (t) => ({ u: url, t })],
    email: ['mailto:', 0, (subject) => ({ subject, body: url })],
    whatsapp: ['https://wa.me/', 0, asText, (text) => join(text, url)],
    telegram: ['https://t.me/share/url', 0, withUrl],
  };
  const intent = intents[network];
  if (!intent) throw new TypeError(`share: unknown network ${network}`);
  if (network == 'mastodon' && !isHostName(host)) throw new TypeError('share: Mastodon needs a server host name');
  const [base, limit, query, post = (text: string) => text] = intent;
  const text = String(options.text ?? '');
  const fitted = limit ? fit(network, network == 'x' ? text.replace(X_INVALID, '') : text, post, limit) : { text, truncated: false };
  return fitted && link(base, query(post(fitted.text), fitted.text), fitted);
}

type Intent = [
  base: string,
  limit: number,
  query: (post: string, text: string) => Record<string, string | undefined>,
  post?: (text: string) => string,
];

/**
 * Whether `value` is a host name as mastodonHost() writes it (lower case, punycode, maybe a port):
 * nothing in it can leave the host part of a link.
 */
export const isHostName = (value?: string | null): value is string => !!value && /^[a-z\d-]+(\.[a-z\d-]+)+(:\d+)?$/.test(value);

/** The parts that are not empty, separated by spaces. */
export const join = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join(' ');

function link(base: string, params: Record<string, string | undefined>, fitted: Fitted): FittedShare {
  const query = Object.entries(params)
    // A lone surrogate would make encodeURIComponent throw.
    .map(([key, value]) => value && `${key}=${encodeURIComponent(value.replace(/\p{Cs}/gu, '\uFFFD'))}`)
    .filter(Boolean)
    .join('&');
  return { url: query ? `${base}?${query}` : base, ...fitted };
}

/**
 * The text as it is, when the post certainly fits; else undefined (the exact count is needed). A
 * post's UTF-8 bytes, plus 23 for every dot that could start a domain (every URL has one and counts
 * at most 23), are never fewer than what any of these networks counts, before or after X's NFC
 * normalisation; so a short text is shared without loading the exact counting (`fit.ts`).
 */
export const quickFit: Fit = (_network, text, post, limit) => {
  const bound = (composed: string) => new TextEncoder().encode(composed).length + 23 * (composed.match(/\.(?=[^\s!-/:-@[-`{-~])/g)?.length ?? 0);
  const composed = post(text);
  return Math.max(bound(composed), bound(composed.normalize('NFC'))) <= limit ? { text, truncated: false } : undefined;
};
