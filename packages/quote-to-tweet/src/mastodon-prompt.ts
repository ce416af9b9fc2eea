import { html, nothing, type ReactiveController } from 'lit';
import { mastodonHost } from '@chorus/core';
import type { QuoteToTweetElement } from './quote-to-tweet.js';
import { styles } from './mastodon-prompt.styles.js';

/**
 * Asks a reader for their Mastodon server: a form under the share links, opened and closed by the
 * Mastodon button. Its code loads only once a reader picks Mastodon without a remembered server.
 * Submitting the form is a user action of its own, so `share` may open the share window.
 */
export class MastodonPrompt implements ReactiveController {
  open = false;
  #problem = '';
  #focus = false;

  constructor(
    private readonly host: QuoteToTweetElement,
    /** Shares on the server the reader gave (its host name). */
    private readonly share: (instance: string) => void,
  ) {
    host.addController(this);
    const root = host.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet!];
  }

  toggle(): void {
    this.open = this.#focus = !this.open;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    if (this.#focus) this.host.renderRoot.querySelector('input')?.focus();
    this.#focus = false;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('server') as HTMLInputElement;
    const instance = mastodonHost(input.value);
    this.#problem = instance ? '' : this.#strings.mastodonInvalid;
    this.open = !instance;
    this.host.requestUpdate();
    if (instance) this.share(instance);
  }

  // Through the element's class, so that translations apply.
  get #strings() {
    return (this.host.constructor as typeof QuoteToTweetElement).strings;
  }

  render() {
    const strings = this.#strings;
    const problem = this.#problem;
    return html`<form part="mastodon" novalidate @submit=${(event: SubmitEvent) => this.#submit(event)}>
      <label for="server">${strings.mastodonServer}</label>
      <input id="server" name="server" autocomplete="url" inputmode="url" spellcheck="false" required
        placeholder=${strings.mastodonPlaceholder} aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? 'problem' : nothing} />
      <button part="button" type="submit">${strings.mastodonGo}</button>
      ${problem ? html`<p id="problem" role="alert">${problem}</p>` : nothing}
    </form>`;
  }
}
