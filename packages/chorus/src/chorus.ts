// chorus.js, the script tag: `<script type="module" src=".../chorus.js" data-collector="…">`. It starts
// the tracker from the tag's data attributes, puts its API on `window.chorus`, and loads an element's
// code (one chunk per element, plus one shared Lit chunk) only once the page has that element,
// including elements added later. It never throws into the page.
import { configure, flush, optIn, optOut, track } from '@chorus/tracker';
import { reserve } from './reserve.js';

const tracker = { configure, track, flush, optOut, optIn };
type Method = keyof typeof tracker;
type Api = typeof tracker & ((method: Method, ...args: unknown[]) => unknown);
declare global {
  interface Window {
    /** The tracker's API; before chorus.js loads, a stub whose calls are queued in `q`. */
    chorus?: Api | { q?: ArrayLike<unknown>[] };
  }
}

const script = [...document.scripts].find((element) => element.src === import.meta.url);
const data = script?.dataset ?? {};
if (data.collector) {
  configure({
    collector: data.collector.split(/\s+/),
    site: data.site,
    debug: 'debug' in data,
    respectDnt: 'respectDnt' in data,
    pageviews: data.pageviews != 'off',
  });
}

// `chorus('track', 'signup')` and `chorus.track('signup')` both work; calls made before this script
// loaded (with the stub from the README) are replayed in order.
const api = Object.assign(
  (method: Method, ...args: unknown[]) => (tracker[method] as (...args: unknown[]) => unknown)?.(...args),
  tracker,
) as Api;
const queued = (window.chorus as { q?: ArrayLike<unknown>[] } | undefined)?.q ?? [];
window.chorus = api;
// Array.from: the stub queues `arguments` objects, and any other array-like is taken as well.
for (const call of Array.from(queued)) api(...(Array.from(call) as [Method, ...unknown[]]));

// Each element's code, loaded (once) when the page has the element, including one added later.
const elements: Record<string, () => Promise<unknown>> = {
  'quote-to-tweet': () => import('@chorus/quote-to-tweet/define'),
  'course-cta': () => import('@chorus/course-cta/define'),
  'comment-prompt': () => import('@chorus/comment-prompt/define'),
};

// The shared Lit chunk's file name, written in by the build (rollup.config.mjs): it is fetched beside the
// element's chunk, not once that has arrived and named it, so an element upgrades after two round trips, not three.
declare const LIT_CHUNK: string;

function loadPresent(root: Element | Document): void {
  for (const tag in elements) {
    if ((root as Element).localName === tag || root.querySelector(tag)) {
      Promise.all([import(LIT_CHUNK), elements[tag]()]).catch((error) => console.warn(`Chorus could not load <${tag}>:`, error));
      delete elements[tag];
    }
  }
}

const style = document.createElement('style');
style.textContent = reserve;
document.head.append(style);

loadPresent(document);
// Stops at the first change after every element has loaded.
const observer = new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) if (node instanceof Element) loadPresent(node);
  }
  if (!Object.keys(elements).length) observer.disconnect();
});
observer.observe(document.documentElement, { childList: true, subtree: true });
