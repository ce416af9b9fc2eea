// The one storage interface: each database implements it, and the same test suite runs against each.
import type { RollupDelta } from '../rollup.js';

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
  /** The post it belongs to (canonical path): the page's path, or for a conversion the post its course box was on. */
  path: string;
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
  /** Narrows the report to one post (canonical path). */
  post?: string;
}

/** A rollup row summed over the days of a range. */
export type RollupRow = Omit<RollupDelta, 'day'>;

export interface DayRow {
  day: string;
  type: string;
  count: number;
}

export interface QuoteInfo {
  instance: string;
  path: string;
  text: string | null;
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

/** What the report reads: a store's read side, which may run on a connection (and a thread) of its own. */
export type ReportReads = Pick<Storage, 'rollups' | 'days' | 'ignored' | 'dropped' | 'titles' | 'quotes' | 'comments'>;

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** A human description for the start-up line (a file path, or a URL without its password). */
  readonly description: string;
  /**
   * Stores the events of one site and their rollups in one transaction; resolves only once they are
   * durably committed. `reader` is the day's hash of the sender (see readers.ts), for unique counts.
   */
  insert(site: string, events: StoredEvent[], reader?: string): Promise<InsertResult>;
  /** Counts events refused because a bot sent them. */
  ignore(site: string, day: string, count: number): Promise<void>;
  /** Counts events a tracker told it had to drop (its queue was full: the batch's `dropped`). */
  drop(site: string, day: string, count: number): Promise<void>;
  /**
   * The salt of `day`, made (once, shared by every collector process) on first use. Salts of other
   * days, and the reader hashes made with them, are destroyed.
   */
  salt(day: string): Promise<Buffer>;
  /** The rollups of the range's days, summed over the days, per every other dimension. */
  rollups(range: Range): Promise<RollupRow[]>;
  /** Events per day and type (the rows the collector derives left out). */
  days(range: Range): Promise<DayRow[]>;
  /** Bot events ignored over the range. */
  ignored(range: Range): Promise<number>;
  /** Events the trackers dropped over the range. */
  dropped(range: Range): Promise<number>;
  /** The latest title of each post given. */
  titles(site: string, paths: string[]): Promise<Map<string, string>>;
  /** What is known of each quote instance given: its post and latest text. */
  quotes(site: string, instances: string[]): Promise<Map<string, QuoteInfo>>;
  comments(range: Range, limit: number): Promise<CommentRow[]>;
  /** Folds what is pending into the rollups (PostgreSQL's deltas); the report reads the same either way. */
  fold(): Promise<void>;
  /** A trivial query: resolves when the store answers (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A storage fault (not the client's): answered 503 so the tracker retries. */
export class StorageError extends Error {
  override name = 'StorageError';
}
