/**
 * Post lengths as the networks count them, above all X's weighted length (twitter-text 3, config v3),
 * without shipping twitter-text. Its URL rules are ported below as regular-expression source; they
 * match by UTF-16 code unit (no `u` flag), as twitter-text's do, so they find the same URLs.
 * Its list of ~1,500 top-level domains is not: we know every two-letter one and the common generic
 * ones. Where a count depends on a name outside that list, we count an upper bound instead, so a
 * post we call short enough is never too long for X.
 */

/** What X counts a URL as (every URL is shortened to a t.co link). */
const URL_WEIGHT = 23;

// twitter-text's character classes.
const SPACES = String.raw`\t-\r \x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`;
const INVALID = String.raw`\uFFFE\uFEFF\uFFFF`;
const LATIN = String.raw`\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF`;
/** Anything but ASCII punctuation, spaces, invalid characters and direction marks. */
const DOMAIN_CHAR = String.raw`[^!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$${SPACES}${INVALID}\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069]`;

// Every two-letter (country) domain twitter-text knows, and the generic ones links mostly use.
const COUNTRY =
  'a[c-gil-oq-uwxz]|b[abd-jl-oq-tvwyz]|c[acdf-ik-oru-z]|d[ejkmoz]|e[ceghr-u]|f[i-kmor]|g[abd-il-np-uwy]|h[kmnrtu]|i[del-oq-t]|j[emop]|k[eg-imnprwyz]|l[a-cikr-vy]|m[ac-hk-z]|n[ace-gilopruz]|om|p[ae-hk-nr-twy]|qa|r[eosuw]|s[a-eg-or-vx-z]|t[cdf-hj-prtvwz]|u[agkmsyz]|v[aceginu]|w[fs]|y[et]|z[amw]';
const GENERIC =
  'com|org|net|edu|gov|mil|int|info|biz|app|dev|blog|xyz|online|site|tech|news|page|shop|store|cloud|art|design|social|live|top|pro|wiki|name|media|space|website|world|today|life|studio|email|link|club|one|work|tools|digital|network|team';
// File extensions that are not top-level domains, for names such as `index.html` or `package.json`.
const NOT_TLD = 'html?|json|css|scss|txt|pdf|png|jpe?g|gif|svg|php|ya?ml|xml|csv|[jt]sx|toml';
// Any other name of ASCII letters, or a letter of another script, may or may not be one (captured).
const TLD = String.raw`(?:(?:${COUNTRY}|${GENERIC})(?=[^0-9a-zA-Z@+-]|$)|xn--[\-0-9a-z]+|((?!(?:${NOT_TLD})(?![0-9a-z]))[a-z]{3,18}(?=[^0-9a-zA-Z@+-]|$)|[^\0-\x7F\u2000-\u206F\u3000-\u303F\uD800-\uDFFF]))`;

const SUBDOMAIN = String.raw`(?:${DOMAIN_CHAR}(?:[_-]|${DOMAIN_CHAR})*)?${DOMAIN_CHAR}\.`;
const NAME = String.raw`(?:(?:${DOMAIN_CHAR}(?:-|${DOMAIN_CHAR})*)?${DOMAIN_CHAR}\.)`;
const PATH_CHAR = String.raw`[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&${LATIN}]`;
const PARENS = String.raw`\((?:${PATH_CHAR}+|${PATH_CHAR}*\(${PATH_CHAR}+\)${PATH_CHAR}*)\)`;
// As twitter-text splices it: a path part ends with an ending character, or is parentheses alone.
const PATH = String.raw`(?:${PATH_CHAR}*(?:${PARENS}${PATH_CHAR}*)*[+\-a-z\u0400-\u04FF0-9=_#/${LATIN}]|${PARENS}|@${PATH_CHAR}+\/)`;
const QUERY = String.raw`\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]`;

// Groups: the character before, the URL, its scheme, its host name, its top-level domain when we
// do not know it, its path.
const urlPattern = (schemeOptional: boolean) =>
  new RegExp(
    String.raw`([^A-Za-z0-9@＠$#＃${INVALID}]|^)((https?:\/\/)${schemeOptional ? '?' : ''}((?:${SUBDOMAIN})*${NAME}${TLD})(?::[0-9]+)?(\/${PATH}*)?(?:${QUERY})?)`,
    'gi',
  );
/** URLs as X finds them: with a scheme, or a bare host name (`www.example.com`, `example.com/path`). */
const X_URL = urlPattern(true);
/** URLs as Mastodon finds them: with a scheme only. */
export const SCHEME_URL = urlPattern(false);
const ASCII_DOMAIN = new RegExp(String.raw`(?:[\-a-z0-9${LATIN}]+\.)+${TLD}`, 'gi');
const TCO = new RegExp(String.raw`^https?:\/\/t\.co\/([a-z0-9]+)(?:${QUERY})?`, 'i');

