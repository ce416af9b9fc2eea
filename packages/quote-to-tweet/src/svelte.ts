// `import '@chorus/quote-to-tweet/svelte'` registers <quote-to-tweet> and types it in Svelte 5's templates (SvelteHTMLElements,
// which svelteHTML.IntrinsicElements extends): its properties and a handler per event, `onchorus-engagement`.
import type { HTMLAttributes as SvelteAttributes } from 'svelte/elements';
import type { EventProps } from '@chorus/core';
import type { QuoteToTweetElement, QuoteToTweetEvents, QuoteToTweetProperties } from './quote-to-tweet.js';
import './define.js';

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'quote-to-tweet': SvelteAttributes<QuoteToTweetElement> & Partial<QuoteToTweetProperties> & EventProps<QuoteToTweetEvents>;
  }
}
