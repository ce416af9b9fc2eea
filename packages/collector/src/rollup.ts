// What one stored event adds to the rollups the report reads. Pure: each store runs it inside
// the transaction that inserts the event, so a rollup always counts exactly the events stored (a
// retried batch adds nothing) and never needs a scan of the events to be rebuilt.
import { contentHash, NETWORK_CODES } from '@chorus/core';
import type { StoredEvent } from './storage/storage.js';

export const QUOTE_WIDGET = 'quote-to-tweet';
export const PROMPT_WIDGET = 'comment-prompt';
export const CTA_WIDGET = 'course-cta';
export const PAGE_WIDGET = 'page';

/** The types Chorus itself sends; every other type is a conversion the site named (purchase, signup, …). */
export const ENGAGEMENT_TYPES = new Set(['impression', 'share', 'copy', 'click', 'open', 'comment', 'dismiss', 'pageview', 'read', 'arrival']);

/**
 * Rollup rows the collector derives, beside the events' own types (which cannot hold a colon): what
 * an arrival did next in its page view (`next:read`, `next:click`, …) and unique readers
 * (`readers:viewed`, `readers:read`, `readers:acted`).
 */
export const NEXT_PREFIX = 'next:';
export const READERS_PREFIX = 'readers:';
export const isDerived = (type: string) => type.includes(':');
export const isConversion = (type: string) => !ENGAGEMENT_TYPES.has(type) && !isDerived(type);
const NEXT_STEPS: Record<string, string> = { read: 'read', share: 'share', copy: 'share', click: 'click', comment: 'comment' };

/** The networks by the letter that names them in an attribution tag (`#cq=<code>.<letter>`): core's NETWORK_CODES the other way round. */
const NETWORK_LETTERS: Record<string, string> = Object.fromEntries(Object.entries(NETWORK_CODES).map(([network, letter]) => [letter, network]));
const TAG = /^([0-9a-z]{1,6})\.([a-z])$/;
const CODE = /^[0-9a-z]{1,6}$/;
const NETWORKS = new Set(Object.values(NETWORK_LETTERS));

const codes = new Map<string, string>();
/** A quote instance's code in the tag its shares carry; remembered, as every impression asks again (a bounded memo). */
export function quoteCode(instance: string): string {
  let code = codes.get(instance);
  if (code === undefined) {
    if (codes.size >= 10_000) codes.clear();
    codes.set(instance, (code = contentHash(instance).slice(0, 6)));
  }
  return code;
}

/** The code and network of a tag as `props.arrival` carries it (`3kq9xb.x`), or undefined when it is not one of ours. */
export function parseTag(tag: string): { code: string; network: string } | undefined {
  const match = TAG.exec(tag);
  const network = match && NETWORK_LETTERS[match[2]];
  return network ? { code: match[1], network } : undefined;
}

/** The dimensions of a rollup row; '' stands for "none", so rows compare (and unique keys work) in both databases. */
export interface RollupKey {
  day: string;
  path: string;
  widget: string;
  instance: string;
  type: string;
  network: string;
  campaign: string;
  variant: string;
  /** Where a page view came from (pageviews only): `utm_source`, else the referrer's host. */
  source: string;
  /** A conversion's currency. */
  currency: string;
}

export interface RollupDelta extends RollupKey {
  count: number;
  /** The sum of conversions' `value`. */
  value: number;
}

/** The rollup row of one new reader of a post on a day, at a step. */
export const readerDelta = ({ day, path, step }: { day: string; path: string; step: ReaderStep }): RollupDelta => ({
  day, path, widget: PAGE_WIDGET, instance: PAGE_WIDGET, type: READERS_PREFIX + step, network: '', campaign: '', variant: '', source: '', currency: '', count: 1, value: 0,
});

export const ROLLUP_DIMENSIONS = ['day', 'path', 'widget', 'instance', 'type', 'network', 'campaign', 'variant', 'source', 'currency'] as const;
/** The dimensions a rollup key names (`rollup_keys`): all but the day, which is the bucket's. */
export const KEY_DIMENSIONS = ROLLUP_DIMENSIONS.filter((d) => d !== 'day');

