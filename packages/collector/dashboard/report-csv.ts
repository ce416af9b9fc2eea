// What "Download CSV" writes: the report's own numbers (rates as fractions, money as amounts), one row per
// post, per quote, or per campaign · placement · variant.
import type { CtaCell, Interval, Report } from '../src/report/types.js';
import type { Cell } from './csv.js';
import { quoteNetworks } from './sections.js';

const one = (currencies: string[]) => (currencies.length === 1 ? currencies[0] : currencies.join(' '));

export function postRows(report: Report): Cell[][] {
  const currency = one([...new Set(report.ctas.flatMap((c) => c.currencies))]);
  return [
    ['path', 'title', 'pageviews', 'readers', 'reads', 'acted', 'arrivals', 'conversions', 'revenue', 'currency'],
    ...report.posts.map((p) => [p.path, p.title, p.pageviews, p.readers, p.reads, p.acted, p.arrivals, p.conversions, p.revenue, currency]),
  ];
}

export function quoteRows(report: Report): Cell[][] {
  const networks = [...new Set(report.quotes.flatMap(quoteNetworks))];
  return [
    [
      'path', 'instance', 'text', 'impressions', 'shares', 'copies', 'share_rate', 'arrivals',
      ...networks.flatMap((n) => [`shares_${n}`, `arrivals_${n}`]),
      'next_read', 'next_share', 'next_click', 'next_comment',
    ],
    ...report.quotes.map((q) => [
      q.path, q.instance, q.text, q.impressions, q.shares, q.copies, q.shareRate, q.arrivalsTotal,
      ...networks.flatMap((n) => [q.networks[n] ?? 0, q.arrivals[n] ?? 0]),
      q.next.read, q.next.share, q.next.click, q.next.comment,
    ]),
  ];
}

const cta = (c: CtaCell, ci: Interval | null): Cell[] => [
  c.impressions, c.clicks, c.ctr, ci?.low, ci?.high,
  c.conversions, c.conversionRate, c.conversionCi95?.low, c.conversionCi95?.high, c.revenue,
];

export function ctaRows(report: Report): Cell[][] {
  const rows: Cell[][] = [[
    'campaign', 'placement', 'variant', 'impressions', 'clicks', 'ctr', 'ctr_low', 'ctr_high',
    'conversions', 'conversion_rate', 'conversion_low', 'conversion_high', 'revenue', 'currency', 'revenue_per_1000',
  ]];
  for (const c of report.ctas) {
    const currency = one(c.currencies);
    rows.push([c.campaign, '(all)', '(all)', ...cta(c, null), currency, c.revenuePerMille]);
    for (const p of c.placements) {
      rows.push([c.campaign, p.instance, '(all)', ...cta(p, null), currency, p.revenuePerMille]);
      for (const v of p.variants) rows.push([c.campaign, p.instance, v.variant, ...cta(v, v.ci95), currency, v.revenuePerMille]);
    }
  }
  return rows;
}
