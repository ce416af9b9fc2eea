// The example pages as a reader gets them from `npm start`, with the real collector (SQLite): every
// widget upgrades without an error, an inline reply is accepted by the collector, a shared quote shows
// up in the report, and the WordPress page's <comment-prompt for="#respond"> takes the reader to
// WordPress's own comment form.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { serveExamples } from '../scripts/lib/examples.mjs';
import { launchChromium, openPage, waitFor } from './support/browser.mjs';

let browser, collector, examples, site, folder;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chorus-examples-'));
  // countHeadless: the collector ignores bots' events, and headless Chromium says it is one.
  collector = await startCollector({ port: 0, db: join(folder, 'chorus.db'), token: 'test-token-examples-0123', sites: { demo: ['*'] }, countHeadless: true });
  examples = await serveExamples({ collector: collector.url });
  site = { url: examples.blog };
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await examples?.close();
  await collector?.close();
  rmSync(folder, { recursive: true, force: true });
});

it('the blog example has a course offer at the top and the bottom, and an inline comment prompt at the end', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${site.url}/examples/blog/`);
  await page.waitForFunction(() => document.querySelector('comment-prompt')?.shadowRoot?.querySelector('textarea'));
  const offers = await page.evaluate(() =>
    [...document.querySelectorAll('course-cta')].map((el) => ({ campaign: el.campaign, href: el.shadowRoot.querySelector('a')?.href })),
  );
  assert.equal(offers.length, 2);
  assert.equal(offers[0].campaign, offers[1].campaign);
  assert.deepEqual(offers.map((o) => new URL(o.href).searchParams.get('utm_content')), ['course-top', 'course-bottom']);
  assert.deepEqual(offers.map((o) => new URL(o.href).origin), [examples.course, examples.course], 'both copies link to the course site');

  await page.evaluate(() => (customElements.get('comment-prompt').minFillTime = 0));
  const reply = await page.evaluateHandle(() => document.querySelector('comment-prompt').shadowRoot.querySelector('textarea'));
  await reply.type('Influence: a hundred readers who act.');
  await page.evaluate(() => document.querySelector('comment-prompt').shadowRoot.querySelector('button[type=submit]').click());
  const status = () => page.evaluate(() => document.querySelector('comment-prompt').shadowRoot.querySelector('[part~=status]')?.textContent);
  assert.match((await waitFor(async () => (await status())?.includes('Thank you') && status(), 8000)) ?? '', /your reply was sent/, 'the collector accepted the reply');
  assert.deepEqual(errors, []);
  await context.close();
});

it('the WordPress example sends the reader to #respond with the focus in its textarea', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${site.url}/examples/wordpress-comments/`);
  await page.waitForFunction(() => document.querySelector('comment-prompt')?.shadowRoot?.querySelector('a'));
  const link = await page.evaluateHandle(() => document.querySelector('comment-prompt').shadowRoot.querySelector('a'));
  assert.equal(await link.evaluate((a) => a.getAttribute('href')), '#respond');
  await link.focus();
  await page.keyboard.press('Enter');
  const focused = await waitFor(() => page.evaluate(() => document.activeElement?.id), 3000);
  assert.equal(focused, 'comment');
  assert.ok(await page.evaluate(() => document.querySelector('#respond').getBoundingClientRect().top < innerHeight));
  assert.deepEqual(errors, []);
  await context.close();
});

const report = async () => {
  const response = await fetch(`${collector.url}/api/sites/demo/report`, { headers: { authorization: 'Bearer test-token-examples-0123' } });
  assert.equal(response.status, 200);
  return response.json();
};

it('a share clicked in the blog example shows up in the report, with the quote it shared', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${site.url}/examples/blog/`);
  await page.waitForFunction(() => document.querySelector('#who-acts')?.shadowRoot?.querySelector('a[href*="bsky.app"]'));
  const href = await page.evaluate(() => {
    const quote = document.querySelector('#who-acts');
    quote.addEventListener('click', (event) => event.preventDefault()); // the reader's new tab is not part of the test
    const bluesky = quote.shadowRoot.querySelector('a[href*="bsky.app"]');
    bluesky.click();
    return bluesky.href;
  });
  assert.match(decodeURIComponent(href), /Influence is who acts because of you/);
  await page.evaluate(() => window.chorus.flush());

  const quote = await waitFor(async () => (await report()).quotes.find((q) => q.instance === 'who-acts' && q.shares > 0), 10_000);
  assert.ok(quote, 'the share reached the report');
  assert.equal(quote.shares, 1);
  assert.deepEqual(quote.networks, { bluesky: 1 });
  assert.match(quote.text, /^Audience is who sees you\. Influence is who acts/);
  assert.equal((await report()).totals.share, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

it('the course site reports a purchase once per order, however often its thank-you page is loaded', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${examples.course}/examples/course/`);
  const ready = () => page.waitForFunction(() => typeof window.chorus?.flush === 'function');
  await ready();
  await Promise.all([page.waitForNavigation(), page.click('#buy button')]);
  const order = new URL(page.url()).searchParams.get('order');
  assert.match(order ?? '', /^\w{6,}$/, 'the order has an id');
  for (let load = 0; load < 2; load++) {
    if (load) await page.reload();
    await ready();
    await page.evaluate(() => window.chorus.flush());
  }
  const purchases = await waitFor(async () => (await report()).totals.purchase, 10_000);
  assert.equal(purchases, 1);
  assert.deepEqual(errors, []);
  await context.close();
});
