// `import '@chorus/quote-to-tweet/solid'` registers <quote-to-tweet> and types it in Solid's JSX: its properties (Solid sets
// a custom element's props as properties) and a handler per event, `on:chorus-engagement`.
import type { JSX as SolidJSX } from 'solid-js';
import type { EventProps } from '@chorus/core';
import type { QuoteToTweetElement, QuoteToTweetEvents, QuoteToTweetProperties } from './quote-to-tweet.js';
import './define.js';

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'quote-to-tweet': SolidJSX.HTMLAttributes<QuoteToTweetElement> & Partial<QuoteToTweetProperties> & EventProps<QuoteToTweetEvents, 'on:'>;
    }
  }
}
