import { readStored, safeHttpUrl, writeStored, type DeliveryDetail, type EngagementDetail, type EngagementEvent } from '@chorus/core';

// Adapters load on demand: a page that posts to a URL never downloads them.
const ADAPTERS = ['plausible', 'umami', 'ga4', 'gtm', 'segment'];

/** An engagement event as collectors receive it (see schema/batch.schema.json). */
export interface TrackedEvent extends EngagementDetail {
  /** Unique per event and the same on every retry: collectors deduplicate on it. */
  id: string;
  ts: number;
  url: string;
  title: string;
  referrer: string;
  /** A widget waiting for the answer (see @chorus/core's DeliveryDetail); never sent nor stored. */
  settle?: DeliveryDetail['settle'];
}

/** What a collector receives: the wire contract, version 1. */
export interface Batch {
  v: 1;
  site: string;
  sent: number;
  events: TrackedEvent[];
  /** Events this tracker had to drop (the queue was full) since its last delivered batch. */
  dropped?: number;
}

/** Receives batches; a rejected promise (or a throw) means "try again later". */
export type CollectorFunction = (batch: Batch) => unknown;

/** A collector URL, an adapter name (`plausible`, `umami`, `ga4`, `gtm`, `segment`), or a function. */
export type Collector = string | CollectorFunction;

export interface TrackerOptions {
  collector: Collector | Collector[];
  /** The site name collectors file the events under; default: the page's host name. */
  site?: string;
  /** Log every event and every delivery to the console. */
  debug?: boolean;
  /** Send nothing when the reader has Do Not Track or Global Privacy Control on. */
  respectDnt?: boolean;
  /** Record a `pageview` per page view and a `read` once the page is read (default true; `false`: neither). */
  pageviews?: boolean;
}

const BATCH_SIZE = 20;
const BATCH_WAIT = 5_000;
const KEPT = 200; // events kept per collector while it cannot be reached; the oldest are dropped first
const BEACON_BYTES = 65_536;
const MAX_BACKOFF = 300_000;
// A collector that has not answered by then counts as down (a network error): retried with the backoff.
const TIMEOUT = 10_000;
const OPT_OUT = 'chorus:opt-out';
/** Where the course site keeps a reader's attribution, for this tab (sessionStorage). */
const ATTRIBUTION = 'chorus:attribution';

// A delivery is 'done' (delivered), 'refused' (for good), or failed: retry after the given ms, or
// after an exponential backoff when undefined.
type Outcome = 'done' | 'refused' | number | undefined;

interface Route {
  send(batch: Batch): Promise<Outcome>;
  /** Set for URL collectors: they can also go out by beacon, and wait in storage for the next page view. */
  url?: string;
  queue: TrackedEvent[];
  failures: number;
  /** Drops not yet told to the collector (the batch's `dropped`). */
  drops: number;
  /** The delivery in flight (flush() waits for it); falsy when none. */
  sending?: Promise<boolean> | 0;
  /** A planned delivery; 0 when none (a browser's timer ids are never 0). */
  timer?: ReturnType<typeof setTimeout> | 0;
}

let routes: Route[] = [];
let site = '';
let debug = false;
let listening = false;
let pageviews = true;
let path: string | undefined;
let reading: ReturnType<typeof setInterval>;
/** Changes an event before it is queued: the code loaded on demand (arrival, attribution) adds them. */
export type Hook = (detail: EngagementDetail) => EngagementDetail;
/** What that code is started with: it records an arrival, adds hooks, compares utm_source with the site. */
export type Start = (record: (detail: EngagementDetail) => void, hooks: Hook[], site: string) => void;
const hooks: Hook[] = [];
// Events recorded in this task, stored together once it ends (see record).
let unsaved: TrackedEvent[] = [];
// While that code loads, events wait for it, in order.
let held: Promise<unknown> | undefined;
const READ_SECONDS = 15;

