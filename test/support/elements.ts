// What the browser tests of every element share.
import { expect, fixture, type html } from '@open-wc/testing';
import { EngagementEvent } from '@chorus/core';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renders `markup` and resolves to the element matching `selector` in it, updated. */
export async function render<T extends HTMLElement & { updateComplete: Promise<unknown> }>(
  markup: ReturnType<typeof html>,
  selector: string,
): Promise<T> {
  const root = await fixture<HTMLElement>(markup);
  const el = (root.matches(selector) ? root : root.querySelector(selector)) as T;
  await el.updateComplete;
  return el;
}

/** Collects console warnings (their first argument) until `restore()`. */
export function captureWarnings() {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(String(args[0]));
  return { warnings, restore: () => (console.warn = original) };
}

/** The engagement events dispatched on or through `target` from now until the end of the test. */
export function engagements(target: EventTarget = document) {
  const seen: EngagementEvent[] = [];
  const listener = (event: Event) => seen.push(event as EngagementEvent);
  target.addEventListener(EngagementEvent.type, listener);
  after(() => target.removeEventListener(EngagementEvent.type, listener));
  return seen;
}

/** Runs `test` while localStorage and sessionStorage throw, as in sandboxed iframes and some private modes. */
export async function whileStorageThrows(test: () => Promise<void>) {
  const { getItem, setItem } = Storage.prototype;
  Storage.prototype.getItem = Storage.prototype.setItem = () => {
    throw new DOMException('denied', 'SecurityError');
  };
  try {
    await test();
  } finally {
    Object.assign(Storage.prototype, { getItem, setItem });
  }
}

/** Clicks a link without leaving the test page. */
export function click(a: HTMLAnchorElement) {
  a.addEventListener('click', (event) => event.preventDefault(), { once: true });
  a.click();
}

/**
 * The test every element's registration must pass (STYLE.md): its define module registered it,
 * define() again does not throw, and a subclass can be registered under another name.
 */
export function itIsDefined(tag: string, ElementClass: CustomElementConstructor & { define(tag?: string): void }) {
  it('is defined, and defining it twice does not throw', () => {
    expect(customElements.get(tag)).to.equal(ElementClass);
    expect(() => ElementClass.define()).not.to.throw();
    const renamed = `renamed-${tag}`;
    (class extends ElementClass {}).define(renamed);
    expect(document.createElement(renamed)).to.be.instanceOf(ElementClass);
  });
}
