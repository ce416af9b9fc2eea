// What the browser tests of every element share.
import { fixture, type html } from '@open-wc/testing';
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

/** Clicks a link without leaving the test page. */
export function click(a: HTMLAnchorElement) {
  a.addEventListener('click', (event) => event.preventDefault(), { once: true });
  a.click();
}
