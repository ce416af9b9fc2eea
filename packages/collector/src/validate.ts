// The wire contract, checked with the tracker's own schema file (packages/tracker/schema/batch.schema.json),
// read at start: the envelope as a whole, then each event on its own so one bad event never costs the
// others. What passes is turned into rows the storage can take.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { pathOf } from './rollup.js';
import type { StoredEvent } from './storage/storage.js';

export const MAX_EVENTS = 100;
/** How far back a reader's clock may place an event (a queue kept offline for days still counts). */
export const MAX_EVENT_AGE_MS = 30 * 24 * 3600 * 1000;

export type Props = Record<string, string | number | boolean>;

export interface WireEvent {
  id: string;
  type: string;
  widget: string;
  instance: string;
  ts: number;
  url: string;
  title: string;
  referrer: string;
  network?: string;
  campaign?: string;
  variant?: string;
  props?: Props;
}

export interface Envelope {
  v: 1;
  site: string;
  sent: number;
  events: unknown[];
  /** Events the tracker had to drop, told until a batch carrying them is acknowledged. */
  dropped?: number;
}

export interface Rejection {
  /** The event's position in the batch. */
  index: number;
  /** Its id, when it had a usable one. */
  id: string | null;
  reason: string;
}

/** Where the schema is: the tracker package's export when installed, else its place in this repository. */
export function schemaPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@chorus/tracker/schema/batch.schema.json');
  } catch {
    return fileURLToPath(new URL('../../tracker/schema/batch.schema.json', import.meta.url));
  }
}

export function describeError(error: ErrorObject, base = ''): string {
  const path = `${base}${error.instancePath}` || '(the body)';
  const extra =
    error.keyword === 'additionalProperties' ? ` ("${String(error.params.additionalProperty)}")`
    : error.keyword === 'propertyNames' ? ` ("${String(error.params.propertyName)}")`
    : '';
  return `${path} ${error.message ?? 'is invalid'}${extra}`;
}

export interface Validator {
  envelope(body: unknown): { ok: true; value: Envelope } | { ok: false; reason: string; tooMany: boolean };
  event(event: unknown, index: number): { ok: true; value: WireEvent } | { ok: false; rejection: Rejection };
}

export function createValidator(file = schemaPath()): Validator {
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  ajv.addSchema(schema);
  // The envelope is the same schema with the events left for the per-event check.
  const envelopeSchema = { ...schema, properties: { ...schema.properties, events: { ...schema.properties.events, items: true } } };
  delete envelopeSchema.$id; // the original keeps it
  const envelope: ValidateFunction = ajv.compile(envelopeSchema);
  const event = ajv.getSchema(`${schema.$id}#/$defs/event`);
  if (!event) throw new Error(`${file} has no $defs/event`);

  return {
    envelope(body) {
      if (envelope(body)) return { ok: true, value: body as Envelope };
      const error = envelope.errors![0];
      return { ok: false, reason: describeError(error), tooMany: error.instancePath === '/events' && error.keyword === 'maxItems' };
    },
    event(value, index) {
      if (event(value)) {
        const wrong = reservedName(value as WireEvent) ?? wrongValue((value as WireEvent).props);
        if (!wrong) return { ok: true, value: value as WireEvent };
        return { ok: false, rejection: { index, id: (value as WireEvent).id, reason: `/events/${index}/${wrong}` } };
      }
      const id = (value as { id?: unknown } | null)?.id;
      const usableId = typeof id === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
      return { ok: false, rejection: { index, id: usableId, reason: describeError(event.errors![0], `/events/${index}`) } };
    },
  };
}

/** Names every JavaScript object has: as a type, a network or a props key they would corrupt what is counted by name. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Where an event uses a reserved name, with the reason (relative to the event), if anywhere. */
function reservedName(event: WireEvent): string | undefined {
  for (const field of ['type', 'widget', 'instance', 'network', 'campaign', 'variant'] as const) {
    if (RESERVED.has(event[field] ?? '')) return `${field} is a reserved name ("${event[field]}")`;
  }
  const key = Object.keys(event.props ?? {}).find((name) => RESERVED.has(name));
  return key === undefined ? undefined : `props/${key} is a reserved name`;
}

/** The most a conversion may be worth: anything above is a typo or an attack on the report. */
export const MAX_VALUE = 1_000_000;

/** What is wrong with a conversion's `value` or `currency`, if anything: `value` is a number from 0 to MAX_VALUE, `currency` an ISO 4217 code. */
export function wrongValue(props: Props | undefined): string | undefined {
  const value = props?.value;
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_VALUE)) {
    return `props/value must be a number from 0 to ${MAX_VALUE} (got ${JSON.stringify(value).slice(0, 40)})`;
  }
  const currency = props?.currency;
  if (currency !== undefined && !(typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency))) {
    return `props/currency must be a three-letter ISO 4217 code such as EUR (got ${JSON.stringify(currency).slice(0, 40)})`;
  }
  return undefined;
}

// PostgreSQL refuses NUL in text and lone surrogates in JSON; the contract allows both. Replace them
// (in both stores, so they agree) rather than fail the batch.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
export const storable = (text: string) => text.replace(UNSTORABLE, '\ufffd');
const optional = (text: string | undefined) => (text === undefined ? null : storable(text));

/** A checked event as a row: strings made storable, its time moved onto the collector's clock. */
export function toStored(event: WireEvent, sent: number, received: number): StoredEvent {
  // `ts` and `sent` come from the same (reader's) clock: their difference is trustworthy, their value not.
  const corrected = event.ts + (received - sent);
  const at = Number.isFinite(corrected) ? Math.round(Math.min(received, Math.max(received - MAX_EVENT_AGE_MS, corrected))) : received;
  let props: Props | null = null;
  if (event.props) {
    props = {};
    for (const [key, value] of Object.entries(event.props)) props[key] = typeof value === 'string' ? storable(value) : value;
  }
  const url = storable(event.url);
  return {
    id: event.id,
    type: event.type,
    widget: event.widget,
    instance: storable(event.instance),
    at,
    day: new Date(at).toISOString().slice(0, 10),
    path: pathOf({ type: event.type, url, props }),
    ts: event.ts,
    sent,
    received,
    url,
    title: storable(event.title),
    referrer: storable(event.referrer),
    network: optional(event.network),
    campaign: optional(event.campaign),
    variant: optional(event.variant),
    text: typeof props?.text === 'string' ? props.text : null,
    props,
  };
}
