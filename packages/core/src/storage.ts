// localStorage that never throws: it is missing or throws in sandboxed iframes, some private modes and
// when full. A widget that cannot remember something asks again; it never breaks.

/** The stored value, or null when there is none or storage is unavailable. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores the value (null removes it); false when storage refused. */
export function writeStored(key: string, value: string | null): boolean {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
