/**
 * Post lengths as the networks count them, above all X's weighted length (twitter-text 3, config v3),
 * without shipping twitter-text. Its URL rules are ported below as regular-expression source; they
 * match by UTF-16 code unit (no `u` flag), as twitter-text's do, so they find the same URLs.
 * Its list of ~1,500 top-level domains, and punycode, are loaded on demand (domains.ts): built in are
 * every two-letter domain and the commonest generic ones. A count that depends on a name outside those,
 * or on a non-ASCII host's punycode, is an upper bound until loadDomains() has loaded them; then it is exact.
 */

/** What X counts a URL as (every URL is shortened to a t.co link). */
const URL_WEIGHT = 23;

// twitter-text's character classes.
const SPACES = String.raw`\t-\r \x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`;
const INVALID = String.raw`\uFFFE\uFEFF\uFFFF`;
const LATIN = String.raw`\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF`;
/** Anything but ASCII punctuation, spaces, invalid characters and direction marks. */
const DOMAIN_CHAR = String.raw`[^!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$${SPACES}${INVALID}\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069]`;

// Every two-letter (country) domain twitter-text knows, and the generic ones links use most: the built-in list.
const COUNTRY =
  'a[c-gil-oq-uwxz]|b[abd-jl-oq-tvwyz]|c[acdf-ik-oru-z]|d[ejkmoz]|e[ceghr-u]|f[i-kmor]|g[abd-il-np-uwy]|h[kmnrtu]|i[del-oq-t]|j[emop]|k[eg-imnprwyz]|l[a-cikr-vy]|m[ac-hk-z]|n[ace-gilopruz]|om|p[ae-hk-nr-twy]|qa|r[eosuw]|s[a-eg-or-vx-z]|t[cdf-hj-prtvwz]|u[agkmsyz]|v[aceginu]|w[fs]|y[et]|z[amw]';
const GENERIC = 'com|org|net|edu|gov|info|app|dev|blog|xyz';
// Any other name of ASCII letters, or a letter of another script, may or may not be one (captured).
const UNKNOWN = String.raw`[a-z]{3,18}(?=[^0-9a-zA-Z@+-]|$)|[^\0-\x7F\u2000-\u206F\u3000-\u303F\uD800-\uDFFF]`;
/** twitter-text's top-level domain: one of `names`, or punycode; else, captured, one of `unknown`. */
const tld = (names: string, unknown: string) => String.raw`(?:(?:${names})(?=[^0-9a-zA-Z@+-]|$)|xn--[\-0-9a-z]+|(${unknown}))`;

const SUBDOMAIN = String.raw`(?:${DOMAIN_CHAR}(?:[_-]|${DOMAIN_CHAR})*)?${DOMAIN_CHAR}\.`;
const NAME = String.raw`(?:(?:${DOMAIN_CHAR}(?:-|${DOMAIN_CHAR})*)?${DOMAIN_CHAR}\.)`;
const PATH_CHAR = String.raw`[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&${LATIN}]`;
const PARENS = String.raw`\((?:${PATH_CHAR}+|${PATH_CHAR}*\(${PATH_CHAR}+\)${PATH_CHAR}*)\)`;
// As twitter-text splices it: a path part ends with an ending character, or is parentheses alone.
const PATH = String.raw`(?:${PATH_CHAR}*(?:${PARENS}${PATH_CHAR}*)*[+\-a-z\u0400-\u04FF0-9=_#/${LATIN}]|${PARENS}|@${PATH_CHAR}+\/)`;
const QUERY = String.raw`\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]`;

// Groups: the character before, the URL, its scheme, its host name, its top-level domain when we
// do not know it, its path.
const urlPattern = (tld: string, schemeOptional: boolean) =>
  new RegExp(
    String.raw`([^A-Za-z0-9@＠$#＃${INVALID}]|^)((https?:\/\/)${schemeOptional ? '?' : ''}((?:${SUBDOMAIN})*${NAME}${tld})(?::[0-9]+)?(\/${PATH}*)?(?:${QUERY})?)`,
    'gi',
  );
/**
 * The patterns for a list of top-level domains: URLs as X finds them (with a scheme, or a bare host name such as
 * `www.example.com` or `example.com/path`), as Mastodon does (with a scheme only), ASCII host names.
 */
