import { LitElement, html, isServer, nothing } from 'lit';
import { EngagementEvent, SSR, asServer, contentHash, readStored, safeHttpUrl, whenViewable, writeStored, type EngagementType, type TrackerQuery } from '@chorus/core';
import { styles } from './course-cta.styles.js';

const DAY = 86_400_000;

/**
 * A call-to-action card for the author's course or product. The offer is the element's own content,
 * so it reads without JavaScript; the button is a real link, tagged with UTM parameters. Copies of one
 * offer on a page share a `campaign`; each copy is its own `instance`, so a report can say which
 * placement converts.
 *
 * @tag course-cta
 * @summary A call-to-action card for the author's course or product: a real link with UTM parameters, measured per placement.
 * @slot heading - The offer's title, e.g. an `<h2>`.
 * @slot - The offer's text.
 * @slot image - An image, e.g. the course logo; give it `width` and `height` so its space is reserved.
 * @fires {EngagementEvent} chorus-engagement - `impression` (viewable: half of it on screen for one second), `click` and
 *   `dismiss`, each with `campaign` and `variant` when set; `detail` is an `EngagementDetail`.
 * @csspart base - The card.
 * @csspart image - The box around the slotted image.
 * @csspart body - The heading, text and button.
 * @csspart heading - The box around the slotted heading.
 * @csspart text - The box around the slotted text.
 * @csspart button - The link to the offer (a disabled button when `href` is missing or unsafe).
 * @csspart close - The dismiss button.
 * @cssproperty --course-cta-accent - Button colour and border tint (falls back to `--chorus-accent`, else `#1565c0`).
 * @cssproperty --course-cta-on-accent - Text on the button (falls back to `--chorus-on-accent`, else `#fff`).
 * @cssproperty --course-cta-background - Behind the card (default: a tint of the accent).
 * @cssproperty --course-cta-font - Font family (falls back to `--chorus-font`, else inherited).
 * @cssproperty --course-cta-padding - Inside the card (default 1.25em).
 * @cssproperty --course-cta-margin - Above and below the card (default 1.5em).
 * @cssproperty --course-cta-radius - Corner radius (falls back to `--chorus-radius`, else `0.5em`).
 * @cssproperty --course-cta-image-width - The image column on wide cards (default 10rem).
 */
export class CourseCtaElement extends LitElement {
  static override styles = styles;

  static override properties = {
    href: {},
    label: {},
    campaign: {},
    noUtm: { type: Boolean, attribute: 'no-utm' },
    dismissible: { type: Boolean },
    dismissDays: { type: Number, attribute: 'dismiss-days' },
  };

  /** Every string a reader sees. Replace or edit this object to translate (for all elements). */
  static strings = {
    label: 'Find out more',
    dismiss: 'Dismiss',
  };

