import type { Batch, CollectorFunction, TrackedEvent } from './tracker.js';

// Forwarders to the analytics a site already runs. Each event becomes `chorus_<type>` (a name every
// one of these tools accepts) with the widget's fields as flat string properties. When the tool's
// global is not there yet (its script loads later, or an ad blocker removed it) the adapter throws,
// so the tracker keeps the batch and tries again later.

type Params = Record<string, string>;

const params = ({ widget, instance, network, campaign, variant, props }: TrackedEvent): Params => {
  const flat: Params = {};
  for (const [key, value] of Object.entries({ widget, instance, network, campaign, variant, ...props })) {
    if (value !== undefined) flat[key] = String(value);
  }
  return flat;
};

/** Calls `window.name(...)` or `window.object.method(...)`, or throws when it is not on the page. */
function callGlobal(path: string, ...args: unknown[]): void {
  const [name, method] = path.split('.');
  const owner = (window as unknown as Record<string, Record<string, unknown>>)[name];
  const fn = method ? owner?.[method] : owner;
  if (typeof fn !== 'function') throw new Error(`${path} is not on the page (yet)`);
  fn.apply(method ? owner : window, args);
}

const forward =
  (send: (name: string, params: Params, event: TrackedEvent) => void): CollectorFunction =>
  (batch: Batch) => {
    for (const event of batch.events) send(`chorus_${event.type}`, params(event), event);
  };

/** Plausible: `plausible(name, {props})`; impressions are non-interactive, so they leave the bounce rate alone. */
export const plausible = () =>
  forward((name, props, { type }) => callGlobal('plausible', name, { props, interactive: type !== 'impression' }));

/** Umami: `umami.track(name, data)`. */
export const umami = () => forward((name, data) => callGlobal('umami.track', name, data));

/** Google Analytics 4: `gtag('event', name, params)`. */
export const ga4 = () => forward((name, data) => callGlobal('gtag', 'event', name, data));

/** Google Tag Manager: `dataLayer.push({event: name, ...params})`; the data layer may exist before GTM loads. */
export const gtm = () =>
  forward((name, data) => ((window as unknown as { dataLayer?: object[] }).dataLayer ??= []).push({ event: name, ...data }));

/** Segment and compatible tools (RudderStack, Jitsu…): `analytics.track(name, properties)`. */
export const segment = () => forward((name, data) => callGlobal('analytics.track', name, data));

/** The adapters by the names `data-collector` and `configure({collector})` accept. */
export const adapters: Record<string, () => CollectorFunction> = { plausible, umami, ga4, gtm, segment };