const patterns = (tld: string) => [urlPattern(tld, true), urlPattern(tld, false), new RegExp(String.raw`(?:[\-a-z0-9${LATIN}]+\.)+${tld}`, 'gi')];
let [xUrls, schemeUrls, asciiHosts] = patterns(tld(`${COUNTRY}|${GENERIC}`, UNKNOWN));
/** Punycode's length of a host name's label, once loaded. */
let punycodeLength: ((label: string) => number) | undefined;
let loading: Promise<void> | undefined;
/** Set when a count was an upper bound that the list loadDomains() loads would have made exact. */
let unsure = false;

/**
 * Loads twitter-text's full list of top-level domains, and punycode, after which every count is exact. Once
 * only: the promise rejects when the module cannot be fetched, and counts stay upper bounds.
 */
export const loadDomains = (): Promise<void> =>
  (loading ??= import('./domains.js').then((domains) => {
    [xUrls, schemeUrls, asciiHosts] = patterns(tld(domains.TOP_LEVEL_DOMAINS, '(?!)'));
    punycodeLength = domains.punycodeLength;
  }));

/** What `count` returns, or undefined when it counted high for want of the list loadDomains() loads. */
export function exact<T>(count: () => T): T | undefined {
  unsure = false;
  const result = count();
  return unsure ? undefined : result;
}

const TCO = new RegExp(String.raw`^https?:\/\/t\.co\/([a-z0-9]+)(?:${QUERY})?`, 'i');

const SPACE_OR_NOT = new RegExp(`[${SPACES}]+|[^${SPACES}]+`, 'g');

let segmenter: Intl.Segmenter | undefined;
/** User-perceived characters. Browsers without Intl.Segmenter get a close approximation. */
export const graphemes = (text: string): string[] =>
  typeof Intl.Segmenter == 'function'
    ? Array.from((segmenter ??= new Intl.Segmenter()).segment(text), (s) => s.segment)
    : (text.match(/\p{RI}{2}|[^](?:[\p{M}\p{Emoji_Modifier}\u{E0020}-\u{E007F}]|\u200D[^])*/gu) ?? []);

