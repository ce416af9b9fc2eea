import { LitElement, html, isServer, nothing } from 'lit';
import {
  EngagementEvent,
  NETWORKS,
  SSR,
  asServer,
  NETWORK_NAMES,
  instanceId,
  isHostName,
  join,
  quickFit,
  quoteTag,
  readStored,
  safeHttpUrl,
  shareWith,
  whenViewable,
  writeStored,
  type EngagementDetail,
  type Fit,
  type Network,
  type ShareTarget,
} from '@chorus/core';
import type { MastodonPrompt } from './mastodon-prompt.js';
import { styles } from './quote-to-tweet.styles.js';

const MASTODON_KEY = 'chorus:mastodon-instance';

/**
 * A pull quote with "Click to Tweet" and other share links, each fitted to the network's limit as
 * that network counts it. The quote is the element's own content, so it reads without JavaScript.
 *
 * @tag quote-to-tweet
 * @summary A pull quote with Click to Tweet and other share links, each fitted to the network's limit.
 * @slot - The quote, as text.
 * @slot fallback - A link for readers without JavaScript (say, to X's intent, rendered by the server), put last:
 *   it is not part of the quote shared and not shown once the element is upgraded, whose own links take its place
 *   (the page's reserve rule gives it the room of the buttons, so nothing moves).
 * @fires {EngagementEvent} chorus-engagement - `impression` (viewable: half of it on screen for one second), `share`
 *   (with `network` and `props.truncated`) and `copy`; `detail` is an `EngagementDetail`.
 * @csspart base - The figure around the quote and its actions.
 * @csspart quote - The blockquote holding the slotted text.
 * @csspart actions - The row of share links and buttons.
 * @csspart button - Every share link and button; each also has one of the four parts below.
 * @csspart primary - The first network's link.
 * @csspart network - Every network's share link, the first included.
 * @csspart native - The button that opens the system share sheet.
 * @csspart copy - The button that copies the quote and its link.
 * @csspart mastodon - The form that asks for the reader's Mastodon server.
 * @cssproperty --quote-to-tweet-accent - Border and primary button colour (falls back to `--chorus-accent`, else `#1565c0`).
 * @cssproperty --quote-to-tweet-on-accent - Text on the accent colour (falls back to `--chorus-on-accent`, else `#fff`).
 * @cssproperty --quote-to-tweet-background - Behind the quote (default: a tint of the accent).
 * @cssproperty --quote-to-tweet-font - The quote's font family (falls back to `--chorus-font`, else inherited).
 * @cssproperty --quote-to-tweet-font-size - The quote's size (default 1.125em).
 * @cssproperty --quote-to-tweet-font-style - The quote's style (default normal).
 * @cssproperty --quote-to-tweet-padding - Inside the box, one length (default 1em).
 * @cssproperty --quote-to-tweet-margin - Above and below the box (default 1.5em).
 * @cssproperty --quote-to-tweet-radius - Corner radius (falls back to `--chorus-radius`, else `0.5em`).
 */
export class QuoteToTweetElement extends LitElement {
  static override styles = styles;

  static override properties = {
    text: {},
    url: {},
    via: {},
    related: {},
    hashtags: {},
    networks: {},
    label: {},
    nofollow: { type: Boolean },
    _status: { state: true },
  };

  /** Every string a reader sees. Replace or edit this object to translate (for all elements). */
  static strings = {
    label: 'Click to Tweet',
    actions: 'Share this quote',
    shareOn: 'Share on {network}',
    native: 'Share…',
    copy: 'Copy',
    copied: 'Quote and link copied',
    copyFailed: 'Could not copy',
    mastodonServer: 'Your Mastodon server',
    mastodonPlaceholder: 'mastodon.social',
    mastodonGo: 'Share',
    mastodonInvalid: 'Enter a server name such as mastodon.social',
    networks: { ...NETWORK_NAMES } as Record<Network, string>,
  };

