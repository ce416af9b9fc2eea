// chorus.js, the script-tag loader, as a blogger's page gets it: the built bundle, loaded by URL.
import { expect } from '@open-wc/testing';

const chunksLoaded = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/packages/chorus/dist/'))
    .map((path) => path.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '')); // drop the content hash

describe('chorus.js loader', () => {
  before(async () => {
    await import('/packages/chorus/dist/chorus.js' as string);
  });

  it('loads no element code while the page has no element', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chunksLoaded()).to.deep.equal(['chorus.js']);
    expect(customElements.get('quote-to-tweet')).to.equal(undefined);
  });

  it('loads and upgrades an element added later, without moving the text around it', async () => {
    const article = document.createElement('article');
    article.style.width = '480px';
    article.innerHTML = `<p>Before.</p><quote-to-tweet>Audience is who sees you; influence is who acts.</quote-to-tweet><p id="after">After.</p>`;
    document.body.append(article);
    const quote = article.querySelector('quote-to-tweet')!;
    const after = article.querySelector('#after')!;
    const before = { quote: quote.getBoundingClientRect().height, after: after.getBoundingClientRect().top };

    await customElements.whenDefined('quote-to-tweet');
    await (quote as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(quote.shadowRoot!.querySelector('a')).to.exist;
    // Its own chunk and the shared one (Lit, and the core pieces only elements use); nothing else.
    expect(chunksLoaded().sort()).to.deep.equal(['chorus.js', 'lit', 'quote-to-tweet']);

    expect(quote.getBoundingClientRect().height).to.be.closeTo(before.quote, 1);
    expect(after.getBoundingClientRect().top).to.be.closeTo(before.after, 1);
    article.remove();
  });

  it('requests the shared Lit chunk beside the element chunk, not once that has arrived', () => {
    const entry = (name: string) =>
      performance.getEntriesByType('resource').find((e) => new RegExp(`/${name}-[\\w-]{8}\\.js$`).test(e.name)) as PerformanceResourceTiming;
    const [lit, element] = [entry('lit'), entry('quote-to-tweet')];
    // Without it, Lit is only requested once the element chunk has arrived and been parsed.
    expect(lit.startTime).to.be.below(element.responseEnd);
    expect(lit.startTime - element.startTime).to.be.below(5);
  });

  it('loads <course-cta> without moving the text below, its image space kept', async () => {
    const article = document.createElement('article');
    article.style.width = '360px';
    article.innerHTML = `<p>Before.</p><course-cta href="https://courses.example/">
        <img slot="image" width="320" height="180" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" />
        <h2 slot="heading">Write for readers who act</h2><p>A six-week video course.</p>
      </course-cta><p id="after">After.</p>`;
    document.body.append(article);
    const cta = article.querySelector('course-cta')!;
    const after = article.querySelector('#after')!;
    const before = { cta: cta.getBoundingClientRect().height, after: after.getBoundingClientRect().top };
    await customElements.whenDefined('course-cta');
    await (cta as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(cta.shadowRoot!.querySelector('a')).to.exist;
    expect(chunksLoaded()).to.include('course-cta');
    expect(cta.getBoundingClientRect().height).to.be.closeTo(before.cta, 1);
    expect(after.getBoundingClientRect().top).to.be.closeTo(before.after, 1);
    article.remove();
  });
});
