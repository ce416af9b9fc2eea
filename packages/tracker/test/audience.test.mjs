// Page views, reads, arrivals through shared quotes and conversions on the course site, as a blogger's
// script tag records them: chorus.js in real Chromium, posting to a real HTTP collector. The 15 seconds
// of a read are waited for in real time (the pages that need them wait side by side): a clock the test
// could move would be a second code path the reader never runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, wait, waitFor } from '../../../test/support/browser.mjs';
import { startStack } from '../../../test/support/stack.mjs';

let browser, site, collector, stack;
before(async () => ({ browser, site, collector } = stack = await startStack()));
after(() => stack?.close());

const LONG = `<article>${'<p>Audience is who sees you. Influence is who acts because of you.</p>'.repeat(200)}</article>`;
const tag = (extra = '') => ({ attributes: `data-collector="${collector.url}" data-site="test-blog" ${extra}` });

async function visit(url, prepare) {
  const opened = await openPage(browser);
  const consoleErrors = [];
  opened.page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  if (prepare) await opened.page.evaluateOnNewDocument(prepare);
  await opened.page.goto(url);
  await opened.page.waitForFunction(() => typeof window.chorus === 'function');
  return { ...opened, consoleErrors };
}

const flush = (page) => page.evaluate(() => window.chorus.flush());
// Distinct events (a beacon may repeat a batch) sent from pages whose path starts with `path`.
const eventsOf = (path) => [...new Map(collector.events().filter((e) => new URL(e.url).pathname.startsWith(path)).map((e) => [e.id, e])).values()];
const typesOf = (path) => eventsOf(path).map((e) => e.type);

