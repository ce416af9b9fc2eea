// <comment-prompt> inline, as a blogger runs it: chorus.js from a script tag in real Chromium, the reply
// going through the tracker to a real HTTP collector on another origin that accepts, refuses or is down.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor } from '../../../test/support/browser.mjs';
import { startStack } from '../../../test/support/stack.mjs';

let browser, site, collector, stack;
before(async () => ({ browser, site, collector } = stack = await startStack()));
after(() => stack?.close());

const PROMPT = '<comment-prompt id="ask"><p>Audience or influence: which matters more to you?</p></comment-prompt>';

async function visit(url) {
  const opened = await openPage(browser);
  opened.warnings = [];
  opened.page.on('console', (message) => message.type() === 'warn' && opened.warnings.push(message.text()));
  await opened.page.goto(url);
  await opened.page.waitForFunction(() => customElements.get('comment-prompt') && document.querySelector('comment-prompt').shadowRoot);
  // A reader types for longer than the bot check's minimum; the test does not wait for it.
  await opened.page.evaluate(() => (customElements.get('comment-prompt').minFillTime = 0));
  return opened;
}

const inside = (page, selector) => page.evaluateHandle((selector) => document.querySelector('comment-prompt').shadowRoot.querySelector(selector), selector);
const textOf = (page, selector) => page.evaluate((selector) => document.querySelector('comment-prompt').shadowRoot.querySelector(selector)?.textContent ?? null, selector);
const draft = (page) => page.evaluate(() => document.querySelector('comment-prompt').shadowRoot.querySelector('textarea')?.value);

async function reply(page, text) {
  await (await inside(page, 'textarea')).type(text);
  await (await inside(page, 'button[type=submit]')).click();
}

const commentsSince = (mark) => collector.requests.slice(mark).flatMap((r) => r.batch?.events ?? []).filter((e) => e.type === 'comment');

describe('<comment-prompt> inline, through the tracker to a collector', () => {
  it('sends at once; when the collector answers 2xx, shows "sent" and forgets the draft', async () => {
    const mark = collector.requests.length;
    const { page, context, errors } = await visit(site.page('comment-sent', { attributes: `data-collector="${collector.url}" data-site="test-blog"`, body: PROMPT }));
    const started = Date.now();
    await reply(page, 'Influence, because it pays the rent.');
    assert.ok(await waitFor(async () => (await textOf(page, '[part~=status]'))?.includes('Thank you'), 5000), 'the reader is told it was sent');
    assert.ok(Date.now() - started < 3000, 'a reply does not wait for the 5-second batch');
    const [comment] = commentsSince(mark);
    assert.equal(comment.widget, 'comment-prompt');
    assert.equal(comment.instance, 'ask');
    assert.deepEqual(comment.props, { text: 'Influence, because it pays the rent.' });
    assert.match(comment.id, /^[A-Za-z0-9_-]{8,64}$/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('comment-prompt')?.shadowRoot?.querySelector('textarea'));
    assert.equal(await draft(page), '', 'a sent reply is not offered again');
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [name, takeDown] of [
    ['answers 503', () => collector.answer({ status: 503 })],
    ['is down', () => collector.stop()],
  ]) {
    it(`when the collector ${name}: says so accessibly, keeps the draft across a reload, and sends it later`, async () => {
      const mark = collector.requests.length;
      const url = site.page(`comment-failed-${name.replace(/\W/g, '')}`, { attributes: `data-collector="${collector.url}"`, body: PROMPT });
      const { page, context, errors } = await visit(url);
      await takeDown();
      const failed = page.evaluate(() => new Promise((resolve) => document.addEventListener('comment-prompt-failed', (event) => resolve(event.detail), { once: true })));
      try {
        await reply(page, 'Please do not lose this.');
        assert.deepEqual(await failed, { text: 'Please do not lose this.', name: '' });
        assert.match(await textOf(page, '[role=alert]'), /could not be sent/);
        await page.reload();
        await page.waitForFunction(() => document.querySelector('comment-prompt')?.shadowRoot?.querySelector('textarea'));
        assert.equal(await draft(page), 'Please do not lose this.', 'the draft survived the reload');
      } finally {
        if (name === 'is down') await collector.start();
      }
      await page.evaluate(() => (customElements.get('comment-prompt').minFillTime = 0));
      await (await inside(page, 'button[type=submit]')).click();
      assert.ok(await waitFor(async () => (await textOf(page, '[part~=status]'))?.includes('Thank you'), 8000), 'sent once the collector is back');
      const delivered = commentsSince(mark);
      assert.ok(delivered.length >= 1);
      assert.ok(delivered.every((e) => e.props.text === 'Please do not lose this.'));
      assert.equal(new Set(delivered.map((e) => e.id)).size, 1, 'every copy has the same id, so the collector keeps one');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('with no collector configured: warns in the console and hides the form, or offers the fallback', async () => {
    const { page, context, warnings } = await visit(
      site.page('comment-none', { body: `${PROMPT}<comment-prompt inline email="author@example.com" id="ask2">Or write to me?</comment-prompt>` }),
    );
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('comment-prompt')].map((el) => el.shadowRoot.querySelector('form, a')?.getAttribute('href') ?? null),
    );
    assert.equal(shown[0], null, 'no form that would pretend to send');
    assert.match(shown[1], /^mailto:author@example\.com\?subject=/);
    assert.equal(warnings.filter((w) => w.includes('no collector')).length, 2);
    await context.close();
  });
});
