// The HTTP suite every store must pass: the same requests, the same answers, on SQLite and PostgreSQL.
// `store()` gives the options of a new, empty store ({ db } or { databaseUrl }) and a cleanup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector } from '@chorus/collector';
import { contentHash } from '@chorus/core';
import { BROWSER, ORIGIN, TOKEN, batch, event, getReport, newId, post } from './helpers.mjs';

const DAY = 24 * 3600 * 1000;
const sites = { blog: [ORIGIN], other: ['https://other.example', 'http://localhost:8080'], open: ['*'], reported: [ORIGIN], influence: [ORIGIN], bounded: [ORIGIN] };
// The write keys servers (senders without an Origin) present for these sites.
const WRITE_KEYS = { open: 'write-key-open-0123456789', influence: 'write-key-influence-0123456789' };
const asServer = (site) => ({ origin: null, headers: { 'x-chorus-key': WRITE_KEYS[site] } });

export function collectorSuite(label, store) {
  describe(`collector over HTTP on ${label}`, () => {
    let collector;
    let url;
    const cleanups = [];
    const start = async (options = {}) => {
      const { options: storeOptions, cleanup } = await store();
      cleanups.push(cleanup);
      return startCollector({ port: 0, host: '127.0.0.1', sites, siteKeys: WRITE_KEYS, token: TOKEN, rateLimit: false, ...storeOptions, ...options });
    };

    before(async () => {
      collector = await start();
      url = collector.url;
    });
    after(async () => {
      await collector?.close();
      for (const cleanup of cleanups) await cleanup();
    });

    test('stores a valid batch from an allowed origin and says so, with CORS for that origin', async () => {
      const events = [event({ instance: 'store-1' }), event({ type: 'share', network: 'x', instance: 'store-1' })];
      const answer = await post(url, batch(events));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json, { accepted: events.map((e) => e.id), duplicates: [], rejected: [] });
      assert.equal(answer.headers.get('access-control-allow-origin'), ORIGIN);
      assert.equal(answer.headers.get('access-control-expose-headers'), 'Retry-After'); // the tracker's backoff reads it
      assert.match(answer.headers.get('vary') ?? '', /Origin/);
    });

    test('takes the envelope fields the contract allows, such as the tracker\'s dropped count', async () => {
      const answer = await post(url, { ...batch([event({ instance: 'dropped' })]), dropped: 3 });
      assert.equal(answer.status, 200, answer.text);
      assert.equal((await post(url, { ...batch([event()]), dropped: -1 })).status, 400);
    });

    test('a retried batch is accepted again and never counted twice, even when the retries race', async () => {
      const events = [event({ instance: 'retry-1' }), event({ instance: 'retry-1', type: 'share', network: 'bluesky' })];
      const body = batch(events, { site: 'other' });
      const first = await post(url, body, { origin: 'https://other.example' });
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.duplicates, []);
      const again = await Promise.all(Array.from({ length: 6 }, () => post(url, body, { origin: 'https://other.example' })));
      for (const answer of again) {
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.json.accepted, events.map((e) => e.id));
        assert.deepEqual(answer.json.duplicates.sort(), events.map((e) => e.id).sort());
      }
      // Two new events racing in the same batch sent in parallel: stored once each.
      const racing = batch([event({ instance: 'retry-1' }), event({ instance: 'retry-1' })], { site: 'other' });
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(url, racing, { origin: 'http://localhost:8080' })));
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(answers.reduce((n, a) => n + (2 - a.json.duplicates.length), 0), 2, 'exactly one request stored the two new events');
      const { json } = await getReport(url, 'other');
      const quote = json.quotes.find((q) => q.instance === 'retry-1');
      assert.equal(quote.impressions, 3);
      assert.equal(quote.shares, 1);
    });

    test('the same id twice in one batch is stored once', async () => {
      const one = event({ instance: 'twice' });
      const answer = await post(url, batch([one, { ...one }, event({ instance: 'twice', id: one.id, type: 'share' })], { site: 'open' }), {
        origin: 'https://anywhere.example',
      });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.accepted, [one.id]);
      assert.deepEqual(answer.json.duplicates, [one.id, one.id]);
      const { json } = await getReport(url, 'open');
      assert.equal(json.quotes.find((q) => q.instance === 'twice').impressions, 1);
    });

    test('stores the valid events of a partly invalid batch and lists the others with reasons', async () => {
      const good = [event({ instance: 'partial' }), event({ instance: 'partial', type: 'copy' })];
      const bad = [
        event({ url: 'javascript:alert(1)' }),
        event({ type: 'Share!' }),
        event({ ts: -1 }),
        event({ extra: true }),
        { id: 'x' },
        'not an event',
        event({ props: { nested: { no: 1 } } }),
      ];
      const answer = await post(url, batch([good[0], ...bad, good[1]], { site: 'open' }), asServer('open'));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json.accepted, good.map((e) => e.id));
      assert.deepEqual(answer.json.rejected.map((r) => r.index), [1, 2, 3, 4, 5, 6, 7]);
      assert.equal(answer.json.rejected[0].id, bad[0].id);
      assert.equal(answer.json.rejected[4].id, null, 'an unusable id is not echoed');
      assert.match(answer.json.rejected[0].reason, /\/events\/1\/url must match pattern/);
      assert.match(answer.json.rejected[1].reason, /\/events\/2\/type/);
      assert.match(answer.json.rejected[2].reason, /\/events\/3\/ts must be >= 0/);
      assert.match(answer.json.rejected[3].reason, /additional properties \("extra"\)/);
      assert.match(answer.json.rejected[5].reason, /must be object/);
      const { json } = await getReport(url, 'open');
      const quote = json.quotes.find((q) => q.instance === 'partial');
      assert.deepEqual([quote.impressions, quote.copies], [1, 1]);
      assert.equal(json.totals.impression, 2, 'only this and the previous test stored impressions on "open"');
    });

    test('a batch whose every event is invalid is refused with 400 and the reasons', async () => {
      const answer = await post(url, batch([event({ widget: 'Bad Widget' }), event({ instance: '' })]));
      assert.equal(answer.status, 400);
      assert.equal(answer.json.error, 'no_valid_events');
      assert.equal(answer.json.rejected.length, 2);
    });

    test('refuses what can never be stored, each with a 4xx and a reason', async () => {
      const cases = [
        ['malformed JSON', '{"v":1,', {}, 400, 'malformed_json'],
        ['an empty body', '', {}, 400, 'empty_body'],
        ['JSON that is not an object', '[1,2]', {}, 400, 'invalid_batch'],
        ['a wrong version', batch([event()], {}) && { ...batch([event()]), v: 2 }, {}, 400, 'invalid_batch'],
        ['a string for sent', { ...batch([event()]), sent: '1' }, {}, 400, 'invalid_batch'],
        ['no events', batch([]), {}, 400, 'invalid_batch'],
        ['events not an array', { ...batch([]), events: {} }, {}, 400, 'invalid_batch'],
        ['an extra envelope field', { ...batch([event()]), extra: 1 }, {}, 400, 'invalid_batch'],
        ['too many events', batch(Array.from({ length: 101 }, () => event())), {}, 413, 'too_many_events'],
        ['a body over 64 KB', batch([event({ title: 'x'.repeat(70_000) })]), {}, 413, 'body_too_large'],
        ['an unknown site', batch([event()], { site: 'nobody' }), {}, 403, 'unknown_site'],
        ['an invalid site name', batch([event()], { site: '../etc' }), {}, 400, 'invalid_batch'],
        ['an origin not allowed for the site', batch([event()]), { origin: 'https://evil.example' }, 403, 'origin_not_allowed'],
        ['an origin allowed only for another site', batch([event()]), { origin: 'https://other.example' }, 403, 'origin_not_allowed'],
        ['an opaque origin', batch([event()]), { origin: 'null' }, 403, 'origin_not_allowed'],
        ['a form post', 'v=1', { type: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
      ];
      for (const [name, body, options, status, error] of cases) {
        const answer = await post(url, body, options);
        assert.equal(answer.status, status, `${name}: ${answer.text}`);
        assert.equal(answer.json?.error, error, `${name}: ${answer.text}`);
        assert.ok(answer.json.reason.length > 10, `${name} has a reason`);
      }
      // Refused origins get no CORS grant; allowed ones can read even a refusal.
      const refused = await post(url, batch([event()]), { origin: 'https://evil.example' });
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      const malformed = await post(url, '{', { origin: ORIGIN });
      assert.equal(malformed.headers.get('access-control-allow-origin'), ORIGIN);
    });

    test('takes JSON as text/plain, application/json or with no content type at all', async () => {
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/json', 'application/json; charset=utf-8', null]) {
        const body = JSON.stringify(batch([event({ instance: 'types' })]));
        const answer = await post(url, type ? body : new TextEncoder().encode(body), { type });
        assert.equal(answer.status, 200, `${type}: ${answer.text}`);
      }
    });

    test('answers preflights: granted to allowed origins, refused to others', async () => {
      const strict = await start({ sites: { blog: [ORIGIN], other: ['http://localhost:8080'] }, siteKeys: {} });
      const preflight = (origin) =>
        fetch(`${strict.url}/collect`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      try {
        const allowed = await preflight('http://localhost:8080');
        assert.equal(allowed.status, 204);
        assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:8080');
        assert.match(allowed.headers.get('access-control-allow-methods'), /POST/);
        assert.match(allowed.headers.get('access-control-allow-headers'), /content-type/);
        const refused = await preflight('https://evil.example');
        assert.equal(refused.status, 403);
        assert.equal(refused.headers.get('access-control-allow-origin'), null);
        // On the main collector the site "open" takes any origin, so any origin passes the preflight.
        const open = await fetch(`${url}/collect`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
        assert.equal(open.status, 204);
      } finally {
        await strict.close();
      }
    });

    test('stores odd but valid text as it came, where a database allows', async () => {
      const nasty = 'nul\u0000 lone\ud800 emoji 😀 rtl \u202e <script>alert(1)</script> "quotes" \\ back';
      const e = event({ instance: 'odd', type: 'comment', widget: 'comment-prompt', title: nasty, props: { text: nasty, name: '名前', n: 1.5, ok: false } });
      const answer = await post(url, batch([e], { site: 'open' }), asServer('open'));
      assert.equal(answer.status, 200, answer.text);
      const { json } = await getReport(url, 'open');
      const comment = json.comments.find((c) => c.id === e.id);
      const storedAs = nasty.replace('\u0000', '\ufffd').replace('\ud800', '\ufffd');
      assert.equal(comment.text, storedAs);
      assert.equal(comment.title, storedAs);
      assert.equal(comment.name, '名前');
    });

    test('places events on the collector clock: a reader clock that is wrong is corrected, a far past clamped', async () => {
      const now = Date.now();
      // The reader's clock is a year ahead: the event happened 2 days before the batch was sent.
      const skew = 365 * DAY;
      const late = event({ instance: 'clock', ts: now + skew - 2 * DAY });
      const future = event({ instance: 'clock', ts: now + skew + 10 * DAY }); // after it was sent: impossible, so now
      const ancient = event({ instance: 'clock', ts: 0 });
      const answer = await post(url, batch([late, future, ancient], { site: 'open', sent: now + skew }), asServer('open'));
      assert.equal(answer.status, 200);
      const day = (t) => new Date(t).toISOString().slice(0, 10);
      const { json } = await getReport(url, 'open', `?from=${day(now - 40 * DAY)}&to=${day(now)}`);
      const series = Object.fromEntries(json.series.map((d) => [d.day, d.impression]));
      assert.ok(series[day(now - 2 * DAY)] >= 1, 'the corrected event is two days back');
      assert.ok(series[day(now - 30 * DAY)] >= 1 || series[day(now - 31 * DAY)] >= 1, 'the ancient one is clamped to 30 days back');
    });

    test('the report needs the admin token', async () => {
      const none = await getReport(url, 'blog', '', null);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate'), /^Bearer/);
      assert.equal(none.json.error, 'unauthorized');
      const wrong = await getReport(url, 'blog', '', 'not-the-token');
      assert.equal(wrong.status, 401);
      const basic = await fetch(`${url}/api/sites/blog/report`, { headers: { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` } });
      assert.equal(basic.status, 401);
      const sitesList = await fetch(`${url}/api/sites`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.deepEqual((await sitesList.json()).sites.map((s) => s.name), Object.keys(sites));
      assert.equal((await fetch(`${url}/api/sites`)).status, 401);
    });

    test('the report refuses unknown sites and bad ranges with reasons', async () => {
      assert.equal((await getReport(url, 'nobody')).status, 404);
      for (const query of ['?from=yesterday', '?to=2026-13-45', '?from=2026-05-02&to=2026-05-01', '?from=a&from=b']) {
        const answer = await getReport(url, 'blog', query);
        assert.equal(answer.status, 400, query);
        assert.equal(answer.json.error, 'invalid_range');
      }
    });

    test('reports quotes, CTA variants with intervals, the comment funnel, comments and a daily series', async () => {
      const now = Date.now();
      const today = new Date(now).toISOString().slice(0, 10);
      const yesterdayTs = now - DAY;
      const yesterday = new Date(yesterdayTs).toISOString().slice(0, 10);
      const ev = (fields, n = 1) => Array.from({ length: n }, () => event(fields));
      const quote = (fields) => ({ widget: 'quote-to-tweet', ...fields });
      const cta = (fields) => ({ widget: 'course-cta', campaign: 'course', ...fields });
      const prompt = (fields) => ({ widget: 'comment-prompt', instance: 'ask', ...fields });
      const events = [
        ...ev(quote({ instance: 'q-a', type: 'impression' }), 10),
        ...ev(quote({ instance: 'q-a', type: 'share', network: 'x', props: { text: 'Old text', truncated: false }, ts: yesterdayTs })),
        ...ev(quote({ instance: 'q-a', type: 'share', network: 'x', props: { text: 'Ship small things.', truncated: true } }), 2),
        ...ev(quote({ instance: 'q-a', type: 'share', network: 'bluesky' })),
        ...ev(quote({ instance: 'q-b', type: 'impression' }), 4),
        ...ev(quote({ instance: 'q-b', type: 'copy', network: 'copy' })),
        ...ev(cta({ instance: 'top', variant: 'A', type: 'impression' }), 40),
        ...ev(cta({ instance: 'top', variant: 'A', type: 'click' }), 4),
        ...ev(cta({ instance: 'top', variant: 'B', type: 'impression' }), 30),
        ...ev(cta({ instance: 'top', variant: 'B', type: 'click' }), 6),
        ...ev(cta({ instance: 'bottom', variant: 'A', type: 'impression' }), 60),
        ...ev(cta({ instance: 'bottom', variant: 'A', type: 'click' }), 6),
        ...ev(cta({ instance: 'bottom', variant: 'A', type: 'dismiss' })),
        ...ev(cta({ instance: 'solo', campaign: 'newsletter', type: 'impression' }), 5),
        ...ev(cta({ instance: 'solo', campaign: 'newsletter', type: 'click' }), 1),
        ...ev(prompt({ type: 'impression' }), 20),
        ...ev(prompt({ type: 'open' }), 5),
        ...ev(prompt({ type: 'comment', props: { text: 'Loved it', name: 'Ada' } })),
        ...ev(prompt({ type: 'comment', props: { text: 'Too long', name: 'Bob' }, ts: yesterdayTs })),
        ...ev({ widget: 'my-widget', instance: 'w', type: 'custom' }),
      ];
      for (let i = 0; i < events.length; i += 100) {
        const answer = await post(url, batch(events.slice(i, i + 100), { site: 'reported' }));
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.json.rejected.length, 0);
      }
      // An event before the range must not count.
      const old = event({ type: 'share', widget: 'quote-to-tweet', instance: 'q-a', network: 'x', ts: now - 10 * DAY });
      assert.equal((await post(url, batch([old], { site: 'reported' }))).status, 200);

      const { status, json } = await getReport(url, 'reported', `?from=${yesterday}&to=${today}`);
      assert.equal(status, 200);
      assert.equal(json.site, 'reported');
      assert.equal(json.from, `${yesterday}T00:00:00.000Z`);
      assert.deepEqual(json.totals, { impression: 169, share: 4, copy: 1, click: 17, dismiss: 1, open: 5, comment: 2, custom: 1 });

      assert.deepEqual(json.quotes.map((q) => q.instance), ['q-a', 'q-b'], 'most shared first');
      const [a, b] = json.quotes;
      assert.equal(a.text, 'Ship small things.', 'the latest text of the instance');
      assert.deepEqual(a.networks, { x: 3, bluesky: 1 });
      assert.equal(a.shares, 4);
      assert.equal(a.shareRate, 0.4);
      assert.deepEqual([b.text, b.shares, b.copies, b.shareRate], [null, 0, 1, 0]);

      const course = json.ctas.find((c) => c.campaign === 'course');
      assert.deepEqual([course.impressions, course.clicks], [130, 16]);
      assert.equal(course.ctr, 16 / 130);
      const overallA = course.variants.find((v) => v.variant === 'A');
      assert.deepEqual([overallA.impressions, overallA.clicks], [100, 10]);
      // Wilson 95% for 10/100: 0.0552 to 0.1744 (published tables).
      assert.equal(overallA.ci95.low.toFixed(4), '0.0552');
      assert.equal(overallA.ci95.high.toFixed(4), '0.1744');
      const top = course.placements.find((p) => p.instance === 'top');
      assert.deepEqual(top.variants.map((v) => [v.variant, v.impressions, v.clicks]), [['A', 40, 4], ['B', 30, 6]]);
      assert.ok(top.variants.every((v) => v.ci95.low < v.ctr && v.ctr < v.ci95.high));
      const newsletter = json.ctas.find((c) => c.campaign === 'newsletter');
      assert.deepEqual(newsletter.variants, [], 'no variants, no interval');
      assert.equal(newsletter.placements[0].ctr, 0.2);

      assert.deepEqual([json.prompt.impressions, json.prompt.opens, json.prompt.comments], [20, 5, 2]);
      assert.deepEqual(json.comments.map((c) => [c.name, c.text]), [['Ada', 'Loved it'], ['Bob', 'Too long']], 'newest first');
      assert.ok(json.comments.every((c) => c.url === 'https://blog.example/post' && c.instance === 'ask'));

      assert.deepEqual(json.series.map((d) => d.day), [yesterday, today]);
      assert.deepEqual(json.series.map((d) => d.share), [1, 3]);
      assert.deepEqual(json.series.map((d) => d.comment), [1, 1]);

      const wider = await getReport(url, 'reported', `?from=${now - 11 * DAY}&to=${now + 1000}`);
      assert.equal(wider.json.totals.share, 5, 'epoch ms bounds work, and the older share is in');
      assert.equal(wider.json.series.length, 12);
    });

    test('influence: page views and unique readers per post, arrivals per quote and network, and what they did next', async () => {
      const code = contentHash('who-acts').slice(0, 6);
      const page = { url: 'https://blog.example/post/', title: 'The post' };
      const view = (fields = {}) => event({ ...page, widget: 'page', instance: 'page', type: 'pageview', ...fields });
      const reader = (n) => `${BROWSER} reader/${n}`; // a different User-Agent is a different reader
      const send = async (events, n, options = {}) => {
        const answer = await post(url, batch(events, { site: 'influence' }), { userAgent: reader(n), ...options });
        assert.equal(answer.status, 200, answer.text);
        return answer;
      };
      // Reader 1 views the post twice (one reader), reads it and shares the quote on X and Bluesky.
      await send([view({ referrer: 'https://www.google.com/' }), view(), event({ ...page, widget: 'page', instance: 'page', type: 'read' })], 1);
      await send(['x', 'bluesky'].map((network) => event({ ...page, type: 'share', instance: 'who-acts', network, props: { text: 'Influence is who acts.' } })), 1);
      // Reader 2 arrives from t.co through the X share, reads and clicks the course box; reader 3 from Bluesky, and leaves.
      await send([view({ referrer: 'https://t.co/abc' }), event({ ...page, type: 'arrival', instance: code, network: 'x' })], 2);
      await send([event({ ...page, widget: 'page', instance: 'page', type: 'read', props: { arrival: `${code}.x` } })], 2);
      await send([event({ ...page, widget: 'course-cta', instance: 'course-bottom', campaign: 'course', variant: 'B', type: 'click', props: { arrival: `${code}.x` } })], 2);
      await send([view({ referrer: 'https://bsky.app/' }), event({ ...page, type: 'arrival', instance: code, network: 'bluesky' })], 3);
      // Hand-typed or unknown tags count nowhere.
      await send([event({ ...page, type: 'arrival', instance: 'zzzzzz', network: 'x' }), event({ ...page, type: 'arrival', instance: code, network: 'myspace' })], 4);
      // A conversion on the course site, attributed to the bottom box of the post.
      const sale = event({ url: 'https://course.example/thanks', widget: 'course-cta', instance: 'course-bottom', campaign: 'course', variant: 'B', type: 'purchase', props: { value: 49, currency: 'EUR', post: '/post' } });
      await send([sale], 2, asServer('influence'));
      // A bot's page view: answered 2xx, stored nowhere, counted as ignored.
      const bot = await post(url, batch([view()], { site: 'influence' }), { userAgent: 'Twitterbot/1.0' });
      assert.equal(bot.status, 202, bot.text);
      assert.equal(bot.json.ignored, 1);

      const { json } = await getReport(url, 'influence');
      assert.equal(json.version, 2);
      assert.deepEqual(json.posts.map((p) => [p.path, p.title, p.pageviews, p.readers, p.reads, p.acted, p.arrivals, p.conversions, p.revenue]), [
        ['/post', 'The post', 4, 3, 2, 2, 2, 1, 49],
      ]);
      assert.deepEqual(json.headline, { readers: 3, acted: 2, actedRate: 2 / 3, arrivals: 2, arrivalsPer100Readers: 200 / 3 });
      const quote = json.quotes.find((q) => q.instance === 'who-acts');
      assert.deepEqual([quote.shares, quote.networks, quote.arrivalsTotal, quote.arrivals, quote.next, quote.path], [
        2, { x: 1, bluesky: 1 }, 2, { x: 1, bluesky: 1 }, { read: 1, share: 0, click: 1, comment: 0 }, '/post',
      ]);
      assert.equal(json.totals.arrival, 2, 'the unknown tags are not in the totals either');
      assert.equal(json.totals.purchase, 1);
      assert.deepEqual(json.conversionTypes, ['purchase']);
      assert.equal(json.botEventsIgnored, 1);
      const course = json.ctas.find((c) => c.campaign === 'course');
      const bottom = course.placements.find((p) => p.instance === 'course-bottom');
      assert.deepEqual([bottom.clicks, bottom.conversions, bottom.revenue, bottom.conversionRate], [1, 1, 49, 1]);
      assert.deepEqual(bottom.variants.map((v) => [v.variant, v.conversions, v.revenue]), [['B', 1, 49]]);
      assert.deepEqual(course.currencies, ['EUR']);
      assert.deepEqual(json.sources, [{ source: '(direct)', pageviews: 1 }, { source: 'bsky.app', pageviews: 1 }, { source: 'google.com', pageviews: 1 }, { source: 't.co', pageviews: 1 }]);

      // Narrowed to the post (any spelling of its path), and to another post.
      const narrowed = await getReport(url, 'influence', '?post=/post/');
      assert.deepEqual([narrowed.json.post, narrowed.json.posts.length, narrowed.json.quotes.length, narrowed.json.totals.pageview], ['/post', 1, 1, 4]);
      const elsewhere = await getReport(url, 'influence', '?post=/another');
      assert.deepEqual([elsewhere.json.posts.length, elsewhere.json.quotes.length, elsewhere.json.headline.readers], [0, 0, 0]);
      assert.equal((await getReport(url, 'influence', '?post=nope')).status, 400);
    });

    test('conversions: values checked at /collect; the webhook needs the token, counts a key once, refuses bad values with reasons', async () => {
      const bad = [{ value: -1 }, { value: 'abc' }, { value: 1_000_001 }, { value: 49, currency: 'euro' }];
      for (const props of bad) {
        const answer = await post(url, batch([event({ widget: 'page', instance: 'page', type: 'purchase', props })], { site: 'influence' }));
        assert.equal(answer.status, 400, JSON.stringify(props));
        assert.match(answer.json.rejected[0].reason, /props\/(value|currency)/);
      }
      const webhook = (body, token = TOKEN) =>
        fetch(`${url}/api/sites/influence/conversions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }).then(async (response) => ({ status: response.status, json: await response.json() }));
      const sale = { idempotencyKey: 'pay_123', value: 99, currency: 'eur', campaign: 'course', placement: 'course-top', variant: 'A', post: '/post' };
      assert.equal((await webhook(sale, null)).status, 401);
      const first = await webhook(sale);
      assert.equal(first.status, 201, JSON.stringify(first.json));
      const again = await webhook(sale);
      assert.deepEqual([again.status, again.json.duplicate, again.json.id], [200, true, first.json.id]);
      for (const [body, reason] of [
        [{ ...sale, idempotencyKey: 'k1', value: -5 }, /value/],
        [{ ...sale, idempotencyKey: 'k2', value: '49' }, /value/],
        [{ ...sale, idempotencyKey: 'k3', value: 2_000_000 }, /value/],
        [{ ...sale, idempotencyKey: undefined }, /idempotencyKey/],
        [{ ...sale, idempotencyKey: 'k4', type: 'share' }, /Chorus's own/],
        [{ ...sale, idempotencyKey: 'k5', extra: 1 }, /additional/],
        ['{"idem', /JSON/],
      ]) {
        const answer = await webhook(body);
        assert.equal(answer.status, 400, JSON.stringify(body));
        assert.match(answer.json.reason, reason);
      }
      assert.equal((await fetch(`${url}/api/sites/nobody/conversions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{}' })).status, 404);
      const { json } = await getReport(url, 'influence', '?post=/post');
      const top = json.ctas.find((c) => c.campaign === 'course').placements.find((p) => p.instance === 'course-top');
      assert.deepEqual([top.conversions, top.revenue, top.variants[0].variant], [1, 99, 'A']);
    });

    test('every list of the report is bounded, and says how many it left out', async () => {
      const events = [];
      for (let i = 0; i < 130; i++) events.push(event({ widget: 'page', instance: 'page', type: 'pageview', url: `https://blog.example/p${i}`, referrer: `https://r${i}.example/` }));
      for (let i = 0; i < 60; i++) events.push(event({ instance: `q${i}`, type: 'share', network: 'x' }));
      for (let i = 0; i < 25; i++) events.push(event({ widget: 'comment-prompt', instance: `ask${i}`, type: 'impression' }));
      for (let i = 0; i < events.length; i += 100) assert.equal((await post(url, batch(events.slice(i, i + 100), { site: 'bounded' }))).status, 200);
      const { json } = await getReport(url, 'bounded');
      assert.deepEqual([json.posts.length, json.postsMore, json.quotes.length, json.quotesMore, json.sources.length, json.sourcesMore], [100, 31, 50, 10, 20, 110]);
      // The prompts' totals count the ones left out of the list too.
      assert.deepEqual([json.prompt.instances.length, json.prompt.instancesMore, json.prompt.impressions], [20, 5, 25]);
    });

    test('keeps its data across a restart, and migrates only once', async () => {
      const { options: storeOptions, cleanup } = await store();
      cleanups.push(cleanup);
      const options = { port: 0, host: '127.0.0.1', sites, token: TOKEN, rateLimit: false, ...storeOptions };
      let first = await startCollector(options);
      const e = event({ instance: 'restart' });
      assert.equal((await post(first.url, batch([e]))).status, 200);
      await first.close();
      first = await startCollector(options);
      try {
        const again = await post(first.url, batch([e]));
        assert.deepEqual(again.json.duplicates, [e.id], 'the stored event is still there');
        const { json } = await getReport(first.url);
        assert.equal(json.totals.impression, 1);
      } finally {
        await first.close();
      }
    });

    test('limits requests per client address with 429 and Retry-After', async () => {
      const limited = await start({ rateLimit: '3/60' });
      try {
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await post(limited.url, batch([event()])));
        assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429, 429]);
        assert.equal(answers[3].json.error, 'rate_limited');
        const wait = Number(answers[3].headers.get('retry-after'));
        assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 20, `Retry-After ${wait}`);
        assert.equal(answers[3].headers.get('access-control-allow-origin'), ORIGIN, 'the tracker can read the 429');
      } finally {
        await limited.close();
      }
    });

    test('serves the dashboard page with a strict content security policy', async () => {
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /text\/html/);
      assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
      assert.match(await page.text(), /<chorus-dashboard>/);
      const script = await fetch(`${url}/dashboard/app.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type'), /javascript/);
      for (const path of ['/dashboard/..%2Fcli.js', '/dashboard/%2e%2e%2fcli.js', '/dashboard/nothing.js', '/nothing']) {
        const answer = await fetch(`${url}${path}`);
        assert.equal(answer.status, 404, path);
      }
    });
  });
}
