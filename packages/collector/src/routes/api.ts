// The report API: bearer-token only, no cookies, so it needs no CSRF defence.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { RateLimiter } from '../rate-limit.js';
import { RangeError400, parseRange } from '../report/report.js';
import type { Reporter } from '../report/thread.js';
import { refuse } from './collect.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

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
    // Digests have equal lengths, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(match[1]), expected)) return refuse(reply, 401, 'unauthorized', 'the token is wrong');
    reply.removeHeader('www-authenticate');
  };

  app.get('/api/sites', { onRequest: authorize }, async () => ({
    sites: [...config.sites].map(([name, origins]) => ({ name, origins })),
  }));

  app.get<{ Params: { site: string }; Querystring: Record<string, unknown> }>(
    '/api/sites/:site/report',
    { onRequest: authorize },
    async (request, reply) => {
      const { site } = request.params;
      if (!config.sites.has(site)) return refuse(reply, 404, 'unknown_site', `site "${site}" is not configured on this collector`);
      let range;
      try {
        range = parseRange(site, request.query.from, request.query.to, request.query.post);
      } catch (error) {
        if (error instanceof RangeError400) return refuse(reply, 400, 'invalid_range', error.message);
        throw error;
      }
      try {
        return await reporter(range);
      } catch (error) {
        console.error(`chorus-collector: could not read the report of ${site}: ${(error as Error).message}`);
        reply.header('retry-after', '5');
        return refuse(reply, 503, 'storage_unavailable', 'the report could not be read: try again later');
      }
    },
  );
  return authorize;
}
