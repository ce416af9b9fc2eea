// chorus.js, the script tag: `<script type="module" src=".../chorus.js">`. It loads an element's code
// (one chunk per element, plus one shared Lit chunk) only once the page has that element, including
// elements added later, and never throws into the page.
import { reserve } from './reserve.js';

const elements: Record<string, () => Promise<unknown>> = {
  'quote-to-tweet': () => import('@chorus/quote-to-tweet/define'),
};
const waiting = new Set(Object.keys(elements));

function load(tag: string): void {
  waiting.delete(tag);
  elements[tag]().catch((error) => console.warn(`Chorus could not load <${tag}>:`, error));
}

function loadPresent(root: Element | Document): void {
  for (const tag of waiting) {
    if ((root instanceof Element && root.localName === tag) || root.querySelector(tag)) load(tag);
  }
}

const style = document.createElement('style');
style.textContent = reserve;
document.head.append(style);

loadPresent(document);
if (waiting.size) {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) loadPresent(node);
    }
    if (!waiting.size) observer.disconnect();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
}
