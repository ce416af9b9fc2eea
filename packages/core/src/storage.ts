// localStorage (or sessionStorage) that never throws: it is missing or throws in sandboxed iframes, some
// private modes and when full. A widget that cannot remember something asks again; it never breaks.

/** `localStorage`, or `sessionStorage` for what lasts only as long as the tab. */
export type StorageArea = 'localStorage' | 'sessionStorage';

/** The stored value, or null when there is none or storage is unavailable. */
export function readStored(key: string, area: StorageArea = 'localStorage'): string | null {
  try {
    return window[area].getItem(key);
  } catch {
    return null;
  }
}

/** Stores the value (null removes it); false when storage refused. */
export function writeStored(key: string, value: string | null, area: StorageArea = 'localStorage'): boolean {
  try {
    if (value === null) window[area].removeItem(key);
    else window[area].setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
