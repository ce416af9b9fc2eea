import type { Interval } from '../src/report/types.js';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const tenths = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const moneyFormats = new Map<string, Intl.NumberFormat>();

export const count = (n: number) => integer.format(n);
export const number = (n: number | null | undefined, format = decimal) => (n === null || n === undefined ? '–' : format.format(n));
/** A ratio such as arrivals per 100 readers: one decimal is all it means. */
export const ratio = (n: number | null | undefined) => number(n, tenths);
export const rate = (r: number | null | undefined) => (r === null || r === undefined ? '–' : percent.format(r));
/** A rate and its 95% interval: "12.5% (8.1–18.7%)". */
export const rateCi = (r: number | null, ci: Interval | null) => (ci ? `${rate(r)} (${rate(ci.low)}–${rate(ci.high)})` : rate(r));

/** An amount in its currency when there is exactly one (else a plain number: sums of mixed currencies mean nothing more). */
export function money(value: number | null | undefined, currencies: readonly string[] = []) {
  if (value === null || value === undefined) return '–';
  const currency = currencies.length === 1 ? currencies[0] : '';
  if (!currency) return number(value);
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      return `${number(value)} ${currency}`; // not an ISO 4217 code: still shown, as text
    }
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

export const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const time = (t: number) => new Date(t).toLocaleTimeString(undefined, { timeStyle: 'medium' });
/** Only web links become links: a stored string never becomes a script URL. */
export const safeHref = (url: string) => (/^https?:\/\//i.test(url) ? url : undefined);
