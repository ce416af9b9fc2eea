// weightedLength against twitter-text 3.1.0 (what X's own composer ships), the oracle, on strings
// generated from a seeded PRNG. Exact wherever the URLs have a top-level domain we know; where one
// may not be (a bare or unknown name), ours may be higher but never lower.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { weightedLength } from '@chorus/core/fit';
import { prng } from './prng.mjs';

const require = createRequire(import.meta.url);
const twitter = require('twitter-text');
const oracle = (text) => twitter.parseTweet(text).weightedLength;

const SEED = Number(process.env.SEED ?? 20240917);

// Emoji candidates of every kind, kept only when twitter-text 3.1.0 takes the lone sequence as one
// emoji (it weighs 2 and twemoji-parser 11 finds exactly it): we match X's emoji of today, and
// twemoji-parser 11 predates many of them.
const tones = ['\u{1F3FB}', '\u{1F3FC}', '\u{1F3FD}', '\u{1F3FE}', '\u{1F3FF}'];
const ZWJ = '\u200D';
const candidates = new Set();
for (let cp = 0x20; cp < 0x20000; cp++) {
  const c = String.fromCodePoint(cp);
  if (!/\p{Emoji}/u.test(c) || /[0-9#*]/.test(c)) continue;
  candidates.add(c).add(c + '\uFE0F');
  if (/\p{Emoji_Modifier_Base}/u.test(c)) for (const tone of tones) candidates.add(c + tone);
}
for (const key of '0123456789#*') candidates.add(key + '\u20E3').add(key + '\uFE0F\u20E3');
const letter = (l) => String.fromCodePoint(0x1f1e6 + l.charCodeAt(0) - 97);
for (const a of 'abcdefghijklmnopqrstuvwxyz') for (const b of 'abcdefghijklmnopqrstuvwxyz') candidates.add(letter(a) + letter(b));
const tagged = (s) => '\u{1F3F4}' + [...s].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('') + '\u{E007F}';
for (const region of ['gbeng', 'gbsct', 'gbwls']) candidates.add(tagged(region));
for (const person of ['👨', '👩', '🧑']) {
  for (const tone of ['', ...tones]) {
    for (const job of ['⚕️', '⚖️', '✈️', '🌾', '🍳', '🎓', '🎤', '🎨', '🏫', '🏭', '💻', '💼', '🔧', '🔬', '🚀', '🚒', '🦰', '🦱', '🦲', '🦳']) {
      candidates.add(person + tone + ZWJ + job);
    }
  }
}
for (const base of ['🏃', '🏄', '🙋', '🤷', '👮', '🧙', '⛹️', '🏋️', '🕵️']) {
  for (const tone of ['', ...tones]) for (const sign of ['♀️', '♂️']) candidates.add(base.replace('\uFE0F', tone ? '' : '\uFE0F') + tone + ZWJ + sign);
}
const family = ['👨', '👩', '👦', '👧'];
for (const a of family) for (const b of family) for (const c of ['', ...family]) candidates.add([a, b, c].filter(Boolean).join(ZWJ));
for (const pair of ['👩‍❤️‍👨', '👨‍❤️‍💋‍👨', '👩‍❤️‍💋‍👩', '🏳️‍🌈', '🏴‍☠️']) candidates.add(pair);
const EMOJI = [...candidates].filter((c) => {
  const found = twitter.parseTweet(c).weightedLength === 2 && require('twemoji-parser').parse(c);
  return found && found.length === 1 && found[0].text === c;
});

// A lone regional indicator pairs with the next one into a flag that is no flag, and a lone skin
// tone joins the emoji before it, where twitter-text may split them otherwise: we count such
// graphemes high, a code point at a time. Generated text has neither.
const EMOJI_IN_TEXT = EMOJI.filter((e) => !/^(?:\p{RI}|\p{Emoji_Modifier})$/u.test(e));

const words = {
  ascii: ['the', 'Quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'x', 'I', 'a11y', 'e.g.', 'U.S.', 'v1.2.3', '3.14', 'Node.js', 'and/or', 'C++', '#tag', '@someone', '$CASH', 'it’s', '“quoted”', '—', '…', '...', 'wait...what'],
  latin: ['café', 'naïve', 'Ångström', 'façade', 'jalapeño', 'Dvořák', 'Łódź', 'Straße', 'œuvre', 'São'],
  greek: ['Καλημέρα', 'κόσμε', 'Ελλάδα'],
  cyrillic: ['Привет', 'мир', 'Москва', 'ёлка'],
  hebrew: ['שלום', 'עולם'],
  arabic: ['مرحبا', 'بالعالم', 'السلام'],
  cjk: ['你好', '世界', '漢字', '中文'],
  kana: ['こんにちは', 'カタカナ', 'ひらがな'],
  hangul: ['안녕하세요', '한국어', '세계'],
  special: ['\u2000', '\u200A', '\u200B', '\u200D', '\u200E', '\u2010', '\u2014', '\u201C', '\u201D', '\u201F', '\u2020', '\u2026', '\u2030', '\u2032', '\u2037', '\u2038', '\u10FF', '\u1100', '\u3000', '\u00A0', '\u2028'],
};
const COMBINING = ['\u0301', '\u0300', '\u0308', '\u0327', '\u030C', '\u0323', '\u0336'];

// Every two-letter country domain and the generic ones the implementation knows (exact), other
// real ones (twitter-text may take them, we count high) and names that are none.
const KNOWN_TLDS = ['com', 'org', 'net', 'io', 'dev', 'app', 'co', 'uk', 'de', 'fr', 'jp', 'ly', 'me', 'tv', 'info', 'blog', 'xyz', 'edu', 'gov'];
const OTHER_TLDS = ['museum', 'photography', 'travel', 'rocks', 'ninja', 'foo', 'zip', 'mov'];
const NOT_TLDS = ['zzqx', 'notatld', 'html', 'local', 'internal', 'invalid1', 'c0m'];

function host(r, tlds) {
  const label = () => r.pick(['example', 'my-site', 'blog', 'news', 'a', 'x1', 'shop', 'docs', 'en', 'foo-bar', 'abc123', 'café']);
  const labels = [label()];
  while (r.chance(0.3)) labels.unshift(label());
  return `${labels.join('.')}.${r.pick(tlds)}`;
}

function path(r) {
  const parts = [];
  const n = r.int(4);
  for (let i = 0; i < n; i++) {
    parts.push(r.pick(['post', 'a-b_c~d', '2024', 'index.html', 'Foo_(bar)', '(x)', 'p%20q', 'Москва', 'résumé', '@user', ':colon', '+plus', 'a=b', '!bang', "it's", '[1]', 'x,y', 'dot.', '#frag']));
  }
  let p = parts.length ? `/${parts.join('/')}` : r.chance(0.3) ? '/' : '';
  if (r.chance(0.3)) p += `?${r.pick(['q=1', 'a=b&c=d', 'utm_source=x&x=', 's=%E2%9C%93', 'x=(1)', 'q=a,b.', 'q=!', 'p=1;2'])}`;
  if (r.chance(0.15)) p += `#${r.pick(['top', 'sec-2', 'a/b'])}`;
  return p;
}

// After a host name, a hyphen makes twitter-text look for a shorter name: only in lenient strings.
const trailing = (r, lenient) => (r.chance(0.4) ? r.pick(['.', ',', '!', '?', ')', "'", '"', '…', ':', ';', ').', '),', '!!', '_', ...(lenient ? ['-'] : [])]) : '');
const wrap = (r, s) => (r.chance(0.2) ? r.pick([['(', ')'], ['"', '"'], ['<', '>'], ['“', '”'], ['[', ']']]).join(s) : s);

/** A URL twitter-text can be matched on exactly: scheme or www., and a top-level domain we know. */
function exactUrl(r) {
  const kind = r.int(10);
  if (kind === 0) return `https://t.co/${'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNO'.slice(0, 3 + r.int(45))}${r.chance(0.3) ? '/more' : ''}${r.chance(0.3) ? '?x=1' : ''}`;
  if (kind === 1) return `${r.pick(['http://', 'https://'])}${r.pick(['127.0.0.1', '192.168.1.20:8080', 'localhost', 'localhost:3000'])}${path(r)}`;
  const scheme = kind < 5 ? r.pick(['https://', 'http://', 'HTTPS://', 'https://www.', '']) : r.pick(['www.', 'WWW.', 'https://www.']);
  const name = host(r, KNOWN_TLDS).replaceAll('café', 'cafe');
  return `${scheme}${scheme ? '' : 'www.'}${name}${r.chance(0.1) ? ':8080' : ''}${path(r)}`;
}

/** A bare or unknown name: twitter-text may or may not take it, and ours may count higher. */
function loneName(r) {
  const kind = r.int(6);
  if (kind === 0) return `${host(r, KNOWN_TLDS)}${path(r)}`;
  if (kind === 1) return `${r.pick(['https://', 'www.', ''])}${host(r, OTHER_TLDS)}${path(r)}`;
  if (kind === 2) return `${host(r, NOT_TLDS)}${path(r)}`;
  if (kind === 3) return `${host(r, KNOWN_TLDS)}.${r.pick([...OTHER_TLDS, ...NOT_TLDS])}`;
  if (kind === 4) return r.pick(['Mr.Smith', 'end.Start', 'index.html', 'package.json', 'a.b.c.d', 'x.y', 'https://例え.jp/x', 'https://xn--r8jz45g.jp/', 'mañana.com', 'https://t.co/', 'abc.COM.zzqx/path']);
  return `${'x'.repeat(30 + r.int(40))}.${r.pick(NOT_TLDS)}`;
}

function fragment(r, lenient) {
  const kind = r.int(lenient ? 12 : 11);
  if (kind <= 2) return r.pick(words.ascii);
  if (kind === 3) {
    const w = r.pick(words.latin);
    return r.chance(0.5) ? w.normalize('NFD') : w;
  }
  if (kind === 4) return r.pick(words.ascii).replace(/[a-z]/, (c) => c + r.pick(COMBINING));
  if (kind === 5) return r.pick([...words.greek, ...words.cyrillic, ...words.hebrew, ...words.arabic]);
  if (kind === 6) return r.pick([...words.cjk, ...words.kana, ...(r.chance(0.3) ? words.hangul.map((w) => w.normalize('NFD')) : words.hangul)]);
  if (kind === 7) return Array.from({ length: 1 + r.int(3) }, () => r.pick(EMOJI_IN_TEXT)).join(r.chance(0.5) ? '' : ' ');
  if (kind === 8) return r.pick(words.special) + r.pick(words.ascii);
  if (kind <= 10) return wrap(r, exactUrl(r)) + trailing(r, lenient);
  return loneName(r) + trailing(r, true);
}

/** A string of fragments, and whether it was built only from parts twitter-text can be matched on. */
function generate(r) {
  const lenient = r.chance(0.35);
  const n = 1 + r.int(12);
  let text = '';
  for (let i = 0; i < n; i++) {
    // Fragments are separated by whitespace, except in lenient strings, where they may run together.
    const glue = lenient && r.chance(0.2) ? '' : r.pick([' ', ' ', ' ', '\n', '  ', '\t', '\u3000']);
    text += (i ? glue : '') + fragment(r, lenient);
  }
  return { text, lenient };
}

test('weightedLength equals twitter-text on 12,000 generated strings (higher only around bare or unknown names)', () => {
  const r = prng(SEED);
  let exact = 0;
  let lenient = 0;
  let higher = 0;
  for (let i = 0; i < 12000; i++) {
    const sample = generate(r);
    const expected = oracle(sample.text);
    const actual = weightedLength(sample.text);
    const context = `seed ${SEED}, string #${i}: ${JSON.stringify(sample.text)}`;
    if (sample.lenient) {
      lenient++;
      assert.ok(actual >= expected, `counted ${actual}, below twitter-text's ${expected} (${context})`);
      if (actual > expected) higher++;
    } else {
      exact++;
      assert.equal(actual, expected, context);
    }
  }
  // The generator must produce both kinds, and bare names must mostly still be exact.
  assert.ok(exact > 7000 && lenient > 3000, `${exact} exact, ${lenient} lenient`);
  assert.ok(higher < lenient / 2, `${higher} of ${lenient} lenient strings counted higher`);
});

test('every emoji twitter-text knows weighs 2, alone and in text', () => {
  assert.ok(EMOJI.length > 2500 && EMOJI.some((e) => /\u200D/.test(e)), `only ${EMOJI.length} emoji survived the oracle`);
  for (const emoji of EMOJI) {
    assert.equal(weightedLength(emoji), 2, JSON.stringify(emoji));
    assert.equal(weightedLength(`a${emoji}b`), oracle(`a${emoji}b`), JSON.stringify(emoji));
  }
});

test('weights by code point range, after NFC', () => {
  const cases = {
    '': 0,
    abc: 3,
    '\u10FF': 1,
    '\u1100': 2,
    '\u2000\u200D': 2,
    '\u200E': 2,
    '\u2010\u201F': 2,
    '\u2020': 2,
    '\u2032\u2037': 2,
    '\u2038': 2,
    'e\u0301': 1, // NFC: é
    'ᄒ\u1161\u11AB': 2, // NFC: 한
    '\u{1F600}': 2,
    '\u{20000}': 2,
    '\uD800': 2,
    '👨‍👩‍👧‍👦': 2,
    '🇺🇸🇬': 4,
    '👍\u0301': 3, // an emoji, then a mark X counts on its own
    '©': 1,
    '©\uFE0F': 2,
    '1\u20E3': 2,
  };
  for (const [text, weight] of Object.entries(cases)) {
    assert.equal(weightedLength(text), weight, JSON.stringify(text));
    assert.equal(oracle(text), weight, `oracle ${JSON.stringify(text)}`);
  }
});

test('URLs weigh 23 where twitter-text finds them', () => {
  const cases = [
    ['https://example.com/a/very/long/path/that/goes/on/and/on/and/on', 23],
    ['see https://example.com/path.', 4 + 23 + 1],
    ['(https://en.wikipedia.org/wiki/Foo_(bar))', 1 + 23 + 1],
    ['www.example.com, and', 23 + 5],
    ['example.com', 23],
    ['a.com,b.com', 23 + 1 + 23],
    ['https://t.co/abc/def', 23 + 4],
    [`https://t.co/${'a'.repeat(41)}`, 54],
    ['http://localhost:3000/x', 23],
    ['http://127.0.0.1/', 17],
    ['Node.js e.g. 3.14', 17],
    ['-example.com', 12],
    ['“www.example.com”', 1 + 23 + 1],
    ['詳しくはwww.example.com', 8 + 23],
    ['café.com/menu', 23],
    ['https://xn--mnchen-3ya.de/post', 23],
    ['xn--mnchen-3ya.de', 23],
    ['https://xn--abc_.com', 20],
    // After a space the host starts at "‰", and in punycode its first label is too long.
    [` ‰${'x'.repeat(60)}.et`, 1 + 2 + 63],
    [`‰${'x'.repeat(60)}.et`, 2 + 23],
  ];
  for (const [text, weight] of cases) {
    assert.equal(oracle(text), weight, `oracle ${JSON.stringify(text)}`);
    assert.equal(weightedLength(text), weight, JSON.stringify(text));
  }
});

test('counts high, never low, where it cannot know the top-level domain', () => {
  const cases = [
    'x'.repeat(40) + '.zzqx', // not a URL to twitter-text: 45
    'example.com.zzqx', // twitter-text takes example.com only: 23 + 5
    'example.com.foo', // twitter-text takes it all (.foo is a domain we do not list): 23
    'https://example.museum/long/path/here', // a real domain we do not list
    'https://例え.jp/x',
    'Mr.Smith',
  ];
  for (const text of cases) assert.ok(weightedLength(text) >= oracle(text), JSON.stringify(text));
  // Either dot could end a host name twitter-text takes: each may add 23 - 4.
  assert.equal(oracle('example.com.zzqx'), 23 + 5);
  assert.equal(weightedLength('example.com.zzqx'), 16 + 2 * 19);
});

test('for every top-level domain twitter-text knows, host names count exactly or high, never low', () => {
  const list = (name) => require(`twitter-text/dist/regexp/${name}`).source.replace(/^\(\?:\(\?:/, '').replace(/\)\(\?=.*$/s, '').split('|');
  const tlds = [...list('validGTLD'), ...list('validCCTLD'), 'zzqx', 'html', 'json', 'notatld', 'x1'];
  assert.ok(tlds.length > 1500 && tlds.includes('com') && tlds.includes('みんな'), `${tlds.length} names read`);
  const known = new Set(['com', 'org', 'net', 'io', 'co', 'uk', 'dev', 'app', 'blog', 'info']);
  let exact = 0;
  for (const tld of tlds) {
    const texts = [
      `example.${tld}`,
      `www.example.${tld}/path?q=1).`,
      `https://example.${tld}/${'long/'.repeat(8)}`,
      `sub.example.${tld}.zzqx/p`,
      `example.com.${tld}`,
      `${'x'.repeat(40)}.${tld}`,
      `a.${tld},b.${tld};c.${tld}`,
      `Mr.${tld[0].toUpperCase()}${tld.slice(1)} said`,
    ];
    for (const text of texts) {
      const [ours, theirs] = [weightedLength(text), oracle(text)];
      assert.ok(ours >= theirs, `${JSON.stringify(text)}: counted ${ours}, below twitter-text's ${theirs}`);
      if (known.has(tld) && !text.includes('zzqx')) assert.equal(ours, theirs, JSON.stringify(text));
      if (ours === theirs) exact++;
    }
  }
  assert.ok(exact > tlds.length, `only ${exact} exact`);
});
