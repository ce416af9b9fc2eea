// The pure pieces, without a server: the interval, ranges, the rate limiter, settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilson, parseRange, buildReport } from '../dist/report.js';
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
  assert.equal(parseRange('s', '2026-05-01T12:00:00Z', undefined, Date.UTC(2026, 4, 2)).from, Date.UTC(2026, 4, 1, 12));
  const now = Date.UTC(2026, 4, 31, 15);
  const range = parseRange('s', undefined, undefined, now);
  assert.deepEqual([range.from, range.to], [Date.UTC(2026, 4, 2), now]);
  assert.equal((Math.ceil((range.to - range.from) / day)), 30);
  for (const [from, to] of [['x', ''], ['', 'tomorrow'], ['2026-05-02', '2026-05-01'], [['a', 'b'], '']]) {
    assert.throws(() => parseRange('s', from, to), /from|to/);
  }
});

test('the series has every day of the range, zeros included, and the types seen', () => {
  const range = { site: 's', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 4) };
  const report = buildReport(range, [{ widget: 'w', instance: 'i', type: 'share', network: null, campaign: null, variant: null, count: 2 }], [{ day: '2026-01-02', type: 'share', count: 2 }], new Map(), []);
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
