// The HTTP application: Fastify with the collector's parsers, error answers and routes.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createRateLimiter } from './rate-limit.js';
import { collectRoutes, MAX_BODY_BYTES, refuse } from './routes/collect.js';
import { apiRoutes } from './routes/api.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { conversionRoutes } from './routes/conversions.js';
import { createReaders } from './readers.js';
import type { Storage } from './storage/storage.js';
import { createValidator, type Validator } from './validate.js';

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export function buildApp(config: Config, storage: Storage, validator: Validator = createValidator()): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // A hop count trusts that many proxies in front (Fastify's types lack the number form).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // A client that trickles its request is cut off instead of holding a connection.
    requestTimeout: 15_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
  });

  // Every body is read as text and parsed by the route: the tracker sends JSON as text/plain (no
  // CORS preflight), and the route turns a parse failure into a reason.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return refuse(reply, 413, 'body_too_large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
    if (status === 415) return refuse(reply, 415, 'unsupported_media_type', error.message);
    if (status >= 400 && status < 500) return refuse(reply, status, 'bad_request', error.message);
    console.error(`chorus-collector: ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return refuse(reply, 500, 'internal_error', 'the collector failed: see its log');
  });
  app.setNotFoundHandler((request, reply) => refuse(reply, 404, 'not_found', `no ${request.method} ${request.url.split('?')[0].slice(0, 200)}`));

  const limiter = config.rateLimit ? createRateLimiter(config.rateLimit) : null;
  app.addHook('onClose', async () => limiter?.stop());

  app.get('/healthz', async () => ({ ok: true, store: storage.kind }));
  collectRoutes(app, config, storage, validator, limiter, createReaders(storage));
  const authorize = apiRoutes(app, config, storage, limiter);
  conversionRoutes(app, config, storage, authorize);
  dashboardRoutes(app);
  return app;
}
