import { expect, fixture, html } from '@open-wc/testing';
import { EngagementEvent } from '@chorus/core';
import { CourseCtaElement } from '@chorus/course-cta';
import '@chorus/course-cta/define';
import { captureWarnings, click, engagements, itIsDefined, render, sleep, whileStorageThrows } from '../../../test/support/elements.ts';

const link = (el: Element) => el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~=button]');
const param = (href: string, name: string) => new URL(href).searchParams.get(name);
const cta = (markup: Parameters<typeof render>[0], selector = 'course-cta') => render<CourseCtaElement>(markup, selector);

const OFFER = html`<course-cta id="top" href="https://courses.example/influence" campaign="launch">
  <h2 slot="heading">Write for readers who act</h2>
  <p>A six-week video course.</p>
</course-cta>`;

beforeEach(() => {
  localStorage.clear();
});

describe('<course-cta>', () => {
  itIsDefined('course-cta', CourseCtaElement);

  it('renders its heading, text and a real link with the default label', async () => {
    const el = await cta(OFFER);
    const named = (name: string) => el.shadowRoot!.querySelector<HTMLSlotElement>(`slot${name ? `[name=${name}]` : ':not([name])'}`)!;
    expect(named('heading').assignedElements()[0].textContent).to.equal('Write for readers who act');
    expect(named('').assignedElements()[0].textContent).to.equal('A six-week video course.');
    const a = link(el)!;
    expect(a.textContent!.trim()).to.equal('Find out more');
    expect(new URL(a.href).origin + new URL(a.href).pathname).to.equal('https://courses.example/influence');
    expect(el.shadowRoot!.querySelector('[part~=close]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('adds UTM parameters: site, chorus, campaign and the instance', async () => {
    const el = await cta(OFFER);
    const href = link(el)!.href;
    expect(param(href, 'utm_source')).to.equal(location.hostname);
    expect(param(href, 'utm_medium')).to.equal('chorus');
    expect(param(href, 'utm_campaign')).to.equal('launch');
    expect(param(href, 'utm_content')).to.equal('top');
  });

  it('takes utm_source from the script tag data-site', async () => {
    const script = Object.assign(document.createElement('script'), { type: 'text/plain' });
    script.dataset.site = 'field-notes';
    document.head.append(script);
    try {
      const el = await cta(OFFER);
      expect(param(link(el)!.href, 'utm_source')).to.equal('field-notes');
    } finally {
      script.remove();
    }
  });

  it('leaves the link as written with no-utm, or when it already has UTM parameters', async () => {
    const plain = await cta(html`<course-cta href="https://courses.example/a?x=1#top" no-utm>Offer</course-cta>`);
    expect(link(plain)!.href).to.equal('https://courses.example/a?x=1#top');
    const tagged = await cta(html`<course-cta href="https://courses.example/a?utm_source=newsletter">Offer</course-cta>`);
    expect(link(tagged)!.href).to.equal('https://courses.example/a?utm_source=newsletter');
  });

  it('mirrors attributes to properties and re-renders from both', async () => {
    const el = await cta(html`<course-cta href="/course" label="Take the course" campaign="c1" dismissible dismiss-days="7" no-utm>Offer</course-cta>`);
    expect(el.href).to.equal('/course');
    expect(el.label).to.equal('Take the course');
    expect(el.campaign).to.equal('c1');
    expect(el.dismissible).to.equal(true);
    expect(el.dismissDays).to.equal(7);
    expect(el.noUtm).to.equal(true);
    expect(link(el)!.href).to.equal(new URL('/course', location.href).href);
    expect(link(el)!.textContent!.trim()).to.equal('Take the course');
    el.label = 'Enrol';
    el.href = 'https://courses.example/b';
    el.dismissible = false;
    await el.updateComplete;
    expect(link(el)!.textContent!.trim()).to.equal('Enrol');
    expect(link(el)!.href).to.equal('https://courses.example/b');
    expect(el.shadowRoot!.querySelector('[part~=close]')).to.equal(null);
  });

  it('dispatches click with campaign and instance; copies of one campaign are told apart', async () => {
    const root = await fixture(html`<div>
      <course-cta href="https://courses.example/" campaign="launch">Same offer</course-cta>
      <p>The post.</p>
      <course-cta href="https://courses.example/" campaign="launch">Same offer</course-cta>
    </div>`);
    const [top, bottom] = [...root.querySelectorAll('course-cta')];
    await Promise.all([top.updateComplete, bottom.updateComplete]);
    const seen = engagements();
    click(link(top)!);
    click(link(bottom)!);
    expect(seen.map((e) => e.detail)).to.deep.equal([
      { type: 'click', widget: 'course-cta', instance: 'launch-1', campaign: 'launch' },
      { type: 'click', widget: 'course-cta', instance: 'launch-2', campaign: 'launch' },
    ]);
    expect(seen[0].bubbles && seen[0].composed).to.equal(true);
    expect(param(link(bottom)!.href, 'utm_content')).to.equal('launch-2');
  });

  it('counts an impression once, after it has been half visible for a second', async () => {
    const el = await cta(OFFER);
    const seen = engagements(el);
    await sleep(500);
    expect(seen).to.have.length(0);
    await sleep(800);
    expect(seen.map((e) => e.detail)).to.deep.equal([{ type: 'impression', widget: 'course-cta', instance: 'top', campaign: 'launch' }]);
    el.remove();
    document.body.append(el);
    await sleep(1300);
    expect(seen).to.have.length(1);
    el.remove();
  });

  it('does not dispatch for programmatic changes', async () => {
    const el = await cta(html`<div style="margin-top:300vh"><course-cta href="https://courses.example/">Quiet</course-cta></div>`);
    const seen = engagements(el);
    el.label = 'Changed';
    el.dismissible = true;
    await el.updateComplete;
    await sleep(50);
    expect(seen).to.have.length(0);
  });

  it('is usable with the keyboard: the link, then the close button', async () => {
    const el = await cta(html`<course-cta href="https://courses.example/" dismissible>Keys</course-cta>`);
    const focusables = [...el.shadowRoot!.querySelectorAll<HTMLElement>('a, button')];
    expect(focusables.map((item) => item.getAttribute('part'))).to.deep.equal(['button', 'close']);
    for (const item of focusables) {
      item.focus();
      expect(el.shadowRoot!.activeElement).to.equal(item);
    }
    await expect(el).to.be.accessible();
  });

  it('is dismissed with its close button, every copy of the campaign with it, and stays dismissed', async () => {
    const root = await fixture(html`<div>
      <course-cta href="https://courses.example/" campaign="launch" dismissible>Offer</course-cta>
      <course-cta href="https://courses.example/" campaign="launch" dismissible>Offer</course-cta>
      <course-cta href="https://courses.example/" campaign="other" dismissible>Other</course-cta>
    </div>`);
    const [top, bottom, other] = [...root.querySelectorAll('course-cta')];
    await top.updateComplete;
    const seen = engagements();
    const close = top.shadowRoot!.querySelector<HTMLButtonElement>('[part~=close]')!;
    expect(close.getAttribute('aria-label')).to.equal('Dismiss');
    close.click();
    expect(seen.map((e) => e.detail)).to.deep.equal([{ type: 'dismiss', widget: 'course-cta', instance: 'launch-1', campaign: 'launch' }]);
    expect([top.hidden, bottom.hidden, other.hidden]).to.deep.equal([true, true, false]);
    expect(getComputedStyle(top).display).to.equal('none');
    const until = Number(localStorage.getItem('chorus:course-cta:dismissed:launch'));
    expect(until - Date.now()).to.be.closeTo(30 * 86_400_000, 60_000);
    expect(document.cookie).to.equal('');

    // The next page view: a new element of the same campaign starts hidden.
    const again = await cta(html`<course-cta href="https://courses.example/" campaign="launch" dismissible>Offer</course-cta>`);
    expect(again.hidden).to.equal(true);
  });

  it('shows a dismissed offer again once dismiss-days have passed', async () => {
    localStorage.setItem('chorus:course-cta:dismissed:launch', String(Date.now() - 1000));
    const el = await cta(html`<course-cta href="https://courses.example/" campaign="launch" dismissible dismiss-days="1">Offer</course-cta>`);
    expect(el.hidden).to.equal(false);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=close]')!.click();
    const until = Number(localStorage.getItem('chorus:course-cta:dismissed:launch'));
    expect(until - Date.now()).to.be.closeTo(86_400_000, 60_000);
  });

  describe('A/B variants', () => {
    const AB = html`<course-cta href="https://courses.example/" campaign="ab">
      <template variant="a"><h2 slot="heading">Variant A</h2></template>
      <template variant="b" label="Start now" href="https://courses.example/b"><h2 slot="heading">Variant B</h2></template>
      <p>Shared text.</p>
    </course-cta>`;

    it('assigns a variant once, keeps it, and tags every event with it', async () => {
      const el = await cta(AB);
      const variant = el.variant!;
      expect(['a', 'b']).to.include(variant);
      expect(localStorage.getItem('chorus:course-cta:variant:ab')).to.equal(variant);
      const heading = el.querySelector('[slot=heading]')!;
      expect(heading.textContent).to.equal(`Variant ${variant.toUpperCase()}`);
      expect(el.querySelectorAll('[slot=heading]')).to.have.length(1);
      if (variant === 'b') {
        expect(link(el)!.textContent!.trim()).to.equal('Start now');
        expect(link(el)!.pathname).to.equal('/b');
      }
      const seen = engagements(el);
      click(link(el)!);
      expect(seen[0].detail).to.deep.equal({ type: 'click', widget: 'course-cta', instance: 'ab-1', campaign: 'ab', variant });
      for (let view = 0; view < 5; view++) {
        const next = await cta(AB);
        expect(next.variant).to.equal(variant);
      }
      await expect(el).to.be.accessible();
    });

    it('splits readers between the variants', async () => {
      const assigned = new Set<string>();
      for (let reader = 0; reader < 20 && assigned.size < 2; reader++) {
        localStorage.clear();
        assigned.add((await cta(AB)).variant!);
      }
      expect([...assigned].sort()).to.deep.equal(['a', 'b']);
    });

    it('reassigns a stored variant that no longer exists', async () => {
      localStorage.setItem('chorus:course-cta:variant:ab', 'c');
      const el = await cta(AB);
      expect(['a', 'b']).to.include(el.variant);
    });

    it('warns about a single variant and shows it without a variant in events', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const el = await cta(html`<course-cta href="https://courses.example/"><template variant="only"><p>Only</p></template></course-cta>`);
        expect(el.variant).to.equal(undefined);
        expect(el.querySelector('p')!.textContent).to.equal('Only');
        expect(warnings.filter((w) => w.includes('single'))).to.have.length(1);
      } finally {
        restore();
      }
    });
  });

  describe('layout', () => {
    const WITH_IMAGE = (width: string) => html`<div style="width:${width}">
      <course-cta href="https://courses.example/">
        <img slot="image" width="320" height="180" alt="" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='320' height='180'/%3E" />
        <h2 slot="heading">Heading</h2>
        <p>Text</p>
      </course-cta>
    </div>`;

    it('stacks on narrow cards and puts the image beside the text on wide ones', async () => {
      const narrow = await cta(WITH_IMAGE('300px'));
      const box = (el: Element, part: string) => el.shadowRoot!.querySelector(`[part~=${part}]`)!.getBoundingClientRect();
      expect(box(narrow, 'body').top).to.be.greaterThan(box(narrow, 'image').bottom - 1);
      const wide = await cta(WITH_IMAGE('700px'));
      expect(box(wide, 'body').left).to.be.greaterThan(box(wide, 'image').right - 1);
    });

    it('lazy-loads its image and keeps its space reserved before it loads', async () => {
      const el = await cta(WITH_IMAGE('300px'));
      const image = el.querySelector('img')!;
      expect(image.loading).to.equal('lazy');
      const { width, height } = image.getBoundingClientRect();
      expect(height).to.be.closeTo((width * 180) / 320, 1);
    });

    it('lays out right to left', async () => {
      const el = await cta(html`<div dir="rtl" style="width:700px"><course-cta href="https://courses.example/" dismissible>عرض</course-cta></div>`);
      const base = el.shadowRoot!.querySelector('[part~=base]')!.getBoundingClientRect();
      const close = el.shadowRoot!.querySelector('[part~=close]')!.getBoundingClientRect();
      expect(close.left - base.left).to.be.lessThan(base.right - close.right);
    });

    it('takes its accent from --chorus-accent, overridden by --course-cta-accent', async () => {
      const el = await cta(html`<div style="--chorus-accent: rgb(1, 2, 3)"><course-cta href="https://courses.example/">Colour</course-cta></div>`);
      const button = () => getComputedStyle(link(el)!).backgroundColor;
      expect(button()).to.equal('rgb(1, 2, 3)');
      el.style.setProperty('--course-cta-accent', 'rgb(4, 5, 6)');
      expect(button()).to.equal('rgb(4, 5, 6)');
    });
  });

  describe('bad input', () => {
    for (const href of [undefined, 'javascript:alert(1)', 'data:text/html,hi', 'http://']) {
      it(`disables the button with one warning for href ${href}`, async () => {
        const { warnings, restore } = captureWarnings();
        try {
          const el = await cta(html`<course-cta href=${href ?? (null as unknown as string)}>Offer</course-cta>`);
          el.requestUpdate();
          await el.updateComplete;
          expect(link(el)).to.equal(null);
          const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~=button]')!;
          expect(button.disabled).to.equal(true);
          expect(warnings.filter((w) => w.includes('href'))).to.have.length(1);
          await expect(el).to.be.accessible();
        } finally {
          restore();
        }
      });
    }

    it('warns about an image without width and height, and about a bad dismiss-days', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const el = await cta(html`<course-cta id="bad" href="https://courses.example/" dismissible dismiss-days="soon">
          <img slot="image" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" />Offer
        </course-cta>`);
        expect(warnings.filter((w) => w.includes('width and height'))).to.have.length(1);
        expect(warnings.filter((w) => w.includes('dismiss-days'))).to.have.length(1);
        el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=close]')!.click();
        const until = Number(localStorage.getItem('chorus:course-cta:dismissed:bad'));
        expect(until - Date.now()).to.be.closeTo(30 * 86_400_000, 60_000);
      } finally {
        restore();
      }
    });

    it('keeps working when storage throws', async () => {
      await whileStorageThrows(async () => {
        const el = await cta(html`<course-cta href="https://courses.example/" campaign="ab" dismissible>
          <template variant="a"><p>A</p></template><template variant="b"><p>B</p></template>
        </course-cta>`);
        expect(['a', 'b']).to.include(el.variant);
        el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=close]')!.click();
        expect(el.hidden).to.equal(true);
      });
    });

    it('treats markup in attributes as text', async () => {
      const el = await cta(html`<course-cta href="https://courses.example/" label="<img src=x onerror=alert(1)>">Offer</course-cta>`);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(link(el)!.textContent!.trim()).to.equal('<img src=x onerror=alert(1)>');
    });
  });
});