const log = (...args: unknown[]) => debug && console.info('[chorus]', ...args);
const optedOut = () => readStored(OPT_OUT) == '1';
const storageKey = (route: Route) => `chorus:queue:${site}:${route.url}`;

function stored(route: Route): TrackedEvent[] {
  try {
    const events = JSON.parse(readStored(storageKey(route))!); // none: null
    if (Array.isArray(events)) return events;
  } catch {
    // unreadable: start afresh rather than fail
  }
  return [];
}

// Keeps a URL collector's unacknowledged events in localStorage, so that events of a page the reader
// leaves while the collector is down go out on the next page view. Read-modify-write, so tabs of the
// same site add to one queue rather than overwrite each other's.
function store(route: Route, add: TrackedEvent[], delivered: string[] = []): void {
  if (!route.url) return;
  const events = keep(route, stored(route).filter((event) => !delivered.includes(event.id)).concat(add));
  writeStored(storageKey(route), events.length ? JSON.stringify(events) : null);
}

/** The newest KEPT of `events`; the older ones are dropped, and counted when `count`. */
function keep(route: Route, events: TrackedEvent[], count = true): TrackedEvent[] {
  if (count) route.drops += Math.max(events.length - KEPT, 0);
  return events.slice(-KEPT);
}

// Unique enough to deduplicate on (time plus 52 random bits), and tied to nothing about the reader.
const newId = () => Date.now().toString(36) + Math.random().toString(36).slice(2);

// Seconds, or an HTTP date (NaN when none): the least a collector asks to wait; the backoff may wait longer.
const retryAfter = (header: string | null) => Math.min(Number(header) * 1000 || Date.parse(header!) - Date.now(), MAX_BACKOFF);

// A string body goes out as text/plain: a "simple" request, with no CORS preflight.
const request = (url: string, body: string) =>
  fetch(url, { method: 'POST', body, credentials: 'omit', keepalive: body.length < 60_000, signal: AbortSignal.timeout?.(TIMEOUT) });

const post =
  (url: string) =>
  async (batch: Batch): Promise<Outcome> => {
    const response = await request(url, JSON.stringify(batch));
    log(url, response.status, batch);
    if (response.ok) return 'done';
    if (/^(408|429|5)/.test('' + response.status)) return retryAfter(response.headers.get('retry-after'));
    return 'refused';
  };

function route(collector: Collector): Route | undefined {
  const base = { queue: [], failures: 0, drops: 0 };
  if (typeof collector === 'function') return { ...base, send: async (batch) => (await collector(batch), 'done') };
  if (ADAPTERS.includes(collector)) {
    return { ...base, send: async (batch) => ((await import('./adapters.js')).adapters[collector]()(batch), 'done') };
  }
  const url = safeHttpUrl(collector, location.href);
  if (!url) {
    console.warn(`Chorus ignored the collector "${collector}"`); // not an http(s) URL, a function or an adapter
    return undefined;
  }
  const found: Route = { ...base, url, send: post(url) };
  found.queue = stored(found); // left over from earlier page views
  return found;
}

const batchOf = (events: TrackedEvent[], dropped?: number): Batch => ({
  v: 1,
  site,
  sent: Date.now(),
  events,
  dropped: dropped || undefined, // left out of the JSON when there is nothing to count
});

function stopTimer(route: Route): void {
  clearTimeout(route.timer);
  route.timer = 0;
}

/**
 * Sends the next batch of `route`, or waits for the one in flight: true when it was delivered (or refused
 * for good), false when it failed, falsy when there was nothing to send.
 */
async function deliver(route: Route): Promise<boolean | 0 | undefined> {
  stopTimer(route);
  return (route.sending ||= route.queue.length && attempt(route));
}