/** What a reader did, for the per-day unique counts: viewed the post, read it, acted on it. */
export type ReaderStep = 'viewed' | 'read' | 'acted';
const STEP_OF: Record<string, ReaderStep> = { pageview: 'viewed', read: 'read', share: 'acted', copy: 'acted', comment: 'acted', click: 'acted' };

/** The canonical path of a page: its URL's path, without a trailing `/index.html` or `/`. */
export function postPath(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  path = path.replace(/\/index\.html?$/, '/');
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : '/';
}

/** A post's canonical path, from a path as a page or a webhook gave it (`/a/`, `/a/index.html`: `/a`). */
export const canonicalPost = (path: string) => postPath(`http://post${path}`);

/** The post an event belongs to: a conversion's `props.post` (the post its course box was on), else its page. */
export function pathOf(event: Pick<StoredEvent, 'type' | 'url' | 'props'>): string {
  const post = event.props?.post;
  if (isConversion(event.type) && typeof post === 'string' && post.startsWith('/')) return canonicalPost(post);
  return postPath(event.url);
}

/** A page view's source: `utm_source`, else the referrer's host (without `www.`), else '' (direct or from the site itself). */
export function sourceOf(url: string, referrer: string): string {
  let page: URL;
  try {
    page = new URL(url);
  } catch {
    return '';
  }
  const utm = page.searchParams.get('utm_source');
  if (utm) return utm.slice(0, 64).toLowerCase();
  try {
    const host = new URL(referrer).hostname.toLowerCase();
    return host === page.hostname.toLowerCase() ? '' : host.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** A quote instance a code names, for this site: the stores look codes up in their table of quotes. */
export type ResolveCode = (code: string) => string | undefined;

export interface EventEffects {
  rollups: RollupDelta[];
  /** The reader step this event shows, if any. */
  step?: ReaderStep;
  /** For quote events: the instance, its code and text, to keep the table of quotes current. */
  quote?: { instance: string; code: string; path: string; text: string | null };
  /** For page views: the post and its title. */
  page?: { path: string; title: string };
}

const delta = (event: StoredEvent, fields: Partial<RollupDelta>): RollupDelta => ({
  day: event.day,
  path: event.path,
  widget: event.widget,
  instance: event.instance,
  type: event.type,
  network: event.network ?? '',
  campaign: event.campaign ?? '',
  variant: event.variant ?? '',
  source: '',
  currency: '',
  count: 1,
  value: 0,
  ...fields,
});

/**
 * What `event` (just stored) adds. An arrival whose code names no quote of the site counts nowhere,
 * nor do the next steps of such an arrival: a tag typed by hand inflates nothing.
 */
export function effectsOf(event: StoredEvent, resolve: ResolveCode): EventEffects {
  const effects: EventEffects = { rollups: [], step: STEP_OF[event.type] };
  if (event.type === 'arrival') {
    const known = event.widget === QUOTE_WIDGET && CODE.test(event.instance) && NETWORKS.has(event.network ?? '');
    const instance = known ? resolve(event.instance) : undefined;
    if (!instance) return { rollups: [] };
    effects.rollups.push(delta(event, { instance }));
    return effects;
  }
  if (event.type === 'pageview') {
    effects.rollups.push(delta(event, { source: sourceOf(event.url, event.referrer) }));
    effects.page = { path: event.path, title: event.title };
  } else if (isConversion(event.type)) {
    const value = typeof event.props?.value === 'number' ? event.props.value : 0;
    const currency = typeof event.props?.currency === 'string' ? event.props.currency.toUpperCase() : '';
    effects.rollups.push(delta(event, { value, currency }));
  } else {
    effects.rollups.push(delta(event, {}));
  }
  if (event.widget === QUOTE_WIDGET) {
    effects.quote = { instance: event.instance, code: quoteCode(event.instance), path: event.path, text: event.text };
  }
  const next = NEXT_STEPS[event.type];
  const tag = next && typeof event.props?.arrival === 'string' ? parseTag(event.props.arrival) : undefined;
  const from = tag && resolve(tag.code);
  if (from) {
    effects.rollups.push(delta(event, { widget: QUOTE_WIDGET, instance: from, type: NEXT_PREFIX + next, network: tag.network, campaign: '', variant: '' }));
  }
  return effects;
}

/** The rollups of many events, merged by key (PostgreSQL's upsert may touch a row once per statement), in key order (so concurrent transactions lock rows in the same order). */
export function mergeRollups(deltas: RollupDelta[]): RollupDelta[] {
  const merged = new Map<string, RollupDelta>();
  for (const delta of deltas) {
    const id = ROLLUP_DIMENSIONS.map((dimension) => delta[dimension]).join('\u0000');
    const found = merged.get(id);
    if (found) {
      found.count += delta.count;
      found.value += delta.value;
    } else merged.set(id, { ...delta });
  }
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}

/** Everything a batch's fresh events add, merged, for a store to write in the batch's transaction. */
export interface BatchEffects {
  /** Merged by key (on first read). */
  readonly rollups: RollupDelta[];
  /** The latest of each quote instance in the batch. */
  quotes: { instance: string; code: string; path: string; text: string | null; at: number }[];
  /** The latest title of each post in the batch. */
  pages: { path: string; title: string; at: number }[];
  /** The (day, post, step) the batch's reader reached: each counts once per reader and day. */
  steps: { day: string; path: string; step: ReaderStep }[];
  /** Events per day, post and type, and per day and type for the whole site (path `*`). */
  readonly series: { day: string; path: string; type: string; count: number }[];
  /** The rollups of each event, unmerged, by event id: for a store that writes them before it knows which events are new. */
  byEvent: Map<string, RollupDelta[]>;
}

/** The series rows of some rollups: per post and for the whole site, the collector's derived rows left out. */
export function seriesOf(rollups: RollupDelta[]): BatchEffects['series'] {
  const series = new Map<string, BatchEffects['series'][number]>();
  for (const { day, path, type, count } of rollups) {
    if (isDerived(type)) continue;
    for (const where of path ? [path, WHOLE_SITE] : [WHOLE_SITE]) {
      const id = `${where} ${day} ${type}`;
      const found = series.get(id);
      if (found) found.count += count;
      else series.set(id, { day, path: where, type, count });
    }
  }
  return [...series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** The path of the series' rows that count the whole site. */
export const WHOLE_SITE = '*';

/** The codes a batch's arrivals name: a store that cannot look codes up one by one fetches these first. */
export function codesNamed(events: StoredEvent[]): string[] {
  const codes = new Set<string>();
  for (const event of events) {
    if (event.type === 'arrival') codes.add(event.instance);
    const tag = typeof event.props?.arrival === 'string' ? parseTag(event.props.arrival) : undefined;
    if (tag) codes.add(tag.code);
  }
  return [...codes];
}

export function batchEffects(events: StoredEvent[], resolve: ResolveCode): BatchEffects {
  const seen = new Map<string, string>(); // codes of the quotes in this batch, which the store does not know yet
  const lookup: ResolveCode = (code) => seen.get(code) ?? resolve(code);
  const rollups: RollupDelta[] = [];
  const quotes = new Map<string, BatchEffects['quotes'][number]>();
  const pages = new Map<string, BatchEffects['pages'][number]>();
  const steps = new Map<string, BatchEffects['steps'][number]>();
  const byEvent = new Map<string, RollupDelta[]>();
  for (const event of events) {
    const effects = effectsOf(event, lookup);
    rollups.push(...effects.rollups);
    byEvent.set(event.id, effects.rollups);
    if (effects.quote) {
      seen.set(effects.quote.code, effects.quote.instance);
      const known = quotes.get(effects.quote.instance);
      if (!known || event.at >= known.at) quotes.set(effects.quote.instance, { ...effects.quote, text: effects.quote.text ?? known?.text ?? null, at: event.at });
    }
    if (effects.page && !(event.at < (pages.get(effects.page.path)?.at ?? 0))) pages.set(effects.page.path, { ...effects.page, at: event.at });
    if (effects.step) steps.set(`${event.day} ${effects.step} ${event.path}`, { day: event.day, path: event.path, step: effects.step });
  }
  // Merged only when asked: PostgreSQL merges in SQL, after the insert tells which events are new.
  let merged: RollupDelta[] | undefined;
  let series: BatchEffects['series'] | undefined;
  return {
    get rollups() {
      return (merged ??= mergeRollups(rollups));
    },
    get series() {
      return (series ??= seriesOf(this.rollups));
    },
    quotes: [...quotes.values()],
    pages: [...pages.values()],
    steps: [...steps.values()],
    byEvent,
  };
}
