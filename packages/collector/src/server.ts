// The HTTP application: Fastify with the collector's parsers, error answers and routes.
import { createServer } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createRateLimiter } from './rate-limit.js';
import { collectRoutes, MAX_BODY_BYTES, refuse } from './routes/collect.js';
import { apiRoutes } from './routes/api.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { reportInPlace, reportInThread } from './report/thread.js';
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
    // A client that trickles its headers or its body is cut off (408) instead of holding a connection.
    // The server is made here because Node takes these bounds best at creation: set afterwards (as
    // Fastify does), the headers' 60 s stays above the request's; passed through Fastify's `http`
    // option, Fastify resets the request's to 0. And Node looks for late requests only every
    // `connectionsCheckingInterval` (30 s by default), which would add up to 30 s to each bound.
    serverFactory: (handler) => {
      const server = createServer(
        {
          headersTimeout: config.timeouts.headers,
          requestTimeout: config.timeouts.request,
          connectionsCheckingInterval: Math.min(1000, config.timeouts.headers / 2),
          keepAliveTimeout: 5_000,
        },
        handler,
      );
      server.setTimeout(30_000); // a connection silent that long is closed
      return server;
    },
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

  // No answer is ever sniffed into another type (a stored string read as HTML or script).
  app.addHook('onSend', async (_request, reply) => void reply.header('x-content-type-options', 'nosniff'));

  const limiter = config.rateLimit ? createRateLimiter(config.rateLimit) : null;
  app.addHook('onClose', async () => limiter?.stop());

  // Liveness: the process answers. Readiness: the store answers too, within its timeout.
  app.get('/healthz', async () => ({ ok: true, store: storage.kind }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await storage.ping();
      return { ok: true, store: storage.kind };
    } catch (error) {
      reply.header('retry-after', '5');
      return refuse(reply, 503, 'storage_unavailable', `the store does not answer: ${(error as Error).message}`);
    }
  });
  collectRoutes(app, config, storage, validator, limiter, createReaders(storage));
  // A SQLite file's reports run in a thread of their own, so a report never stalls /collect.
  const reporter = storage.kind === 'sqlite' && config.db !== ':memory:' ? reportInThread(config.db) : reportInPlace(storage);
  app.addHook('onClose', async () => reporter.close());
  const authorize = apiRoutes(app, config, reporter, limiter);
  conversionRoutes(app, config, storage, authorize);
  dashboardRoutes(app);
  return app;
}
