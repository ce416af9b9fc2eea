// Server rendering (Lit SSR) and hydration. On a server an element cannot read the page (its light DOM, the
// address, storage, what the browser can do): it renders from its attributes alone. Hydration then requires the
// element's first render in the browser to be that same render, so an element whose shadow root came from the
// server renders once as the server did and, right after, for the reader.

/**
 * False in chorus.js, the script tag: it never runs on a server and its own Lit cannot hydrate
 * (rollup.config.mjs), so `SSR && …` leaves what only they need out of it.
 */
export const SSR = true;

interface Updating {
  readonly hasUpdated: boolean;
  readonly shadowRoot: ShadowRoot | null;
  readonly updateComplete: Promise<unknown>;
  requestUpdate(): void;
}

/**
 * Whether this update of `element` renders as on a server: it runs on one (Lit's `isServer`, and no DOM: jsdom
 * in Node is a browser), or its shadow root came with the page from one (Lit SSR's ends with a part marker, a
 * comment) and it has not rendered yet. Then the next update, which renders for the reader, is asked for.
 */
export function asServer(element: Updating, isServer: boolean): boolean {
  if (isServer && !globalThis.document) return true;
  if (element.hasUpdated || element.shadowRoot?.lastChild?.nodeType !== 8) return false;
  element.updateComplete.then(() => element.requestUpdate());
  return true;
}