/** A dot that could end a host name: after a character of one, before a letter. */
const NAME_DOT = new RegExp(String.raw`${DOMAIN_CHAR}\.(?=[a-z]|[^\0-\x7F])`, 'gi');
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
/** X's weight of a grapheme: an emoji sequence weighs 2, anything else the sum of its code points. */
const xWeight = (grapheme: string) =>
  rgiEmoji?.test(grapheme) || X_EMOJI.test(grapheme)
    ? 2
    : Array.from(grapheme).reduce((sum, c) => sum + xCodePoint(c), 0);

/**
 * The length of a post whose URLs (as `urls` finds them) count 23 and whose other graphemes count
 * `weight`. X and Mastodon both find URLs with twitter-text, so one port serves both.
 */
export function postLength(text: string, weight: (grapheme: string) => number, urls: RegExp): number {
  let total = 0;
  // A URL never spans a space, so each run between spaces is counted on its own, after the space
  // before it: that space can be the character before a URL, one earlier than the run's first.
  for (const [i, run] of (text.match(SPACE_OR_NOT) ?? []).entries()) total += runLength(run, weight, urls, i ? ' ' : '');
  return total;
}

function runLength(run: string, weight: (grapheme: string) => number, urls: RegExp, before: string): number {
  // Both counts weigh a character below U+0300 as 1 (none is an emoji or a combining mark), and
  // skipping segmentation where all are is most of the speed.
  const plain = (part: string) =>
    /[^\0-\u02FF]/.test(part) ? graphemes(part).reduce((sum, g) => sum + weight(g), 0) : part.length;
  if (!run.includes('.')) return plain(run);

  const text = before + run;
  const spans = urlSpans(text, urls);
  if (!spans) {
    // Counted a code point at a time no grapheme is lighter, and each URL (four code units at least,
    // a dot ending its host name) that replaces its characters with 23 adds at most 19.
    const urlsAtMost = run.match(NAME_DOT)?.length ?? 0;
    return Array.from(run).reduce((sum, c) => sum + weight(c), 0) + (URL_WEIGHT - 4) * urlsAtMost;
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
 * when they depend on what we do not know: a top-level domain outside our list, a long non-ASCII host.
 * Matching with every unknown name taken for a domain, the first match is twitter-text's whenever
 * its domain is one we know: twitter-text takes no more names than that.
 */
function urlSpans(text: string, urls: RegExp): [number, number][] | undefined {
  const spans: [number, number][] = [];
  urls.lastIndex = 0;
  for (let match; (match = urls.exec(text)); ) {
    const [, before, url, scheme, domain, unknownTld, path] = match;
    const start = match.index + before.length;
    const valid = hostValid(domain, (scheme ?? 'https://').length + url.length - domain.length);
    if (unknownTld || valid === undefined) return undefined;
    if (!valid) continue;
    if (domain.startsWith('xn--')) {
      // twitter-text also refuses such a host unless an ASCII host name is in it.
      const known = Array.from(domain.matchAll(ASCII_DOMAIN), ([, unknown]) => !unknown);
      if (!known.length) continue;
      if (!known.includes(true)) return undefined;
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
      for (const [name, unknown] of domain.matchAll(ASCII_DOMAIN)) {
        if (unknown) return undefined;
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
 * twitter-text's check of a host: each label at most 63 characters, and the URL (`outside`, the
 * rest of it with a scheme) at most 4096, in punycode. Punycode writes "xn--", the ASCII
 * characters, "-" and 1 to 8 characters for each other code point: undefined when that cannot tell.
 */
function hostValid(domain: string, outside: number): boolean | undefined {
  // Punycode also splits labels at these dots, and twitter-text does not.
  if (/[\u3002\uFF0E\uFF61]/.test(domain)) return undefined;
  const labels = domain.split('.');
  let least = outside + labels.length - 1;
  let most = least;
  let sure = true;
  for (const label of labels) {
    const ascii = label.match(/[\0-\x7F]/g)?.length ?? 0;
    const other = Array.from(label).length - ascii;
    // An ASCII label stays as it is; without ASCII characters there is no "-".
    const [low, high] = other ? [4 + ascii + (ascii ? 1 : 0) + other, 5 + ascii + 8 * other] : [ascii, ascii];
    if (low > 63) return false;
    sure &&= high <= 63;
    least += low;
    most += high;
  }
  return least > 4096 ? false : sure && most <= 4096 ? true : undefined;
}

/**
 * The length X gives a post: NFC code points weigh 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F
 * and U+2032–U+2037 and 2 elsewhere, an emoji sequence 2, and a URL 23. Exact for what twitter-text
 * can be matched on; where it cannot (a top-level domain we do not know, an IDN host), higher, never lower.
 */
export const weightedLength = (text: string): number => postLength(text.normalize('NFC'), xWeight, X_URL);