  /** Registers the element, once, under `tag`. */
  static define(tag = 'course-cta', registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this);
  }

  /** Where the button leads: an http(s) URL, absolute or relative to the page; anything else disables the button, with a warning. */
  declare href: string | undefined;
  /** The button's text (default "Find out more"). */
  declare label: string | undefined;
  /** Ties the copies of one offer together: events, the UTM campaign, the dismissal and the variant. */
  declare campaign: string | undefined;
  /** Leave the link as written: no UTM parameters. */
  declare noUtm: boolean;
  /** Shows a close button; the dismissal is remembered for `dismissDays`. */
  declare dismissible: boolean;
  /** How long a dismissal is remembered, in days (default 30). */
  declare dismissDays: number;

  #instance = '';
  #variant?: string;
  #chosen?: HTMLTemplateElement;
  #counted = false;
  #stopWatching?: () => void;
  #warned = new Set<string>();

  constructor() {
    super();
    this.noUtm = false;
    this.dismissible = false;
    this.dismissDays = 30;
  }

  /** The A/B variant this reader sees (the `variant` of the chosen `<template>`), if the card has variants. */
  get variant(): string | undefined {
    return this.#variant;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#instance) {
      this.#instance = this.#resolveInstance();
      this.#applyVariant();
      this.#prepareImage();
    }
    if (this.dismissible && Number(readStored(this.#key('dismissed'))) > Date.now()) this.hidden = true;
    if (!this.#counted) {
      this.#stopWatching = whenViewable(this, () => {
        this.#counted = true;
        this.#emit('impression');
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatching?.();
  }

  // Its `id`, else the campaign (or a hash of the offer) and which copy of it this is, counted in page
  // order: "launch-1" at the top, "launch-2" at the bottom.
  #resolveInstance(): string {
    if (this.id) return this.id;
    const campaign = this.getAttribute('campaign');
    const copies = [...(this.getRootNode() as ParentNode).querySelectorAll(this.localName)].filter((el) => el.getAttribute('campaign') === campaign);
    return `${(campaign || contentHash(this.textContent!.replace(/\s+/g, ' ').trim())).slice(0, 120)}-${copies.indexOf(this) + 1}`;
  }

  // Dismissals and variants are per campaign (every copy of the offer), else per copy.
  #key(what: string): string {
    return `chorus:${this.localName}:${what}:${this.campaign || this.#instance}`;
  }

  #applyVariant(): void {
    const templates = [...this.querySelectorAll<HTMLTemplateElement>(':scope > template[variant]')];
    if (!templates.length) return;
    if (templates.length < 2) this.#warn('has a single <template variant>: an A/B test needs two or more; everyone sees that one.');
    const names = templates.map((template) => template.getAttribute('variant')!);
    const key = this.#key('variant');
    let name = readStored(key);
    if (!name || !names.includes(name)) {
      name = names[Math.floor(Math.random() * names.length)];
      writeStored(key, name); // if storage refuses, the reader may see another variant next time
    }
    this.#chosen = templates[names.indexOf(name)];
    if (templates.length > 1) this.#variant = name.slice(0, 64);
    this.append(this.#chosen.content.cloneNode(true));
  }

  #prepareImage(): void {
    const image = this.querySelector<HTMLImageElement>(':scope > img[slot=image], :scope > [slot=image] img');
    if (!image) return;
    if (!image.hasAttribute('loading')) image.loading = 'lazy';
    if (!image.getAttribute('width') || !image.getAttribute('height')) {
      this.#warn('has an image without width and height: give it both, so that its space is kept while it loads.');
    }
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    console.warn(`<${this.localName}> ${message}`, this);
  }

  #emit(type: EngagementType): void {
    const campaign = this.campaign?.slice(0, 128);
    this.dispatchEvent(
      new EngagementEvent({
        type,
        widget: this.localName,
        instance: this.#instance,
        ...(campaign ? { campaign } : {}),
        ...(this.#variant ? { variant: this.#variant } : {}),
      }),
    );
  }

  /**
   * The link with its UTM parameters, or undefined (and a warning) when `href` is missing or unsafe. A server
   * knows no page: an absolute `href`, as written.
   */
  #destination(): string | undefined {
    const server = SSR && asServer(this, isServer);
    const href = this.#chosen?.getAttribute('href') ?? this.href;
    const safe = safeHttpUrl(href, server ? undefined : location.href);
    if (!safe) {
      if (!server) this.#warn(href ? `ignored href "${href}": only http and https links; the button is disabled.` : 'has no href: the button is disabled.');
      return undefined;
    }
    const url = new URL(safe);
    if (server || this.noUtm || [...url.searchParams.keys()].some((name) => name.startsWith('utm_'))) return safe;
    const params = url.searchParams;
    // The site the tracker sends events under, so the course site's tracker (the same data-site) knows the
    // reader. TRACKER_QUERY spelt out: importing it would make a chunk of its own for the two widgets using it.
    const query: TrackerQuery = new Event('chorus-tracker-query');
    document.dispatchEvent(query);
    params.set('utm_source', query.site || document.querySelector<HTMLElement>('script[data-site]')?.dataset.site || location.hostname);
    params.set('utm_medium', 'chorus');
    if (this.campaign) params.set('utm_campaign', this.campaign);
    params.set('utm_content', this.#instance);
    if (this.#variant) params.set('utm_term', this.#variant);
    // The post, for a conversion on another origin (which sees no referrer path once the reader moves on).
    params.set('chorus_post', location.pathname);
    return url.href;
  }

  #dismiss(): void {
    const days = this.dismissDays >= 0 ? this.dismissDays : 30;
    writeStored(this.#key('dismissed'), String(Date.now() + days * DAY));
    this.#emit('dismiss');
    // Every copy of the offer goes: the reader said no to the offer, not to one box.
    for (const copy of (this.getRootNode() as ParentNode).querySelectorAll<HTMLElement>(this.localName)) {
      if (copy === this || (this.campaign && copy.getAttribute('campaign') === this.campaign)) copy.hidden = true;
    }
  }

  protected override render() {
    const strings = CourseCtaElement.strings;
    const label = this.#chosen?.getAttribute('label') ?? this.label ?? strings.label;
    const server = SSR && asServer(this, isServer);
    const destination = this.#destination();
    if (!(this.dismissDays >= 0)) this.#warn(`ignored dismiss-days "${this.getAttribute('dismiss-days')}": a number of days is expected; using 30.`);
    // A server cannot see the light DOM: the card has its image slot once hydrated.
    const hasImage = !server && !!this.querySelector(':scope > [slot=image]');
    return html`<div part="base" class=${hasImage ? 'with-image' : ''}>
      ${hasImage ? html`<div part="image"><slot name="image"></slot></div>` : nothing}
      <div part="body">
        <div part="heading"><slot name="heading"></slot></div>
        <div part="text"><slot></slot></div>
        ${destination
          ? html`<a part="button" href=${destination} @click=${() => this.#emit('click')}>${label}</a>`
          : html`<button part="button" type="button" disabled>${label}</button>`}
      </div>
      ${this.dismissible
        ? html`<button part="close" type="button" aria-label=${strings.dismiss} title=${strings.dismiss} @click=${this.#dismiss}>
            <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13" /></svg>
          </button>`
        : nothing}
    </div>`;
  }
}

/** What a template may set on a <course-cta>: its attributes, as the properties frameworks set. */
export type CourseCtaProperties = Pick<CourseCtaElement, 'href' | 'label' | 'campaign' | 'noUtm' | 'dismissible' | 'dismissDays'>;

/** Every event a <course-cta> dispatches, by name (its framework typings make a handler prop of each). */
export type CourseCtaEvents = { 'chorus-engagement': EngagementEvent };
