// The one storage interface: each database implements it, and the same test suite runs against each.

/** An event as stored: the wire event, checked, plus what the collector adds. */
export interface StoredEvent {
  id: string;
  type: string;
  widget: string;
  instance: string;
  /** When it happened on the collector's clock (ms): the reader's `ts` corrected by the batch's clock skew. */
  at: number;
  /** The UTC day of `at`, `YYYY-MM-DD`, so both databases group days the same way. */
  day: string;
  /** The reader's own clock, as sent (kept for audits; may be anything a client claims). */
  ts: number;
  sent: number;
  received: number;
  url: string;
  title: string;
  referrer: string;
  network: string | null;
  campaign: string | null;
  variant: string | null;
  /** `props.text` when it is a string (quote text, comment text), for the report's queries. */
  text: string | null;
  props: Record<string, string | number | boolean> | null;
}

export interface InsertResult {
  /** Ids stored by this call. */
  inserted: string[];
  /** Ids already stored (a retried batch): accepted, not counted again. */
  duplicates: string[];
}

export interface Range {
  site: string;
  /** Inclusive, ms. */
  from: number;
  /** Exclusive, ms. */
  to: number;
}

/** One group of events: how many of one type, for one widget instance, network, campaign and variant. */
export interface CountRow {
  widget: string;
  instance: string;
  type: string;
  network: string | null;
  campaign: string | null;
  variant: string | null;
  count: number;
}

export interface DayRow {
  day: string;
  type: string;
  count: number;
}

export interface CommentRow {
  id: string;
  widget: string;
  instance: string;
  at: number;
  url: string;
  title: string;
  text: string | null;
  props: Record<string, string | number | boolean> | null;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** A human description for the start-up line (a file path, or a URL without its password). */
  readonly description: string;
  /** Stores the events of one site in one transaction; resolves only once they are durably committed. */
  insert(site: string, events: StoredEvent[]): Promise<InsertResult>;
  counts(range: Range): Promise<CountRow[]>;
  days(range: Range): Promise<DayRow[]>;
  /** The latest `props.text` of each given instance of a widget, over all time. */
  latestTexts(site: string, widget: string, instances: string[]): Promise<Map<string, string>>;
  comments(range: Range, limit: number): Promise<CommentRow[]>;
  close(): Promise<void>;
}

/** A storage fault (not the client's): answered 503 so the tracker retries. */
export class StorageError extends Error {
  override name = 'StorageError';
}
