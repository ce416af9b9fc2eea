/**
 * `value` as an absolute http(s) URL, resolved against `base` when it is relative; undefined for
 * anything else (empty, malformed, `javascript:`, `data:`, `mailto:`…). For url and href attributes.
 */
export function safeHttpUrl(value: string | null | undefined, base?: string): string | undefined {
  // An empty value would resolve to the base itself.
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value, base);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
