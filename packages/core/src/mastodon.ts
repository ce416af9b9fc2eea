/**
 * The host name of a Mastodon server as readers type it (`mastodon.social`, `https://Hachyderm.io/@me`,
 * `@me@fosstodon.org`, an IDN), normalised, or undefined when it is not one.
 */
export function mastodonHost(input: string | null | undefined): string | undefined {
  const host = input?.trim().replace(/^https?:\/\//i, '').replace(/^@?[^@/]*@/, '').replace(/\/.*$/, '');
  // Two or more labels of letters and digits, with hyphens inside; then maybe a port.
  if (host && /^[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*(?:\.[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*)+(?::\d{1,5})?$/u.test(host)) {
    try {
      return new URL(`https://${host}`).host;
    } catch {
      // Not a host after all (a port out of range).
    }
  }
  return undefined;
}
