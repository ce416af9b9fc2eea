// Influence, measured, end to end (issue 9): real Chromium, the real collector on SQLite and on
// PostgreSQL, the blog example and the course site on two origins, as `npm start` serves them.
//
// A reader shares the blog's first quote on X and on Bluesky. Two more readers (each with a browser
// context and a user agent of their own, so the collector's daily hash tells them apart) open the
// shared links as readers coming from t.co and from bsky.app would, and read the post (past half of it,
// 15 s visible: the tracker's read time, which cannot be shortened, so the two read at the same time);
// the one from X then clicks the course box at the bottom and buys on the course site. The report must
// say so: shares and arrivals per network for that quote, what the arrival did next, the conversion for
// the bottom copy and its variant, page views and unique readers for the post. Then what must count
// nowhere: bots, hand-typed tags, webhook retries and bad values.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { serveExamples } from '../scripts/lib/examples.mjs';
import { freshDatabase, testDatabaseUrl } from '../packages/collector/test/helpers.mjs';
import { launchChromium, openPage, wait, waitFor } from './support/browser.mjs';

const TOKEN = 'test-token-influence-0123';
const BLOG = '/examples/blog/';
const CAMPAIGN = 'readers-who-act';
const READ_MS = 16_500; // the tracker's 15 s of visibility, checked once a second, and a margin
// Three readers on one machine: the same address, so their user agents are what tells them apart. (A
// beacon sent as a page unloads, such as the course box's click, leaves with Chromium's own headless user
// agent, which DevTools no longer overrides; countHeadless counts it.)
const chrome = (version) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version}.0.0.0 Safari/537.36`;
const SHARER = chrome(138);
const FROM_X = chrome(139);
const FROM_BLUESKY = chrome(140);

const stores = [
  { name: 'SQLite', open: async (folder) => ({ options: { db: join(folder, 'chorus.db') } }) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const { url, reason } = await testDatabaseUrl();
      if (!url) throw new Error(`no PostgreSQL to test against: ${reason}`);
      const database = await freshDatabase(url);
      return { options: { databaseUrl: database.url }, drop: database.drop };
    },
  },
];

/** The shared page URL (with its #cq= tag) inside a share intent: its `url` parameter, or the URL in its `text`. */
function sharedUrl(intent) {
  for (const value of new URL(intent).searchParams.values()) {
    const found = /https?:\/\/\S+#cq=\S*/.exec(value);
    if (found) return found[0];
  }
  return null;
}

for (const store of stores) {
  describe(`influence, measured (${store.name})`, () => {
    let browser, collector, examples, folder, database;
    const state = {};

    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'chorus-influence-'));
      database = await store.open(folder);
      // The sites must be listening before the collector can allow their origins, and the pages name the collector.
      examples = await serveExamples({ collector: () => collector.url });
      collector = await startCollector({
        port: 0,
        ...database.options,
        token: TOKEN,
        sites: { demo: [examples.blog, examples.course] },
        countHeadless: true, // headless Chromium is a bot to the collector, and these tests drive one
        rateLimit: false, // every reader here has the same address
      });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await examples?.close();
      await collector?.close();
      await database?.drop?.();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    const api = async (path, init = {}) => {
      const response = await fetch(`${collector.url}/api/sites/demo${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
      });
      const text = await response.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: response.status, json, text };
    };
    const report = async (query = '') => {
      const { status, json, text } = await api(`/report${query}`);
      assert.equal(status, 200, text);
      return json;
    };
    const findPost = (r) => r.posts.find((post) => post.path === BLOG || post.path === BLOG.replace(/\/$/, ''));
    const findQuote = (r) => r.quotes.find((quote) => quote.instance === state.quote);
    const placement = (r, instance) => r.ctas.find((c) => c.campaign === CAMPAIGN)?.placements.find((p) => p.instance === instance);

    /** A reader's page with its own user agent; page errors are collected. */
    const readerPage = async (context, userAgent) => {
      const page = await context.newPage();
      if (userAgent) await page.setUserAgent(userAgent);
      const errors = [];
      page.on('pageerror', (error) => errors.push(error));
      return { page, errors };
    };
    const trackerReady = (page) => page.waitForFunction(() => typeof window.chorus?.flush === 'function');
    const flush = (page) => page.evaluate(() => window.chorus.flush());

    it('a reader shares the first quote on X and on Bluesky: each link carries the quote and network in the shared URL', async () => {
      const context = await browser.createBrowserContext();
      const { page, errors } = await readerPage(context, SHARER);
      await page.goto(examples.blog + BLOG);
      await page.waitForFunction(() => document.querySelector('quote-to-tweet')?.shadowRoot?.querySelector('a[href*="bsky.app"]'));
      const shared = await page.evaluate(() => {
        const quote = document.querySelector('quote-to-tweet');
        quote.addEventListener('click', (event) => event.preventDefault()); // the reader's new tab is not part of the test
        const link = (host) => quote.shadowRoot.querySelector(`a[href*="${host}"]`);
        link('x.com/intent').click();
        link('bsky.app/intent').click();
        return { instance: quote.id, x: link('x.com/intent').href, bluesky: link('bsky.app/intent').href };
      });
      state.quote = shared.instance;
      state.x = sharedUrl(shared.x);
      state.bluesky = sharedUrl(shared.bluesky);
      for (const [network, letter] of [['x', 'x'], ['bluesky', 'b']]) {
        const url = state[network];
        assert.ok(url, `the ${network} intent carries the shared page URL with its tag: ${decodeURIComponent(shared[network])}`);
        const { origin, pathname, hash } = new URL(url);
        assert.equal(origin + pathname, examples.blog + BLOG, `the ${network} link shares the post`);
        assert.match(hash, new RegExp(`^#cq=[0-9a-z]{6}\\.${letter}$`, 'i'), `${network}: the tag names the quote and the network`);
        assert.ok(hash.length <= 12, `${network}: at most 12 characters added (${hash})`);
      }
      assert.equal(new URL(state.x).hash.slice(0, 10), new URL(state.bluesky).hash.slice(0, 10), 'one quote, one code');
      await flush(page);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('readers arrive through each link from t.co and bsky.app, read the post, and the one from X clicks the course box at the bottom and buys', async () => {
      assert.ok(state.x && state.bluesky, 'the shares of the first test');
      // A context (a browser profile) per reader: in one window only the front tab is visible, and a hidden page never reads.
      const contexts = [];
      const arrive = async (url, referer, userAgent) => {
        const context = await browser.createBrowserContext();
        contexts.push(context);
        const reader = await readerPage(context, userAgent);
        await reader.page.goto(url, { referer, referrerPolicy: 'unsafe-url' });
        await trackerReady(reader.page);
        await reader.page.waitForFunction(() => customElements.get('course-cta') && document.querySelector('#course-bottom')?.shadowRoot?.querySelector('a'));
        const landed = await reader.page.evaluate(() => ({ hash: location.hash, referrer: document.referrer }));
        assert.equal(landed.hash, '', `the tag is taken out of the address bar (${url})`);
        assert.equal(new URL(landed.referrer).host, new URL(referer).host, 'the page sees the referrer a reader from that network brings');
        // Past half of the article, then the read time.
        await reader.page.evaluate(() => {
          const article = document.querySelector('article');
          scrollTo(0, article.offsetTop + article.offsetHeight * 0.6 - innerHeight / 2);
        });
        return reader;
      };
      const [fromX, fromBluesky] = await Promise.all([
        arrive(state.x, 'https://t.co/Ab3dE5gH7j', FROM_X),
        arrive(state.bluesky, 'https://bsky.app/', FROM_BLUESKY),
      ]);
      await wait(READ_MS);
      await Promise.all([flush(fromX.page), flush(fromBluesky.page)]);

      // The course box at the bottom: seen (half visible for 1 s), then clicked.
      const { page } = fromX;
      await page.evaluate(() => document.querySelector('#course-bottom').scrollIntoView({ block: 'center' }));
      await wait(1500);
      const offer = await page.evaluate(() => {
        const cta = document.querySelector('#course-bottom');
        return { variant: cta.variant, href: cta.shadowRoot.querySelector('a').href };
      });
      state.variant = offer.variant;
      assert.ok(offer.variant, 'the blog example tests two variants of its course box');
      const link = new URL(offer.href);
      assert.equal(link.origin, examples.course, 'the course box links to the course site');
      assert.deepEqual(
        Object.fromEntries(['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'chorus_post'].map((name) => [name, link.searchParams.get(name)])),
        { utm_source: 'demo', utm_medium: 'chorus', utm_campaign: CAMPAIGN, utm_content: 'course-bottom', utm_term: offer.variant, chorus_post: BLOG },
      );
      await Promise.all([page.waitForNavigation(), page.evaluate(() => document.querySelector('#course-bottom').shadowRoot.querySelector('a').click())]);

      // On the course site, another origin: the landing page, Buy, the thank-you page.
      assert.equal(new URL(page.url()).origin, examples.course);
      await trackerReady(page);
      await Promise.all([page.waitForNavigation(), page.click('#buy button')]);
      assert.match(page.url(), /\/examples\/course\/thank-you\.html\?order=\w+/);
      await trackerReady(page);
      await flush(page);
      // A reload of the thank-you page is the same order: not a second purchase.
      await page.reload();
      await trackerReady(page);
      await flush(page);
      await flush(fromBluesky.page);
      assert.deepEqual([...fromX.errors, ...fromBluesky.errors], []);
      await Promise.all(contexts.map((context) => context.close()));
    });

    it("the report: 2 shares and 2 arrivals for the quote (one per network), the arrival's click, 1 purchase of 49 for the bottom copy and its variant, page views and readers for the post", async () => {
      assert.ok(state.variant, 'the reader of the second test bought');
      const done = (r) => placement(r, 'course-bottom')?.conversions >= 1 && findQuote(r)?.arrivalsTotal >= 2 && findQuote(r)?.next?.click >= 1;
      const r = await waitFor(async () => {
        const current = await report();
        return done(current) && current;
      }, 15_000, 250);
      const last = r || (await report());
      assert.ok(r, `the report caught up: ${JSON.stringify({ quotes: last.quotes, ctas: last.ctas, totals: last.totals })}`);

      const quote = findQuote(r);
      assert.equal(quote.shares, 2);
      assert.deepEqual(quote.networks, { x: 1, bluesky: 1 });
      assert.deepEqual(quote.arrivals, { x: 1, bluesky: 1 });
      assert.equal(quote.arrivalsTotal, 2);
      assert.deepEqual(quote.next, { read: 2, share: 0, click: 1, comment: 0 }, 'both arrivals read; the one from X clicked the course box');

      const bottom = placement(r, 'course-bottom');
      assert.equal(bottom.clicks, 1);
      assert.equal(bottom.conversions, 1, 'one purchase, though its thank-you page was loaded twice');
      assert.equal(bottom.revenue, 49);
      const variant = bottom.variants.find((v) => v.variant === state.variant);
      assert.ok(variant, `the variant the reader saw: ${JSON.stringify(bottom.variants)}`);
      assert.equal(variant.conversions, 1);
      assert.equal(variant.revenue, 49);
      assert.equal(variant.clicks, 1);
      assert.equal(placement(r, 'course-top')?.conversions ?? 0, 0, 'nothing for the copy at the top');
      const campaign = r.ctas.find((c) => c.campaign === CAMPAIGN);
      assert.deepEqual(campaign.currencies, ['EUR']);

      const post = findPost(r);
      assert.ok(post, `the post is in the report: ${JSON.stringify(r.posts)}`);
      assert.equal(post.pageviews, 3, 'the sharer, and the two readers who arrived');
      assert.equal(post.readers, 3);
      assert.equal(post.reads, 2);
      assert.equal(post.acted, 2, 'the sharer shared; the reader from X clicked');
      assert.equal(post.arrivals, 2);
      assert.equal(post.conversions, 1);
      assert.equal(post.revenue, 49);

      assert.equal(r.totals.share, 2);
      assert.equal(r.totals.arrival, 2);
      assert.equal(r.totals.read, 2);
      assert.equal(r.totals.purchase, 1);
      assert.ok(r.totals.pageview >= 3, 'the post, and the course site');
      assert.equal(r.headline.arrivals, 2);
      assert.ok(r.headline.readers >= 3);
      assert.ok(r.headline.acted >= 2);

      // The post's own report: the same post, and where its readers came from.
      const narrowed = await report(`?post=${encodeURIComponent(BLOG)}`);
      assert.equal(narrowed.posts.length, 1);
      assert.equal(findPost(narrowed).pageviews, 3);
      const source = (name) => narrowed.sources.find((s) => s.source === name)?.pageviews;
      assert.equal(source('t.co'), 1, JSON.stringify(narrowed.sources));
      assert.equal(source('bsky.app'), 1, JSON.stringify(narrowed.sources));
      assert.equal(narrowed.totals.purchase, 1);
    });

    it("a bot's page view (Twitterbot, facebookexternalhit) counts nowhere, only in botEventsIgnored", async () => {
      const before = await report();
      for (const userAgent of ['Twitterbot/1.0', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)']) {
        const context = await browser.createBrowserContext();
        const { page, errors } = await readerPage(context, userAgent);
        await page.goto(examples.blog + BLOG);
        await trackerReady(page);
        await page.waitForFunction(() => document.querySelector('quote-to-tweet')?.shadowRoot?.querySelector('a'));
        await page.evaluate(() => {
          const quote = document.querySelector('quote-to-tweet');
          quote.addEventListener('click', (event) => event.preventDefault());
          quote.shadowRoot.querySelector('a').click();
        });
        await flush(page);
        assert.deepEqual(errors, []);
        await context.close();
      }
      const after = await report();
      assert.ok(after.botEventsIgnored >= before.botEventsIgnored + 4, `each bot's page view and share were seen and ignored (${before.botEventsIgnored} → ${after.botEventsIgnored})`);
      assert.deepEqual(after.totals, before.totals);
      assert.deepEqual(after.posts, before.posts);
      assert.deepEqual(after.quotes, before.quotes);
    });

    it('a conversions webhook: the token, one count per idempotency key, and a reason for every bad value', async () => {
      const sale = {
        type: 'purchase',
        campaign: CAMPAIGN,
        placement: 'course-top',
        variant: state.variant ?? 'see-the-course',
        post: BLOG,
        value: 49,
        currency: 'EUR',
        idempotencyKey: 'pay_1001',
      };
      const send = (body, headers = {}) =>
        api('/conversions', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

      const anonymous = await fetch(`${collector.url}/api/sites/demo/conversions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sale) });
      assert.equal(anonymous.status, 401, 'no token, no conversion');

      const first = await send(sale);
      assert.ok(first.status >= 200 && first.status < 300, first.text);
      const again = await send(sale);
      assert.ok(again.status >= 200 && again.status < 300, `a retried webhook is accepted: ${again.text}`);

      for (const value of [-1, '49', 'abc', 1_000_001, null]) {
        const refused = await send({ ...sale, value, idempotencyKey: `pay_bad_${String(value)}` });
        assert.ok(refused.status >= 400 && refused.status < 500, `value ${JSON.stringify(value)}: ${refused.status} ${refused.text}`);
        assert.equal(typeof refused.json?.reason, 'string', `value ${JSON.stringify(value)} is refused with a reason: ${refused.text}`);
      }
      const malformed = await send('{"value": 49');
      assert.equal(malformed.status, 400);
      assert.equal(typeof malformed.json?.reason, 'string');

      const r = await report();
      const top = placement(r, 'course-top');
      assert.equal(top?.conversions, 1, 'posted twice with one key: counted once');
      assert.equal(top.revenue, 49);
      assert.equal(top.variants.find((v) => v.variant === sale.variant)?.conversions, 1);
      assert.equal(placement(r, 'course-bottom')?.conversions, 1, 'the purchase in the browser stays where it was');
      assert.equal(r.totals.purchase, 2);
      assert.equal(findPost(r)?.conversions, 2);
      assert.equal(findPost(r)?.revenue, 98);
    });

    it('a tag typed by hand, malformed or naming no quote, counts nowhere and leaves no error in the page; another origin cannot send arrivals', async () => {
      const before = await report();
      const code = new URL(state.x).hash.slice(4, 10);
      const tags = ['#cq=zzzzzz.x', `#cq=${code}.q`, `#cq=${code}`, '#cq=', '#cq=..', '#cq=%3Cscript%3E.x', `#cq=${code}.x.x`, `#cq=${'a'.repeat(300)}.b`];
      for (const tag of tags) {
        const { page, context, errors } = await openPage(browser); // headless Chromium as it is: countHeadless counts it
        await page.goto(examples.blog + BLOG + tag);
        await trackerReady(page);
        await page.waitForFunction(() => document.querySelector('quote-to-tweet')?.shadowRoot?.querySelector('a'));
        await wait(200); // the arrival code, when it is loaded, has run
        await flush(page);
        assert.deepEqual(errors, [], `no page error for ${tag}`);
        await context.close();
      }
      // Nor can another origin send the demo site arrivals (or purchases) of its own.
      const forged = await fetch(`${collector.url}/collect`, {
        method: 'POST',
        headers: { origin: 'https://elsewhere.example', 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({
          v: 1,
          site: 'demo',
          sent: Date.now(),
          events: [
            { id: 'forged-arrival-000001', type: 'arrival', widget: 'quote-to-tweet', instance: code, network: 'x', ts: Date.now(), url: examples.blog + BLOG, title: 'A post', referrer: 'https://t.co/' },
            { id: 'forged-purchase-00001', type: 'purchase', widget: 'page', instance: 'page', ts: Date.now(), url: examples.course + '/examples/course/thank-you.html', title: 'Thanks', referrer: '', props: { value: 49, currency: 'EUR' } },
          ],
        }),
      });
      assert.equal(forged.status, 403, 'an origin the site does not allow is refused');

      const after = await report();
      assert.equal(after.totals.purchase, before.totals.purchase);
      assert.equal(after.totals.arrival ?? 0, before.totals.arrival ?? 0, 'no arrival recorded');
      assert.equal(after.headline.arrivals, before.headline.arrivals);
      assert.deepEqual(
        after.quotes.map((q) => [q.instance, q.arrivals]),
        before.quotes.map((q) => [q.instance, q.arrivals]),
      );
      assert.equal(findPost(after).arrivals, findPost(before).arrivals);
      assert.equal(findPost(after).pageviews, findPost(before).pageviews + tags.length, 'the page views themselves count');
    });
  });
}
