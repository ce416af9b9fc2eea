export { QuoteToTweetElement } from './quote-to-tweet.js';
