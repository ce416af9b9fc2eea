// The report of one site over a range: what the dashboard shows, as plain JSON. The storage groups and
// counts; this module turns the groups into rates, intervals and series.
import type { CommentRow, CountRow, DayRow, Range, Storage } from './storage/storage.js';

export const QUOTE_WIDGET = 'quote-to-tweet';
export const PROMPT_WIDGET = 'comment-prompt';
export const CTA_WIDGET = 'course-cta';
export const COMMENTS_LIMIT = 500;
const DAY_MS = 24 * 3600 * 1000;
/** Longer ranges list only the days that have events, so a report never grows past this many days of zeros. */
const MAX_FILLED_DAYS = 400;
const DEFAULT_DAYS = 30;

export interface Interval {
  low: number;
  high: number;
}

export interface QuoteReport {
  instance: string;
  /** The quote as last sent by the widget (`props.text`), or null when no event carried it. */
  text: string | null;
  impressions: number;
  shares: number;
  copies: number;
  /** Shares by network (`x`, `bluesky`, …; `unknown` when the event named none). */
  networks: Record<string, number>;
  /** shares ÷ impressions, null without impressions. */
  shareRate: number | null;
}

export interface CtaCell {
  impressions: number;
  clicks: number;
  /** clicks ÷ impressions, null without impressions. */
  ctr: number | null;
}

export interface CtaVariant extends CtaCell {
  variant: string;
  /** 95% Wilson score interval of the click-through rate. */
  ci95: Interval | null;
}

export interface CtaPlacement extends CtaCell {
  instance: string;
  variants: CtaVariant[];
}

export interface CtaCampaign extends CtaCell {
  /** null for events that named no campaign. */
  campaign: string | null;
  /** The variants over every placement of the campaign: where an A/B test is read. */
  variants: CtaVariant[];
  placements: CtaPlacement[];
}

export interface PromptFunnel {
  impressions: number;
  opens: number;
  comments: number;
}

export interface Comment {
  id: string;
  instance: string;
  at: string;
  url: string;
  title: string;
  name: string | null;
  text: string | null;
}

export interface Report {
  site: string;
  from: string;
  to: string;
  totals: Record<string, number>;
  quotes: QuoteReport[];
  ctas: CtaCampaign[];
  prompt: PromptFunnel & { instances: (PromptFunnel & { instance: string })[] };
  comments: Comment[];
  series: ({ day: string } & Record<string, number | string>)[];
}

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

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const withRate = <T extends CtaCell>(c: T): T => ({ ...c, ctr: rate(c.clicks, c.impressions) });
const emptyCell = (): CtaCell => ({ impressions: 0, clicks: 0, ctr: null });
function cellIn(cells: Map<string, CtaCell>, key: string): CtaCell {
  let found = cells.get(key);
  if (!found) cells.set(key, (found = emptyCell()));
  return found;
}

interface CampaignCells {
  total: CtaCell;
  variants: Map<string, CtaCell>;
  placements: Map<string, { total: CtaCell; variants: Map<string, CtaCell> }>;
}

export class RangeError400 extends Error {
  override name = 'RangeError400';
}

/** `from`/`to` as `YYYY-MM-DD` (UTC days, both inclusive), an ISO time, or ms since the epoch. Default: the last 30 days. */
export function parseRange(site: string, fromParam: unknown, toParam: unknown, now = Date.now()): Range {
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
  return { site, from, to };
}

