// The types of chorus.js, the script tag: the tracker's API it puts on `window.chorus`, and the stub a page
// defines before it loads, whose calls are queued. Self-contained, as the package depends on nothing: the
// bundle inlines @chorus/tracker, and test/packages.test.mjs checks these against the tracker's own types.

/** An engagement event as a collector receives it (the wire contract: @chorus/tracker's schema/batch.schema.json). */
export interface ChorusEvent {
  type: string;
  widget: string;
  instance: string;
  id: string;
  ts: number;
  url: string;
  title: string;
  referrer: string;
  network?: string;
  campaign?: string;
  variant?: string;
  props?: Record<string, string | number | boolean>;
}

/** What a collector receives: the wire contract, version 1. */
export interface ChorusBatch {
  v: 1;
  site: string;
  sent: number;
  events: ChorusEvent[];
  /** Events the tracker had to drop (its queue was full) since its last delivered batch. */
  dropped?: number;
}

/** A collector URL, an adapter name (`plausible`, `umami`, `ga4`, `gtm`, `segment`), or a function. */
export type ChorusCollector = string | ((batch: ChorusBatch) => unknown);

/** What `configure` takes: the script tag's `data-collector`, `data-site`, `data-debug`, `data-respect-dnt`, `data-pageviews`. */
export interface ChorusOptions {
  collector: ChorusCollector | ChorusCollector[];
  /** The site name collectors file the events under; default: the page's host name. */
  site?: string;
  /** Log every event and every delivery to the console. */
  debug?: boolean;
  /** Send nothing when the reader has Do Not Track or Global Privacy Control on. */
  respectDnt?: boolean;
  /** Record a `pageview` per page view and a `read` once the page is read (default true; `false`: neither). */
  pageviews?: boolean;
}

/** An event's own properties, such as a purchase's `{value: 49, currency: 'EUR'}`. */
export type ChorusProps = Record<string, string | number | boolean>;

/** The tracker's methods, on `window.chorus` once chorus.js has run. */
export interface ChorusMethods {
  /** Starts delivering to the collectors (calling it again replaces them). */
  configure(options: ChorusOptions): void;
  /** Records an event of the page: `track('purchase', {value: 49, currency: 'EUR'})`. */
  track(type: string, props?: ChorusProps): void;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  /** The reader opts out (remembered in localStorage): nothing is recorded from then on. */
  optOut(): void;
  optIn(): void;
}

/** A call as the stub queues it and chorus.js replays it: `chorus('track', 'purchase', {value: 49})`. */
export type ChorusCall =
  | [method: 'configure', options: ChorusOptions]
  | [method: 'track', type: string, props?: ChorusProps]
  | [method: 'flush' | 'optOut' | 'optIn'];

/** `window.chorus` once chorus.js has run: callable with a method's name, or through its methods. */
export interface ChorusApi extends ChorusMethods {
  (...call: ChorusCall): unknown;
}

/**
 * `window.chorus` before chorus.js has run: the stub of the tracker's README, which queues each call's
 * `arguments` in `q`: `window.chorus = window.chorus || function () { (chorus.q = chorus.q || []).push(arguments); };`
 */
export interface ChorusQueue {
  (...call: ChorusCall): void;
  q?: ArrayLike<unknown>[];
}

declare global {
  /** `window.chorus`, and `chorus(…)` as a page's scripts call it. */
  var chorus: ChorusApi | ChorusQueue | undefined;
}
