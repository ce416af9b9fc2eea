// The collector's settings, from flags, environment variables or the programmatic API, checked once
// at the edge so the rest of the server can trust them.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = './.chorus/chorus.db';
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 120, seconds: 10 };
/** The shortest admin token taken: 16 random bytes in base64url. */
export const MIN_TOKEN_LENGTH = 22;
/** How long a client may take (ms): to send its headers, its whole request, and the store to answer. */
export const DEFAULT_TIMEOUTS: Timeouts = { headers: 10_000, request: 15_000, store: 5_000 };

/** Any origin may send for a site configured with `*` (handy on a laptop, never in production). */
export const ANY_ORIGIN = '*';

export interface RateLimit {
  requests: number;
  seconds: number;
}

export interface Timeouts {
  /** From the connection's first byte to the end of the headers. */
  headers: number;
  /** From the first byte to the end of the body (a batch is at most 64 KB). */
  request: number;
  /** A query of the store (PostgreSQL's connect and statements): past it the batch is refused with 503. */
  store: number;
}

export interface Config {
  port: number;
  host: string;
  /** A SQLite file (or `:memory:`), used when `databaseUrl` is not set. */
  db: string;
  /** A `postgres://` URL: the events go to PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Site name → the origins allowed to send for it (normalized, or `*`). */
  sites: Map<string, string[]>;
  /** Site name → the write key a sender without an `Origin` (a server) must present in `X-Chorus-Key`. */
  siteKeys: Map<string, string>;
  token: string;
  tokenGenerated: boolean;
  /** `false` turns the per-IP limit off (benchmarks, a trusted proxy that limits already). */
  rateLimit: RateLimit | false;
  /** Fastify's trustProxy: `true`, a hop count, or addresses/CIDRs of the proxies. */
  trustProxy: boolean | number | string;
  /** Count headless Chromium as a reader rather than a bot (end-to-end tests drive one). */
  countHeadless: boolean;
  timeouts: Timeouts;
}

/** A setting that cannot work, with a reason short enough for one line of a terminal. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; // as in the wire contract's `site`

export function normalizeOrigin(origin: string): string {
  if (origin === ANY_ORIGIN) return ANY_ORIGIN;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ConfigError(`"${origin}" is not an origin (expected e.g. https://blog.example)`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ConfigError(`"${origin}" is not an origin (expected scheme://host[:port], nothing after it)`);
  }
  return url.origin;
}

/** `NAME=ORIGIN[,ORIGIN…]`, as given to `--site`. */
export function parseSite(spec: string): [string, string[]] {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  if (!SITE_NAME.test(name)) throw new ConfigError(`site "${name}": a name is 1-64 letters, digits, ".", "_" or "-" (in --site NAME=ORIGIN)`);
  const origins = eq < 0 ? [] : spec.slice(eq + 1).split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length === 0) throw new ConfigError(`site "${name}": give the origins allowed to send for it (--site ${name}=https://blog.example)`);
  return [name, [...new Set(origins.map(normalizeOrigin))]];
}