  /** Registers the element, once, under `tag`. */
  static define(tag = 'quote-to-tweet', registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this);
  }

  /** Share this text instead of the quote shown. */
  declare text: string | undefined;
  /**
   * The link to share, an http(s) URL absolute or relative to the page; default: the page's canonical URL, else
   * its address without the hash. `none` shares no link at all (so no attribution tag either), on every network,
   * the share sheet and copy.
   */
  declare url: string | undefined;
  /** An X handle to credit, with or without `@`. */
  declare via: string | undefined;
  /** X handles (no `@`) separated by commas, that X suggests following once the reader has posted. */
  declare related: string | undefined;
  /** Hashtags, separated by commas or spaces, `#` optional. */
  declare hashtags: string | undefined;
  /**
   * Space-separated networks, in order, the first the primary button: `x` `bluesky` `mastodon` `threads` `linkedin`
   * `facebook` `reddit` `hackernews` `email` `whatsapp` `telegram`.
   */
  declare networks: string;
  /** The primary button's text (default: "Click to Tweet" for X, else the network's name). */
  declare label: string | undefined;
  /** Adds `nofollow` to every share link's `rel`. */
  declare nofollow: boolean;

  declare private _status?: string;

  #quoteText = '';
  #shareable: Network[] = [];
  #shareLink: string | undefined;
  #counted = false;
  #stopWatching?: () => void;
  #warned = new Set<string>();
  // The quote is light-DOM text that the page may edit; keep the links in step with it (not on a server).
  #contentObserver = isServer && !globalThis.document ? undefined : new MutationObserver(() => this.requestUpdate());
  /** Quick, then exact counting, loaded only once a quote may be too long for a network (2.6 KB the reader rarely needs). */
  static #fit: Fit = quickFit;
  /** Asks for the reader's Mastodon server: loaded once a reader first picks Mastodon. */
  #mastodon?: MastodonPrompt;

  constructor() {
    super();
    this.networks = 'x';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#contentObserver?.observe(this, { childList: true, characterData: true, subtree: true });
    if (!this.#counted) {
      this.#stopWatching = whenViewable(this, () => {
        this.#counted = true;
        if (this.#quoteText) this.#emit({ type: 'impression' });
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#contentObserver?.disconnect();
    this.#stopWatching?.();
  }

  // Everything the links are made of, from the attributes and the page: cheap, so done on every update.
  protected override willUpdate(): void {
    // A server knows the attributes only: it shares `text`, and an absolute `url` (else no page link).
    const server = SSR && asServer(this, isServer);
    // The text of the quote as the page shows it: not the fallback link (the server's, for readers without
    // JavaScript), and not comments, which a node's textContent would give.
    const quote = server ? '' : [...this.childNodes].map((node) => (node.nodeType == 8 || (node as Element).slot == 'fallback' ? '' : node.textContent)).join('');
    this.#quoteText = (this.text ?? quote).replace(/\s+/g, ' ').trim();
    if (!this.#quoteText && !server) this.#warn('has no quote: put the text to share inside it, or set `text`.');

    const page = server ? undefined : location.href;
    const none = this.url == 'none';
    const own = safeHttpUrl(this.url, page);
    if (this.url != null && !none && !own && !server) this.#warn(`ignored url "${this.url}" (not http or https): sharing the page instead.`);
    const canonical = server ? undefined : document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href;
    // Without its fragment: the share links put the attribution tag there.
    this.#shareLink = none ? undefined : (own ?? safeHttpUrl(canonical) ?? safeHttpUrl(page))?.split('#')[0];

    const known = new Set<Network>();
    for (const name of (this.networks ?? '').toLowerCase().split(/\s+/)) {
      if ((NETWORKS as readonly string[]).includes(name)) known.add(name as Network);
      else if (name) this.#warn(`skipped unknown network "${name}" (known: ${NETWORKS}).`);
    }
    this.#shareable = known.size ? [...known] : ['x'];
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    console.warn(`<${this.localName}> ${message}`, this);
  }

  // The reader's browser names the file it could not fetch.
  #couldNotLoad = (error: unknown) => this.#warn(`could not load some of its code: ${error}`);

  // Every link shared names this quote and where it went (`#cq=…`), so a reader who comes back through it
  // counts as an arrival; it replaces the URL's own fragment.
  #tagged = (network: ShareTarget) => this.#shareLink && `${this.#shareLink}#${quoteTag(instanceId(this, this.#quoteText), network)}`;

  #emit(detail: Omit<EngagementDetail, 'widget' | 'instance'>): void {
    const instance = instanceId(this, this.#quoteText);
    const props = { text: this.#quoteText.slice(0, 280), ...detail.props };
    this.dispatchEvent(new EngagementEvent({ ...detail, widget: this.localName, instance, props }));
  }

  /** The share link and whether the text was cut, or undefined until the exact counting has loaded. */
  #share(network: Network, instance?: string | null) {
    const options = { text: this.#quoteText, url: this.#tagged(network), via: this.via, related: this.related, hashtags: this.hashtags, instance };
    const shared = shareWith(QuoteToTweetElement.#fit, network, options);
    if (!shared) {
      // Once loaded, and once it has loaded the list of domains when a URL in the text needs it.
      import('@chorus/core/fit')
        .then(({ ready }) => ready)
        .then((exactFit) => ((QuoteToTweetElement.#fit = exactFit), this.requestUpdate()), this.#couldNotLoad);
    }
    return shared;
  }

  protected override render() {
    const strings = QuoteToTweetElement.strings;
    // What the browser can do and what the reader chose are not known on a server, nor in the render hydration matches.
    const server = SSR && asServer(this, isServer);
    const instance = server ? undefined : readStored(MASTODON_KEY);
    return html`<figure part="base">
      <blockquote part="quote"><slot></slot></blockquote>
      ${this.#quoteText
        ? html`<div part="actions" role="group" aria-label=${strings.actions}>
              ${this.#shareable.map((network, index) => {
                const name = strings.networks[network];
                const text = index ? name : (this.label ?? (network === 'x' ? strings.label : name));
                const parts = `button network${index ? '' : ' primary'}`;
                const accessibleName = text === name ? strings.shareOn.replace('{network}', name) : text;
                if (network === 'mastodon' && !isHostName(instance)) {
                  return html`<button part=${parts} type="button" aria-expanded=${!!this.#mastodon?.open} aria-label=${accessibleName}
                    @click=${this.#askMastodon}>${text}</button>`;
                }
                // Until a long quote is fitted the link has no href: it is shown, so nothing moves, but goes nowhere.
                const shared = this.#share(network, instance);
                return html`<a part=${parts} href=${shared?.url ?? nothing} target="_blank" rel="noopener noreferrer${this.nofollow ? ' nofollow' : ''}"
                  aria-label=${accessibleName} @click=${() => this.#shared(network, shared)}>${text}</a>`;
              })}
              ${!server && 'share' in navigator
                ? html`<button part="button native" type="button" @click=${this.#shareNatively}>${strings.native}</button>`
                : nothing}
              ${!server && navigator.clipboard
                ? html`<button part="button copy" type="button" @click=${this.#copy}>${strings.copy}</button>`
                : nothing}
            </div>
            ${this.#mastodon?.open ? this.#mastodon.render() : nothing}
            <span role="status">${this._status}</span>`
        : nothing}
    </figure>`;
  }

  #askMastodon(): void {
    import('./mastodon-prompt.js').then(
      ({ MastodonPrompt }) => {
        this.#mastodon ??= new MastodonPrompt(this, (instance) => this.#shareOnMastodon(instance));
        this.#mastodon.toggle();
      },
      this.#couldNotLoad,
    );
  }

  #shareOnMastodon(instance: string): void {
    writeStored(MASTODON_KEY, instance); // if storage refuses, the reader is asked again next time
    const shared = this.#share('mastodon', instance);
    // Without a link, the exact counting is on its way: the link renders once it has come.
    if (shared) open(shared.url, '_blank', 'noopener,noreferrer');
    this.#shared('mastodon', shared);
  }

  #shared(network: string, shared?: { truncated: boolean }): void {
    if (shared) this.#emit({ type: 'share', network, props: { truncated: shared.truncated } });
  }

  async #shareNatively(): Promise<void> {
    try {
      await navigator.share({ text: this.#quoteText, url: this.#tagged('native') });
      this.#shared('native', { truncated: false });
    } catch {
      // The reader closed the share sheet, or the browser refused: nothing was shared.
    }
  }

  async #copy(): Promise<void> {
    const strings = QuoteToTweetElement.strings;
    try {
      await navigator.clipboard.writeText(join(this.#quoteText, this.#tagged('copy')));
      this._status = strings.copied;
      this.#emit({ type: 'copy', network: 'copy' });
    } catch {
      this._status = strings.copyFailed;
    }
  }
}

/** What a template may set on a <quote-to-tweet>: its attributes, as the properties frameworks set. */
export type QuoteToTweetProperties = Pick<QuoteToTweetElement, 'text' | 'url' | 'via' | 'related' | 'hashtags' | 'networks' | 'label' | 'nofollow'>;

/** Every event a <quote-to-tweet> dispatches, by name (its framework typings make a handler prop of each). */
export type QuoteToTweetEvents = { 'chorus-engagement': EngagementEvent };
