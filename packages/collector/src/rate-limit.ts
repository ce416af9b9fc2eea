// A token bucket per client address, in memory: each process limits on its own, which is enough to
// keep one misbehaving page or script from flooding the store.
import type { RateLimit } from './config.js';

export interface RateLimiter {
  /** 0 when the request may go ahead, else the seconds to wait before the next one will. */
  take(key: string): number;
  stop(): void;
}

const MAX_KEYS = 100_000;

export function createRateLimiter({ requests, seconds }: RateLimit, now: () => number = Date.now): RateLimiter {
  const perMs = requests / (seconds * 1000);
  const buckets = new Map<string, { tokens: number; updated: number }>();
  // A full bucket is the same as none: forget those, so the map stays the size of the current traffic.
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.updated) * perMs >= requests) buckets.delete(key);
    }
  }, Math.max(1000, seconds * 1000));
  sweep.unref();

  return {
    take(key) {
      const time = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_KEYS) buckets.delete(buckets.keys().next().value!);
        bucket = { tokens: requests, updated: time };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(requests, bucket.tokens + (time - bucket.updated) * perMs);
      bucket.updated = time;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    stop() {
      clearInterval(sweep);
    },
  };
}