/** The emoji sequences every network shows as one picture (the `v` flag: browsers since 2023). */
let rgiEmoji: RegExp | undefined;
try {
  rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
} catch {
  // Older browsers count each code point of a sequence, which is never less.
}
/** X also takes a keycap without U+FE0F, and these emoji with it (twemoji's variation sequences). */
const X_EMOJI = /^(?:[#*0-9]\u20E3|[⌚⌛◽◾☔☕♈-♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛔⛪⛲⛳⛵⛺⛽❗⬛⬜⭐⭕🀄🈚🈯]\uFE0F)$/u;

const xCodePoint = (c: string) => (/[\0-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]/.test(c) ? 1 : 2);
/**
 * X's weight of a grapheme: an emoji sequence weighs 2, anything else the sum of its code points, but for a
 * joiner or mark at its end, which X weighs on its own after an emoji sequence before it.
 */
const xWeight = (grapheme: string): number => {
  const [, start, last] = /^(.+)([\u200D\p{M}])$/su.exec(grapheme) ?? [];
  return rgiEmoji?.test(grapheme) || X_EMOJI.test(grapheme)
    ? 2
    : start
      ? xWeight(start) + xCodePoint(last)
      : Array.from(grapheme).reduce((sum, c) => sum + xCodePoint(c), 0);
};

/**
 * The length of a post whose URLs count 23 and whose other graphemes count `weight`. X and Mastodon both find
 * URLs with twitter-text, so one port serves both: Mastodon (`schemeOnly`) only those with a scheme.
 */
export function postLength(text: string, weight: (grapheme: string) => number, schemeOnly?: boolean): number {
  let total = 0;
  // A URL never spans a space, so each run between spaces is counted on its own, after the space
  // before it: that space can be the character before a URL, one earlier than the run's first.
  for (const [i, run] of (text.match(SPACE_OR_NOT) ?? []).entries()) total += runLength(run, weight, schemeOnly, i ? ' ' : '');
  return total;
}

function runLength(run: string, weight: (grapheme: string) => number, schemeOnly: boolean | undefined, before: string): number {
  // Both counts weigh a character below U+0300 as 1 (none is an emoji or a combining mark), and
  // skipping segmentation where all are is most of the speed.
  const plain = (part: string) =>
    /[^\0-\u02FF]/.test(part) ? graphemes(part).reduce((sum, g) => sum + weight(g), 0) : part.length;
  if (!run.includes('.')) return plain(run);

  const text = before + run;
  const spans = urlSpans(text, schemeOnly ? schemeUrls : xUrls);
  if (!spans) {
    unsure = true;
    // Counted a code point at a time no grapheme is lighter, and each URL (a dot in it, and weighing 4 at
    // least: "a.co") that replaces its characters with 23 adds at most 19.
    return Array.from(run).reduce((sum, c) => sum + weight(c), 0) + (URL_WEIGHT - 4) * (run.split('.').length - 1);
  }
  let total = 0;
  let at = before.length;
  for (const [start, end] of spans) {
    total += plain(text.slice(at, start)) + URL_WEIGHT;
    at = end;
  }
  return total + plain(text.slice(at));
}

/**
 * twitter-text's URL entities in `text` as [start, end) (its extractUrlsWithIndices), or undefined
 * when they depend on what is not loaded: a top-level domain outside the built-in list, a non-ASCII host's punycode.
 * Matching with every unknown name taken for a domain, the first match is twitter-text's whenever
 * its domain is one we know: twitter-text takes no more names than that.
 */
function urlSpans(text: string, urls: RegExp): [number, number][] | undefined {
  const spans: [number, number][] = [];
  urls.lastIndex = 0;
  for (let match; (match = urls.exec(text)); ) {
    const [, before, url, scheme, domain, unknownTld, path] = match;
    const start = match.index + before.length;
    const valid = hostValid(domain, (scheme ? scheme.length : 8) + url.length);
    if (unknownTld || valid === undefined) return undefined;
    if (!valid) continue;
    if (domain.startsWith('xn--')) {
      // twitter-text also refuses such a host unless an ASCII host name is in it.
      const names = asciiNames(domain);
      if (!names.length) continue;
      if (!names.some(([, known]) => known)) return undefined;
    }
    if (scheme) {
      // A t.co link ends with its slug, and one with a slug over 40 characters is not a link.
      const tco = TCO.exec(url);
      if (tco && tco[1].length > 40) continue;
      spans.push([start, start + (tco?.[0] ?? url).length]);
    } else if (!/[-_./]$/.test(before)) {
      // Without a scheme, each ASCII host name in it is a link, and the last one keeps the path.
      let end = 0;
      let last: [number, number] | undefined;
      for (const [name, known] of asciiNames(domain)) {
        if (!known) return undefined;
        const at = domain.indexOf(name, end);
        end = at + name.length;
        spans.push((last = [start + at, start + end]));
      }
      if (last && path) last[1] += url.length - domain.length;
    }
  }
  return spans;
}

/**
 * The ASCII host names in `domain`, each with whether its top-level domain is known. (String.replace, as
 * twitter-text does: matchAll would compile a copy of the long pattern each time.)
 */
function asciiNames(domain: string): [string, boolean][] {
  const names: [string, boolean][] = [];
  domain.replace(asciiHosts, (name, unknown) => (names.push([name, !unknown]), ''));
  return names;
}

/**
 * twitter-text's check of a host: each label 1 to 63 characters in punycode, and the URL with a scheme
 * (`length`: a missing one counts as "https://", one present twice, as twitter-text counts) at most 4096.
 * Undefined for a host with a character punycode encodes until punycode is loaded.
 */
function hostValid(domain: string, length: number): boolean | undefined {
  const encoded = /[^ -~]/.test(domain);
  if (encoded && !punycodeLength) return undefined;
  // No label is empty, nor then its punycode.
  return length <= 4096 && domain.split('.').every((label) => (encoded ? punycodeLength!(label) : label.length) < 64);
}

/**
 * The length X gives a post: NFC code points weigh 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F
 * and U+2032–U+2037 and 2 elsewhere, an emoji sequence 2, and a URL 23, as twitter-text 3.1 finds URLs. Exact
 * once loadDomains() has loaded the full list of top-level domains; before, higher (never lower) where a
 * host's top-level domain is outside the built-in list or an IDN host's punycode is needed.
 */
export const weightedLength = (text: string): number => postLength(text.normalize('NFC'), xWeight);
