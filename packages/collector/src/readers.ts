// Unique readers without cookies, as Plausible counts them: a hash of (the day's random salt, site, IP
// address, User-Agent) made at ingest. The salt is kept (in memory and in the store, so that every
// collector process uses the same) only for its UTC day, then destroyed with the hashes made with it:
// a hash cannot be tied to an address or a reader once its day is over. Neither the IP address nor
// the User-Agent is ever stored.
import { createHash } from 'node:crypto';
import type { Storage } from './storage/storage.js';

export interface Readers {
  /** The hash of this sender for this site, today. */
  hash(site: string, ip: string, userAgent: string): Promise<string>;
}

export function createReaders(storage: Storage, now: () => number = Date.now): Readers {
  let current: { day: string; salt: Promise<Buffer> } | undefined;
  const saltOf = (day: string) => {
    if (current?.day !== day) {
      const salt = storage.salt(day);
      current = { day, salt };
      salt.catch(() => current?.salt === salt && (current = undefined)); // a store fault: ask again next time
    }
    return current.salt;
  };
  return {
    async hash(site, ip, userAgent) {
      const salt = await saltOf(new Date(now()).toISOString().slice(0, 10));
      return createHash('sha256').update(salt).update(`\u0000${site}\u0000${ip}\u0000${userAgent}`).digest('base64url').slice(0, 22);
    },
  };
}
