// The report of one site (or one of its posts) over a range: what the dashboard shows, as plain JSON
// (the contract is types.ts). It reads only the per-day rollups, so its cost follows the number of
// groups in the range, not the number of events; this module turns the groups into posts, funnels,
// rates, intervals and series, each list bounded.
import { canonicalPost, CTA_WIDGET, isConversion, isDerived, NEXT_PREFIX, PROMPT_WIDGET, QUOTE_WIDGET, READERS_PREFIX, type ReaderStep } from '../rollup.js';
import type { CommentRow, DayRow, QuoteInfo, Range, ReportReads, RollupRow } from '../storage/storage.js';
import type { CtaCampaign, CtaCell, CtaVariant, Interval, NextSteps, PostReport, QuoteReport, Report, SourceReport } from './types.js';

export type { Report } from './types.js';

export const COMMENTS_LIMIT = 500;
/** How long each list of the report may be; the rest is counted in its `…More`. */
export const LIMITS = { posts: 100, quotes: 50, campaigns: 20, placements: 20, variants: 20, prompts: 20, sources: 20 };
const DAY_MS = 24 * 3600 * 1000;
/** Longer ranges list only the days that have events, so a report never grows past this many days of zeros. */
const MAX_FILLED_DAYS = 400;
const DEFAULT_DAYS = 30;

const Z95 = 1.959963984540054;

/** The Wilson score interval for `successes` out of `trials`, at 95%. Clicks past impressions count as impressions. */
export function wilson(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const p = Math.min(successes, trials) / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export class RangeError400 extends Error {
  override name = 'RangeError400';
}

/**
 * `from`/`to` as `YYYY-MM-DD` (UTC days, both inclusive), an ISO time, or ms since the epoch. Default:
 * the last 30 days. The rollups are per day, so a range counts whole UTC days. `post`: a path.
 */
export function parseRange(site: string, fromParam: unknown, toParam: unknown, postParam?: unknown, now = Date.now()): Range {
  const parse = (value: unknown, name: string, endOfDay: boolean): number | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new RangeError400(`${name}: give it once`);
    if (/^\d{1,15}$/.test(value)) return Number(value);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const time = Date.parse(day ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
      throw new RangeError400(`${name}: "${value.slice(0, 40)}" is not a date (YYYY-MM-DD), an ISO time or ms since the epoch`);
    }
    return day && endOfDay ? time + DAY_MS : time;
  };
  const to = parse(toParam, 'to', true) ?? now;
  const from = parse(fromParam, 'from', false) ?? Math.floor(to / DAY_MS) * DAY_MS - (DEFAULT_DAYS - 1) * DAY_MS;
  if (from >= to) throw new RangeError400('from must be before to');
  if (postParam === undefined || postParam === '') return { site, from, to };
  if (typeof postParam !== 'string' || !postParam.startsWith('/') || postParam.length > 2048) {
    throw new RangeError400('post: give one path, starting with /');
  }
  return { site, from, to, post: canonicalPost(postParam) };
}

function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The first `limit` of `items` in the order `compare` gives, and how many were left out. */
/** The lists the report bounds, which the API also pages through (`GET /api/sites/:site/report/:list`), and the field counting the rest. */
export const PAGED_LISTS = { posts: 'postsMore', quotes: 'quotesMore', ctas: 'ctasMore', sources: 'sourcesMore' } as const;
export type PagedList = keyof typeof PAGED_LISTS;
/** Which entries of one list to return, in the list's order: from `offset`, at most `limit`. */
export interface Page {
  list: PagedList;
  offset: number;
  limit: number;
}

/** The first `limit` entries of `items` in order (or a window of them), and how many come after them. */
function top<T>(items: Iterable<T>, window: number | { offset: number; limit: number }, compare: (a: T, b: T) => number): [T[], number] {
  const { offset, limit } = typeof window === 'number' ? { offset: 0, limit: window } : window;
  const sorted = [...items].sort(compare);
  return [sorted.slice(offset, offset + limit), Math.max(0, sorted.length - offset - limit)];
}

interface Cell {
  impressions: number;
  clicks: number;
  conversions: number;
  revenue: number;
}
const emptyCell = (): Cell => ({ impressions: 0, clicks: 0, conversions: 0, revenue: 0 });
function cellIn<K>(cells: Map<K, Cell>, key: K): Cell {
  let found = cells.get(key);
  if (!found) cells.set(key, (found = emptyCell()));
  return found;
}
const withRates = (c: Cell): CtaCell => ({
  ...c,
  ctr: rate(c.clicks, c.impressions),
  conversionRate: rate(c.conversions, c.clicks),
  conversionCi95: wilson(c.conversions, c.clicks),
  revenuePerMille: c.impressions > 0 ? (1000 * c.revenue) / c.impressions : null,
});
const variantList = (cells: Map<string, Cell>): CtaVariant[] =>
  top(cells, LIMITS.variants, ([a], [b]) => a.localeCompare(b))[0].map(([variant, c]) => ({ variant, ...withRates(c), ci95: wilson(c.clicks, c.impressions) }));

