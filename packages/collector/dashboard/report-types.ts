// The report's shape as the API sends it (the server's src/report.ts is the source of truth).
export interface Interval {
  low: number;
  high: number;
}

export interface QuoteReport {
  instance: string;
  text: string | null;
  impressions: number;
  shares: number;
  copies: number;
  networks: Record<string, number>;
  shareRate: number | null;
}

export interface CtaCell {
  impressions: number;
  clicks: number;
  ctr: number | null;
}

export interface CtaVariant extends CtaCell {
  variant: string;
  ci95: Interval | null;
}

export interface CtaCampaign extends CtaCell {
  campaign: string | null;
  variants: CtaVariant[];
  placements: (CtaCell & { instance: string; variants: CtaVariant[] })[];
}

export interface Funnel {
  impressions: number;
  opens: number;
  comments: number;
}

export interface Report {
  site: string;
  from: string;
  to: string;
  totals: Record<string, number>;
  quotes: QuoteReport[];
  ctas: CtaCampaign[];
  prompt: Funnel & { instances: (Funnel & { instance: string })[] };
  comments: { id: string; instance: string; at: string; url: string; title: string; name: string | null; text: string | null }[];
  series: ({ day: string } & Record<string, number | string>)[];
}
