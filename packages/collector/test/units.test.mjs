// The pure pieces, without a server: the interval, ranges, rollups, the rate limiter, settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilson, parseRange, buildReport } from '../dist/report/report.js';
import { effectsOf, parseTag, postPath, quoteCode, sourceOf } from '../dist/rollup.js';
import { createRateLimiter } from '../dist/rate-limit.js';
import { ConfigError, parseCli, resolveConfig, normalizeOrigin } from '../dist/config.js';
import { toStored, storable } from '../dist/validate.js';

test('Wilson intervals match published values, and stay inside [0, 1]', () => {
  const round = (i) => [i.low, i.high].map((x) => Number(x.toFixed(4)));
  assert.deepEqual(round(wilson(10, 100)), [0.0552, 0.1744]);
  assert.deepEqual(round(wilson(0, 10)), [0, 0.2775]);
  assert.deepEqual(round(wilson(10, 10)), [0.7225, 1]);
  assert.deepEqual(round(wilson(1, 2)), [0.0945, 0.9055]);
  assert.equal(wilson(0, 0), null);
  assert.deepEqual(wilson(12, 10), wilson(10, 10), 'clicks past impressions count as impressions');
});

test('ranges: days are whole UTC days, both ends in; epoch ms and ISO times work; the default is 30 days', () => {
  const day = 24 * 3600 * 1000;
  assert.deepEqual(parseRange('s', '2026-05-01', '2026-05-02'), { site: 's', from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 4, 3) });
  assert.deepEqual(parseRange('s', '1000', '2000'), { site: 's', from: 1000, to: 2000 });
  assert.equal(parseRange('s', '2026-05-01T12:00:00Z', undefined, undefined, Date.UTC(2026, 4, 2)).from, Date.UTC(2026, 4, 1, 12));
  const now = Date.UTC(2026, 4, 31, 15);
  const range = parseRange('s', undefined, undefined, undefined, now);
  assert.equal(parseRange('s', '', '', '/blog/post/', now).post, '/blog/post');
  assert.throws(() => parseRange('s', '', '', 'blog', now), /post/);
  assert.deepEqual([range.from, range.to], [Date.UTC(2026, 4, 2), now]);
  assert.equal((Math.ceil((range.to - range.from) / day)), 30);
  for (const [from, to] of [['x', ''], ['', 'tomorrow'], ['2026-05-02', '2026-05-01'], [['a', 'b'], '']]) {
    assert.throws(() => parseRange('s', from, to), /from|to/);
  }
});

test('the series has every day of the range, zeros included, and the types seen', () => {
  const range = { site: 's', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 4) };
  const row = { path: '/p', widget: 'w', instance: 'i', type: 'share', network: '', campaign: '', variant: '', source: '', currency: '', count: 2, value: 0 };
  const report = buildReport(range, { rollups: [row], days: [{ day: '2026-01-02', type: 'share', count: 2 }], ignored: 0, comments: [] });
  assert.deepEqual(report.series, [
    { day: '2026-01-01', share: 0 },
    { day: '2026-01-02', share: 2 },
    { day: '2026-01-03', share: 0 },
  ]);
});

test('the rate limiter refills over time and says how long to wait', () => {
  let now = 0;
  const limiter = createRateLimiter({ requests: 2, seconds: 10 }, () => now);
  try {
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 5, 'one token comes back every 5 s');
    assert.equal(limiter.take('b'), 0, 'each address has its own bucket');
    now = 4000;
    assert.equal(limiter.take('a'), 1);
    now = 5000;
    assert.equal(limiter.take('a'), 0);
  } finally {
    limiter.stop();
  }
});

test('settings: origins normalized, flags over environment, bad values refused with a reason', () => {
  assert.equal(normalizeOrigin('HTTPS://Blog.Example:443'), 'https://blog.example');
  assert.equal(normalizeOrigin('http://localhost:8080/'), 'http://localhost:8080');
  assert.throws(() => normalizeOrigin('blog.example'), ConfigError);
  const { options } = parseCli(['--site', 'a=https://a.example', '--port', '9000'], { CHORUS_PORT: '1', CHORUS_SITES: 'b=https://b.example' });
  assert.deepEqual([options.port, options.sites], [9000, ['a=https://a.example']]);
  const config = resolveConfig({ db: 'postgres://u@h/db' });
  assert.deepEqual([config.databaseUrl, config.tokenGenerated, config.token.length >= 32], ['postgres://u@h/db', true, true]);
  assert.throws(() => parseCli(['--port', '-1'], {}), ConfigError);
});