interface Campaign {
  total: Cell;
  variants: Map<string, Cell>;
  placements: Map<string, { total: Cell; variants: Map<string, Cell> }>;
  currencies: Set<string>;
}

const emptyPost = (path: string): PostReport => ({ path, title: null, pageviews: 0, readers: 0, reads: 0, acted: 0, arrivals: 0, conversions: 0, revenue: 0 });
const emptyNext = (): NextSteps => ({ read: 0, share: 0, click: 0, comment: 0 });
/** Counts by a name the events chose: no prototype, so a name such as `constructor` counts like any other. */
const counts = (): Record<string, number> => Object.create(null);
const READER_FIELDS = { viewed: 'readers', read: 'reads', acted: 'acted' } as const;

export interface ReportInput {
  rollups: RollupRow[];
  days: DayRow[];
  ignored: number;
  /** Events the trackers told they had to drop. */
  dropped?: number;
  comments: CommentRow[];
}

/** The report without the details only its listed entries need (titles, quote texts): see `report()`. */
export function buildReport(range: Range, { rollups, days, ignored, dropped = 0, comments }: ReportInput, page?: Page): Report {
  // The paged list's window, or the report's first entries.
  const windowOf = (list: PagedList, limit: number) => (page?.list === list ? page : limit);
  const totals = counts();
  const posts = new Map<string, PostReport>();
  const postOf = (path: string) => {
    let found = posts.get(path);
    if (!found) posts.set(path, (found = emptyPost(path)));
    return found;
  };
  const quotes = new Map<string, QuoteReport>();
  const prompts = new Map<string, { instance: string; impressions: number; opens: number; comments: number }>();
  const campaigns = new Map<string | null, Campaign>();
  const sources = new Map<string, number>();

  for (const row of rollups) {
    const { type, count } = row;
    const conversion = isConversion(type);
    if (type.startsWith(READERS_PREFIX)) {
      if (row.path) postOf(row.path)[READER_FIELDS[type.slice(READERS_PREFIX.length) as ReaderStep]] += count;
      continue;
    }
    if (!isDerived(type)) totals[type] = (totals[type] ?? 0) + count;
    if (row.path && (type === 'pageview' || type === 'arrival' || conversion)) {
      const post = postOf(row.path);
      if (type === 'pageview') post.pageviews += count;
      else if (type === 'arrival') post.arrivals += count;
      else {
        post.conversions += count;
        post.revenue += row.value;
      }
    }
    if (type === 'pageview') sources.set(row.source, (sources.get(row.source) ?? 0) + count);

    if (row.widget === QUOTE_WIDGET) {
      let quote = quotes.get(row.instance);
      if (!quote) {
        quote = { instance: row.instance, path: null, text: null, impressions: 0, shares: 0, copies: 0, networks: counts(), shareRate: null, arrivalsTotal: 0, arrivals: counts(), next: emptyNext() };
        quotes.set(row.instance, quote);
      }
      const network = row.network || 'unknown';
      if (type === 'impression') quote.impressions += count;
      else if (type === 'copy') quote.copies += count;
      else if (type === 'share') {
        quote.shares += count;
        quote.networks[network] = (quote.networks[network] ?? 0) + count;
      } else if (type === 'arrival') {
        quote.arrivalsTotal += count;
        quote.arrivals[network] = (quote.arrivals[network] ?? 0) + count;
      } else if (type.startsWith(NEXT_PREFIX)) {
        const step = type.slice(NEXT_PREFIX.length) as keyof NextSteps;
        if (Object.hasOwn(quote.next, step)) quote.next[step] += count;
      }
    } else if (row.widget === PROMPT_WIDGET) {
      let prompt = prompts.get(row.instance);
      if (!prompt) prompts.set(row.instance, (prompt = { instance: row.instance, impressions: 0, opens: 0, comments: 0 }));
      if (type === 'impression') prompt.impressions += count;
      if (type === 'open') prompt.opens += count;
      if (type === 'comment') prompt.comments += count;
    } else if (row.widget === CTA_WIDGET && (type === 'impression' || type === 'click' || conversion)) {
      const name = row.campaign || null;
      let campaign = campaigns.get(name);
      if (!campaign) campaigns.set(name, (campaign = { total: emptyCell(), variants: new Map(), placements: new Map(), currencies: new Set() }));
      let placement = campaign.placements.get(row.instance);
      if (!placement) campaign.placements.set(row.instance, (placement = { total: emptyCell(), variants: new Map() }));
      const targets = [campaign.total, placement.total];
      if (row.variant) targets.push(cellIn(campaign.variants, row.variant), cellIn(placement.variants, row.variant));
      for (const target of targets) {
        if (type === 'impression') target.impressions += count;
        else if (type === 'click') target.clicks += count;
        else {
          target.conversions += count;
          target.revenue += row.value;
        }
      }
      if (conversion && row.currency) campaign.currencies.add(row.currency);
    }
  }

  const [postList, postsMore] = top(posts.values(), windowOf('posts', LIMITS.posts), (a, b) => b.arrivals - a.arrivals || b.acted - a.acted || b.pageviews - a.pageviews || a.path.localeCompare(b.path));
  const [quoteList, quotesMore] = top(
    [...quotes.values()].map((q) => ({ ...q, shareRate: rate(q.shares, q.impressions) })),
    windowOf('quotes', LIMITS.quotes),
    (a, b) => b.shares - a.shares || b.arrivalsTotal - a.arrivalsTotal || b.impressions - a.impressions || a.instance.localeCompare(b.instance),
  );
  const [campaignList, ctasMore] = top(campaigns, windowOf('ctas', LIMITS.campaigns), ([an, a], [bn, b]) => b.total.impressions - a.total.impressions || String(an).localeCompare(String(bn)));
  const ctas: CtaCampaign[] = campaignList.map(([campaign, cells]) => ({
    campaign,
    ...withRates(cells.total),
    variants: variantList(cells.variants),
    placements: top(cells.placements, LIMITS.placements, ([ai, a], [bi, b]) => b.total.impressions - a.total.impressions || ai.localeCompare(bi))[0].map(
      ([instance, p]) => ({ instance, ...withRates(p.total), variants: variantList(p.variants) }),
    ),
    currencies: [...cells.currencies].sort(),
  }));
  const [promptList, promptsMore] = top(prompts.values(), LIMITS.prompts, (a, b) => b.impressions - a.impressions || a.instance.localeCompare(b.instance));
  const [sourceList, sourcesMore] = top(sources, windowOf('sources', LIMITS.sources), ([an, a], [bn, b]) => b - a || an.localeCompare(bn));

  const sum = (key: 'readers' | 'acted') => [...posts.values()].reduce((total, post) => total + post[key], 0);
  const headlineReaders = sum('readers');
  const headlineArrivals = totals.arrival ?? 0;

  const types = Object.keys(totals).sort();
  const byDay = new Map<string, Record<string, number>>();
  if ((range.to - range.from) / DAY_MS <= MAX_FILLED_DAYS) for (const day of daysBetween(range.from, range.to)) byDay.set(day, counts());
  for (const row of days) {
    const entry = byDay.get(row.day) ?? counts();
    entry[row.type] = (entry[row.type] ?? 0) + row.count;
    byDay.set(row.day, entry);
  }
  const series = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, entry]) => ({ day, ...Object.fromEntries(types.map((type) => [type, entry[type] ?? 0])) }));

  return {
    version: 2,
    site: range.site,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    post: range.post ?? null,
    headline: {
      readers: headlineReaders,
      acted: sum('acted'),
      actedRate: rate(sum('acted'), headlineReaders),
      arrivals: headlineArrivals,
      arrivalsPer100Readers: headlineReaders > 0 ? (100 * headlineArrivals) / headlineReaders : null,
    },
    totals,
    conversionTypes: types.filter(isConversion),
    botEventsIgnored: ignored,
    trackerDropped: dropped,
    posts: postList,
    postsMore,
    quotes: quoteList,
    quotesMore,
    ctas,
    ctasMore,
    prompt: {
      // Over every prompt, not only the ones listed.
      ...[...prompts.values()].reduce((total, p) => ({ impressions: total.impressions + p.impressions, opens: total.opens + p.opens, comments: total.comments + p.comments }), {
        impressions: 0,
        opens: 0,
        comments: 0,
      }),
      instances: promptList,
      instancesMore: promptsMore,
    },
    sources: sourceList.map(([source, pageviews]): SourceReport => ({ source: source || '(direct)', pageviews })),
    sourcesMore,
    comments: comments.map((c) => ({
      id: c.id,
      instance: c.instance,
      at: new Date(c.at).toISOString(),
      url: c.url,
      title: c.title,
      name: typeof c.props?.name === 'string' ? c.props.name : null,
      text: c.text,
    })),
    series,
  };
}

/** The report of `range`: the rollups' reads in parallel, then the titles and texts of what it lists. */
export async function report(storage: ReportReads, range: Range, page?: Page): Promise<Report> {
  const [rollups, days, ignored, dropped, comments] = await Promise.all([
    storage.rollups(range),
    storage.days(range),
    storage.ignored(range),
    storage.dropped(range),
    storage.comments(range, COMMENTS_LIMIT),
  ]);
  const built = buildReport(range, { rollups, days, ignored, dropped, comments }, page);
  const [titles, quotes] = await Promise.all([
    built.posts.length ? storage.titles(range.site, built.posts.map((p) => p.path)) : new Map<string, string>(),
    built.quotes.length ? storage.quotes(range.site, built.quotes.map((q) => q.instance)) : new Map<string, QuoteInfo>(),
  ]);
  for (const post of built.posts) post.title = titles.get(post.path) ?? null;
  for (const quote of built.quotes) Object.assign(quote, { path: quotes.get(quote.instance)?.path ?? null, text: quotes.get(quote.instance)?.text ?? null });
  return built;
}
