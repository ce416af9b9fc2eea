// The whole path a blogger gets from `npm start`: the blog example in real Chromium, a reader shares a
// quote, the tracker delivers it to the real collector (SQLite file), and the report counts it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { root } from '../scripts/lib/setup.mjs';
import { serveStatic } from '../scripts/lib/serve.mjs';
import { launchChromium, openPage, waitFor } from './support/browser.mjs';

const EXAMPLE_COLLECTOR = 'http://127.0.0.1:8787'; // what examples/blog/index.html names

let browser, collector, site, folder;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chorus-blog-'));
  collector = await startCollector({ port: 0, db: join(folder, 'chorus.db'), token: 'test-token', sites: { demo: ['*'] } });
  site = await serveStatic(root, { rewrite: (html) => html.replaceAll(EXAMPLE_COLLECTOR, collector.url) });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.close();
  rmSync(folder, { recursive: true, force: true });
});

const report = async () => {
  const response = await fetch(`${collector.url}/api/sites/demo/report`, { headers: { authorization: 'Bearer test-token' } });
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
