import { QuoteToTweetElement } from './quote-to-tweet.js';

QuoteToTweetElement.define();

declare global {
  interface HTMLElementTagNameMap {
    'quote-to-tweet': QuoteToTweetElement;
  }
}
