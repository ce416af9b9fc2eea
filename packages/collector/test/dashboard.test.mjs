// The dashboard in Chromium: sign in with the token, charts from a real report, every stored string
// shown as text (never as markup), usable at phone width. CHORUS_SCREENSHOTS=DIR keeps screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { startCollector } from '@chorus/collector';
import { ORIGIN, TOKEN, batch, event, post, tempDir } from './helpers.mjs';
import { chromiumArgs } from '../../../scripts/lib/chromium.mjs';

const DAY = 24 * 3600 * 1000;
const XSS = '<img src=x onerror="window.__xss=1">';
const chromium = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

let collector;
let browser;
let dir;

before(async () => {
  dir = tempDir();
  collector = await startCollector({ port: 0, host: '127.0.0.1', db: join(dir, 'd.db'), sites: { blog: [ORIGIN], [`other`]: [ORIGIN] }, token: TOKEN, rateLimit: false });
  const now = Date.now();
  const events = [];
  const add = (n, fields) => { for (let i = 0; i < n; i++) events.push(event({ ts: now - (i % 12) * DAY, ...fields })); };
  add(60, { widget: 'quote-to-tweet', instance: 'q1', type: 'impression' });
  add(9, { widget: 'quote-to-tweet', instance: 'q1', type: 'share', network: 'x', props: { text: 'Ship small things, often.' } });
  add(3, { widget: 'quote-to-tweet', instance: 'q1', type: 'share', network: 'bluesky' });
  add(30, { widget: 'quote-to-tweet', instance: 'q2', type: 'impression' });
  add(4, { widget: 'quote-to-tweet', instance: 'q2', type: 'share', network: 'mastodon', props: { text: XSS } });
  add(80, { widget: 'course-cta', instance: 'top', campaign: 'course', variant: 'A', type: 'impression' });
  add(7, { widget: 'course-cta', instance: 'top', campaign: 'course', variant: 'A', type: 'click' });
  add(70, { widget: 'course-cta', instance: 'bottom', campaign: 'course', variant: 'B', type: 'impression' });
  add(12, { widget: 'course-cta', instance: 'bottom', campaign: 'course', variant: 'B', type: 'click' });
  add(40, { widget: 'comment-prompt', instance: 'ask', type: 'impression' });
  add(10, { widget: 'comment-prompt', instance: 'ask', type: 'open' });
  add(1, { widget: 'comment-prompt', instance: 'ask', type: 'comment', title: XSS, props: { text: `Great post ${XSS}`, name: XSS } });
  add(1, { widget: 'comment-prompt', instance: 'ask', type: 'comment', props: { text: 'Thanks!\nSecond line.', name: 'Ada' } });
  for (let i = 0; i < events.length; i += 100) assert.equal((await post(collector.url, batch(events.slice(i, i + 100)))).status, 200);
  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Polls on a timer: requestAnimationFrame, puppeteer's default, stalls in a page that is not in front.
const inDashboard = (page, selector) =>
  page.waitForFunction((s) => document.querySelector('chorus-dashboard')?.shadowRoot?.querySelector(s), { polling: 50, timeout: 15_000 }, selector);

async function signIn(page, token = TOKEN) {
  await page.goto(`${collector.url}/`);
  await inDashboard(page, 'input[name=token]');
  await page.type('chorus-dashboard >>> input[name=token]', token);
  await page.click('chorus-dashboard >>> button[type=submit]');
}

const shot = async (page, name) => {
  if (process.env.CHORUS_SCREENSHOTS) await page.screenshot({ path: join(process.env.CHORUS_SCREENSHOTS, `${name}.png`), fullPage: true });
};

test('signs in with the token, keeps it for the tab, and shows the report as charts', { skip: !chromium && 'no Chromium' }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.setViewport({ width: 1200, height: 900 });
  await signIn(page);
  await inDashboard(page, 'chorus-series-chart');
  await page.waitForFunction(() => document.querySelector('chorus-dashboard').shadowRoot.querySelector('chorus-bar-list')?.shadowRoot?.querySelector('li'), { polling: 50 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('chorus-token')), 'test-token-0123456789');
  const text = await page.evaluate(() => {
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
      }
      all.push(root.textContent);
    };
    walk(document.querySelector('chorus-dashboard').shadowRoot);
    return all.join(' ');
  });
  assert.match(text, /Ship small things, often\./);
  assert.ok(text.includes(XSS), 'the hostile quote and comment are shown as text');
  const bars = await page.$$eval('chorus-dashboard >>> chorus-series-chart', (charts) => charts[0].shadowRoot.querySelectorAll('rect').length);
  assert.equal(bars, 30, 'a bar per day of the last 30');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no stored string ran as markup');
  assert.equal(await page.$$eval('chorus-dashboard >>> img', (imgs) => imgs.length), 0);
  await shot(page, 'dashboard-desktop');

  // A reload keeps the session; a new tab would not (sessionStorage).
  await page.reload();
  await inDashboard(page, 'chorus-series-chart');
  assert.deepEqual(errors, []);
  await page.close();
});

test('is usable at phone width: nothing wider than the screen', { skip: !chromium && 'no Chromium' }, async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 375, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await signIn(page);
  await inDashboard(page, 'chorus-variant-chart');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await shot(page, 'dashboard-phone');
  await page.close();
});

test('a wrong token is refused with a message and nothing stored', { skip: !chromium && 'no Chromium' }, async () => {
  const page = await browser.newPage();
  await signIn(page, 'wrong-token-123');
  await inDashboard(page, '.error');
  const message = await page.$eval('chorus-dashboard >>> .error', (el) => el.textContent);
  assert.match(message, /token is not right/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('chorus-token')), null);
  await page.close();
});
