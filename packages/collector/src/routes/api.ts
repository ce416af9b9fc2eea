// The report API: bearer-token only, no cookies, so it needs no CSRF defence.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { RateLimiter } from '../rate-limit.js';
import { PAGED_LISTS, RangeError400, parseRange, type Page, type PagedList } from '../report/report.js';
import type { Reporter } from '../report/thread.js';
import { refuse } from './collect.js';
import { digest, matches } from '../secret.js';


/** A page of a list holds at most this many entries; an offset beyond this many is refused. */
const PAGE_LIMIT = 500;
const MAX_OFFSET = 1_000_000;
/** A query parameter as a whole number ≥ 0 (its default when absent), or undefined when it is not one. */
const whole = (value: unknown, fallback: number) => (value === undefined ? fallback : typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : undefined);

export type Authorize = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The report API; returns the admin-token check, for the other routes that need it. */
export function apiRoutes(app: FastifyInstance, config: Config, reporter: Reporter, limiter: RateLimiter | null): Authorize {
  const expected = digest(config.token);

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    const wait = limiter?.take(`api ${request.ip}`) ?? 0;
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return refuse(reply, 429, 'rate_limited', `too many requests from ${request.ip}: try again in ${wait} s`);
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    reply.header('www-authenticate', 'Bearer realm="chorus"');
    if (!match) return refuse(reply, 401, 'unauthorized', 'send the admin token as "Authorization: Bearer <token>"');
    if (!matches(match[1], expected)) return refuse(reply, 401, 'unauthorized', 'the token is wrong');
    reply.removeHeader('www-authenticate');
  };

  app.get('/api/sites', { onRequest: authorize }, async () => ({
    sites: [...config.sites].map(([name, origins]) => ({ name, origins })),
  }));

  /** The report of a request's site and range (with `page`, one list's window); undefined once a refusal is sent. */
  const answer = async (request: FastifyRequest<{ Params: { site: string }; Querystring: Record<string, unknown> }>, reply: FastifyReply, page?: Page) => {
    const { site } = request.params;
    if (!config.sites.has(site)) return void refuse(reply, 404, 'unknown_site', `site "${site}" is not configured on this collector`);
    let range;
    try {
      range = parseRange(site, request.query.from, request.query.to, request.query.post);
    } catch (error) {
      if (error instanceof RangeError400) return void refuse(reply, 400, 'invalid_range', error.message);
      throw error;
    }
    try {
      return await reporter(range, page);
    } catch (error) {
      console.error(`chorus-collector: could not read the report of ${site}: ${(error as Error).message}`);
      reply.header('retry-after', '5');
      return void refuse(reply, 503, 'storage_unavailable', 'the report could not be read: try again later');
    }
  };

  app.get<{ Params: { site: string }; Querystring: Record<string, unknown> }>('/api/sites/:site/report', { onRequest: authorize }, async (request, reply) => {
    return (await answer(request, reply)) ?? reply;
  });

  // The rest of a bounded list: GET /api/sites/:site/report/quotes?offset=50&limit=100 (and from, to, post).
  app.get<{ Params: { site: string; list: string }; Querystring: Record<string, unknown> }>(
    '/api/sites/:site/report/:list',
    { onRequest: authorize },
    async (request, reply) => {
      const list = request.params.list as PagedList;
      if (!Object.hasOwn(PAGED_LISTS, list)) {
        return refuse(reply, 404, 'unknown_list', `no list "${String(list).slice(0, 40)}": the report pages ${Object.keys(PAGED_LISTS).join(', ')}`);
      }
      const offset = whole(request.query.offset, 0);
      const limit = whole(request.query.limit, PAGE_LIMIT);
      if (offset === undefined || offset > MAX_OFFSET) return refuse(reply, 400, 'invalid_page', `offset must be a whole number from 0 to ${MAX_OFFSET}`);
      if (limit === undefined || limit < 1 || limit > PAGE_LIMIT) return refuse(reply, 400, 'invalid_page', `limit must be a whole number from 1 to ${PAGE_LIMIT}`);
      const report = await answer(request, reply, { list, offset, limit });
      if (!report) return reply;
      const { version, site, from, to, post } = report;
      return { version, site, from, to, post, list, offset, limit, items: report[list], more: report[PAGED_LISTS[list]] };
    },
  );
  return authorize;
}