function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export function buildReport(
  range: Range,
  counts: CountRow[],
  days: DayRow[],
  quoteTexts: Map<string, string>,
  comments: CommentRow[],
): Report {
  const totals: Record<string, number> = {};
  for (const row of counts) totals[row.type] = (totals[row.type] ?? 0) + row.count;

  const quotes = new Map<string, QuoteReport>();
  const prompts = new Map<string, PromptFunnel & { instance: string }>();
  const campaigns = new Map<string | null, CampaignCells>();

  for (const row of counts) {
    if (row.widget === QUOTE_WIDGET) {
      let quote = quotes.get(row.instance);
      if (!quote) {
        quote = { instance: row.instance, text: quoteTexts.get(row.instance) ?? null, impressions: 0, shares: 0, copies: 0, networks: {}, shareRate: null };
        quotes.set(row.instance, quote);
      }
      if (row.type === 'impression') quote.impressions += row.count;
      if (row.type === 'copy') quote.copies += row.count;
      if (row.type === 'share') {
        quote.shares += row.count;
        const network = row.network ?? 'unknown';
        quote.networks[network] = (quote.networks[network] ?? 0) + row.count;
      }
    } else if (row.widget === PROMPT_WIDGET) {
      let prompt = prompts.get(row.instance);
      if (!prompt) prompts.set(row.instance, (prompt = { instance: row.instance, impressions: 0, opens: 0, comments: 0 }));
      if (row.type === 'impression') prompt.impressions += row.count;
      if (row.type === 'open') prompt.opens += row.count;
      if (row.type === 'comment') prompt.comments += row.count;
    } else if (row.widget === CTA_WIDGET && (row.type === 'impression' || row.type === 'click')) {
      let campaign = campaigns.get(row.campaign);
      if (!campaign) campaigns.set(row.campaign, (campaign = { total: emptyCell(), variants: new Map(), placements: new Map() }));
      let placement = campaign.placements.get(row.instance);
      if (!placement) campaign.placements.set(row.instance, (placement = { total: emptyCell(), variants: new Map() }));
      const targets = [campaign.total, placement.total];
      if (row.variant !== null) targets.push(cellIn(campaign.variants, row.variant), cellIn(placement.variants, row.variant));
      for (const target of targets) target[row.type === 'impression' ? 'impressions' : 'clicks'] += row.count;
    }
  }

  const variants = (cells: Map<string, CtaCell>) =>
    [...cells].map(([name, c]) => ({ variant: name, ...withRate(c), ci95: wilson(c.clicks, c.impressions) })).sort((a, b) => a.variant.localeCompare(b.variant));
  const ctas: CtaCampaign[] = [...campaigns].map(([campaign, cells]) => ({
    campaign,
    ...withRate(cells.total),
    variants: variants(cells.variants),
    placements: [...cells.placements]
      .map(([instance, p]) => ({ instance, ...withRate(p.total), variants: variants(p.variants) }))
      .sort((a, b) => b.impressions - a.impressions || a.instance.localeCompare(b.instance)),
  }));

  const quoteList = [...quotes.values()].map((q) => ({ ...q, shareRate: rate(q.shares, q.impressions) }));
  quoteList.sort((a, b) => b.shares - a.shares || b.impressions - a.impressions || a.instance.localeCompare(b.instance));
  ctas.sort((a, b) => b.impressions - a.impressions || String(a.campaign).localeCompare(String(b.campaign)));
  const promptList = [...prompts.values()].sort((a, b) => b.impressions - a.impressions || a.instance.localeCompare(b.instance));

  const types = Object.keys(totals).sort();
  const byDay = new Map<string, Record<string, number>>();
  const spanDays = (range.to - range.from) / DAY_MS;
  if (spanDays <= MAX_FILLED_DAYS) for (const day of daysBetween(range.from, range.to)) byDay.set(day, {});
  for (const row of days) {
    const entry = byDay.get(row.day) ?? {};
    entry[row.type] = (entry[row.type] ?? 0) + row.count;
    byDay.set(row.day, entry);
  }
  const series = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, entry]) => ({ day, ...Object.fromEntries(types.map((type) => [type, entry[type] ?? 0])) }));

  return {
    site: range.site,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    totals,
    quotes: quoteList,
    ctas,
    prompt: {
      impressions: promptList.reduce((sum, p) => sum + p.impressions, 0),
      opens: promptList.reduce((sum, p) => sum + p.opens, 0),
      comments: promptList.reduce((sum, p) => sum + p.comments, 0),
      instances: promptList,
    },
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

export async function report(storage: Storage, range: Range): Promise<Report> {
  const [counts, days, comments] = await Promise.all([storage.counts(range), storage.days(range), storage.comments(range, COMMENTS_LIMIT)]);
  const quoteInstances = [...new Set(counts.filter((row) => row.widget === QUOTE_WIDGET).map((row) => row.instance))];
  const texts = quoteInstances.length ? await storage.latestTexts(range.site, QUOTE_WIDGET, quoteInstances) : new Map<string, string>();
  return buildReport(range, counts, days, texts, comments);
}