async function attempt(route: Route): Promise<boolean> {
  const events = route.queue.slice(0, BATCH_SIZE);
  // The drops this batch tells of: once it is answered, only those counted since are left to tell.
  const { drops } = route;
  let outcome: Outcome;
  try {
    outcome = await route.send(batchOf(events, drops));
  } catch (error) {
    log(error); // a network error, or no answer within TIMEOUT
  }
  route.sending = 0;
  for (const event of events) {
    try {
      event.settle?.(outcome == 'done');
    } catch {
      // A widget's callback never stops the queue.
    }
  }
  if (typeof outcome == 'string') {
    const delivered = events.map((event) => event.id);
    route.queue = route.queue.filter((event) => !delivered.includes(event.id));
    store(route, [], delivered);
    route.failures = 0;
    route.drops -= drops;
    if (route.queue.length) schedule(route);
    return true;
  }
  // 1 s at the least, growing with each failure; Retry-After only ever lengthens the wait. A collector
  // answering Retry-After: 0 (or a date past) every time is waited for as one saying nothing: no retry storm.
  const backoff = Math.min(MAX_BACKOFF, 1000 * 2 ** ++route.failures) * (0.5 + Math.random());
  route.timer = setTimeout(() => deliver(route), outcome! > backoff ? outcome : backoff);
  return false;
}

function schedule(route: Route): void {
  // A retry is planned: wait for it. Once it is gone (a hidden page cancelled it, or it found nothing to
  // send), what comes next goes as usual, rather than waiting for a retry that never comes.
  if (route.sending || (route.failures && route.timer)) return;
  if (route.queue.length >= BATCH_SIZE) void deliver(route);
  else route.timer ||= setTimeout(() => deliver(route), BATCH_WAIT);
}

function record(detail: EngagementDetail): void {
  if (!routes.length || optedOut()) return;
  if (held) return void held.then(() => record(detail));
  const event: TrackedEvent = {
    id: newId(),
    ...hooks.reduce((shaped, hook) => hook(shaped), detail),
    ts: Date.now(),
    url: location.href.split('#')[0],
    title: document.title,
    referrer: document.referrer,
  };
  log('event', event);
  for (const route of routes) {
    // A URL collector's drops are counted once, where its stored queue overflows.
    route.queue = keep(route, [...route.queue, event], !route.url);
    if (event.settle) void deliver(route);
    else schedule(route);
  }
  // Stored when the task ends, all at once: a loop of a thousand track() calls is one write, not a thousand.
  if (unsaved.push(event) < 2) {
    queueMicrotask(() => {
      for (const route of routes) store(route, unsaved);
      unsaved = [];
    });
  }
}

// The page is going away (or hidden, which on phones is often the last chance): hand every queued event
// to the browser now. Beacons carry no answer, so the events stay stored until a later page view's
// delivery is acknowledged; the collector deduplicates on their ids.
function sendAll(): void {
  for (const route of routes) {
    if (!route.url) {
      void deliver(route);
      continue;
    }
    let events = route.queue;
    while (events.length) {
      let count = events.length;
      // No `dropped`: a beacon is never acknowledged, so the next delivery that is tells of them.
      let body = JSON.stringify(batchOf(events));
      while (count > 1 && new Blob([body]).size > BEACON_BYTES) body = JSON.stringify(batchOf(events.slice(0, (count = Math.ceil(count / 2)))));
      if (!navigator.sendBeacon?.(route.url, body)) request(route.url, body).catch(log);
      log('beacon', route.url, count);
      events = events.slice(count);
    }
    // What was waiting for a retry went by beacon: what comes next starts afresh, as on a new page.
    route.queue = [];
    route.failures = 0;
    stopTimer(route);
  }
}

const page = (type: string): EngagementDetail => ({ type, widget: 'page', instance: 'page' });

