// <course-cta> as a blogger runs it: chorus.js from a script tag in real Chromium, real reloads, a real
// HTTP collector. The variant and the dismissal outlive the page view; the click says which copy it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor } from '../../../test/support/browser.mjs';
import { startStack } from '../../../test/support/stack.mjs';

let browser, site, collector, stack;
before(async () => ({ browser, site, collector } = stack = await startStack()));
after(() => stack?.close());

const OFFER = `<course-cta href="https://courses.example/influence" campaign="launch" dismissible>
  <template variant="a"><h2 slot="heading">Want to know more?</h2></template>
  <template variant="b" label="Start the course"><h2 slot="heading">Write for readers who act</h2></template>
  <p>Take my video course.</p>
</course-cta>`;
const PAGE = `${OFFER}<p style="height:50vh">The post.</p>${OFFER}`;

const ready = (page) => page.waitForFunction(() => [...document.querySelectorAll('course-cta')].every((el) => el.shadowRoot?.querySelector('a')));
const variants = (page) => page.evaluate(() => [...document.querySelectorAll('course-cta')].map((el) => el.variant));

describe('<course-cta> across page views', () => {
  it('keeps the variant across reloads, the same in every copy, and reports which copy was clicked', async () => {
    const mark = collector.requests.length;
    const { page, context, errors } = await openPage(browser);
    await page.goto(site.page('cta-variant', { attributes: `data-collector="${collector.url}" data-site="test-blog"`, body: PAGE }));
    await ready(page);
    const [first, second] = await variants(page);
    assert.ok(['a', 'b'].includes(first));
    assert.equal(second, first, 'both copies of the campaign show the same variant');
    for (let view = 0; view < 3; view++) {
      await page.reload();
      await ready(page);
      assert.deepEqual(await variants(page), [first, first]);
    }
    const href = await page.evaluate(() => {
      const bottom = document.querySelectorAll('course-cta')[1];
      bottom.addEventListener('click', (event) => event.preventDefault());
      const link = bottom.shadowRoot.querySelector('a');
      link.click();
      return link.href;
    });
    const params = new URL(href).searchParams;
    assert.equal(params.get('utm_source'), 'test-blog');
    assert.equal(params.get('utm_medium'), 'chorus');
    assert.equal(params.get('utm_campaign'), 'launch');
    assert.equal(params.get('utm_content'), 'launch-2');
    await page.evaluate(() => window.chorus.flush());
    const click = await waitFor(() => collector.requests.slice(mark).flatMap((r) => r.batch?.events ?? []).find((e) => e.type === 'click'));
    assert.deepEqual(
      { widget: click.widget, instance: click.instance, campaign: click.campaign, variant: click.variant },
      { widget: 'course-cta', instance: 'launch-2', campaign: 'launch', variant: first },
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('remembers a dismissal across reloads, for every copy of the campaign, without cookies', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(site.page('cta-dismiss', { body: PAGE }));
    await ready(page);
    await page.evaluate(() => document.querySelector('course-cta').shadowRoot.querySelector('[part~=close]').click());
    const hidden = () => page.evaluate(() => [...document.querySelectorAll('course-cta')].map((el) => el.hidden && getComputedStyle(el).display === 'none'));
    assert.deepEqual(await hidden(), [true, true]);
    await page.reload();
    await page.waitForFunction(() => customElements.get('course-cta'));
    await page.waitForFunction(() => [...document.querySelectorAll('course-cta')].every((el) => el.hidden));
    assert.deepEqual(await hidden(), [true, true]);
    assert.deepEqual(await page.cookies(), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
