// The report API as the dashboard uses it. The token lives in sessionStorage: gone when the tab closes.
import type { Report } from '../src/report/types.js'; // type-only: no server code is bundled

const TOKEN_KEY = 'chorus-token';

export const savedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

export class Unauthorized extends Error {}

async function get<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', signal });
  if (response.status === 401) throw new Unauthorized('The token is not right.');
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.reason ?? `The collector answered ${response.status}.`);
  return body as T;
}

export interface Site {
  name: string;
  origins: string[];
}

export const fetchSites = (token: string, signal?: AbortSignal) =>
  get<{ sites: Site[] }>('/api/sites', token, signal).then((body) => body.sites);

export interface Query {
  site: string;
  from: string;
  to: string;
  /** Narrows the report to one post (its canonical path). */
  post: string | null;
}

export function fetchReport(token: string, { site, from, to, post }: Query, signal?: AbortSignal) {
  const query = new URLSearchParams({ from, to });
  if (post) query.set('post', post);
  return get<Report>(`/api/sites/${encodeURIComponent(site)}/report?${query}`, token, signal);
}