describe('page views and reads', () => {
  it('records one pageview per page view, with the query and without the hash', async () => {
    const url = site.page('pv-once', { ...tag(), body: LONG });
    const { page, context, errors } = await visit(`${url}?utm_source=newsletter&utm_medium=email#top`);
    // Configured again (a page may): still the same page view.
    await page.evaluate((collector) => window.chorus.configure({ collector, site: 'test-blog' }), collector.url);
    await flush(page);
    await waitFor(() => eventsOf('/pv-once').length >= 1, 3000);
    await wait(300);
    const views = eventsOf('/pv-once');
    assert.deepEqual(views.map((e) => [e.type, e.widget, e.instance]), [['pageview', 'page', 'page']]);
    assert.equal(views[0].url, `${url}?utm_source=newsletter&utm_medium=email`);
    assert.equal(views[0].title, 'pv-once');
    assert.equal(views[0].props, undefined);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('records a page view for each pushState or popstate to another path, not for a hash or the same path', async () => {
    const { page, context } = await visit(site.page('spa', tag()));
    await page.evaluate(() => {
      history.pushState({}, '', '/spa/two');
      history.pushState({}, '', '/spa/two#section');
      history.replaceState({}, '', '/spa/replaced');
    });
    await page.goBack(); // popstate to /spa/two
    await page.goBack(); // popstate to /spa.html
    await flush(page);
    const paths = () => eventsOf('/spa').filter((e) => e.type === 'pageview').map((e) => new URL(e.url).pathname);
    await waitFor(() => paths().length >= 3, 3000);
    await wait(300);
    assert.deepEqual(paths(), ['/spa.html', '/spa/two', '/spa.html']);
    await context.close();
  });

  it('records a read after 15 s visible once scrolled past half of the article, and once only', async () => {
    const article = `<header style="height:400px">Header</header>${LONG}<footer style="height:3000px"></footer>`;
    const scrolled = await visit(site.page('read-scrolled', { ...tag(), body: article }));
    const unscrolled = await visit(site.page('read-unscrolled', { ...tag(), body: article }));
    const spa = await visit(site.page('read-spa', { ...tag(), body: article }));
    for (const { page } of [scrolled, spa]) {
      await page.evaluate(() => {
        const box = document.querySelector('article').getBoundingClientRect();
        scrollTo(0, box.top + box.height * 0.6);
        setTimeout(() => scrollTo(0, 0), 1500); // back to the top: what was read stays read
      });
    }
    await wait(8000);
    await spa.page.evaluate(() => history.pushState({}, '', '/read-spa/next')); // a new page view: counting starts again
    await wait(5000);
    // Not early: the read's own time, 15 s after its page view, says so (a wall-clock check here would
    // depend on how long the three pages took to open on a busy machine).
    const read = await waitFor(async () => (await scrolled.page.evaluate(() => window.chorus.flush()), eventsOf('/read-scrolled').find((e) => e.type === 'read')), 6000);
    assert.ok(read, 'read recorded');
    const viewed = eventsOf('/read-scrolled').find((e) => e.type === 'pageview');
    assert.ok(read.ts - viewed.ts >= 14_500, `read after 15 s visible (${read.ts - viewed.ts} ms)`);
    assert.deepEqual([read.widget, read.instance], ['page', 'page']);
    await wait(2500);
    for (const { page } of [scrolled, unscrolled, spa]) await page.evaluate(() => window.chorus.flush());
    await wait(300);
    assert.deepEqual(typesOf('/read-scrolled'), ['pageview', 'read'], 'once');
    assert.deepEqual(typesOf('/read-unscrolled'), ['pageview'], 'visible 20 s but never scrolled past half: no read');
    // /read-spa/next was never scrolled past half (the page was back at the top), and has been visible for 8 s only.
    assert.deepEqual(typesOf('/read-spa'), ['pageview', 'pageview']);
    await Promise.all([scrolled, unscrolled, spa].map(({ context }) => context.close()));
  });

  it('does not count the seconds a tab is hidden', async () => {
    const reader = await visit(site.page('read-hidden', { ...tag(), body: '<main><p>Short: read as soon as it is visible for long enough.</p></main>' }));
    const other = await reader.context.newPage(); // the reader switches tabs
    await other.bringToFront();
    assert.ok(await reader.page.evaluate(() => document.hidden), 'the other tab hides this one (as in headless Chromium)');
    await wait(17_000);
    await reader.page.evaluate(() => window.chorus.flush());
    await wait(300);
    assert.deepEqual(typesOf('/read-hidden'), ['pageview'], 'hidden for 17 s: no read');
    await reader.page.bringToFront();
    const early = await waitFor(async () => (await reader.page.evaluate(() => window.chorus.flush()), typesOf('/read-hidden').includes('read')), 2000);
    assert.ok(!early, 'not yet: the seconds hidden did not count');
    const read = await waitFor(async () => (await reader.page.evaluate(() => window.chorus.flush()), typesOf('/read-hidden').includes('read')), 20_000, 500);
    assert.ok(read, 'read once it has been visible for 15 s');
    await reader.context.close();
  });

  it('records neither with data-pageviews="off" or configure({pageviews: false})', async () => {
    const { page, context } = await visit(site.page('pv-off', { ...tag('data-pageviews="off"'), body: '<main>Short</main>' }));
    await page.evaluate(() => {
      window.chorus.track('kept');
      history.pushState({}, '', '/pv-off/two');
    });
    await flush(page);
    await wait(300);
    assert.deepEqual(typesOf('/pv-off'), ['kept']);
    await context.close();
  });

  it('sends nothing, and loads nothing, without a collector, after opt-out or under DNT', async () => {
    const opened = [];
    for (const [name, attributes, prepare] of [
      ['none', '', undefined],
      ['dnt', `data-collector="${collector.url}" data-respect-dnt`, () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
      ['opted-out', `data-collector="${collector.url}"`, () => localStorage.setItem('chorus:opt-out', '1')],
    ]) {
      const url = `${site.page(`quiet-${name}`, { attributes, body: LONG })}?utm_medium=chorus&utm_source=test-blog&utm_content=x#cq=abc123.x`;
      const visited = await visit(url, prepare);
      const requests = [];
      visited.page.on('request', (request) => requests.push(request.url()));
      await visited.page.evaluate(() => (window.chorus.track('purchase', { value: 1 }), window.chorus.flush()));
      opened.push({ name, ...visited, requests });
    }
    await wait(1500);
    for (const { name, page, requests } of opened) {
      assert.deepEqual(eventsOf(`/quiet-${name}`), [], name);
      assert.deepEqual(requests.filter((url) => /arrival|attribution|collect/.test(url)), [], `${name}: nothing fetched`);
      if (name !== 'opted-out') assert.equal(await page.evaluate(() => location.hash), '#cq=abc123.x', `${name}: nothing touched`);
    }
    await Promise.all(opened.map(({ context }) => context.close()));
  });
});

describe('arrivals through a shared quote', () => {
  const NETWORKS = { x: 'x', b: 'bluesky', m: 'mastodon', t: 'threads', l: 'linkedin', f: 'facebook', r: 'reddit', h: 'hackernews', e: 'email', w: 'whatsapp', g: 'telegram', n: 'native', c: 'copy' };

  it('takes the tag out of the address bar, records the arrival, and tags every later event of the page view', async () => {
    const url = site.page('arrive', { ...tag(), body: '<quote-to-tweet id="q1" networks="bluesky">Influence is who acts.</quote-to-tweet>' });
    const { page, context, errors, consoleErrors } = await visit(`${url}?ref=feed#cq=3kq9xb.b`, () => {
      Object.defineProperty(document, 'referrer', { get: () => 'https://bsky.app/' });
    });
    await page.waitForFunction(() => !location.hash);
    assert.equal(await page.evaluate(() => location.href), `${url}?ref=feed`, 'path and query kept');
    await page.waitForFunction(() => document.querySelector('quote-to-tweet')?.shadowRoot?.querySelector('a'));
    await page.evaluate(() => {
      const quote = document.querySelector('quote-to-tweet');
      quote.addEventListener('click', (event) => event.preventDefault());
      quote.shadowRoot.querySelector('a').click();
      window.chorus.track('signup');
    });
    await flush(page);
    await waitFor(() => eventsOf('/arrive').length >= 4, 6000);
    const events = eventsOf('/arrive');
    const arrival = events.find((e) => e.type === 'arrival');
    assert.deepEqual([arrival.widget, arrival.instance, arrival.network, arrival.props], ['quote-to-tweet', '3kq9xb', 'bluesky', undefined]);
    assert.equal(arrival.referrer, 'https://bsky.app/');
    assert.equal(events.find((e) => e.type === 'pageview').props, undefined, 'the page view came before');
    for (const type of ['share', 'signup']) assert.equal(events.find((e) => e.type === type)?.props.arrival, '3kq9xb.b', type);
    // Another page view of the SPA is not the arrival's.
    await page.evaluate(() => (history.pushState({}, '', '/arrive/next'), window.chorus.track('later')));
    await flush(page);
    const later = await waitFor(() => eventsOf('/arrive/next').find((e) => e.type === 'later'), 3000);
    assert.equal(later.props, undefined);
    assert.deepEqual(errors, []);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });

  it('knows every network letter', async () => {
    const url = site.page('letters', tag());
    const { page, context } = await visit(url);
    for (const letter of Object.keys(NETWORKS)) {
      await page.goto(`${url}?l=${letter}#cq=abc${letter}.${letter}`);
      await page.waitForFunction(() => !location.hash);
    }
    await flush(page);
    await waitFor(() => eventsOf('/letters').filter((e) => e.type === 'arrival').length >= 13, 5000);
    const arrivals = eventsOf('/letters').filter((e) => e.type === 'arrival');
    assert.deepEqual(Object.fromEntries(arrivals.map((e) => [e.instance.slice(3), e.network])), NETWORKS);
    await context.close();
  });

  it('ignores a malformed tag (removed if it looks like ours), with no error and no event', async () => {
    const url = site.page('malformed', tag());
    const { page, context, errors, consoleErrors } = await visit(url);
    for (const [n, hash] of ['#cq=', '#cq=ABC123.x', '#cq=abc123.z', '#cq=abcdefg.x', '#cq=abc.xx', '#cq=abc.x&more', '#intro&cq=abc.x'].entries()) {
      await page.goto(`${url}?n=${n}${hash}`); // a new query: a new document, not a move within this one
      await page.waitForFunction(() => !location.hash, { timeout: 3000 });
    }
    await page.goto(`${url}?n=last#intro`);
    await wait(500);
    assert.equal(await page.evaluate(() => location.hash), '#intro', 'not ours: left alone');
    await flush(page);
    await wait(300);
    assert.deepEqual([...new Set(typesOf('/malformed'))], ['pageview']);
    assert.deepEqual(errors, []);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });
});

describe('conversions on the course site', () => {
  // The course site is another origin: the same server by another name.
  const courseUrl = (name, query = '') => site.page(name, { ...tag(), body: '<main>Course</main>' }).replace('127.0.0.1', 'localhost') + query;
  const purchase = `<script>
    window.chorus = window.chorus || function () { (chorus.q = chorus.q || []).push(arguments); };
    chorus('track', 'purchase', { value: 49, currency: 'EUR' });
  </script>`;

  it('keeps the course box attribution for the tab and sends it with a purchase on a later page', async () => {
    const landing = courseUrl('course-landing', '?utm_source=test-blog&utm_medium=chorus&utm_campaign=launch&utm_content=launch-2&utm_term=b&chorus_post=%2Fposts%2Finfluence');
    const thanksUrl = site.page('course-thanks', { ...tag(), head: purchase }).replace('127.0.0.1', 'localhost');
    const { page, context, errors } = await visit(landing);
    await page.waitForFunction(() => sessionStorage.getItem('chorus:attribution'));
    assert.deepEqual(JSON.parse(await page.evaluate(() => sessionStorage.getItem('chorus:attribution'))), {
      campaign: 'launch',
      instance: 'launch-2',
      variant: 'b',
      post: '/posts/influence',
    });
    await page.goto(thanksUrl); // the purchase is tracked before the attribution code has loaded
    await page.waitForFunction(() => typeof window.chorus === 'function');
    await flush(page);
    const bought = await waitFor(() => eventsOf('/course-thanks').find((e) => e.type === 'purchase'), 6000);
    assert.deepEqual(
      { widget: bought.widget, instance: bought.instance, campaign: bought.campaign, variant: bought.variant, props: bought.props },
      { widget: 'course-cta', instance: 'launch-2', campaign: 'launch', variant: 'b', props: { value: 49, currency: 'EUR', post: '/posts/influence' } },
    );
    const view = eventsOf('/course-thanks').find((e) => e.type === 'pageview');
    assert.deepEqual([view.widget, view.instance], ['page', 'page'], 'page views stay page views');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('sends a purchase without attribution when the tab has none, or the link came from another site', async () => {
    const thanks = site.page('course-plain', { ...tag(), head: purchase }).replace('127.0.0.1', 'localhost');
    const other = courseUrl('course-other', '?utm_source=someone-else&utm_medium=chorus&utm_content=launch-1');
    for (const url of [thanks, other]) {
      const { page, context } = await visit(url);
      if (url === other) await page.evaluate(() => window.chorus.track('purchase', { value: 49, currency: 'EUR' }));
      await flush(page);
      const path = new URL(url).pathname.replace('.html', '');
      const bought = await waitFor(() => eventsOf(path).find((e) => e.type === 'purchase'), 4000);
      assert.deepEqual([bought.widget, bought.instance, bought.campaign, bought.props], ['page', 'page', undefined, { value: 49, currency: 'EUR' }], path);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('chorus:attribution')), null);
      await context.close();
    }
  });

  it('flush() also sends what was tracked while the landing code was still loading', async () => {
    const landing = courseUrl('course-slow', '?utm_source=test-blog&utm_medium=chorus&utm_content=launch-1');
    const { page, context, errors } = await openPage(browser);
    // The attribution code arrives 1.5 s late: a purchase tracked before waits for it, and flush() for both.
    await page.setRequestInterception(true);
    page.on('request', (request) => (/attribution-/.test(request.url()) ? setTimeout(() => request.continue(), 1500) : request.continue()));
    await page.goto(landing);
    await page.waitForFunction(() => typeof window.chorus === 'function');
    await page.evaluate(async () => {
      window.chorus.track('purchase', { value: 49, currency: 'EUR' });
      await window.chorus.flush();
    });
    const bought = eventsOf('/course-slow').find((e) => e.type === 'purchase');
    assert.deepEqual([bought?.widget, bought?.instance], ['course-cta', 'launch-1'], 'delivered, with its attribution, by the time flush() resolved');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('keeps working when sessionStorage throws', async () => {
    const landing = courseUrl('course-nostorage', '?utm_source=test-blog&utm_medium=chorus&utm_content=launch-1');
    const { page, context, errors } = await visit(landing, () => {
      Object.defineProperty(window, 'sessionStorage', { get: () => { throw new DOMException('denied', 'SecurityError'); } });
    });
    await page.evaluate(() => window.chorus.track('signup'));
    await flush(page);
    const signup = await waitFor(() => eventsOf('/course-nostorage').find((e) => e.type === 'signup'), 4000);
    assert.deepEqual([signup.widget, signup.instance], ['course-cta', 'launch-1'], 'this page keeps the attribution it landed with');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
