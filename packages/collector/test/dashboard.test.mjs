// The dashboard in Chromium against a real collector fed over HTTP: the first screen ("audience or
// influence?", the posts, sortable), a post's page (quotes, arrivals, course boxes, sources), CSV export
// under the page's CSP, refreshing itself while visible, phone width, and every stored string shown as
// text (never as markup). CHORUS_SCREENSHOTS=DIR keeps screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { contentHash } from '@chorus/core';
import { startCollector } from '@chorus/collector';
import { ORIGIN, TOKEN, batch, event, getReport, post, tempDir } from './helpers.mjs';
import { chromiumArgs } from '../../../scripts/lib/chromium.mjs';

const DAY = 24 * 3600 * 1000;
const XSS = '<img src=x onerror="window.__xss=1">';
const FORMULA = '=HYPERLINK("https://evil.example","Hello, reader")';
const QUOTE = 'Ship small things, often.';
const chromium = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
const skip = !chromium && 'no Chromium';

// Each reader is a browser of its own to the collector (readers are counted from the User-Agent and the
// address, and every request here comes from 127.0.0.1).
const reader = (n) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 reader-${n}`;
const send = async (events, userAgent, status = 200) => {
  const answer = await post(collector.url, batch(events), { headers: { 'user-agent': userAgent } });
  assert.equal(answer.status, status, answer.text);
  return answer;
};

const page1 = { url: 'https://blog.example/post', title: 'Influence, measured' };
const page2 = { url: 'https://blog.example/second', title: XSS };
const page3 = { url: 'https://blog.example/third', title: FORMULA };
const pageview = (where, referrer = '') => event({ ...where, type: 'pageview', widget: 'page', instance: 'page', referrer });
const read = (where) => event({ ...where, type: 'read', widget: 'page', instance: 'page' });
const quote = (where, instance, type, fields = {}) => event({ ...where, widget: 'quote-to-tweet', instance, type, ...fields });
const box = (where, instance, variant, type) => event({ ...where, widget: 'course-cta', instance, campaign: 'course', variant, type });
const arrival = (where, quoteInstance, network) => event({ ...where, type: 'arrival', widget: 'quote-to-tweet', instance: contentHash(quoteInstance).slice(0, 6), network });

let collector;
let browser;
let dir;
const range = () => {
  const now = Date.now();
  return { from: new Date(now - 29 * DAY).toISOString().slice(0, 10), to: new Date(now).toISOString().slice(0, 10) };
};
const report = async (query = '') => {
  const { from, to } = range();
  const answer = await getReport(collector.url, 'blog', `?from=${from}&to=${to}${query}`);
  assert.equal(answer.status, 200);
  assert.equal(answer.json.version, 2, 'the collector answers the v2 report');
  return answer.json;
};

before(async () => {
  dir = tempDir();
  collector = await startCollector({
    port: 0,
    host: '127.0.0.1',
    db: join(dir, 'd.db'),
    sites: { blog: [ORIGIN], other: [ORIGIN] },
    token: TOKEN,
    rateLimit: false,
    countHeadless: true,
  });
  // /post: six readers. Two arrive from X and one from Bluesky through the quote's shares; the first of
  // them reads, clicks the bottom course box and buys; the second shares the quote again (what an
  // arrival does next carries its tag in `props.arrival`). The quote is seen before any arrival names it.
  const props = { text: QUOTE };
  const code = contentHash('q1').slice(0, 6);
  const tagged = (r) => (r < 2 ? { arrival: `${code}.x` } : r === 2 ? { arrival: `${code}.b` } : {});
  for (let r = 0; r < 6; r++) {
    const referrer = r < 2 ? 'https://t.co/abc' : r === 2 ? 'https://bsky.app/' : '';
    await send(
      [
        pageview(page1, referrer),
        quote(page1, 'q1', 'impression', { props }),
        box(page1, 'course-top', 'A', 'impression'),
        box(page1, 'course-bottom', 'B', 'impression'),
        event({ ...page1, widget: 'comment-prompt', instance: 'ask', type: 'impression' }),
      ],
      reader(r),
    );
  }
  for (let r = 0; r < 6; r++) {
    const events = [];
    if (r < 2) events.push(arrival(page1, 'q1', 'x'));
    if (r === 2) events.push(arrival(page1, 'q1', 'bluesky'));
    if (r < 4) events.push({ ...read(page1), props: tagged(r) });
    if (r === 0) events.push({ ...box(page1, 'course-bottom', 'B', 'click'), props: tagged(r) });
    if (r === 1 || r === 4) events.push(quote(page1, 'q1', 'share', { network: 'x', props: { ...props, ...tagged(r) } }));
    if (r === 5) events.push(quote(page1, 'q1', 'share', { network: 'bluesky', props }), box(page1, 'course-top', 'A', 'click'));
    if (r === 3) {
      events.push(event({ ...page1, widget: 'comment-prompt', instance: 'ask', type: 'open' }));
      events.push(event({ ...page1, widget: 'comment-prompt', instance: 'ask', type: 'comment', title: XSS, props: { text: `Great post ${XSS}`, name: XSS } }));
    }
    if (events.length) await send(events, reader(r));
  }
  await send(
    [event({ type: 'purchase', widget: 'course-cta', instance: 'course-bottom', campaign: 'course', variant: 'B', url: 'https://course.example/thank-you', title: 'Thank you', props: { value: 49, currency: 'EUR', post: '/post' } })],
    reader(0),
  );
  // /second, titled with markup, and a quote whose text is markup; /third, titled with a spreadsheet formula.
  for (let r = 10; r < 13; r++) {
    await send([pageview(page2), quote(page2, 'q2', 'impression', { props: { text: XSS } }), ...(r === 10 ? [quote(page2, 'q2', 'share', { network: 'mastodon', props: { text: XSS } })] : [])], reader(r));
  }
  await send([pageview(page3, 'https://news.ycombinator.com/item')], reader(20));
  // Older days, for the series.
  await send([3, 8].map((days) => ({ ...pageview(page2), ts: Date.now() - days * DAY })), reader(30));
  // A link-preview fetcher: answered (so it does not retry) and ignored.
  await send([pageview(page1, 'https://t.co/abc')], 'Twitterbot/1.0', 202);

  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Polls on a timer: requestAnimationFrame, puppeteer's default, stalls in a page that is not in front.
const waitFor = (page, fn, arg, timeout = 15_000) => page.waitForFunction(fn, { polling: 50, timeout }, arg);
const inDashboard = (page, selector) => waitFor(page, (s) => document.querySelector('chorus-dashboard')?.shadowRoot?.querySelector(s), selector);
const rowsOf = (page) =>
  page.evaluate(() =>
    [...document.querySelector('chorus-dashboard').shadowRoot.querySelector('chorus-posts-table').shadowRoot.querySelectorAll('tbody tr')].map((tr) => ({
      path: tr.dataset.path,
      cells: [...tr.cells].map((td) => td.textContent.trim()),
    })),
  );
const postsShown = (page) =>
  waitFor(page, () => document.querySelector('chorus-dashboard')?.shadowRoot?.querySelector('chorus-posts-table')?.shadowRoot?.querySelector('tbody tr'));
const inView = (page, title) => waitFor(page, (t) => document.querySelector('chorus-dashboard')?.shadowRoot?.querySelector('h2.view')?.textContent.trim() === t, title);
/** Every text of the dashboard, shadow roots included. */
const allText = (page) =>
  page.evaluate(() => {
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      all.push(root.textContent);
    };
    walk(document.querySelector('chorus-dashboard').shadowRoot);
    return all.join(' ').replace(/\s+/g, ' ');
  });

async function signIn(page, token = TOKEN, path = '/') {
  await page.goto(`${collector.url}${path}`);
  await inDashboard(page, 'input[name=token]');
  await page.type('chorus-dashboard >>> input[name=token]', token);
  await page.click('chorus-dashboard >>> button[type=submit]');
}

async function open(width = 1200, context = browser) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && page.errors.push(message.text()));
  await page.setViewport(width < 500 ? { width, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { width, height: 900 });
  await page.bringToFront();
  return page;
}

// axe, as the element tests' accessible() runs it (through @open-wc/testing), on the whole page.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function accessible(page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], 'no accessibility violation');
}

const shot = async (page, name) => {
  if (process.env.CHORUS_SCREENSHOTS) await page.screenshot({ path: join(process.env.CHORUS_SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** What the dashboard shows for a number, in the page's own locale. */
const formats = (page, values, style) =>
  page.evaluate(
    (values, style) =>
      values.map((v) => {
        if (v === null) return '–';
        if (style === 'percent') return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(v);
        if (style === 'EUR') return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(v);
        return new Intl.NumberFormat(undefined, { maximumFractionDigits: style === 'tenths' ? 1 : 0 }).format(v);
      }),
    values,
    style,
  );

test('the first screen answers "audience or influence?": the headline, the posts, the bots ignored', { skip }, async () => {
  const page = await open();
  await signIn(page);
  await postsShown(page);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('chorus-token')), TOKEN);
  const r = await report();
  const { headline } = r;

  // The numbers are the report's, and the report's are the events'.
  const stat = (name) => page.$eval(`chorus-dashboard >>> [data-stat=${name}] strong`, (el) => el.textContent.trim());
  assert.equal(await stat('readers'), (await formats(page, [headline.readers]))[0]);
  assert.equal(await stat('actedRate'), (await formats(page, [headline.actedRate], 'percent'))[0]);
  assert.equal(await stat('arrivals'), (await formats(page, [headline.arrivals]))[0]);
  assert.equal(await stat('arrivalsPer100Readers'), (await formats(page, [headline.arrivalsPer100Readers], 'tenths'))[0]);
  assert.equal(headline.arrivals, 3, 'two arrivals from X and one from Bluesky');

  const rows = await rowsOf(page);
  assert.deepEqual(rows.map((row) => row.path), r.posts.map((p) => p.path), 'the posts in the report\'s order: arrivals, then acted');
  assert.equal(rows[0].path, '/post');
  for (const [i, p] of r.posts.entries()) {
    const numbers = await formats(page, [p.pageviews, p.readers, p.reads, p.acted, p.arrivals, p.conversions]);
    assert.deepEqual(rows[i].cells.slice(1, 7), numbers, `the row of ${p.path}`);
    assert.ok(rows[i].cells[0].startsWith(p.title || p.path));
  }
  const first = r.posts[0];
  assert.deepEqual([first.pageviews, first.readers, first.reads, first.arrivals, first.conversions, first.revenue], [6, 6, 4, 3, 1, 49]);
  assert.equal(rows[0].cells[7], (await formats(page, [49], 'EUR'))[0], 'revenue in the one currency reported');

  const text = await allText(page);
  assert.ok(r.botEventsIgnored >= 1, 'the link-preview fetcher\'s event was counted as a bot\'s');
  assert.match(text, new RegExp(`Bot events ignored: ${(await formats(page, [r.botEventsIgnored]))[0]}`));
  assert.match(text, /share click is a reader opening a network's share window: an intent, since X .*never confirms that a post was published/);
  assert.match(text, /An arrival is a reader who came to the blog through a link such a share carried/);
  const totals = /Events in this range: ([^.]*?) Quotes/.exec(text)?.[1] ?? '';
  for (const [type, n] of Object.entries(r.totals)) assert.ok(totals.includes(`${type} ${n}`), `${type} in ${totals}`);
  assert.ok(totals.includes('purchase 1'), 'conversions among the totals');

  // Stored strings are text: the markup title, quote and comment are shown as written and never run.
  assert.ok(text.includes(XSS), 'the hostile strings are shown as text');
  assert.match(text, new RegExp(QUOTE.replace('.', '\\.')));
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no stored string ran as markup');
  assert.equal(await page.$$eval('chorus-dashboard >>> img', (imgs) => imgs.length), 0);
  const bars = await page.$eval('chorus-dashboard >>> chorus-series-chart', (chart) => chart.shadowRoot.querySelectorAll('rect').length);
  assert.equal(bars, 30, 'a bar per day of the last 30');
  await shot(page, 'dashboard-desktop');
  await accessible(page);

  // A reload keeps the session; a new tab would not (sessionStorage).
  await page.reload();
  await postsShown(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the posts sort by each column: buttons in the headers, the sorted one marked with aria-sort', { skip }, async () => {
  const page = await open();
  await signIn(page);
  await postsShown(page);
  const r = await report();
  const table = 'chorus-dashboard >>> chorus-posts-table >>> ';
  const sorts = () => page.$$eval(`${table}th`, (ths) => ths.map((th) => [th.querySelector('button').dataset.sort, th.getAttribute('aria-sort')]).filter(([, s]) => s));
  assert.deepEqual(await sorts(), [['arrivals', 'descending']], 'the report\'s order is by arrivals');

  const byPageviews = [...r.posts].map((p, i) => ({ p, i })).sort((a, b) => b.p.pageviews - a.p.pageviews || a.i - b.i).map(({ p }) => p.path);
  await page.click(`${table}button[data-sort=pageviews]`);
  assert.deepEqual(await sorts(), [['pageviews', 'descending']]);
  assert.deepEqual((await rowsOf(page)).map((row) => row.path), byPageviews);
  await page.click(`${table}button[data-sort=pageviews]`);
  assert.deepEqual(await sorts(), [['pageviews', 'ascending']]);
  const ascending = (await rowsOf(page)).map((row) => row.path);
  assert.equal(ascending[ascending.length - 1], '/post', 'the most viewed last');

  await page.click(`${table}button[data-sort=post]`);
  assert.deepEqual(await sorts(), [['post', 'ascending']], 'names sort A to Z first');
  const labels = (await rowsOf(page)).map((row) => row.cells[0]);
  assert.deepEqual(labels, [...labels].sort((a, b) => a.localeCompare(b)));

  // Keyboard: the header buttons are buttons.
  await page.focus(`${table}button[data-sort=readers]`);
  await page.keyboard.press('Enter');
  assert.deepEqual(await sorts(), [['readers', 'descending']]);
  await page.close();
});

test('a post\'s page: its quotes with shares and arrivals by network, its course boxes, where its readers came from', { skip }, async () => {
  const page = await open();
  await signIn(page);
  await postsShown(page);
  await page.click('chorus-dashboard >>> chorus-posts-table >>> tr[data-path="/post"] a');
  await inView(page, 'Influence, measured');
  assert.equal(await page.evaluate(() => location.hash), '#post=/post');
  const r = await report('&post=/post');
  assert.equal(r.post, '/post');
  assert.deepEqual(r.posts.map((p) => p.path), ['/post']);

  // Its quote: share clicks and arrivals per network, and what the arrivals did next.
  const q1 = r.quotes.find((q) => q.text === QUOTE);
  assert.ok(q1, 'the quote is in the post\'s report');
  assert.deepEqual([q1.networks.x, q1.networks.bluesky, q1.arrivals.x, q1.arrivals.bluesky], [2, 1, 2, 1]);
  const quoteRows = await page.$$eval(`chorus-dashboard >>> [data-quote="${q1.instance}"] tr[data-network]`, (trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.network, [...tr.cells].slice(1).map((td) => td.textContent.trim())])),
  );
  assert.deepEqual(quoteRows, { x: ['2', '2'], bluesky: ['1', '1'], all: [String(q1.shares), String(q1.arrivalsTotal)] });
  const next = await page.$eval(`chorus-dashboard >>> [data-quote="${q1.instance}"] [data-next]`, (el) => el.textContent.replace(/\s+/g, ' ').trim());
  assert.equal(next, `What arrivals did next: read ${q1.next.read} · shared ${q1.next.share} · clicked the course box ${q1.next.click} · commented ${q1.next.comment}`);
  assert.ok(q1.next.read >= 1 && q1.next.share >= 1 && q1.next.click >= 1, JSON.stringify(q1.next));

  // Its course box: per placement and variant, impressions → clicks → conversions → revenue.
  const campaign = r.ctas.find((c) => c.campaign === 'course');
  const bottom = campaign.placements.find((p) => p.instance === 'course-bottom');
  const b = bottom.variants.find((v) => v.variant === 'B');
  assert.deepEqual([b.impressions, b.clicks, b.conversions, b.revenue], [6, 1, 1, 49]);
  assert.deepEqual(campaign.currencies, ['EUR']);
  const cells = await page.$eval('chorus-dashboard >>> [data-campaign=course] tr[data-placement=course-bottom][data-variant=B]', (tr) => [...tr.cells].map((td) => td.textContent.trim()));
  const [ctr, ctrLow, ctrHigh, conv, convLow, convHigh] = await formats(page, [b.ctr, b.ci95.low, b.ci95.high, b.conversionRate, b.conversionCi95.low, b.conversionCi95.high], 'percent');
  const [revenue, perMille] = await formats(page, [b.revenue, b.revenuePerMille], 'EUR');
  assert.deepEqual(cells, ['variant B', '6', '1', `${ctr} (${ctrLow}–${ctrHigh})`, '1', `${conv} (${convLow}–${convHigh})`, revenue, perMille]);
  const placements = await page.$$eval('chorus-dashboard >>> [data-campaign=course] tr.placement', (trs) => trs.map((tr) => tr.dataset.placement));
  assert.deepEqual(placements.sort(), ['course-bottom', 'course-top']);

  // Where its readers came from.
  const sources = await page.$eval('chorus-dashboard >>> [data-sources] chorus-bar-list', (list) => list.shadowRoot.textContent.replace(/\s+/g, ' '));
  for (const s of r.sources) assert.ok(sources.includes(s.source), `source ${s.source}`);
  assert.ok(r.sources.some((s) => s.source === 't.co') && r.sources.some((s) => s.source === 'bsky.app'), JSON.stringify(r.sources));
  const text = await allText(page);
  assert.ok(!text.includes('/second'), 'nothing of the other posts');
  await shot(page, 'dashboard-post-desktop');
  await accessible(page);

  // The view is in the address: a reload keeps it, the back button leaves it.
  await page.reload();
  await inView(page, 'Influence, measured');
  await page.goBack();
  await inView(page, 'Audience or influence?');
  await postsShown(page);
  assert.deepEqual(page.errors, []);

  // A hand-typed address the API refuses: its reason, and the way back.
  await page.goto(`${collector.url}/#post=not-a-path`);
  await inDashboard(page, '.error');
  await inDashboard(page, 'a.back');
  await page.click('chorus-dashboard >>> a.back');
  await inView(page, 'Audience or influence?');
  await page.close();
});

