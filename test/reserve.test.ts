// packages/chorus/dist/reserve.css, as a server-rendered page prints it in its <head>: before any element's
// code has come, each element has the box it will have (a quote's fallback link shown in the buttons' room),
// and nothing moves when the elements upgrade.
import { expect } from '@open-wc/testing';
import { headReserve, reserve } from '../packages/chorus/src/reserve.ts';

const CSS = '/packages/chorus/dist/reserve.css';
const top = (node: Element | null) => node!.getBoundingClientRect().top;
const height = (node: Element | null) => node!.getBoundingClientRect().height;
/** Where the text of `node` is on screen. */
const textRect = (node: Node) => {
  const range = document.createRange();
  range.selectNodeContents(node);
  return range.getBoundingClientRect();
};
const textTop = (node: Node) => textRect(node).top;

describe('reserve.css', () => {
  const article = document.createElement('article');

  before(async () => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: CSS });
    const loaded = new Promise((resolve, reject) => ((link.onload = resolve), (link.onerror = reject)));
    document.head.append(link);
    await loaded;
    article.style.width = '480px';
    article.innerHTML = `<p>Before.</p>
      <quote-to-tweet url="https://blog.example/p">Audience is who sees you; influence is who acts because of you.
        <a slot="fallback" class="chorus-fallback" href="https://x.com/intent/tweet?text=Audience">Click to Tweet</a></quote-to-tweet>
      <p id="after-quote">Between.</p>
      <course-cta href="https://courses.example/">
        <img slot="image" width="320" height="180" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" />
        <h2 slot="heading">Write for readers who act</h2><p>A six-week video course.</p>
      </course-cta>
      <p id="after-cta">Between.</p>
      <comment-prompt>Audience or influence: which matters more to you?</comment-prompt>`;
    document.body.append(article);
  });
  after(() => article.remove());

  it('is the loader\'s reserve, from the same source, and the room for fallback links', async () => {
    const css = await (await fetch(CSS)).text();
    expect(css).to.equal(headReserve);
    expect(css.startsWith(reserve)).to.equal(true);
    for (const tag of ['quote-to-tweet', 'course-cta', 'comment-prompt']) expect(css).to.contain(`${tag}:not(:defined){`);
    expect(css).to.contain('[slot=fallback]');
  });

  it('keeps every element\'s space while its code loads, the fallback link shown, and nothing moves as they upgrade', async () => {
    const quote = article.querySelector('quote-to-tweet')!;
    const fallback = quote.querySelector<HTMLAnchorElement>('[slot=fallback]')!;
    const cta = article.querySelector('course-cta')!;
    const prompt = article.querySelector('comment-prompt')!;
    expect(customElements.get('quote-to-tweet')).to.equal(undefined);

    // Before: the fallback link is there to click, inside the quote's box, below its text (its block has no
    // height: its text is drawn in the room kept for the buttons).
    const link = textRect(fallback);
    const box = quote.getBoundingClientRect();
    expect(link.height).to.be.greaterThan(10);
    expect(link.top).to.be.at.least(textRect(quote.firstChild!).bottom);
    expect(link.bottom).to.be.at.most(box.bottom);
    expect(document.elementFromPoint(link.left + 2, link.top + link.height / 2)).to.equal(fallback);
    const before = {
      quote: height(quote),
      quoteText: textTop(quote.firstChild!),
      afterQuote: top(article.querySelector('#after-quote')),
      cta: height(cta),
      afterCta: top(article.querySelector('#after-cta')),
      question: textTop(prompt.firstChild!),
    };

    await Promise.all([
      import('@chorus/quote-to-tweet/define'),
      import('@chorus/course-cta/define'),
      import('@chorus/comment-prompt/define'),
    ]);
    for (const el of [quote, cta, prompt]) await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;

    expect(quote.shadowRoot!.querySelector('a[part~=primary]')).to.exist;
    expect(fallback.getClientRects()).to.have.length(0);
    expect(height(quote)).to.be.closeTo(before.quote, 1);
    expect(textTop(quote.firstChild!)).to.be.closeTo(before.quoteText, 1);
    expect(top(article.querySelector('#after-quote'))).to.be.closeTo(before.afterQuote, 1);
    expect(height(cta)).to.be.closeTo(before.cta, 1);
    expect(top(article.querySelector('#after-cta'))).to.be.closeTo(before.afterCta, 1);
    // A <comment-prompt>'s reply appears below its question, which does not move.
    expect(textTop(prompt.firstChild!)).to.be.closeTo(before.question, 1);
  });
});
