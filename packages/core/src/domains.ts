// What exact URL counting needs beyond the built-in list, loaded on demand by weighted-length.ts: every
// top-level domain twitter-text knows, and punycode's length of a host name's label.
export { TOP_LEVEL_DOMAINS } from './top-level-domains.js';

/**
 * The length of `label` as the punycode package twitter-text uses (1.4) writes it in ASCII: split at
 * each kind of dot, each part with a character outside U+0020–U+007E becomes "xn--" and its encoding.
 */
export const punycodeLength = (label: string): number =>
  label.split(/[.\u3002\uFF0E\uFF61]/).reduce((sum, part, i) => sum + (i && 1) + (/[^ -~]/.test(part) ? 4 + encodedLength(part) : part.length), 0);

/** The length of RFC 3492's encoding of `text` (the "xn--" excluded). */
function encodedLength(text: string): number {
  const points = Array.from(text, (c) => c.codePointAt(0)!);
  const basic = points.filter((point) => point < 128).length;
  let length = basic && basic + 1;
  let n = 128;
  let delta = 0;
  let bias = 72;
  for (let done = basic; done < points.length; delta++, n++) {
    const next = Math.min(...points.filter((point) => point >= n));
    // As the punycode package counts them: the points done when this round began.
    const before = done + 1;
    delta += (next - n) * before;
    n = next;
    for (const point of points) {
      if (point < n) delta++;
      if (point != n) continue;
      // One digit for each threshold delta reaches, then the last.
      let q = delta;
      for (let k = 36, t; q >= (t = Math.min(Math.max(k - bias, 1), 26)); k += 36) {
        q = Math.floor((q - t) / (36 - t));
        length++;
      }
      length++;
      bias = adapt(delta, before, done == basic);
      delta = 0;
      done++;
    }
  }
  return length;
}

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / 700) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  for (; delta > 455; k += 36) delta = Math.floor(delta / 35);
  return Math.floor(k + (36 * delta) / (delta + 38));
}
