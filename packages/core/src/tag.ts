import { contentHash } from './engagement.js';
import type { Network } from './share.js';

/** Where a quote was shared: a network, the system share sheet, or a copy. */
export type ShareTarget = Network | 'native' | 'copy';

/** The letter that names each share target in an attribution tag (`#cq=<code>.<letter>`). */
export const NETWORK_CODES: Readonly<Record<ShareTarget, string>> = {
  x: 'x',
  bluesky: 'b',
  mastodon: 'm',
  threads: 't',
  linkedin: 'l',
  facebook: 'f',
  reddit: 'r',
  hackernews: 'h',
  email: 'e',
  whatsapp: 'w',
  telegram: 'g',
  native: 'n',
  copy: 'c',
};

/**
 * The attribution tag a shared page URL carries as its fragment, `cq=<code>.<letter>` (at most 11
 * characters, 12 with the `#`): the quote instance's hash cut to 6 characters and the target's letter.
 * It names a quote and a network, never a reader; a collector resolves the code with contentHash().
 */
export const quoteTag = (instance: string, network: ShareTarget): string =>
  // NETWORK_CODES, which is every target's first letter but telegram's (the quote page carries no table).
  `cq=${contentHash(instance).slice(0, 6)}.${network == 'telegram' ? 'g' : network[0]}`;
