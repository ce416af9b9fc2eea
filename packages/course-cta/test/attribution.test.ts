// The link <course-cta> makes for the course site to attribute a conversion: the tracker's site (as npm
// users configure it), the variant and the post. A file of its own: the tracker it configures listens
// on the whole page.
import { expect, html } from '@open-wc/testing';
import { configure } from '@chorus/tracker';
import { CourseCtaElement } from '@chorus/course-cta';
import '@chorus/course-cta/define';
import { render } from '../../../test/support/elements.ts';

const link = (el: Element) => el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~=button]')!;
const param = (href: string, name: string) => new URL(href).searchParams.get(name);
const cta = (markup: Parameters<typeof render>[0]) => render<CourseCtaElement>(markup, 'course-cta');

describe('<course-cta> link attribution', () => {
  before(() => localStorage.clear());

  it('takes utm_source from the tracker, as configure({site}) set it, before any script data-site', async () => {
    const script = Object.assign(document.createElement('script'), { type: 'text/plain' });
    script.dataset.site = 'from-the-tag';
    document.head.append(script);
    try {
      const before = await cta(html`<course-cta href="https://courses.example/">Offer</course-cta>`);
      expect(param(link(before).href, 'utm_source')).to.equal('from-the-tag');
      configure({ collector: () => undefined, site: 'from-configure', pageviews: false });
      const after = await cta(html`<course-cta href="https://courses.example/">Offer</course-cta>`);
      expect(param(link(after).href, 'utm_source')).to.equal('from-configure');
    } finally {
      script.remove();
    }
  });

  it('adds the variant as utm_term and the post as chorus_post; utm_medium, campaign and content stay', async () => {
    const el = await cta(html`<course-cta href="https://courses.example/" campaign="ab">
      <template variant="a"><h2 slot="heading">A</h2></template>
      <template variant="b"><h2 slot="heading">B</h2></template>
    </course-cta>`);
    const href = link(el).href;
    expect(param(href, 'utm_term')).to.equal(el.variant);
    expect(param(href, 'chorus_post')).to.equal(location.pathname);
    expect(param(href, 'utm_medium')).to.equal('chorus');
    expect(param(href, 'utm_campaign')).to.equal('ab');
    expect(param(href, 'utm_content')).to.equal('ab-1');
  });

  it('has no utm_term without variants, and leaves tagged or no-utm links alone', async () => {
    const plain = await cta(html`<course-cta href="https://courses.example/">Offer</course-cta>`);
    expect(param(link(plain).href, 'utm_term')).to.equal(null);
    const noUtm = await cta(html`<course-cta no-utm href="https://courses.example/x">Offer</course-cta>`);
    expect(link(noUtm).href).to.equal('https://courses.example/x');
    const tagged = await cta(html`<course-cta href="https://courses.example/?utm_source=mail">Offer</course-cta>`);
    expect(link(tagged).href).to.equal('https://courses.example/?utm_source=mail');
  });
});