// A `pageview` per page view (in an SPA, a pushState or popstate to another path is a new one), and a
// `read` once the page has been visible for 15 s in all and scrolled past half of its article. The
// check runs once a second: a second visible adds one, a hidden one nothing.
function view(): void {
  if (!pageviews || path == location.pathname) return;
  path = location.pathname;
  record(page('pageview'));
  let seen = 0;
  let half = false;
  clearInterval(reading);
  reading = setInterval(() => {
    const box = (document.querySelector('article') || document.querySelector('main') || document.documentElement).getBoundingClientRect();
    half ||= box.top + box.bottom < 2 * innerHeight; // its middle is above the window's bottom
    if (!document.hidden && ++seen >= READ_SECONDS && half) {
      seen = -Infinity; // once per page view
      record(page('read'));
    }
  }, 1000);
}

const safely =
  <A extends unknown[]>(run: (...args: A) => void) =>
  (...args: A) => {
    try {
      run(...args);
    } catch (error) {
      console.warn('Chorus:', error); // never into the host page
    }
  };

/**
 * Starts delivering engagement events to the collectors given. Calling it again replaces them.
 * Nothing is sent, and nothing listened for, when the reader opted out or (with `respectDnt`) under
 * Do Not Track or Global Privacy Control.
 */
export const configure = safely((options: TrackerOptions) => {
  debug = !!options.debug;
  site = options.site || location.hostname;
  if (options.respectDnt && (navigator.doNotTrack == '1' || (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)) {
    routes = [];
    return;
  }
  routes = [options.collector]
    .flat()
    .filter(Boolean)
    .flatMap((collector) => route(collector) ?? []);
  pageviews = options.pageviews ?? true;
  if (!routes.length) return;
  view();
  if (!listening) {
    listening = true;
    // The event types of @chorus/core (EngagementEvent.type, TRACKER_QUERY), spelt out so that the
    // tracker carries neither the widgets' event class nor their half of the delivery contract.
    document.addEventListener('chorus-engagement', safely((event: EngagementEvent) => record(event.detail)));
    document.addEventListener('chorus-tracker-query', (event) => Object.assign(event, { configured: routes.length && !optedOut(), site }));
    addEventListener('pagehide', safely(sendAll));
    document.addEventListener('visibilitychange', safely(() => document.hidden && sendAll()));
    const viewSafely = safely(view);
    const push = history.pushState;
    history.pushState = (...args: Parameters<History['pushState']>) => (push.apply(history, args), viewSafely());
    addEventListener('popstate', viewSafely);
    // A reader who came through a shared quote (#cq=…), or to the author's course site from a course box
    // (utm_medium=chorus, or earlier in this tab): code that few readers need, loaded for those only. One
    // or the other: an arrival on the course site is not tracked as one.
    const here = location.href;
    const landing = /#.*cq=/.test(here)
      ? import('./arrival.js')
      : /utm_medium=chorus/.test(here) || readStored(ATTRIBUTION, 'sessionStorage')
        ? import('./attribution.js')
        : undefined;
    if (landing) held = landing.finally(() => (held = undefined)).then((chunk) => chunk.start(record, hooks, site)).catch(log);
  }
  if (!optedOut()) for (const found of routes) void deliver(found);
});

/** Records an event of your own, e.g. `track('signup', {plan: 'pro'})`. */
export const track = safely((type: string, props?: EngagementDetail['props']) => record({ ...page(type), props }));

/** Sends everything queued now; resolves when every collector has answered or failed. */
export const flush = async (): Promise<void> => {
  await held; // events recorded while the code for an arrival or a course-site landing loads
  await Promise.all(
    routes.map(async (found) => {
      while (await deliver(found)); // until nothing is left, or a delivery fails
    }),
  );
};

/** Stops all sending for this reader on this site, and forgets what was queued. */
export const optOut = safely(() => {
  writeStored(OPT_OUT, '1');
  unsaved = []; // recorded in this task, but never to be stored
  for (const found of routes) {
    stopTimer(found);
    found.queue = [];
    found.failures = 0;
    if (found.url) writeStored(storageKey(found), null);
  }
});

/** Undoes optOut(). */
export const optIn = safely(() => writeStored(OPT_OUT, null));
