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

export type Fitted = Omit<FittedShare, 'url'>;

/**
 * How a text is made to fit: given the network, the text, how the network composes its post around
 * the text, and the post's limit, the text to share, or undefined when this way cannot tell.
 */
export type Fit = (network: Network, text: string, post: (text: string) => string, limit: number) => Fitted | undefined;

/** Characters that make X refuse a post (twitter-text's invalid characters). */
const X_INVALID = /[\uFFFE\uFEFF\uFFFF\u202A-\u202E]/g;

export const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * A share link for `network`, with the text made to fit by `fit` so the post the network composes
 * from it is valid: networks that put url, hashtags and via into the post count them too. Undefined
 * when `fit` cannot tell. Throws a TypeError for Mastodon without a valid `instance`.
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
export function shareWith(fit: Fit, network: Network, options: ShareOptions): FittedShare | undefined {
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
      const fitted = fit(network, text.replace(X_INVALID, ''), post, 280);
      return fitted && link('https://x.com/intent/post', { text: fitted.text, url, via, hashtags: tags.join(',') }, fitted);
    }
    case 'bluesky': {
      // No url parameter: the URL is part of the text and counts in full. The text, a space, then
      // url and hashtags: no grapheme spans that space.
      const post = (text: string) => join(text, url, ...hashtags);
      const fitted = fit(network, text, post, 300);
      return fitted && link('https://bsky.app/intent/compose', { text: post(fitted.text) }, fitted);
    }
    case 'mastodon': {
      // Only a bare host name: a URL or handle here is a caller's mistake, not a reader's typing.
      const host = /[/@]/.test(options.instance ?? '') ? undefined : mastodonHost(options.instance);
      if (!host) throw new TypeError(`share: Mastodon needs a server host name, such as mastodon.social (got ${JSON.stringify(options.instance)})`);
      const post = (text: string) => join(text, url, ...hashtags);
      const fitted = fit(network, text, post, 500);
      return fitted && link(`https://${host}/share`, { text: post(fitted.text) }, fitted);
    }
    case 'threads': {
      const post = (text: string) => join(text, ...hashtags);
      const fitted = fit(network, text, post, 500);
      return fitted && link('https://www.threads.com/intent/post', { text: post(fitted.text), url }, fitted);
    }
    case 'linkedin':
      return link('https://www.linkedin.com/sharing/share-offsite/', { url }, kept);
    case 'facebook':
      return link('https://www.facebook.com/sharer/sharer.php', { u: url }, kept);
    case 'reddit': {
      const fitted = fit(network, text, (title) => title, 300);
      return fitted && link('https://www.reddit.com/submit', { url, title: fitted.text }, fitted);
    }
    case 'hackernews': {
      const fitted = fit(network, text, (title) => title, 80);
      return fitted && link('https://news.ycombinator.com/submitlink', { u: url, t: fitted.text }, fitted);
    }
    case 'email':
      return link('mailto:', { subject: text, body: url }, kept);
    case 'whatsapp':
      return link('https://wa.me/', { text: join(text, url) }, kept);
    case 'telegram':
      return link('https://t.me/share/url', { url, text }, kept);
  }
  throw new TypeError(`share: unknown network ${JSON.stringify(network)}`);
}

const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');

function link(base: string, params: Record<string, string | undefined>, fitted: Fitted): FittedShare {
  const query = Object.entries(params)
    .filter((param): param is [string, string] => !!param[1])
    // A lone surrogate would make encodeURIComponent throw.
    .map(([key, value]) => `${key}=${encodeURIComponent(value.replace(/\p{Cs}/gu, '\uFFFD'))}`)
    .join('&');
  return { url: query ? `${base}?${query}` : base, ...fitted };
}

/**
 * The host name of a Mastodon server as readers type it (`mastodon.social`, `https://Hachyderm.io/@me`,
 * `@me@fosstodon.org`, an IDN), normalised, or undefined when it is not one.
 */
export function mastodonHost(input: string | null | undefined): string | undefined {
  const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
  const host = input?.trim().replace(/^https?:\/\//i, '').replace(/^@?[^@/]*@/, '').replace(/\/.*$/, '');
  if (host && new RegExp(`^(?:${label}\\.)+${label}(?::\\d{1,5})?$`, 'u').test(host)) {
    try {
      return new URL(`https://${host}`).host;
    } catch {
      // Not a host after all (a port out of range).
    }
  }
  return undefined;
}

/**
 * The text as it is, when the post certainly fits; else undefined (the exact count is needed). A
 * post's UTF-8 bytes, plus 23 for every dot that could start a domain (every URL has one and counts
 * at most 23), are never fewer than what any of these networks counts, before or after X's NFC
 * normalisation; so a short text is shared without loading the exact counting (`fit.ts`).
 */
export const quickFit: Fit = (_network, text, post, limit) => {
  const bound = (composed: string) => utf8Length(composed) + 23 * (composed.match(/\.(?=[^\s!-/:-@[-`{-~])/g)?.length ?? 0);
  const composed = post(text);
  return Math.max(bound(composed), bound(composed.normalize('NFC'))) <= limit ? { text, truncated: false } : undefined;
};