/** Parses what downloadCsv wrote (RFC 4180, with a byte order mark). */
function parseCsv(text) {
  assert.ok(text.startsWith('\ufeff'), 'a UTF-8 byte order mark');
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rows[rows.length - 1].push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') rows[rows.length - 1].push(cell), (cell = ''), rows.push([]), i++;
    else cell += c;
  }
  assert.deepEqual(rows.pop(), [], 'every line ends with CRLF');
  return rows;
}

test('exports the posts, and a post\'s quotes and course boxes, as CSV downloads the CSP allows', { skip }, async () => {
  const downloads = tempDir();
  const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
  const download = async (page, which) => {
    const before = new Set(readdirSync(downloads));
    await page.click(`chorus-dashboard >>> button[data-csv=${which}]`);
    const started = Date.now();
    for (;;) {
      const done = readdirSync(downloads).filter((f) => !before.has(f) && f.endsWith('.csv'));
      if (done.length) return { name: done[0], rows: parseCsv(readFileSync(join(downloads, done[0]), 'utf8')) };
      assert.ok(Date.now() - started < 10_000, `no ${which} CSV was downloaded`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    const page = await open(1200, context);
    await signIn(page);
    await postsShown(page);
    const r = await report();
    const { from, to } = range();
    const posts = await download(page, 'posts');
    assert.equal(posts.name, `chorus-blog-posts-${from}-to-${to}.csv`);
    assert.deepEqual(posts.rows[0], ['path', 'title', 'pageviews', 'readers', 'reads', 'acted', 'arrivals', 'conversions', 'revenue', 'currency']);
    assert.deepEqual(
      posts.rows.slice(1),
      r.posts.map((p) => [p.path, p.title === FORMULA ? `'${FORMULA}` : (p.title ?? ''), ...[p.pageviews, p.readers, p.reads, p.acted, p.arrivals, p.conversions, p.revenue].map(String), 'EUR']),
      'one row per post; the formula title neutralised with a quote, its comma and quotes kept by CSV quoting',
    );
    assert.ok(posts.rows.some((row) => row[1] === XSS));

    await page.click('chorus-dashboard >>> chorus-posts-table >>> tr[data-path="/post"] a');
    await inView(page, 'Influence, measured');
    const rp = await report('&post=/post');
    const quotes = await download(page, 'quotes');
    assert.equal(quotes.name, `chorus-blog-post-quotes-${from}-to-${to}.csv`);
    const header = quotes.rows[0];
    const row = Object.fromEntries(header.map((h, i) => [h, quotes.rows[1][i]]));
    const q1 = rp.quotes.find((q) => q.text === QUOTE);
    assert.equal(quotes.rows.length, 1 + rp.quotes.length);
    assert.deepEqual(
      [row.path, row.instance, row.text, row.shares, row.arrivals, row.shares_x, row.arrivals_x, row.shares_bluesky, row.arrivals_bluesky, row.next_click],
      ['/post', q1.instance, QUOTE, String(q1.shares), String(q1.arrivalsTotal), '2', '2', '1', '1', String(q1.next.click)],
    );

    const boxes = await download(page, 'course-boxes');
    const keyed = Object.fromEntries(boxes.rows.slice(1).map((cells) => [cells.slice(0, 3).join(' '), Object.fromEntries(boxes.rows[0].map((h, i) => [h, cells[i]]))]));
    const b = rp.ctas[0].placements.find((p) => p.instance === 'course-bottom').variants.find((v) => v.variant === 'B');
    const cell = keyed['course course-bottom B'];
    assert.deepEqual(
      [cell.impressions, cell.clicks, cell.ctr, cell.ctr_low, cell.conversions, cell.conversion_rate, cell.revenue, cell.currency, cell.revenue_per_1000],
      [b.impressions, b.clicks, b.ctr, b.ci95.low, b.conversions, b.conversionRate, b.revenue, 'EUR', b.revenuePerMille].map(String),
    );
    assert.ok(keyed['course (all) (all)'] && keyed['course course-top (all)'] && keyed['course course-top A'], Object.keys(keyed).join('; '));
    assert.deepEqual(page.errors, [], 'no CSP violation or error');
    await page.close();
  } finally {
    await context.close();
    rmSync(downloads, { recursive: true, force: true });
  }
});

test('refreshes itself while visible, at most every 10 s and one request at a time; not while hidden', { skip, timeout: 60_000 }, async () => {
  const page = await open();
  const requests = [];
  let inFlight = 0;
  let overlapped = false;
  const isReport = (request) => request.url().includes('/report?');
  page.on('request', (request) => {
    if (!isReport(request)) return;
    requests.push(Date.now());
    if (++inFlight > 1) overlapped = true;
  });
  const settle = (request) => isReport(request) && inFlight--;
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  await signIn(page);
  await postsShown(page);
  const pageviewsOfPost = () => rowsOf(page).then((rows) => rows.find((row) => row.path === '/post')?.cells[1]);
  const before = await pageviewsOfPost();

  await send([pageview(page1, 'https://t.co/abc')], reader(40));
  const started = Date.now();
  await waitFor(page, (b) => {
    const table = document.querySelector('chorus-dashboard').shadowRoot.querySelector('chorus-posts-table');
    const row = table?.shadowRoot.querySelector('tr[data-path="/post"]');
    return row && row.cells[1].textContent.trim() !== b;
  }, before, 12_000);
  assert.ok(Date.now() - started <= 12_000);
  assert.equal(await pageviewsOfPost(), String(Number(before) + 1), 'the new page view is there without a click');
  for (let i = 1; i < requests.length; i++) assert.ok(requests[i] - requests[i - 1] >= 9_900, `requests ${requests[i] - requests[i - 1]} ms apart`);

  // Hidden: no request at all; back in front: at once.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const hiddenAt = requests.length;
  await send([pageview(page1)], reader(41));
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  assert.equal(requests.length, hiddenAt, 'no request while the tab is hidden');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await waitFor(page, (b) => {
    const row = document.querySelector('chorus-dashboard').shadowRoot.querySelector('chorus-posts-table').shadowRoot.querySelector('tr[data-path="/post"]');
    return row.cells[1].textContent.trim() === String(Number(b) + 2);
  }, before, 3_000);
  assert.equal(overlapped, false, 'never two report requests at once');

  // Signed out: no more requests.
  await page.click('chorus-dashboard >>> button.signout');
  const signedOutAt = requests.length;
  await new Promise((resolve) => setTimeout(resolve, 10_500));
  assert.equal(requests.length, signedOutAt, 'no request once signed out');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('is usable at phone width: nothing wider than the screen, tables scroll inside their card', { skip }, async () => {
  const page = await open(375);
  await signIn(page);
  await postsShown(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `the site view is ${await overflow()}px wider than the screen`);
  const table = await page.$eval('chorus-dashboard >>> chorus-posts-table >>> .scroll', (el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(table[0] > table[1], 'the posts table scrolls in its card');
  await shot(page, 'dashboard-phone');
  await page.goto(`${collector.url}/#post=/post`);
  await inView(page, 'Influence, measured');
  await inDashboard(page, '[data-campaign=course]');
  assert.ok((await overflow()) <= 0, `the post view is ${await overflow()}px wider than the screen`);
  await shot(page, 'dashboard-post-phone');
  await page.close();
});

test('a wrong token is refused with a message and nothing stored', { skip }, async () => {
  const page = await open();
  await signIn(page, 'wrong-token-123');
  await inDashboard(page, '.error');
  const message = await page.$eval('chorus-dashboard >>> .error', (el) => el.textContent);
  assert.match(message, /token is not right/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('chorus-token')), null);
  await page.close();
});
