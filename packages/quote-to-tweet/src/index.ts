export { QuoteToTweetElement, mastodonHost } from './quote-to-tweet.js';
