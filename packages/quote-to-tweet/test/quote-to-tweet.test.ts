import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { EngagementEvent, NETWORK_CODES, NETWORKS, contentHash, quoteTag, type Network } from '@chorus/core';
import { share } from '@chorus/core/fit';
import { QuoteToTweetElement } from '@chorus/quote-to-tweet';
import '@chorus/quote-to-tweet/define';
import { captureWarnings, engagements, itIsDefined, render, whileStorageThrows } from '../../../test/support/elements.ts';

const links = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[part~=network]')];
const param = (href: string, name: string) => new URL(href).searchParams.get(name);
/** The page a share link shares, without the attribution tag (tested on its own below). */
const shared = (href: string) => param(href, 'url')?.split('#')[0];
const quote = (markup: Parameters<typeof render>[0], selector = 'quote-to-tweet') => render<QuoteToTweetElement>(markup, selector);

beforeEach(() => {
  localStorage.clear();
});

describe('<quote-to-tweet>', () => {
  itIsDefined('quote-to-tweet', QuoteToTweetElement);

  it('renders its light-DOM quote and a Click to Tweet link that shares it', async () => {
    const el = await quote(html`<quote-to-tweet url="https://blog.example/post">Few readers who act beat many who scroll.</quote-to-tweet>`);
    const slot = el.shadowRoot!.querySelector('blockquote slot') as HTMLSlotElement;
    expect(slot.assignedNodes().map((n) => n.textContent).join('')).to.equal('Few readers who act beat many who scroll.');
    const [x] = links(el);
    expect(x.textContent!.trim()).to.equal('Click to Tweet');
    expect(x.target).to.equal('_blank');
    expect(x.rel).to.equal('noopener noreferrer');
    expect(new URL(x.href).hostname).to.equal('x.com');
    expect(param(x.href, 'text')).to.equal('Few readers who act beat many who scroll.');
    expect(shared(x.href)).to.equal('https://blog.example/post');
    await expect(el).to.be.accessible();
  });

  it('mirrors attributes to properties and re-renders from both', async () => {
    const el = await quote(html`<quote-to-tweet label="Tweet this" via="@ada" related="ada,chorusdev" hashtags="a, b" networks="x bluesky">Quote</quote-to-tweet>`);
    expect(el.label).to.equal('Tweet this');
    expect(el.via).to.equal('@ada');
    expect(el.related).to.equal('ada,chorusdev');
    // X's documented intent, with the handles X suggests following after the post; other networks have none.
    expect(links(el)[0].href.split('?')[0]).to.equal('https://x.com/intent/tweet');
    expect(param(links(el)[0].href, 'related')).to.equal('ada,chorusdev');
    expect(param(links(el)[1].href, 'related')).to.equal(null);
    expect(el.hashtags).to.equal('a, b');
    expect(el.networks).to.equal('x bluesky');
    expect(links(el).map((a) => a.textContent!.trim())).to.deep.equal(['Tweet this', 'Bluesky']);
    el.networks = 'bluesky';
    el.text = 'Another line';
    await el.updateComplete;
    expect(links(el)).to.have.length(1);
    expect(links(el)[0].href).to.contain('bsky.app');
    expect(decodeURIComponent(links(el)[0].href)).to.contain('Another line');
  });

  it('shares the page URL without its hash by default, or the canonical link', async () => {
    const el = await quote(html`<quote-to-tweet>Quote</quote-to-tweet>`);
    expect(shared(links(el)[0].href)).to.equal(location.href.split('#')[0]);
    const canonical = Object.assign(document.createElement('link'), { rel: 'canonical', href: 'https://blog.example/canonical' });
    document.head.append(canonical);
    try {
      const other = await quote(html`<quote-to-tweet>Quote</quote-to-tweet>`);
      expect(shared(links(other)[0].href)).to.equal('https://blog.example/canonical');
    } finally {
      canonical.remove();
    }
  });

  it('follows edits of its light-DOM text', async () => {
    const el = await quote(html`<quote-to-tweet>First</quote-to-tweet>`);
    el.firstChild!.textContent = 'Second';
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(param(links(el)[0].href, 'text')).to.equal('Second');
  });

  it('dispatches a share engagement with the network when a link is clicked', async () => {
    const el = await quote(html`<quote-to-tweet id="q1" networks="bluesky x">Share me</quote-to-tweet>`);
    const [bluesky] = links(el);
    bluesky.addEventListener('click', (event) => event.preventDefault()); // stay on the test page
    setTimeout(() => bluesky.click());
    const event = (await oneEvent(document, EngagementEvent.type)) as EngagementEvent;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.deep.include({ type: 'share', widget: 'quote-to-tweet', instance: 'q1', network: 'bluesky' });
    expect(event.detail.props).to.deep.include({ truncated: false, text: 'Share me' });
  });

  it('uses a stable content hash as its instance when it has no id', async () => {
    const a = await quote(html`<quote-to-tweet>Same words</quote-to-tweet>`);
    const b = await quote(html`<quote-to-tweet>Same words</quote-to-tweet>`);
    const c = await quote(html`<quote-to-tweet>Other words</quote-to-tweet>`);
    const instanceOf = async (el: QuoteToTweetElement) => {
      const seen = engagements(el);
      links(el)[0].addEventListener('click', (event) => event.preventDefault());
      links(el)[0].click();
      return seen[0].detail.instance;
    };
    expect(await instanceOf(a)).to.equal(await instanceOf(b));
    expect(await instanceOf(a)).not.to.equal(await instanceOf(c));
  });

  it('counts an impression once, after it has been half visible for a second', async () => {
    const el = await quote(html`<quote-to-tweet>Seen</quote-to-tweet>`);
    const seen = engagements(el);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).to.have.length(0);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(seen.map((e) => e.detail.type)).to.deep.equal(['impression']);
    el.remove(); // moving the element in the page does not count it again
    document.body.append(el);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(seen).to.have.length(1);
    el.remove();
  });

  it('counts no impression for an element that is off screen', async () => {
    const el = await quote(html`<div style="margin-top:300vh"><quote-to-tweet>Far below</quote-to-tweet></div>`);
    const seen = engagements(el);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(seen).to.have.length(0);
  });

  it('does not dispatch for programmatic changes', async () => {
    const q = await quote(html`<div style="margin-top:300vh"><quote-to-tweet>Quiet</quote-to-tweet></div>`);
    const seen = engagements(q);
    q.text = 'Changed';
    q.networks = 'x bluesky';
    await q.updateComplete;
    expect(seen).to.have.length(0);
  });

  it('is usable with the keyboard: links and buttons take focus in order', async () => {
    const el = await quote(html`<quote-to-tweet networks="x mastodon">Keys</quote-to-tweet>`);
    const focusables = [...el.shadowRoot!.querySelectorAll<HTMLElement>('a, button')];
    expect(focusables.length).to.be.greaterThan(1);
    for (const item of focusables) {
      item.focus();
      expect(el.shadowRoot!.activeElement).to.equal(item);
    }
  });

  it('asks for a Mastodon server once, accepts only a valid host name, and remembers it', async () => {
    const el = await quote(html`<quote-to-tweet networks="mastodon">Toot</quote-to-tweet>`);
    const ask = el.shadowRoot!.querySelector('button[part~=network]') as HTMLButtonElement;
    ask.click();
    // The form's code loads on this first click.
    await waitUntil(() => el.shadowRoot!.querySelector('form'), 'the Mastodon form appears');
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector('form')!;
    const input = form.querySelector('input')!;
    expect(el.shadowRoot!.activeElement).to.equal(input);
    await expect(el).to.be.accessible();

    input.value = 'not a host';
    form.requestSubmit();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('mastodon.social');
    expect(input.getAttribute('aria-invalid')).to.equal('true');

    const opened: string[] = [];
    const realOpen = window.open;
    window.open = ((url: string) => (opened.push(url), null)) as typeof window.open;
    const seen = engagements(el);
    try {
      input.value = '@me@Fosstodon.org';
      form.requestSubmit();
      await el.updateComplete;
    } finally {
      window.open = realOpen;
    }
    expect(opened).to.have.length(1);
    expect(new URL(opened[0]).hostname).to.equal('fosstodon.org');
    expect(seen[0].detail).to.deep.include({ type: 'share', network: 'mastodon' });
    expect(localStorage.getItem('chorus:mastodon-instance')).to.equal('fosstodon.org');

    const again = await quote(html`<quote-to-tweet networks="mastodon">Toot again</quote-to-tweet>`);
    expect(new URL(links(again)[0].href).hostname).to.equal('fosstodon.org');

    // A stored value that is not a host name as the form stores it is never put into a link.
    localStorage.setItem('chorus:mastodon-instance', 'evil.example/phish?');
    const tampered = await quote(html`<quote-to-tweet networks="mastodon">Toot</quote-to-tweet>`);
    expect(links(tampered)).to.have.length(0);
    expect(tampered.shadowRoot!.querySelector('button[part~=network]')).to.exist;
    localStorage.removeItem('chorus:mastodon-instance');
  });

  it('copies the quote and link, announces it, and dispatches copy', async () => {
    const el = await quote(html`<quote-to-tweet url="https://blog.example/p">Copy me</quote-to-tweet>`);
    const written: string[] = [];
    const clipboard = navigator.clipboard;
    const writeText = clipboard.writeText;
    clipboard.writeText = async (text: string) => void written.push(text);
    const seen = engagements(el);
    try {
      (el.shadowRoot!.querySelector('button[part~=copy]') as HTMLButtonElement).click();
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
    } finally {
      clipboard.writeText = writeText;
    }
    expect(written).to.deep.equal([`Copy me https://blog.example/p#${quoteTag(contentHash('Copy me'), 'copy')}`]);
    const status = el.shadowRoot!.querySelector('[role=status]')!;
    expect(status.textContent).to.equal('Quote and link copied');
    // Shown to every reader, under the buttons.
    const [actions, shown] = [el.shadowRoot!.querySelector('[part=actions]')!.getBoundingClientRect(), status.getBoundingClientRect()];
    expect(shown.width).to.be.greaterThan(20); // not a 1 px visually hidden box
    expect(shown.top).to.be.at.least(actions.bottom);
    expect(seen[0].detail).to.deep.include({ type: 'copy', network: 'copy' });
  });

  it('cuts a quote too long for X, at a word, and says so when shared', async () => {
    const long = 'Readers who act are worth more than readers who only look. '.repeat(8).trim();
    const el = await quote(html`<quote-to-tweet networks="x bluesky">${long}</quote-to-tweet>`);
    // The exact counting loads on demand: wait for the links to get their href.
    const ready = async () => {
      for (let i = 0; i < 100 && links(el).some((a) => !a.hasAttribute('href')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await el.updateComplete;
      }
    };
    await ready();
    const [x, bluesky] = links(el);
    const text = param(x.href, 'text')!;
    expect(text.endsWith('…')).to.equal(true);
    expect(long.startsWith(text.slice(0, -1).trimEnd())).to.equal(true);
    expect(long[text.length - 1]).to.equal(' '); // cut at the end of a word
    expect(param(bluesky.href, 'text')!.length).to.be.lessThan(long.length);
    const seen = engagements(el);
    x.addEventListener('click', (event) => event.preventDefault());
    x.click();
    expect(seen[0].detail.props).to.deep.include({ truncated: true });
  });

  it('fits a long quote with a URL on any domain exactly, once the list of domains has loaded', async () => {
    // .engineering is not on the built-in list: the full one loads, then the link counts the URL as 23.
    const long = `Read https://chorus.engineering/notes first. ${'Readers who act are worth more than readers who only look. '.repeat(5).trim()}`;
    const el = await quote(html`<quote-to-tweet url="https://blog.photography/post">${long}</quote-to-tweet>`);
    for (let i = 0; i < 200 && !links(el)[0].hasAttribute('href'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await el.updateComplete;
    }
    const x = links(el)[0];
    const text = param(x.href, 'text')!;
    const expected = share('x', { text: long, url: param(x.href, 'url')! }).text;
    expect(text).to.equal(expected);
    expect(text.endsWith('…')).to.equal(true);
    // 280 less the page's link (1 + 23), the cut word and the ellipsis: a text X counts as 23 + the rest.
    expect(text.length).to.be.greaterThan(225);
  });

  it('treats markup in attributes and in the quote as text', async () => {
    const el = await quote(html`<quote-to-tweet label="<img src=x onerror=alert(1)>" text="<b>bold</b>">&lt;script&gt;x&lt;/script&gt;</quote-to-tweet>`);
    expect(el.shadowRoot!.querySelector('img, b, script')).to.equal(null);
    expect(links(el)[0].textContent!.trim()).to.equal('<img src=x onerror=alert(1)>');
    expect(param(links(el)[0].href, 'text')).to.equal('<b>bold</b>');
  });

  describe('attribution tag', () => {
    const tagOf = (url: string) => /#(.*)$/.exec(url)?.[1];
    // What each network's link shares: the url parameter, or the URL inside the text.
    const sharedUrl = (network: Network, href: string) => {
      const query = new URL(href).searchParams;
      const url = query.get('url') ?? query.get('u') ?? query.get('body') ?? /https?:\/\/\S+/.exec(query.get('text') ?? '')?.[0];
      return url!;
    };

    it('tags the page URL every network shares with the quote and the network, replacing its fragment', async () => {
      localStorage.setItem('chorus:mastodon-instance', 'mastodon.social');
      const el = await quote(html`<quote-to-tweet id="tagged" url="https://blog.example/post?utm_source=feed#intro" networks=${NETWORKS.join(' ')}
        >Audience is who sees you; influence is who acts.</quote-to-tweet
      >`);
      const code = contentHash('tagged').slice(0, 6);
      const hrefs = links(el).map((a) => a.href);
      expect(hrefs).to.have.length(NETWORKS.length);
      NETWORKS.forEach((network, index) => {
        const url = sharedUrl(network, hrefs[index]);
        expect(url, network).to.equal(`https://blog.example/post?utm_source=feed#cq=${code}.${NETWORK_CODES[network]}`);
        expect(url.length - 'https://blog.example/post?utm_source=feed'.length, network).to.be.at.most(12);
      });
      localStorage.removeItem('chorus:mastodon-instance');
    });

    it('tags what the share sheet and the copy button share (n, c), and the code is the instance the events carry', async () => {
      const el = await quote(html`<quote-to-tweet url="https://blog.example/p">Native and copy</quote-to-tweet>`);
      const seen = engagements(el);
      const shares: ShareData[] = [];
      const written: string[] = [];
      const { share: nativeShare } = navigator;
      const { writeText } = navigator.clipboard;
      Object.defineProperty(navigator, 'share', { configurable: true, value: async (data: ShareData) => void shares.push(data) });
      navigator.clipboard.writeText = async (text: string) => void written.push(text);
      try {
        el.requestUpdate();
        await el.updateComplete;
        (el.shadowRoot!.querySelector('button[part~=native]') as HTMLButtonElement).click();
        (el.shadowRoot!.querySelector('button[part~=copy]') as HTMLButtonElement).click();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        if (nativeShare) Object.defineProperty(navigator, 'share', { configurable: true, value: nativeShare });
        else delete (navigator as { share?: unknown }).share;
        navigator.clipboard.writeText = writeText;
      }
      const instance = seen[0].detail.instance;
      const code = contentHash(instance).slice(0, 6);
      expect(tagOf(shares[0].url!)).to.equal(`cq=${code}.n`);
      expect(tagOf(written[0].split(' ').pop()!)).to.equal(`cq=${code}.c`);
      expect(quoteTag(instance, 'native')).to.equal(`cq=${code}.n`);
    });

    it('counts the tag when fitting a Bluesky post near the limit', async () => {
      const url = 'https://blog.example/a-post';
      // Fits in 300 graphemes with the bare URL, not with the tag added.
      const text = 'word '.repeat(Math.floor((300 - 1 - url.length - 4) / 5)).trim() + ' end';
      expect(share('bluesky', { text, url }).truncated).to.equal(false);
      const el = await quote(html`<quote-to-tweet id="near" url=${url} networks="bluesky">${text}</quote-to-tweet>`);
      for (let i = 0; i < 100 && !links(el)[0].hasAttribute('href'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await el.updateComplete;
      }
      const post = param(links(el)[0].href, 'text')!;
      expect(post).to.contain(`${url}#cq=`);
      expect([...new Intl.Segmenter().segment(post)].length).to.be.at.most(300);
      expect(post.split(' https://')[0].endsWith('…')).to.equal(true);
    });
  });

  describe('bad input', () => {
    it('renders an empty quote without actions and warns once', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const el = await quote(html`<quote-to-tweet> </quote-to-tweet>`);
        el.requestUpdate();
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[part~=actions]')).to.equal(null);
        expect(warnings.filter((w) => w.includes('no quote'))).to.have.length(1);
        await expect(el).to.be.accessible();
      } finally {
        restore();
      }
    });

    for (const unsafe of ['javascript:alert(1)', 'data:text/html,hi', 'http://']) {
      it(`ignores the url ${unsafe} with a warning and shares the page`, async () => {
        const { warnings, restore } = captureWarnings();
        try {
          const el = await quote(html`<quote-to-tweet url=${unsafe}>Quote</quote-to-tweet>`);
          expect(shared(links(el)[0].href)).to.equal(location.href.split('#')[0]);
          expect(warnings.filter((w) => w.includes('ignored url'))).to.have.length(1);
        } finally {
          restore();
        }
      });
    }

    it('skips an unknown network with a warning', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const el = await quote(html`<quote-to-tweet networks="myspace bluesky">Quote</quote-to-tweet>`);
        expect(links(el).map((a) => new URL(a.href).hostname)).to.deep.equal(['bsky.app']);
        expect(warnings.filter((w) => w.includes('myspace'))).to.have.length(1);
      } finally {
        restore();
      }
    });

    it('keeps working when storage throws', async () => {
      await whileStorageThrows(async () => {
        const el = await quote(html`<quote-to-tweet networks="mastodon x">Quote</quote-to-tweet>`);
        expect(el.shadowRoot!.querySelector('button[part~=network]')).to.exist;
        expect(links(el)).to.have.length(1);
      });
    });
  });

  it('lays out right to left', async () => {
    const q = await quote(html`<div dir="rtl"><quote-to-tweet>اقتباس</quote-to-tweet></div>`);
    const style = getComputedStyle(q);
    expect(style.borderRightWidth).not.to.equal('0px');
    expect(style.borderLeftWidth).to.equal('0px');
  });

  it('takes its accent colour from --chorus-accent, overridden by --quote-to-tweet-accent', async () => {
    const q = await quote(html`<div style="--chorus-accent: rgb(1, 2, 3)"><quote-to-tweet>Colour</quote-to-tweet></div>`);
    const primary = () => getComputedStyle(q.shadowRoot!.querySelector('[part~=primary]')!).backgroundColor;
    expect(primary()).to.equal('rgb(1, 2, 3)');
    q.style.setProperty('--quote-to-tweet-accent', 'rgb(4, 5, 6)');
    expect(primary()).to.equal('rgb(4, 5, 6)');
  });
});
