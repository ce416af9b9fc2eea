import { LitElement, html, isServer, nothing, type PropertyValues } from 'lit';
import {
  EngagementEvent,
  SSR,
  asServer,
  collectorConfigured,
  contentHash,
  instanceId,
  whenViewable,
  type DeliveryDetail,
  type EngagementDetail,
} from '@chorus/core';
import { styles } from './comment-prompt.styles.js';

type Mode = 'form' | 'email' | 'inline';
type State = 'idle' | 'sending' | 'sent' | 'failed';
interface Draft {
  text: string;
  name: string;
  /** Random per draft: with a hash of the content, the event id that collectors deduplicate on. */
  salt: string;
}

// The wire contract takes props of up to 4000 characters.
const MAX_LENGTH = 4000;
// One address: no `,` or `;` (a second recipient), no `%` (one encoded: `%40` is an @, `%2C` a comma).
const EMAIL = /^[^\s@?&#/<>"%,;]+@[^\s@?&#/<>"%,;]+$/;

// sessionStorage that never throws (sandboxed frames, some private modes, a full quota).
function session(key: string, value?: string | null): string | null {
  try {
    if (value === undefined) return sessionStorage.getItem(key);
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // the draft lives only in the page then
  }
  return null;
}

/**
 * Asks the post's question (its own content) and invites a reply: on the site's own comment form
 * (`for`), inline (sent to the tracker's collector, the draft kept until the collector accepts it), or
 * by email (`email`).
 *
 * @tag comment-prompt
 * @summary The post's question, and a reply: on the site's comment form, inline (sent to the collector), or by email.
 * @slot - The question, e.g. "Audience or influence: which matters more to you?".
 * @fires {EngagementEvent} chorus-engagement - `impression` (viewable), `open` (the reader turns to reply: `props.mode`)
 *   and `comment` (an inline reply: `props.text`, `props.name`); `detail` is an `EngagementDetail`.
 * @fires {CommentPromptReplyEvent} comment-prompt-sent - The collector accepted the inline reply (`detail.text`, `detail.name`).
 * @fires {CommentPromptReplyEvent} comment-prompt-failed - The inline reply could not be sent; it is kept (`detail.text`, `detail.name`).
 * @csspart base - The box around the question and the reply.
 * @csspart question - The box around the slotted question.
 * @csspart button - The link or button that opens the site's form or the email, and the send button.
 * @csspart form - The inline reply form.
 * @csspart label - The labels of the inline fields.
 * @csspart field - The reply textarea and the name input.
 * @csspart counter - The character counter.
 * @csspart status - Sending and sent messages.
 * @csspart error - Problems the reader can act on (too long, not sent).
 * @cssproperty --comment-prompt-accent - Border, focus and button colour (falls back to `--chorus-accent`, else `#1565c0`).
 * @cssproperty --comment-prompt-on-accent - Text on the button (falls back to `--chorus-on-accent`, else `#fff`).
 * @cssproperty --comment-prompt-background - Behind the box (default: a tint of the accent).
 * @cssproperty --comment-prompt-font - Font family (falls back to `--chorus-font`, else inherited).
 * @cssproperty --comment-prompt-padding - Inside the box (default 1.25em).
 * @cssproperty --comment-prompt-margin - Above and below the box (default 1.5em).
 * @cssproperty --comment-prompt-radius - Corner radius (falls back to `--chorus-radius`, else `0.5em`).
 */
export class CommentPromptElement extends LitElement {
  static override styles = styles;

  static override properties = {
    for: {},
    email: {},
    inline: { type: Boolean },
    label: {},
    maxLength: { type: Number, attribute: 'maxlength' },
    _state: { state: true },
    _problem: { state: true },
    _count: { state: true },
  };

  /** Every string a reader sees. Replace or edit this object to translate (for all elements). */
  static strings = {
    form: 'Leave a comment',
    email: 'Reply by email',
    subject: 'Re: {title}',
    reply: 'Your reply',
    name: 'Your name (optional)',
    send: 'Send',
    sending: 'Sending…',
    sent: 'Thank you: your reply was sent.',
    failed: 'Your reply could not be sent. It is kept here: try again in a moment.',
    tooLong: 'Your reply is {over} characters too long.',
    empty: 'Write your reply first.',
    tooQuick: 'That was quick! Read your reply again, then send it.',
    count: '{count} of {max} characters',
    trap: 'Leave this field empty',
  };

  /** A reply sent sooner than this many milliseconds after the form appeared is taken for a bot's. */
  static minFillTime = 3000;

  /** Registers the element, once, under `tag`. */
  static define(tag = 'comment-prompt', registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this);
  }

  /** A CSS selector for the site's own comment form (or an element holding it), e.g. `#respond`. */
  declare for: string | undefined;
  /** An address to reply to by email. */
  declare email: string | undefined;
  /** Reply inline even with `for` or `email`, which then serve when no collector is configured. */
  declare inline: boolean;
  /** The text of the button that opens the site's form or the email (default "Leave a comment" / "Reply by email"). */
  declare label: string | undefined;
  /** The longest inline reply, in characters (default 2000, at most 4000). */
  declare maxLength: number;

  declare private _state: State;
  declare private _problem: string;
  declare private _count: number;

  #mode?: Mode;
  #target?: { element: Element; field: HTMLElement };
  #draft: Draft = { text: '', name: '', salt: '' };
  #shownAt = 0;
  #opened = false;
  #refocus = false;
  #counted = false;
  #stopWatching?: () => void;
  #warned = new Set<string>();

  constructor() {
    super();
    this.inline = false;
    this.maxLength = 2000;
    this._state = 'idle';
    this._problem = '';
    this._count = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#counted) {
      this.#stopWatching = whenViewable(this, () => {
        this.#counted = true;
        this.#emit({ type: 'impression' });
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatching?.();
  }

  get #instance(): string {
    return instanceId(this, (this.textContent ?? '').replace(/\s+/g, ' ').trim());
  }

  get #draftKey(): string {
    return `chorus:comment-prompt:draft:${location.pathname}:${this.#instance}`;
  }

  get #max(): number {
    const max = this.maxLength;
    if (!(max > 0)) {
      this.#warn(`ignored maxlength "${this.getAttribute('maxlength')}": a positive number is expected; using 2000.`);
      return 2000;
    }
    if (max > MAX_LENGTH) this.#warn(`lowered maxlength ${max} to ${MAX_LENGTH}, the longest reply a collector takes.`);
    return Math.min(Math.floor(max), MAX_LENGTH);
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A server renders the question alone: how to reply depends on the page (its form, its tracker). The update
    // after the one hydration matches has no changed property.
    if (SSR && asServer(this, isServer)) return;
    if (!this.hasUpdated || (SSR && !changed.size) || changed.has('for') || changed.has('email') || changed.has('inline')) this.#mode = this.#resolveMode();
    if (this.#mode === 'inline' && !this.#shownAt) {
      this.#shownAt = performance.now();
      try {
        this.#draft = { ...this.#draft, ...JSON.parse(session(this.#draftKey) ?? '{}') };
      } catch {
        // an unreadable draft: start afresh
      }
      this._count = this.#draft.text.length;
    }
  }

  #resolveMode(): Mode | undefined {
    if (this.inline || (!this.for && !this.email)) {
      if (collectorConfigured()) return 'inline';
      const instead = this.for ? `for="${this.for}"` : this.email ? `email="${this.email}"` : '';
      this.#warn(
        `has no collector to send replies to (give chorus.js a data-collector, or call configure() before the element connects): ${
          instead ? `offering ${instead} instead.` : 'the reply form is hidden.'
        }`,
      );
    }
    if (this.for && (this.#target = this.#findForm())) return 'form';
    if (this.email) {
      if (EMAIL.test(this.email)) return 'email';
      this.#warn(`ignored email "${this.email}": not an email address.`);
    }
    return undefined;
  }

  #findForm(): { element: Element; field: HTMLElement } | undefined {
    let element: Element | null;
    try {
      element = document.querySelector(this.for!);
    } catch {
      this.#warn(`ignored for="${this.for}": not a valid CSS selector.`);
      return undefined;
    }
    if (!element) {
      this.#warn(`found nothing on the page for for="${this.for}": no comment form to open.`);
      return undefined;
    }
    const form = element.closest('form') ?? element.querySelector('form');
    if (!form) {
      this.#warn(`ignored for="${this.for}": it is a <${element.localName}> that is not a form and holds none.`);
      return undefined;
    }
    return { element, field: form.querySelector<HTMLElement>('textarea, input:not([type=hidden]), select') ?? form };
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    console.warn(`<${this.localName}> ${message}`, this);
  }

  #emit(detail: Omit<EngagementDetail, 'widget' | 'instance'> & Partial<DeliveryDetail>): void {
    this.dispatchEvent(new EngagementEvent({ ...detail, widget: this.localName, instance: this.#instance }));
  }

  #open(mode: Mode): void {
    if (mode !== 'inline' || !this.#opened) this.#emit({ type: 'open', props: { mode } });
    this.#opened = true;
  }

  #openForm(event: Event): void {
    const target = this.#findForm() ?? this.#target;
    if (!target) return;
    event.preventDefault();
    target.element.scrollIntoView({ block: 'start' });
    target.field.focus({ preventScroll: true });
    this.#open('form');
  }

  #saveDraft(changes: Partial<Draft>): void {
    this.#draft = { ...this.#draft, ...changes };
    if (!this.#draft.salt) this.#draft.salt = Math.random().toString(36).slice(2, 12).padEnd(8, '0');
    session(this.#draftKey, this.#draft.text || this.#draft.name ? JSON.stringify(this.#draft) : null);
    this._count = this.#draft.text.length;
    if (this._problem && this._state !== 'failed') this._problem = '';
  }

  #field(name: string) {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${name}]`)!;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    if (this._state === 'sending') return;
    const strings = CommentPromptElement.strings;
    const text = this.#field('reply').value.trim();
    const name = this.#field('name').value.trim();
    const over = text.length - this.#max;
    const problem = !text
      ? strings.empty
      : over > 0
        ? strings.tooLong.replace('{over}', String(over))
        : performance.now() - this.#shownAt < CommentPromptElement.minFillTime && !this.#field('website').value
          ? strings.tooQuick
          : '';
    if (problem) {
      this._problem = problem;
      this.#field('reply').focus();
      return;
    }
    // Filled by a bot: it sees "sent", nothing is sent.
    if (this.#field('website').value) {
      this._state = 'sent';
      return;
    }
    this._problem = '';
    this._state = 'sending';
    if (!collectorConfigured()) return this.#settled(false, text, name);
    this.#saveDraft({ text, name });
    this.#emit({
      type: 'comment',
      id: this.#draft.salt + contentHash(`${name}\n${text}`),
      props: name ? { text, name } : { text },
      settle: (accepted) => this.#settled(accepted, text, name),
    });
  }

  #settled(accepted: boolean, text: string, name: string): void {
    if (accepted ? this._state === 'sent' : this._state !== 'sending') return;
    if (accepted) {
      if (this.#draft.text === text) session(this.#draftKey, null);
      this.#draft = { text: '', name: '', salt: '' };
    }
    // The form, and the focus in it, go once the reply is sent: a keyboard reader's focus moves to the thanks.
    this.#refocus = accepted && this.matches(':focus-within');
    this._state = accepted ? 'sent' : 'failed';
    this._problem = accepted ? '' : CommentPromptElement.strings.failed;
    // Named for the element, not its tag: a renamed element (define('ask-readers')) dispatches the same events.
    this.dispatchEvent(new CustomEvent(`comment-prompt-${accepted ? 'sent' : 'failed'}`, { bubbles: true, composed: true, detail: { text, name } }));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_state') && this.#refocus) this.renderRoot.querySelector<HTMLElement>('[part~=status]')?.focus();
    this.#refocus = false;
  }

  protected override render() {
    return html`<div part="base">
      <div part="question" id="question"><slot></slot></div>
      ${this.#renderReply()}
    </div>`;
  }

  #renderReply() {
    const strings = CommentPromptElement.strings;
    if (this.#mode === 'form') {
      const id = this.#target!.element.id;
      return html`<a part="button" href=${id ? `#${id}` : '#'} @click=${this.#openForm}>${this.label ?? strings.form}</a>`;
    }
    if (this.#mode === 'email') {
      const subject = encodeURIComponent(strings.subject.replace('{title}', document.title));
      return html`<a part="button" href="mailto:${this.email}?subject=${subject}" @click=${() => this.#open('email')}>${this.label ?? strings.email}</a>`;
    }
    if (this.#mode !== 'inline') return nothing;
    if (this._state === 'sent') return html`<p part="status" role="status" tabindex="-1">${strings.sent}</p>`;
    const max = this.#max;
    // No maxlength on the textarea: the browser would silently cut a long paste. The counter shows a reply
    // over the limit, and sending it is refused with the reason, its text kept.
    const over = this._count > max;
    const invalid = over || (this._problem && this._state !== 'failed');
    return html`<form part="form" novalidate @submit=${this.#submit} @focusin=${() => this.#open('inline')}>
      <label part="label" for="reply">${strings.reply}</label>
      <textarea part="field" id="reply" name="reply" rows="4" .value=${this.#draft.text}
        aria-describedby="question count${this._problem ? ' problem' : ''}" aria-invalid=${invalid ? 'true' : 'false'}
        @input=${(event: InputEvent) => this.#saveDraft({ text: (event.target as HTMLTextAreaElement).value })}></textarea>
      <div part="counter" id="count" class=${over ? 'over' : ''}>${strings.count.replace('{count}', String(this._count)).replace('{max}', String(max))}</div>
      <label part="label" for="name">${strings.name}</label>
      <input part="field" id="name" name="name" autocomplete="name" maxlength="100" .value=${this.#draft.name}
        @input=${(event: InputEvent) => this.#saveDraft({ name: (event.target as HTMLInputElement).value })} />
      <div class="trap" aria-hidden="true">
        <label for="website">${strings.trap}</label>
        <input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      <div class="actions">
        <button part="button" type="submit" aria-disabled=${this._state === 'sending' ? 'true' : 'false'}>${strings.send}</button>
        <span part="status" role="status">${this._state === 'sending' ? strings.sending : ''}</span>
      </div>
      ${this._problem ? html`<p part="error" id="problem" role="alert">${this._problem}</p>` : nothing}
    </form>`;
  }
}

/** What a template may set on a <comment-prompt>: its attributes, as the properties frameworks set. */
export type CommentPromptProperties = Pick<CommentPromptElement, 'for' | 'email' | 'inline' | 'label' | 'maxLength'>;

/** `comment-prompt-sent` (the collector accepted the inline reply) and `comment-prompt-failed` (kept, to retry). */
export type CommentPromptReplyEvent = CustomEvent<{ text: string; name: string }>;

declare global {
  interface GlobalEventHandlersEventMap {
    'comment-prompt-sent': CommentPromptReplyEvent;
    'comment-prompt-failed': CommentPromptReplyEvent;
  }
}

/** Every event a <comment-prompt> dispatches, by name (its framework typings make a handler prop of each). */
export type CommentPromptEvents = {
  'chorus-engagement': EngagementEvent;
  'comment-prompt-sent': CommentPromptReplyEvent;
  'comment-prompt-failed': CommentPromptReplyEvent;
};
