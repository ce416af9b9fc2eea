import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { EngagementEvent, collectorConfigured } from '@chorus/core';
import { configure, type Batch } from '@chorus/tracker';
import { CommentPromptElement } from '@chorus/comment-prompt';
import '@chorus/comment-prompt/define';
import { captureWarnings, engagements, itIsDefined, render, sleep, whileStorageThrows } from '../../../test/support/elements.ts';

const prompt = (markup: Parameters<typeof render>[0], selector = 'comment-prompt') => render<CommentPromptElement>(markup, selector);
const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;

// A function collector for each test: it accepts, or fails (throws) while `down` is set. Events a
// tracker retries from an earlier test reach that test's collector, not this one.
function useCollector() {
  const collector = { batches: [] as Batch[], down: false };
  configure({
    collector: (batch: Batch) => {
      if (collector.down) throw new Error('collector down');
      collector.batches.push(batch);
    },
  });
  return { ...collector, set down(value: boolean) { collector.down = value; }, comments: () => collector.batches.flatMap((b) => b.events).filter((e) => e.type === 'comment') };
}

async function type(el: CommentPromptElement, text: string, name?: string) {
  const reply = $<HTMLTextAreaElement>(el, 'textarea');
  reply.focus();
  reply.value = text;
  reply.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  if (name !== undefined) {
    const field = $<HTMLInputElement>(el, 'input[name=name]');
    field.value = name;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

async function send(el: CommentPromptElement) {
  $<HTMLButtonElement>(el, 'button[type=submit]').click();
  await el.updateComplete;
}

const QUESTION = html`<comment-prompt id="ask"><p>Audience or influence: which matters more to you?</p></comment-prompt>`;

beforeEach(() => {
  sessionStorage.clear();
  CommentPromptElement.minFillTime = 0;
});

describe('<comment-prompt>', () => {
  itIsDefined('comment-prompt', CommentPromptElement);

  it('mirrors attributes to properties', async () => {
    useCollector();
    const el = await prompt(html`<comment-prompt for="#nothing" email="a@b.example" inline label="Reply" maxlength="500">Q?</comment-prompt>`);
    expect(el.for).to.equal('#nothing');
    expect(el.email).to.equal('a@b.example');
    expect(el.inline).to.equal(true);
    expect(el.label).to.equal('Reply');
    expect(el.maxLength).to.equal(500);
    expect($(el, '[part~=counter]').textContent).to.equal('0 of 500 characters');
    el.maxLength = 300;
    await el.updateComplete;
    expect($(el, '[part~=counter]').textContent).to.equal('0 of 300 characters');
  });

  describe('inline', () => {
    it('renders its question, a labelled reply, a counter, a name field and a send button', async () => {
      useCollector();
      const el = await prompt(QUESTION);
      const slot = $<HTMLSlotElement>(el, '[part~=question] slot');
      expect(slot.assignedElements()[0].textContent).to.equal('Audience or influence: which matters more to you?');
      const reply = $<HTMLTextAreaElement>(el, 'textarea');
      expect(reply.labels![0].textContent).to.equal('Your reply');
      expect($(el, '[part~=counter]').textContent).to.equal('0 of 2000 characters');
      expect($<HTMLInputElement>(el, 'input[name=name]').labels![0].textContent).to.equal('Your name (optional)');
      expect($(el, 'button[type=submit]').textContent).to.equal('Send');
      await expect(el).to.be.accessible();
    });

    it('counts characters and keeps the draft in sessionStorage, restored on the next page view', async () => {
      useCollector();
      const el = await prompt(QUESTION);
      await type(el, 'Influence, every time.', 'Ada');
      expect($(el, '[part~=counter]').textContent).to.equal('22 of 2000 characters');
      const key = `chorus:comment-prompt:draft:${location.pathname}:ask`;
      expect(JSON.parse(sessionStorage.getItem(key)!)).to.deep.include({ text: 'Influence, every time.', name: 'Ada' });
      el.remove();
      const again = await prompt(QUESTION);
      expect($<HTMLTextAreaElement>(again, 'textarea').value).to.equal('Influence, every time.');
      expect($<HTMLInputElement>(again, 'input[name=name]').value).to.equal('Ada');
      expect($(again, '[part~=counter]').textContent).to.equal('22 of 2000 characters');
    });

    it('dispatches open on the first focus only', async () => {
      useCollector();
      const el = await prompt(QUESTION);
      const seen = engagements(el);
      $<HTMLTextAreaElement>(el, 'textarea').focus();
      $<HTMLInputElement>(el, 'input[name=name]').focus();
      $<HTMLTextAreaElement>(el, 'textarea').focus();
      expect(seen.map((e) => e.detail)).to.deep.equal([{ type: 'open', widget: 'comment-prompt', instance: 'ask', props: { mode: 'inline' } }]);
    });

    it("keeps its events' names under another tag: comment-prompt-sent, not ask-readers-sent", async () => {
      useCollector();
      (class extends CommentPromptElement {}).define('ask-readers');
      const el = await prompt(html`<ask-readers id="renamed">Renamed?</ask-readers>`, 'ask-readers');
      await type(el, 'The same events.');
      const sent = oneEvent(el, 'comment-prompt-sent');
      await send(el);
      expect(((await sent) as CustomEvent).detail.text).to.equal('The same events.');
    });

    it('sends the reply as a comment event; once the collector accepts it, says so and forgets the draft', async () => {
      const collector = useCollector();
      const el = await prompt(QUESTION);
      await type(el, '  Influence: readers who act.  ', 'Ada');
      const seen = engagements(el);
      const sent = oneEvent(el, 'comment-prompt-sent');
      await send(el);
      const event = (await sent) as CustomEvent;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({ text: 'Influence: readers who act.', name: 'Ada' });
      const comment = seen.find((e) => e.detail.type === 'comment')!;
      expect(comment.detail).to.deep.include({ type: 'comment', widget: 'comment-prompt', instance: 'ask' });
      expect(comment.detail.props).to.deep.equal({ text: 'Influence: readers who act.', name: 'Ada' });
      const [delivered] = collector.comments();
      expect(delivered.props).to.deep.equal({ text: 'Influence: readers who act.', name: 'Ada' });
      expect(delivered.id).to.match(/^[A-Za-z0-9_-]{8,64}$/);
      await el.updateComplete;
      expect($(el, 'form')).to.equal(null);
      const status = $(el, '[part~=status]');
      expect(status.getAttribute('role')).to.equal('status');
      expect(status.textContent).to.equal('Thank you: your reply was sent.');
      expect(el.shadowRoot!.activeElement === status, 'focus').to.equal(true);
      expect(sessionStorage.length).to.equal(0);
      await expect(el).to.be.accessible();
    });

    it('shows "sending" until the collector answers', async () => {
      let answer!: () => void;
      configure({ collector: () => new Promise<void>((resolve) => (answer = resolve)) });
      const el = await prompt(QUESTION);
      await type(el, 'Wait for it');
      await send(el);
      expect($(el, '.actions [part~=status]').textContent).to.equal('Sending…');
      expect($(el, 'button[type=submit]').getAttribute('aria-disabled')).to.equal('true');
      await send(el); // a second press while sending does nothing
      answer();
      await oneEvent(el, 'comment-prompt-sent');
    });

    it('keeps the draft and says so, accessibly, when the collector fails; sending again works', async () => {
      const collector = useCollector();
      collector.down = true;
      const el = await prompt(QUESTION);
      await type(el, 'Kept, whatever happens.');
      const failed = oneEvent(el, 'comment-prompt-failed');
      await send(el);
      expect(((await failed) as CustomEvent).detail).to.deep.equal({ text: 'Kept, whatever happens.', name: '' });
      await el.updateComplete;
      const alert = $(el, '[role=alert]');
      expect(alert.textContent).to.contain('could not be sent');
      expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('Kept, whatever happens.');
      expect(JSON.parse(Object.values(sessionStorage)[0] as string).text).to.equal('Kept, whatever happens.');
      await expect(el).to.be.accessible();

      // A new page view still has it.
      el.remove();
      const again = await prompt(QUESTION);
      expect($<HTMLTextAreaElement>(again, 'textarea').value).to.equal('Kept, whatever happens.');
      collector.down = false;
      const sent = oneEvent(again, 'comment-prompt-sent');
      await send(again);
      await sent;
      expect(collector.comments().map((e) => e.props!.text)).to.include('Kept, whatever happens.');
      expect(sessionStorage.length).to.equal(0);
    });

    it('refuses an empty reply and an over-long one, keeping the text', async () => {
      const collector = useCollector();
      const el = await prompt(html`<comment-prompt id="ask" maxlength="10">Q?</comment-prompt>`);
      await send(el);
      expect($(el, '[role=alert]').textContent).to.equal('Write your reply first.');
      // A paste longer than the limit is kept whole (no maxlength to cut it), shown over the limit, and not sent.
      const longer = el;
      await type(longer, 'x'.repeat(14));
      expect($(longer, '[part~=counter]').textContent).to.equal('14 of 10 characters');
      expect($(longer, 'textarea').getAttribute('aria-invalid')).to.equal('true');
      await send(longer);
      expect($(longer, '[role=alert]').textContent).to.equal('Your reply is 4 characters too long.');
      expect($(longer, 'textarea').getAttribute('aria-invalid')).to.equal('true');
      expect(longer.shadowRoot!.activeElement === $(longer, 'textarea'), 'focus').to.equal(true);
      expect($<HTMLTextAreaElement>(longer, 'textarea').value).to.have.length(14);
      await sleep(50);
      expect(collector.comments()).to.have.length(0);
      await expect(longer).to.be.accessible();
    });

    it('stops simple bots: a filled honeypot sends nothing, nor does a reply sent too fast', async () => {
      const collector = useCollector();
      const bot = await prompt(QUESTION);
      await type(bot, 'Buy now');
      $<HTMLInputElement>(bot, 'input[name=website]').value = 'https://spam.example';
      await send(bot);
      expect($(bot, '[part~=status]').textContent).to.contain('Thank you');

      CommentPromptElement.minFillTime = 60_000;
      const quick = await prompt(html`<comment-prompt id="quick">Q?</comment-prompt>`);
      await type(quick, 'Too fast');
      await send(quick);
      expect($(quick, '[role=alert]').textContent).to.contain('That was quick');
      expect($<HTMLTextAreaElement>(quick, 'textarea').value).to.equal('Too fast');
      await sleep(50);
      expect(collector.comments()).to.have.length(0);
    });

    it('is usable with the keyboard: reply, name, send, in that order; the honeypot is out of reach', async () => {
      useCollector();
      const el = await prompt(QUESTION);
      const focusables = [...el.shadowRoot!.querySelectorAll<HTMLElement>('textarea, input, button')].filter((item) => item.tabIndex >= 0);
      expect(focusables.map((item) => item.getAttribute('name') ?? item.getAttribute('type'))).to.deep.equal(['reply', 'name', 'submit']);
      // Enter in the name field submits the form.
      await type(el, 'By keyboard');
      const sent = oneEvent(el, 'comment-prompt-sent');
      $<HTMLInputElement>(el, 'input[name=name]').form!.requestSubmit();
      await sent;
    });
  });

  describe('for: the site’s own comment form', () => {
    const WORDPRESS = html`<div>
      <comment-prompt for="#respond">What do you think?</comment-prompt>
      <div style="height:150vh"></div>
      <div id="respond" class="comment-respond">
        <h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
        <form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
          <p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
          <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /></p>
        </form>
      </div>
      <div style="height:150vh"></div>
    </div>`;

    it('links to the form, scrolls to it and puts the focus in its textarea, dispatching open', async () => {
      const el = await prompt(WORDPRESS);
      const link = $<HTMLAnchorElement>(el, 'a[part~=button]');
      expect(link.getAttribute('href')).to.equal('#respond');
      expect(link.textContent).to.equal('Leave a comment');
      const seen = engagements(el);
      link.click();
      expect(document.activeElement === document.querySelector('#comment'), 'focus').to.equal(true);
      expect(document.querySelector('#respond')!.getBoundingClientRect().top).to.be.closeTo(0, 2);
      expect(seen.map((e) => e.detail)).to.deep.equal([{ type: 'open', widget: 'comment-prompt', instance: seen[0].detail.instance, props: { mode: 'form' } }]);
      scrollTo(0, 0);
      await expect(el).to.be.accessible();
    });

    for (const [selector, says] of [
      ['#missing', 'found nothing'],
      ['#[bad', 'not a valid CSS selector'],
      ['#not-a-form', 'not a form'],
    ]) {
      it(`warns once about for="${selector}" and offers email instead when given`, async () => {
        const { warnings, restore } = captureWarnings();
        try {
          const root = await fixture(html`<div><div id="not-a-form"><p>Comments are closed.</p></div>
            <comment-prompt for=${selector} email="author@example.com">Q?</comment-prompt></div>`);
          const el = root.querySelector('comment-prompt')!;
          await el.updateComplete;
          el.requestUpdate('for');
          await el.updateComplete;
          expect(warnings.filter((w) => w.includes(says))).to.have.length(1);
          expect($<HTMLAnchorElement>(el, 'a').href).to.match(/^mailto:/);
          const alone = await prompt(html`<comment-prompt for=${selector}>Q?</comment-prompt>`);
          expect(alone.shadowRoot!.querySelector('a, button, form')).to.equal(null);
        } finally {
          restore();
        }
      });
    }
  });

  describe('email', () => {
    it('is a mailto link with the page title as subject, dispatching open', async () => {
      const el = await prompt(html`<comment-prompt email="author@example.com" label="Write to me">Q?</comment-prompt>`);
      const link = $<HTMLAnchorElement>(el, 'a[part~=button]');
      expect(link.textContent).to.equal('Write to me');
      const url = new URL(link.href);
      expect(url.protocol).to.equal('mailto:');
      expect(url.pathname).to.equal('author@example.com');
      expect(url.searchParams.get('subject')).to.equal(`Re: ${document.title}`);
      const seen = engagements(el);
      link.addEventListener('click', (event) => event.preventDefault(), { once: true });
      link.click();
      expect(seen[0].detail).to.deep.include({ type: 'open', props: { mode: 'email' } });
      await expect(el).to.be.accessible();
    });

    it('warns about an address that is not one', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const el = await prompt(html`<comment-prompt email="me?subject=spam">Q?</comment-prompt>`);
        expect(el.shadowRoot!.querySelector('a')).to.equal(null);
        expect(warnings.filter((w) => w.includes('not an email address'))).to.have.length(1);
      } finally {
        restore();
      }
    });

    it('takes exactly one address: a second recipient, however written, is refused with a warning', async () => {
      // mailto: takes a list, and decodes %-escapes: each of these would also write to attacker@evil.
      for (const email of ['me@x,attacker%40evil', 'me@x.example,attacker@evil.example', 'me@x.example;attacker@evil.example', 'me@x.example%2Cattacker@evil.example']) {
        const { warnings, restore } = captureWarnings();
        try {
          const el = await prompt(html`<comment-prompt email=${email}>Q?</comment-prompt>`);
          // The link's href, not the element: a failure's element cannot travel back to the test runner.
          expect(el.shadowRoot!.querySelector('a')?.href, email).to.equal(undefined);
          expect(warnings.filter((w) => w.includes(`ignored email "${email}"`)), email).to.have.length(1);
        } finally {
          restore();
        }
      }
    });
  });

  describe('without a collector', () => {
    beforeEach(() => configure({ collector: [] }));

    it('says so in the console and hides the form rather than pretend to send', async () => {
      expect(collectorConfigured()).to.equal(false);
      const { warnings, restore } = captureWarnings();
      try {
        const el = await prompt(QUESTION);
        expect(el.shadowRoot!.querySelector('form, textarea, a, button')).to.equal(null);
        expect($(el, '[part~=question]')).to.exist;
        expect(warnings.filter((w) => w.includes('no collector'))).to.have.length(1);
        expect(warnings[0]).to.contain('hidden');
        await expect(el).to.be.accessible();
      } finally {
        restore();
      }
    });

    it('falls back to for, or to email, when inline is asked for', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const root = await fixture(html`<div><comment-prompt inline for="#respond2">Q?</comment-prompt>
          <div id="respond2"><form><textarea aria-label="Comment"></textarea></form></div></div>`);
        const viaForm = root.querySelector('comment-prompt')!;
        await viaForm.updateComplete;
        expect($(viaForm, 'a').getAttribute('href')).to.equal('#respond2');
        const viaEmail = await prompt(html`<comment-prompt inline email="author@example.com">Q?</comment-prompt>`);
        expect($<HTMLAnchorElement>(viaEmail, 'a').href).to.match(/^mailto:author@example.com/);
        expect(warnings.filter((w) => w.includes('offering'))).to.have.length(2);
      } finally {
        restore();
      }
    });
  });

  it('counts an impression once, after it has been half visible for a second', async () => {
    const el = await prompt(html`<comment-prompt email="author@example.com">Seen?</comment-prompt>`);
    const seen = engagements(el);
    await sleep(500);
    expect(seen).to.have.length(0);
    await sleep(800);
    expect(seen.map((e) => e.detail.type)).to.deep.equal(['impression']);
  });

  it('does not dispatch for programmatic changes', async () => {
    useCollector();
    const el = await prompt(html`<div style="margin-top:300vh"><comment-prompt>Quiet?</comment-prompt></div>`);
    const seen = engagements(el);
    el.maxLength = 100;
    el.email = 'a@b.example';
    await el.updateComplete;
    await sleep(50);
    expect(seen).to.have.length(0);
  });

  describe('bad input', () => {
    for (const [maxlength, says] of [
      ['none', 'ignored maxlength'],
      ['9000', 'lowered maxlength'],
    ]) {
      it(`warns once about maxlength="${maxlength}"`, async () => {
        useCollector();
        const { warnings, restore } = captureWarnings();
        try {
          const el = await prompt(html`<comment-prompt maxlength=${maxlength}>Q?</comment-prompt>`);
          await type(el, 'a');
          expect($(el, '[part~=counter]').textContent).to.equal(`1 of ${maxlength === 'none' ? 2000 : 4000} characters`);
          expect(warnings.filter((w) => w.includes(says))).to.have.length(1);
        } finally {
          restore();
        }
      });
    }

    it('keeps working when sessionStorage throws', async () => {
      useCollector();
      await whileStorageThrows(async () => {
        const el = await prompt(QUESTION);
        await type(el, 'Still works');
        const sent = oneEvent(el, 'comment-prompt-sent');
        await send(el);
        await sent;
      });
    });
  });

  it('lays out right to left', async () => {
    const el = await prompt(html`<div dir="rtl"><comment-prompt email="a@b.example">سؤال؟</comment-prompt></div>`);
    const style = getComputedStyle(el);
    expect(style.borderRightWidth).not.to.equal('0px');
    expect(style.borderLeftWidth).to.equal('0px');
  });

  it('takes its accent from --chorus-accent, overridden by --comment-prompt-accent', async () => {
    const el = await prompt(html`<div style="--chorus-accent: rgb(1, 2, 3)"><comment-prompt email="a@b.example">Colour?</comment-prompt></div>`);
    const button = () => getComputedStyle($(el, '[part~=button]')).backgroundColor;
    expect(button()).to.equal('rgb(1, 2, 3)');
    el.style.setProperty('--comment-prompt-accent', 'rgb(4, 5, 6)');
    expect(button()).to.equal('rgb(4, 5, 6)');
  });
});
