// POST /collect: the tracker's batches. Everything a client sends is checked here, and every refusal
// is a 4xx with a reason; a 2xx means the accepted events are committed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANY_ORIGIN, type Config } from '../config.js';
import { isBot } from '../bots.js';
import type { RateLimiter } from '../rate-limit.js';
import type { Readers } from '../readers.js';
import type { Storage } from '../storage/storage.js';
import { digest, matches } from '../secret.js';
import { MAX_EVENTS, toStored, type Rejection, type Validator } from '../validate.js';

export const MAX_BODY_BYTES = 64 * 1024;
/** What a store fault asks the tracker to wait before trying again. */
const STORAGE_RETRY_SECONDS = 5;
const ACCEPTED_TYPES = new Set(['', 'text/plain', 'application/json']);

export interface Refusal {
  error: string;
  reason: string;
}

export const refuse = (reply: FastifyReply, status: number, error: string, reason: string) =>
  reply.code(status).send({ error, reason } satisfies Refusal);

export function collectRoutes(app: FastifyInstance, config: Config, storage: Storage, validator: Validator, limiter: RateLimiter | null, readers: Readers) {
  const allowedFor = (site: string, origin: string) => {
    const origins = config.sites.get(site);
    return !!origins && (origins.includes(ANY_ORIGIN) || origins.includes(origin));
  };
  const keys = new Map([...config.siteKeys].map(([site, key]) => [site, digest(key)]));
  /** Why a request without an Origin may not send for `site`, if it may not: it must carry the site's write key. */
  const keyRefusal = (site: string, given: unknown) => {
    const expected = keys.get(site);
    if (!expected) return `site "${site}" takes batches only from browsers (with an Origin): give it a write key (--site-key ${site}=KEY) for a server to send with X-Chorus-Key`;
    if (typeof given !== 'string' || !given) return `a batch sent without an Origin (by a server) must carry site "${site}"'s write key in X-Chorus-Key`;
    return matches(given, expected) ? undefined : `the write key of site "${site}" is wrong`;
  };
  const allowedAnywhere = (origin: string) => [...config.sites.keys()].some((site) => allowedFor(site, origin));
  const originOf = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    return typeof origin === 'string' ? origin : undefined;
  };
  // A page can read the answer only with these (and the tracker's backoff needs Retry-After); give them
  // to the origins that may send.
  const allowOrigin = (reply: FastifyReply, origin: string) => {
    reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'Retry-After').header('vary', 'Origin');
  };

  const limit = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = originOf(request);
    if (origin && allowedAnywhere(origin)) allowOrigin(reply, origin);
    const wait = limiter?.take(`collect ${request.ip}`) ?? 0;
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return refuse(reply, 429, 'rate_limited', `too many requests from ${request.ip}: try again in ${wait} s`);
    }
  };

  app.options('/collect', { onRequest: limit }, async (request, reply) => {
    const origin = originOf(request);
    if (origin && !allowedAnywhere(origin)) return refuse(reply, 403, 'origin_not_allowed', `origin ${origin} may not send to this collector`);
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'content-type')
      .header('access-control-max-age', '86400')
      .send();
  });

  app.post('/collect', { onRequest: limit, bodyLimit: MAX_BODY_BYTES }, async (request, reply) => {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED_TYPES.has(mediaType)) {
      return refuse(reply, 415, 'unsupported_media_type', `send the batch as JSON in a text/plain or application/json body, not ${mediaType}`);
    }
    const text = typeof request.body === 'string' ? request.body : '';
    if (!text.trim()) return refuse(reply, 400, 'empty_body', 'the body is empty: send a batch as JSON');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return refuse(reply, 400, 'malformed_json', `the body is not JSON: ${(error as Error).message}`);
    }
    const envelope = validator.envelope(body);
    if (!envelope.ok) {
      return envelope.tooMany
        ? refuse(reply, 413, 'too_many_events', `a batch carries at most ${MAX_EVENTS} events`)
        : refuse(reply, 400, 'invalid_batch', envelope.reason);
    }
    const { site, sent, events, dropped } = envelope.value;
    if (!config.sites.has(site)) return refuse(reply, 403, 'unknown_site', `site "${site}" is not configured on this collector`);
    const origin = originOf(request);
    if (origin === undefined) {
      const refusal = keyRefusal(site, request.headers['x-chorus-key']);
      if (refusal) return refuse(reply, 401, 'write_key_required', refusal);
    } else {
      if (!allowedFor(site, origin)) {
        reply.removeHeader('access-control-allow-origin');
        return refuse(reply, 403, 'origin_not_allowed', `origin ${origin} may not send for site "${site}"`);
      }
      allowOrigin(reply, origin);
    }

    const received = Date.now();
    // A page's events from a bot (a crawler that runs scripts, a headless browser) are answered as
    // taken, so nothing retries them, and counted as ignored. Senders without an Origin are servers,
    // which the site runs itself: they are not judged by their User-Agent.
    const userAgent = request.headers['user-agent'] ?? '';
    if (origin !== undefined && isBot(userAgent, config.countHeadless)) {
      try {
        await storage.ignore(site, new Date(received).toISOString().slice(0, 10), events.length);
      } catch (error) {
        console.error(`chorus-collector: could not count a bot's batch for ${site}: ${(error as Error).message}`);
      }
      return reply.code(202).send({ accepted: [], duplicates: [], rejected: [], ignored: events.length, reason: 'sent by a bot: not counted' });
    }

    const rejected: Rejection[] = [];
    const seen = new Set<string>();
    const repeated: string[] = [];
    const rows = [];
    for (const [index, raw] of events.entries()) {
      const result = validator.event(raw, index);
      if (!result.ok) rejected.push(result.rejection);
      else if (seen.has(result.value.id)) repeated.push(result.value.id); // the same event twice in one batch
      else {
        seen.add(result.value.id);
        rows.push(toStored(result.value, sent, received));
      }
    }
    if (rows.length === 0) {
      return reply.code(400).send({ error: 'no_valid_events', reason: 'every event in the batch was rejected', accepted: [], duplicates: [], rejected });
    }
    let stored;
    try {
      stored = await storage.insert(site, rows, await readers.hash(site, request.ip, userAgent));
    } catch (error) {
      console.error(`chorus-collector: could not store a batch for ${site}: ${(error as Error).message}`);
      reply.header('retry-after', String(STORAGE_RETRY_SECONDS));
      return refuse(reply, 503, 'storage_unavailable', 'the events could not be stored: try again later');
    }
    // A tracker tells its drops until a batch telling them is acknowledged: one whose answer was lost comes
    // again with the same events, all duplicates by then, and its drops are not counted twice.
    if (dropped && stored.inserted.length) {
      try {
        await storage.drop(site, new Date(received).toISOString().slice(0, 10), dropped);
      } catch (error) {
        console.error(`chorus-collector: could not count a tracker's ${dropped} dropped events for ${site}: ${(error as Error).message}`);
      }
    }
    return reply.code(200).send({
      accepted: rows.map((row) => row.id),
      duplicates: [...stored.duplicates, ...repeated],
      rejected,
    });
  });
}