/** `NAME=KEY`, as given to `--site-key`. */
function parseSiteKey(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new ConfigError(`--site-key "${spec.slice(0, 40)}": expected NAME=KEY`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

function parsePort(value: string | number): number {
  const port = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port "${value}" is not a number from 0 to 65535`);
  return port;
}

/** `120/10` (requests per seconds), or `off`. */
export function parseRateLimit(value: string): RateLimit | false {
  if (value === 'off' || value === '0') return false;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)s?$/.exec(value);
  const requests = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || requests < 1 || !(seconds > 0)) throw new ConfigError(`rate limit "${value}": expected REQUESTS/SECONDS (e.g. 120/10) or off`);
  return { requests, seconds };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // addresses or CIDRs, comma-separated
}

const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//.test(value);

export interface Options {
  port?: number;
  host?: string;
  db?: string;
  databaseUrl?: string;
  /** `{ blog: ['https://blog.example'] }`, or `--site` strings. */
  sites?: Record<string, string[]> | string[];
  /** `{ blog: 'a-key-of-22-characters-or-more' }`, or `--site-key NAME=KEY` strings. */
  siteKeys?: Record<string, string> | string[];
  token?: string;
  rateLimit?: RateLimit | false | string;
  trustProxy?: boolean | number | string;
  countHeadless?: boolean;
  /** Shorter bounds than the defaults (tests); each at most 30 s. */
  timeouts?: Partial<Timeouts>;
}

function resolveTimeouts(given: Partial<Timeouts> = {}): Timeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...given };
  for (const [name, ms] of Object.entries(timeouts)) {
    if (!Number.isInteger(ms) || ms < 100 || ms > 30_000) throw new ConfigError(`the ${name} timeout must be 100 to 30000 ms, not ${ms}`);
  }
  // Node refuses a headers timeout above the request's.
  return { ...timeouts, headers: Math.min(timeouts.headers, timeouts.request) };
}

export function resolveConfig(options: Options = {}): Config {
  const sites = new Map<string, string[]>();
  const add = ([name, origins]: [string, string[]]) => {
    if (sites.has(name)) throw new ConfigError(`site "${name}" is given twice`);
    sites.set(name, origins);
  };
  if (Array.isArray(options.sites)) options.sites.forEach((spec) => add(parseSite(spec)));
  else for (const [name, origins] of Object.entries(options.sites ?? {})) add(parseSite(`${name}=${origins.join(',')}`));

  const siteKeys = new Map<string, string>();
  const keyEntries = Array.isArray(options.siteKeys) ? options.siteKeys.map(parseSiteKey) : Object.entries(options.siteKeys ?? {});
  for (const [name, key] of keyEntries) {
    if (!sites.has(name)) throw new ConfigError(`--site-key ${name}: no such site (add --site ${name}=ORIGIN)`);
    if (key.length < MIN_TOKEN_LENGTH) throw new ConfigError(`the write key of site "${name}" must be at least ${MIN_TOKEN_LENGTH} characters (16 random bytes)`);
    siteKeys.set(name, key);
  }

  let db = options.db ?? DEFAULT_DB;
  let databaseUrl = options.databaseUrl || undefined;
  // `--db postgres://…` reads as naturally as DATABASE_URL.
  if (options.db && isPostgresUrl(options.db)) {
    databaseUrl = options.db;
    db = DEFAULT_DB;
  }
  if (databaseUrl && !isPostgresUrl(databaseUrl)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  if (!db) throw new ConfigError('--db needs a file name');

  const token = options.token ?? '';
  // 22 base64url characters carry 16 random bytes: a token any shorter can be guessed by trying.
  if (options.token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`the admin token must be at least ${MIN_TOKEN_LENGTH} characters (16 random bytes, e.g. from openssl rand -base64 16)`);
  }

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  return {
    port: parsePort(options.port ?? DEFAULT_PORT),
    host: options.host || DEFAULT_HOST,
    db,
    databaseUrl,
    sites,
    siteKeys,
    token: token || randomBytes(24).toString('base64url'),
    tokenGenerated: !token,
    rateLimit: typeof rateLimit === 'string' ? parseRateLimit(rateLimit) : rateLimit,
    trustProxy: options.trustProxy ?? false,
    countHeadless: !!options.countHeadless,
    timeouts: resolveTimeouts(options.timeouts),
  };
}

export const USAGE = `Usage: chorus-collector [options]

Receives Chorus engagement batches, stores them, and serves the report API and the dashboard.

Options (each also read from the environment variable in brackets; a flag wins):
  --port N                 port to listen on, 0 for any free one (default ${DEFAULT_PORT}) [CHORUS_PORT, PORT]
  --host ADDRESS           address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface) [CHORUS_HOST]
  --db FILE                SQLite file, created on first start (default ${DEFAULT_DB}) [CHORUS_DB]
                           a postgres:// URL here, or DATABASE_URL, stores in PostgreSQL instead [DATABASE_URL]
  --site NAME=ORIGIN[,…]   a site and the origins allowed to send for it; repeatable; ORIGIN * allows any
                           [CHORUS_SITES: specs separated by spaces or ;]
  --site-key NAME=KEY      the write key a server sending for NAME without an Origin must give (header
                           X-Chorus-Key; at least 22 characters); without one, only browsers may send [CHORUS_SITE_KEYS]
  --token TOKEN            admin token for the report API and the dashboard; generated and printed when absent
                           [CHORUS_TOKEN]
  --rate-limit N/SECONDS   requests per IP address (default ${DEFAULT_RATE_LIMIT.requests}/${DEFAULT_RATE_LIMIT.seconds}), or off [CHORUS_RATE_LIMIT]
  --trust-proxy VALUE      behind a reverse proxy: true, a hop count, or the proxy addresses; the rate limit then
                           keys on X-Forwarded-For [CHORUS_TRUST_PROXY]
  --count-headless         count headless Chromium as a reader, not a bot (for end-to-end tests)
                           [CHORUS_COUNT_HEADLESS=1]
  -h, --help               this help
`;

export type CliResult = { help: true } | { help: false; options: Options };

/** The CLI's flags over the environment. Throws ConfigError with a one-line reason. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        site: { type: 'string', multiple: true },
        'site-key': { type: 'string', multiple: true },
        token: { type: 'string' },
        'rate-limit': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'count-headless': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // Node's messages are long and mention its own API; keep the part a person needs.
    const message = (error as Error).message.split('. ')[0].replace(/^Unknown option/, 'unknown option').replace(/^Unexpected argument/, 'unexpected argument');
    throw new ConfigError(message);
  }
  const { values } = parsed;
  if (values.help) return { help: true };
  // Several specs in one variable: separated by spaces or `;`.
  const specs = (value: string | undefined) => (value ? value.split(/[\s;]+/).filter(Boolean) : []);
  const siteSpecs = values.site ?? specs(env.CHORUS_SITES);
  const port = values.port ?? env.CHORUS_PORT ?? env.PORT;
  const rateLimit = values['rate-limit'] ?? env.CHORUS_RATE_LIMIT;
  const trustProxy = values['trust-proxy'] ?? env.CHORUS_TRUST_PROXY;
  return {
    help: false,
    options: {
      port: port === undefined ? undefined : parsePort(port),
      host: values.host ?? env.CHORUS_HOST,
      db: values.db ?? env.CHORUS_DB,
      databaseUrl: values.db ? undefined : env.DATABASE_URL,
      sites: siteSpecs,
      siteKeys: values['site-key'] ?? specs(env.CHORUS_SITE_KEYS),
      token: values.token ?? (env.CHORUS_TOKEN || undefined),
      rateLimit: rateLimit === undefined ? undefined : parseRateLimit(rateLimit),
      trustProxy: trustProxy === undefined ? undefined : parseTrustProxy(trustProxy),
      countHeadless: values['count-headless'] ?? env.CHORUS_COUNT_HEADLESS === '1',
    },
  };
}
