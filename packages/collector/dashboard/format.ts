const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const count = (n: number) => integer.format(n);
export const rate = (r: number | null | undefined) => (r === null || r === undefined ? '–' : percent.format(r));
export const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** Only web links become links: a stored string never becomes a script URL. */
export const safeHref = (url: string) => (/^https?:\/\//i.test(url) ? url : undefined);
