// POST /api/sites/:site/conversions: a sale or signup reported by a server (a payment provider's
// webhook), for checkouts where no script runs. The same attribution a course box's link carries, an
// idempotency key (a webhook retried, or delivered twice, counts once) and the admin token.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Ajv2020 from 'ajv/dist/2020.js';
import type { Config } from '../config.js';
import { canonicalPost, CTA_WIDGET, isConversion, PAGE_WIDGET } from '../rollup.js';
import type { Storage, StoredEvent } from '../storage/storage.js';
import { describeError, MAX_EVENT_AGE_MS, MAX_VALUE, storable } from '../validate.js';
import type { Authorize } from './api.js';
import { refuse } from './collect.js';

export interface ConversionBody {
  /** The conversion's type, as `track()` names it on a page: `purchase` (default), `signup`, … */
  type?: string;
  /** Unique per sale: the payment's id. The same key again is accepted and not counted again. */
  idempotencyKey: string;
  value?: number;
  currency?: string;
  /** The course box's campaign (`utm_campaign`), placement (`utm_content`) and variant (`utm_term`). */
  campaign?: string;
  placement?: string;
  variant?: string;
  /** The post the reader came from (`chorus_post`). */
  post?: string;
  /** When it happened, in ms since the epoch or as an ISO time; default: now. */
  at?: number | string;
}

const SCHEMA = {
  type: 'object',
  required: ['idempotencyKey'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 256 },
    value: { type: 'number', minimum: 0, maximum: MAX_VALUE },
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
    campaign: { type: 'string', minLength: 1, maxLength: 128 },
    placement: { type: 'string', minLength: 1, maxLength: 128 },
    variant: { type: 'string', minLength: 1, maxLength: 64 },
    post: { type: 'string', pattern: '^/', maxLength: 2048 },
    at: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', maxLength: 40 }] },
  },
};

export function conversionRoutes(app: FastifyInstance, config: Config, storage: Storage, authorize: Authorize) {
  const check = new Ajv2020({ allErrors: false, strict: true }).compile<ConversionBody>(SCHEMA);

  app.post<{ Params: { site: string } }>('/api/sites/:site/conversions', { onRequest: authorize }, async (request, reply) => {
    const { site } = request.params;
    if (!config.sites.has(site)) return refuse(reply, 404, 'unknown_site', `site "${site}" is not configured on this collector`);
    let body: unknown;
    try {
      body = JSON.parse(typeof request.body === 'string' ? request.body : '');
    } catch (error) {
      return refuse(reply, 400, 'malformed_json', `the body is not JSON: ${(error as Error).message}`);
    }
    if (!check(body)) return refuse(reply, 400, 'invalid_conversion', describeError(check.errors![0]));
    const type = body.type ?? 'purchase';
    if (!isConversion(type)) return refuse(reply, 400, 'invalid_conversion', `/type "${type}" is one of Chorus's own event types, not a conversion`);
    const received = Date.now();
    const claimed = typeof body.at === 'string' ? Date.parse(body.at) : (body.at ?? received);
    if (Number.isNaN(claimed)) return refuse(reply, 400, 'invalid_conversion', `/at "${body.at}" is not ms since the epoch or an ISO time`);
    const at = Math.min(received, Math.max(received - MAX_EVENT_AGE_MS, claimed));
    const attributed = body.campaign !== undefined || body.placement !== undefined;
    const props: StoredEvent['props'] = { source: 'webhook' };
    if (body.value !== undefined) props.value = body.value;
    if (body.currency) props.currency = body.currency.toUpperCase();
    if (body.post) props.post = storable(body.post);
    const event: StoredEvent = {
      // The key's hash: the same sale always has the same id, so the store's dedupe counts it once.
      id: `wh-${createHash('sha256').update(`${site}\u0000${body.idempotencyKey}`).digest('base64url').slice(0, 40)}`,
      type,
      widget: attributed ? CTA_WIDGET : PAGE_WIDGET,
      instance: storable(body.placement ?? PAGE_WIDGET),
      at,
      day: new Date(at).toISOString().slice(0, 10),
      path: body.post ? canonicalPost(storable(body.post)) : '',
      ts: at,
      sent: received,
      received,
      url: '',
      title: '',
      referrer: '',
      network: null,
      campaign: body.campaign === undefined ? null : storable(body.campaign),
      variant: body.variant === undefined ? null : storable(body.variant),
      text: null,
      props,
    };
    let stored;
    try {
      stored = await storage.insert(site, [event]);
    } catch (error) {
      console.error(`chorus-collector: could not store a conversion for ${site}: ${(error as Error).message}`);
      reply.header('retry-after', '5');
      return refuse(reply, 503, 'storage_unavailable', 'the conversion could not be stored: try again later');
    }
    const duplicate = stored.duplicates.length > 0;
    return reply.code(duplicate ? 200 : 201).send({ id: event.id, type, duplicate });
  });
}
