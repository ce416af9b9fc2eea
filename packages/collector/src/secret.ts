// Secrets a client presents (the admin token, a site's write key), checked in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** What a secret is kept as: its digest, so every comparison is between equal lengths. */
export const digest = (secret: string) => createHash('sha256').update(secret).digest();

/** Whether `given` is the secret whose digest is `expected`; takes the same time whatever was sent. */
export const matches = (given: string, expected: Buffer) => timingSafeEqual(digest(given), expected);
