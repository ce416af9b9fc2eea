// `import '@chorus/quote-to-tweet/preact'` registers <quote-to-tweet> and types it in Preact's JSX: its properties and a
// handler per event, `onchorus-engagement` (Preact listens for the event named after `on`).
import type { HTMLAttributes as PreactAttributes } from 'preact';
import type { EventProps } from '@chorus/core';
import type { QuoteToTweetElement, QuoteToTweetEvents, QuoteToTweetProperties } from './quote-to-tweet.js';
import './define.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'quote-to-tweet': PreactAttributes<QuoteToTweetElement> & Partial<QuoteToTweetProperties> & EventProps<QuoteToTweetEvents>;
    }
  }
}
