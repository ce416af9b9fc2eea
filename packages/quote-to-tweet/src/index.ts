export { QuoteToTweetElement, type QuoteToTweetEvents, type QuoteToTweetProperties } from './quote-to-tweet.js';
