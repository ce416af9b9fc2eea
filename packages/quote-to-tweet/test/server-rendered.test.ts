// What a server that renders <quote-to-tweet> relies on (the WordPress plugin, issue #10): `url="none"`,
// `nofollow`, and the no-JavaScript fallback link in `slot="fallback"`.
import { expect, html } from '@open-wc/testing';
import { NETWORKS } from '@chorus/core';
import type { QuoteToTweetElement } from '@chorus/quote-to-tweet';
import '@chorus/quote-to-tweet/define';
import { render } from '../../../test/support/elements.ts';

const links = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[part~=network]')];
const quote = (markup: Parameters<typeof render>[0]) => render<QuoteToTweetElement>(markup, 'quote-to-tweet');
/** Waits until every share link has its href (a long quote waits for the exact counting). */
async function fitted(el: QuoteToTweetElement) {
  for (let i = 0; i < 100 && links(el).some((a) => !a.hasAttribute('href')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await el.updateComplete;
  }
  return links(el);
}

/** What the share sheet and the copy button are given, while `act` runs. */
async function sheetAndClipboard(el: QuoteToTweetElement) {
  const shares: ShareData[] = [];
  const written: string[] = [];
  const { share } = navigator;
  const { writeText } = navigator.clipboard;
  Object.defineProperty(navigator, 'share', { configurable: true, value: async (data: ShareData) => void shares.push(data) });
  navigator.clipboard.writeText = async (text: string) => void written.push(text);
  try {
    el.requestUpdate(); // renders the share sheet button, now that navigator.share exists
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~=native]')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~=copy]')!.click();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    if (share) Object.defineProperty(navigator, 'share', { configurable: true, value: share });
    else delete (navigator as { share?: unknown }).share;
    navigator.clipboard.writeText = writeText;
  }
  return { shares, written };
}

describe('<quote-to-tweet> rendered by a server', () => {
  afterEach(() => localStorage.removeItem('chorus:mastodon-instance'));

  describe('url="none"', () => {
    it('shares no page link on any network, nor its attribution tag', async () => {
      localStorage.setItem('chorus:mastodon-instance', 'mastodon.social');
      const el = await quote(html`<quote-to-tweet url="none" networks=${NETWORKS.join(' ')}>No link with this one.</quote-to-tweet>`);
      const hrefs = (await fitted(el)).map((a) => a.href);
      expect(hrefs).to.have.length(NETWORKS.length);
      NETWORKS.forEach((network, index) => {
        // The network's own address is the only one in the link: its query names no page and no tag.
        const query = decodeURIComponent(new URL(hrefs[index]).search);
        expect(query, network).not.to.match(/https?:|cq=|localhost/);
        if (network !== 'linkedin' && network !== 'facebook') expect(query, network).to.contain('No link with this one.');
      });
    });

    it('gives the share sheet and the clipboard the quote alone', async () => {
      const el = await quote(html`<quote-to-tweet url="none">Only the words.</quote-to-tweet>`);
      const { shares, written } = await sheetAndClipboard(el);
      expect(shares).to.deep.equal([{ text: 'Only the words.', url: undefined }]);
      expect(written).to.deep.equal(['Only the words.']);
    });

    it('fits the text without a URL: 280 characters go to X uncut, which a URL would cut', async () => {
      const text = 'word '.repeat(55) + 'ends'; // 279 characters, no URL in them
      const [none] = await fitted(await quote(html`<quote-to-tweet url="none">${text}</quote-to-tweet>`));
      expect(new URL(none.href).searchParams.get('text')).to.equal(text);
      expect(new URL(none.href).searchParams.has('url')).to.equal(false);
      const [linked] = await fitted(await quote(html`<quote-to-tweet url="https://blog.example/p">${text}</quote-to-tweet>`));
      expect(new URL(linked.href).searchParams.get('text')!.endsWith('…')).to.equal(true);
    });

    it('is no URL to warn about', async () => {
      const warnings: unknown[] = [];
      const { warn } = console;
      console.warn = (...args: unknown[]) => void warnings.push(args[0]);
      try {
        await quote(html`<quote-to-tweet url="none">Quiet</quote-to-tweet>`);
      } finally {
        console.warn = warn;
      }
      expect(warnings).to.deep.equal([]);
    });
  });

  it('adds nofollow to every share link with `nofollow`, and takes it away again', async () => {
    const el = await quote(html`<quote-to-tweet nofollow networks="x bluesky reddit">Follow no link</quote-to-tweet>`);
    expect(el.nofollow).to.equal(true);
    expect(links(el).map((a) => a.rel)).to.deep.equal(Array(3).fill('noopener noreferrer nofollow'));
    el.removeAttribute('nofollow');
    await el.updateComplete;
    expect(links(el).map((a) => a.rel)).to.deep.equal(Array(3).fill('noopener noreferrer'));
    el.nofollow = true;
    await el.updateComplete;
    expect(links(el)[0].relList.contains('nofollow')).to.equal(true);
  });

  describe('the fallback link', () => {
    const serverRendered = (quoteText: string) => html`<quote-to-tweet url="https://blog.example/p"
      >${quoteText}<!-- an editor's note --><a slot="fallback" class="chorus-fallback" href="https://x.com/intent/tweet?text=Fallback">Tweet this</a></quote-to-tweet
    >`;

    it('is not shared: neither it nor a comment is part of the quote', async () => {
      const el = await quote(serverRendered('The words to share.'));
      const { searchParams } = new URL(links(el)[0].href);
      expect(searchParams.get('text')).to.equal('The words to share.');
      const { written } = await sheetAndClipboard(el);
      expect(written[0]).to.match(/^The words to share\. https:\/\/blog\.example\/p#cq=/);
    });

    it('is not shown once upgraded, and the element\'s own links take its place', async () => {
      const el = await quote(serverRendered('Shown without JavaScript.'));
      const fallback = el.querySelector('[slot=fallback]')!;
      expect(fallback.assignedSlot).to.equal(null);
      expect(fallback.getClientRects()).to.have.length(0);
      expect(links(el)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('follows the quote when the page edits it, still without the fallback', async () => {
      const el = await quote(serverRendered('First words.'));
      // (Lit's markers around the quote are comments: the text is the node with words in it.)
      [...el.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim())!.textContent = 'Second words.';
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      expect(new URL(links(el)[0].href).searchParams.get('text')).to.equal('Second words.');
    });
  });
});