test('events move onto the collector clock and their text onto storable characters', () => {
  const event = { id: 'abcdefgh', type: 'share', widget: 'w', instance: 'i', ts: 5_000, url: 'https://a.example/', title: 't\u0000', referrer: '', props: { text: 'x\ud800', n: 1 } };
  const stored = toStored(event, 10_000, 1_000_000);
  assert.equal(stored.at, 995_000, 'ts + (received - sent)');
  assert.equal(stored.title, 't\ufffd');
  assert.equal(stored.text, 'x\ufffd');
  assert.deepEqual(stored.props, { text: 'x\ufffd', n: 1 });
  assert.equal(storable('a😀b'), 'a😀b', 'pairs are kept');
  assert.equal(toStored({ ...event, ts: 10_000_000 }, 10_000, 1_000_000).at, 1_000_000, 'never after it arrived');
});

test('rollups: posts are paths, sources are hosts or utm_source, tags name a quote and a network', () => {
  assert.deepEqual(['https://b.example/', 'https://b.example/a/', 'https://b.example/a/index.html', 'https://b.example/a?x=1', 'nonsense'].map(postPath), ['/', '/a', '/a', '/a', '']);
  assert.equal(sourceOf('https://b.example/a', 'https://t.co/xyz'), 't.co');
  assert.equal(sourceOf('https://b.example/a', 'https://www.google.com/'), 'google.com');
  assert.equal(sourceOf('https://b.example/a?utm_source=Newsletter', 'https://t.co/'), 'newsletter');
  assert.equal(sourceOf('https://b.example/a', 'https://b.example/other'), '', 'the site itself is no source');
  assert.equal(sourceOf('https://b.example/a', ''), '');
  assert.deepEqual(parseTag('3kq9xb.b'), { code: '3kq9xb', network: 'bluesky' });
  for (const tag of ['3kq9xb', '3kq9xb.', '3kq9xbz1.x', '3KQ9XB.x', '3kq9xb.q', '<b>.x']) assert.equal(parseTag(tag), undefined, tag);
  assert.match(quoteCode('who-acts'), /^[0-9a-z]{1,6}$/);

  const base = { id: 'abcdefgh', widget: 'quote-to-tweet', instance: 'who-acts', at: 1, day: '2026-01-01', path: '/post', ts: 1, sent: 1, received: 1, url: 'https://b.example/post', title: 't', referrer: '', network: null, campaign: null, variant: null, text: null, props: null };
  const known = (code) => (code === quoteCode('who-acts') ? 'who-acts' : undefined);
  const arrival = effectsOf({ ...base, type: 'arrival', instance: quoteCode('who-acts'), network: 'x' }, known);
  assert.deepEqual(arrival.rollups.map((r) => [r.instance, r.type, r.network]), [['who-acts', 'arrival', 'x']], 'an arrival counts for the quote it names');
  assert.deepEqual(effectsOf({ ...base, type: 'arrival', instance: 'zzzzzz', network: 'x' }, known).rollups, [], 'an unknown quote counts nowhere');
  assert.deepEqual(effectsOf({ ...base, type: 'arrival', instance: quoteCode('who-acts'), network: 'myspace' }, known).rollups, [], 'nor an unknown network');
  const click = effectsOf({ ...base, type: 'click', widget: 'course-cta', instance: 'course-bottom', props: { arrival: `${quoteCode('who-acts')}.b` } }, known);
  assert.deepEqual(click.rollups.map((r) => [r.widget, r.instance, r.type, r.network]), [['course-cta', 'course-bottom', 'click', ''], ['quote-to-tweet', 'who-acts', 'next:click', 'bluesky']]);
  assert.equal(click.step, 'acted');
  const sale = effectsOf({ ...base, type: 'purchase', widget: 'course-cta', instance: 'course-bottom', props: { value: 49, currency: 'eur' } }, known);
  assert.deepEqual(sale.rollups.map((r) => [r.type, r.value, r.currency]), [['purchase', 49, 'EUR']]);
});
