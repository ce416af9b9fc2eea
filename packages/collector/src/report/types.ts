// The report API's contract: what `GET /api/sites/:site/report` answers, as JSON. Other tools read it,
// so fields are only ever added; a change to an existing one is a new `version`.

export interface Interval {
  low: number;
  high: number;
}

/** What an arrival through a shared quote did next, in the same page view. */
export interface NextSteps {
  read: number;
  share: number;
  click: number;
  comment: number;
}

export interface QuoteReport {
  instance: string;
  /** The post (canonical path) the quote was last seen on. */
  path: string | null;
  /** The quote as last sent by the widget (`props.text`), or null when no event carried it. */
  text: string | null;
  impressions: number;
  shares: number;
  copies: number;
  /** Share clicks by network (`x`, `bluesky`, …, `native`, `copy`; `unknown` when the event named none). */
  networks: Record<string, number>;
  /** shares ÷ impressions, null without impressions. */
  shareRate: number | null;
  /** Readers who arrived through a link this quote's shares carried, in all. */
  arrivalsTotal: number;
  /** The same by network: `{ "x": 2, "bluesky": 1 }`. */
  arrivals: Record<string, number>;
  /** What those arrivals did next on that page view. */
  next: NextSteps;
}

export interface CtaCell {
  impressions: number;
  clicks: number;
  /** clicks ÷ impressions, null without impressions. */
  ctr: number | null;
  /** Conversions attributed to the course box (any conversion type: purchase, signup, …). */
  conversions: number;
  /** The sum of the conversions' `value`, in their currency (see `currencies`). */
  revenue: number;
  /** conversions ÷ clicks, null without clicks. */
  conversionRate: number | null;
  /** 95% Wilson score interval of `conversionRate`. */
  conversionCi95: Interval | null;
  /** revenue per 1,000 viewable impressions, null without impressions. */
  revenuePerMille: number | null;
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
  /** The currencies the revenue was reported in (one, normally). */
  currencies: string[];
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

/** One post (canonical path) of the site over the range. */
export interface PostReport {
  path: string;
  /** The page's title as last seen. */
  title: string | null;
  pageviews: number;
  /** Unique readers: distinct (day, reader hash) pairs, summed over the days. */
  readers: number;
  /** Readers who read (15 s visible and past half of the article). */
  reads: number;
  /** Readers who acted: shared, copied, commented, or clicked the course box. */
  acted: number;
  /** Readers who arrived through a link a quote's share carried. */
  arrivals: number;
  conversions: number;
  revenue: number;
}

/** Where readers came from: the referrer's host, or `utm_source`; `(direct)` when neither. */
export interface SourceReport {
  source: string;
  pageviews: number;
}

/** The site's answer to "audience or influence?". */
export interface Headline {
  /** Unique readers reached. */
  readers: number;
  /** Readers who acted. */
  acted: number;
  /** acted ÷ readers, null without readers. */
  actedRate: number | null;
  /** New readers brought back by shares. */
  arrivals: number;
  /** arrivals per 100 readers, null without readers. */
  arrivalsPer100Readers: number | null;
}

/** A bounded list's rest: how many entries were left out, so "and N more" can be shown. */
export type More = number;

export interface Report {
  /** The contract's version: 2 (1 had no posts, headline, arrivals or conversions). */
  version: 2;
  site: string;
  from: string;
  to: string;
  /** The post the report is narrowed to (`?post=/path`), or null for the whole site. */
  post: string | null;
  headline: Headline;
  /** Events by type, conversions included: `{ "pageview": 120, "share": 4, "purchase": 1, … }`. */
  totals: Record<string, number>;
  /** The conversion types seen (every type that is not one of Chorus's own). */
  conversionTypes: string[];
  /** Events from known bots and link-preview fetchers, answered 2xx and not stored. */
  botEventsIgnored: number;
  /** Events the trackers had to drop (their queue was full) and told of in the batches they sent. */
  trackerDropped: number;
  /** Sorted by arrivals, then acted, then page views. */
  posts: PostReport[];
  postsMore: More;
  quotes: QuoteReport[];
  quotesMore: More;
  ctas: CtaCampaign[];
  ctasMore: More;
  /** The totals count every prompt; `instances` lists the top ones, `instancesMore` says how many it left out (version 2, added). */
  prompt: PromptFunnel & { instances: (PromptFunnel & { instance: string })[]; instancesMore: More };
  sources: SourceReport[];
  sourcesMore: More;
  comments: Comment[];
  series: ({ day: string } & Record<string, number | string>)[];
}
