// Known bots and link-preview fetchers (Twitterbot, facebookexternalhit, Slackbot, crawlers, headless
// browsers…), told by their User-Agent with isbot's maintained list. Their events are answered 2xx (so
// nothing retries them) and counted, not stored.
import { isbot } from 'isbot';

/** Whether `userAgent` is a bot's; with `countHeadless`, headless Chromium counts as a reader (tests drive one). */
export const isBot = (userAgent = '', countHeadless = false): boolean =>
  isbot(countHeadless ? userAgent.replace('HeadlessChrome/', 'Chrome/') : userAgent);
