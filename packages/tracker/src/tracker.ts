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
  dropped: number;
  sending?: boolean;
  timer?: ReturnType<typeof setTimeout>;
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
// While that code loads, events wait for it, in order.
let held: Promise<unknown> | undefined;
const READ_SECONDS = 15;

const log = (...args: unknown[]) => debug && console.info('[chorus]', ...args);
const optedOut = () => readStored(OPT_OUT) === '1';
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
  if (count) route.dropped += Math.max(events.length - KEPT, 0);
  return events.slice(-KEPT);
}

// Unique enough to deduplicate on (time plus 52 random bits), and tied to nothing about the reader.
const newId = () => Date.now().toString(36) + Math.random().toString(36).slice(2);

// Seconds, or an HTTP date; none (or one past) leaves the wait to the backoff.
function retryAfter(header: string | null): number | undefined {
  const wait = Number(header) * 1000 || Date.parse(header!) - Date.now();
  return wait >= 0 ? Math.min(wait, MAX_BACKOFF) : undefined;
}

const post =
  (url: string) =>
  async (batch: Batch): Promise<Outcome> => {
    const body = JSON.stringify(batch);
    // A string body goes out as text/plain: a "simple" request, with no CORS preflight.
    const response = await fetch(url, { method: 'POST', body, credentials: 'omit', keepalive: body.length < 60_000 });
    log(url, response.status, batch);
    if (response.ok) return 'done';
    if ([408, 429].includes(response.status) || response.status >= 500) return retryAfter(response.headers.get('retry-after'));
    return 'refused';
  };

function route(collector: Collector): Route | undefined {
  const base = { queue: [], failures: 0, dropped: 0 };
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

const batchOf = (route: Route, events: TrackedEvent[]): Batch => ({
  v: 1,
  site,
  sent: Date.now(),
  events,
  dropped: route.dropped || undefined, // left out of the JSON when there is nothing to count
});

function stopTimer(route: Route): void {
  clearTimeout(route.timer);
  route.timer = undefined;
}

/** Sends the next batch of `route`; true when it was delivered (or refused for good). */
async function deliver(route: Route): Promise<boolean> {
  stopTimer(route);
  if (route.sending || !route.queue.length) return false;
  route.sending = true;
  const events = route.queue.slice(0, BATCH_SIZE);
  let outcome: Outcome;
  try {
    outcome = await route.send(batchOf(route, events));
  } catch (error) {
    log(error);
  }
  route.sending = false;
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
    route.failures = route.dropped = 0;
    if (route.queue.length) schedule(route);
    return true;
  }
  route.failures++;
  const backoff = Math.min(MAX_BACKOFF, 1000 * 2 ** route.failures) * (0.5 + Math.random());
  route.timer = setTimeout(() => deliver(route), outcome ?? backoff);
  return false;
}

function schedule(route: Route): void {
  if (route.sending || route.failures) return; // a retry is already planned
  if (route.queue.length >= BATCH_SIZE) void deliver(route);
  else route.timer ??= setTimeout(() => deliver(route), BATCH_WAIT);
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
    store(route, [event]);
    if (event.settle) void deliver(route);
    else schedule(route);
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
      let body = JSON.stringify(batchOf(route, events));
      while (count > 1 && new Blob([body]).size > BEACON_BYTES) body = JSON.stringify(batchOf(route, events.slice(0, (count = Math.ceil(count / 2)))));
      if (!navigator.sendBeacon?.(route.url, body)) fetch(route.url, { method: 'POST', body, credentials: 'omit', keepalive: true }).catch(() => {});
      log('beacon', route.url, count);
      events = events.slice(count);
    }
    route.queue = [];
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
  if (options.respectDnt && (navigator.doNotTrack === '1' || (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)) {
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
export async function flush(): Promise<void> {
  await Promise.all(
    routes.map(async (found) => {
      while (found.queue.length && (await deliver(found)));
    }),
  );
}

/** Stops all sending for this reader on this site, and forgets what was queued. */
export const optOut = safely(() => {
  writeStored(OPT_OUT, '1');
  for (const found of routes) {
    stopTimer(found);
    Object.assign(found, { queue: [], failures: 0, dropped: 0 });
    if (found.url) writeStored(storageKey(found), null);
  }
});

/** Undoes optOut(). */
export const optIn = safely(() => writeStored(OPT_OUT, null));
