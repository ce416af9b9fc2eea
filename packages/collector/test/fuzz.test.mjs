// Hundreds of malformed bodies, from a seeded generator (the seed is printed, so a failure can be
// replayed with CHORUS_FUZZ_SEED): each answer is a 2xx or a 4xx with JSON and a reason, never a 5xx
// or a crash; what a 200 acknowledged is stored, and nothing else is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCollector } from '@chorus/collector';
import { ORIGIN, TOKEN, batch, event, freshDatabase, getReport, post, tempDir, testDatabaseUrl } from './helpers.mjs';

const SEED = Number(process.env.CHORUS_FUZZ_SEED ?? Date.now() % 1_000_000);
const BODIES = 400;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const random = mulberry32(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const weird = () =>
    pick([
      null, true, false, 0, -1, 1.5, 1e300, -0, '', ' ', 'x'.repeat(int(5000)), '\u0000', '\ud800', '😀'.repeat(int(50)),
      '<script>alert(1)</script>', "'; DROP TABLE events; --", [], [1, 2], {}, { __proto__: { polluted: 1 } },
      { constructor: { prototype: { polluted: 1 } } }, 'javascript:alert(1)', 'https://', 'http://a.example/' + 'p'.repeat(int(3000)),
      Number.MAX_SAFE_INTEGER + 2, 9.2e18, 2 ** 63, '1', 'NaN',
    ]);
  const mutateObject = (object) => {
    const copy = { ...object };
    const keys = Object.keys(copy);
    switch (int(4)) {
      case 0: copy[pick(keys)] = weird(); break;
      case 1: delete copy[pick(keys)]; break;
      case 2: copy[pick(['__proto__', 'constructor', 'extra', 'ID', '', 'props'])] = weird(); break;
      default: copy[pick(keys)] = weird(); copy[pick(keys)] = weird();
    }
    return copy;
  };
  const validEvent = () =>
    event({
      type: pick(['impression', 'share', 'click', 'comment', 'custom_1']),
      widget: pick(['quote-to-tweet', 'course-cta', 'comment-prompt', 'x.y-z']),
      instance: pick(['a', 'b', 'ü'.repeat(1 + int(100))]),
      props: random() < 0.5 ? { text: pick(['hi', '\u0000', '\udfff', 'long'.repeat(int(900))]), n: int(5), ok: random() < 0.5 } : undefined,
    });

  return function body() {
    const kind = int(10);
    const events = Array.from({ length: 1 + int(8) }, () => (random() < 0.4 ? mutateObject(validEvent()) : validEvent()));
    const good = batch(events);
    switch (kind) {
      case 0: // bytes
        return { text: Buffer.from(Array.from({ length: int(2000) }, () => int(256))) };
      case 1: { // truncated JSON
        const json = JSON.stringify(good);
        return { text: json.slice(0, int(json.length)) };
      }
      case 2: // a mutated envelope
        return { text: JSON.stringify(mutateObject(good)) };
      case 3: // not a batch at all
        return { text: JSON.stringify(weird()) };
      case 4: // deep nesting, in the envelope or in props
        return random() < 0.5
          ? { text: '['.repeat(5000 + int(100_000)) + ']'.repeat(int(100)) }
          : { text: JSON.stringify(batch([{ ...validEvent(), props: JSON.parse('{"a":'.repeat(1000) + '1' + '}'.repeat(1000)) }])) };
      case 5: // near and over the limits
        return random() < 0.5
          ? { text: JSON.stringify(batch(Array.from({ length: 99 + int(4) }, validEvent))) }
          : { text: JSON.stringify(batch([validEvent()])).replace('"A post"', `"${'t'.repeat(60_000 + int(10_000))}"`) };
      case 6: // odd content types and origins
        return {
          text: JSON.stringify(good),
          type: pick(['text/html', 'application/octet-stream', 'text/plain; charset=latin1', 'application/json;', 'TEXT/PLAIN', '', 'multipart/form-data; boundary=x']),
          origin: pick([ORIGIN, 'null', 'https://blog.example.evil', 'http://blog.example', 'https://BLOG.example', undefined]),
        };
      case 7: // duplicate keys and escapes the parser must take
        return { text: JSON.stringify(good).replace('{"v":1', '{"v":1,"v":2').replace(/"type"/, '"t\\u0079pe"') };
      default: // a valid envelope with some bad events
        return { text: JSON.stringify(good) };
    }
  };
}

function fuzzSuite(label, storeOptions) {
  describe(`fuzzing /collect on ${label} (seed ${SEED})`, () => {
    let collector;
    let store;
    before(async () => {
      store = await storeOptions();
      collector = await startCollector({ port: 0, host: '127.0.0.1', sites: { blog: [ORIGIN] }, token: TOKEN, rateLimit: false, ...store.options });
    });
    after(async () => {
      await collector?.close();
      await store?.cleanup();
    });

    test(`${BODIES} malformed bodies: never a 5xx, every answer JSON with a reason, exactly the acknowledged events stored`, async () => {
      const next = generator(SEED);
      const acknowledged = new Set();
      const statuses = {};
      for (let i = 0; i < BODIES; i++) {
        const { text, type = 'text/plain', origin = ORIGIN } = next();
        const answer = await post(collector.url, typeof text === 'string' ? text : new Uint8Array(text), { type, origin });
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const replay = `body ${i} (CHORUS_FUZZ_SEED=${SEED}): ${answer.status} ${answer.text.slice(0, 300)}`;
        assert.ok([200, 400, 403, 413, 415].includes(answer.status), replay);
        assert.equal(typeof answer.json, 'object', replay);
        if (answer.status === 200) {
          const sent = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString());
          const ids = new Set(sent.events.map((e) => e?.id));
          for (const id of answer.json.accepted) {
            assert.ok(ids.has(id), replay);
            acknowledged.add(id);
          }
          // The generator never repeats a valid id, so each event is either accepted or rejected.
          assert.equal(answer.json.accepted.length + answer.json.rejected.length, sent.events.length, replay);
          assert.deepEqual(answer.json.duplicates, [], replay);
        } else {
          assert.ok(typeof answer.json.error === 'string' && answer.json.reason.length > 5, replay);
        }
      }
      // Every kind of answer came up: the generator is not stuck on one path.
      for (const status of [200, 400, 413]) assert.ok(statuses[status] > 5, `${status}: ${JSON.stringify(statuses)}`);

      const { json } = await getReport(collector.url, 'blog', `?from=0&to=${Date.now() + 1000}`);
      const stored = Object.values(json.totals).reduce((a, b) => a + b, 0);
      assert.equal(stored, acknowledged.size, 'stored events = acknowledged events');
      assert.equal((await post(collector.url, batch([event()]))).status, 200, 'still serving');
    });

    test('broken HTTP requests are answered or dropped without harm', async () => {
      const { port } = new URL(collector.url);
      const raw = (payload, waitMs = 150) =>
        new Promise((resolve) => {
          const socket = connect(Number(port), '127.0.0.1');
          let data = '';
          socket.on('data', (chunk) => (data += chunk));
          socket.on('error', () => {});
          socket.on('connect', () => socket.write(payload));
          setTimeout(() => {
            socket.destroy();
            resolve(data);
          }, waitMs);
        });
      const answers = await Promise.all([
        raw('POST /collect HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"v"'), // the body stops early
        raw('POST /collect HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}'),
        raw('POST /collect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
        raw('POST /collect HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n'),
        raw('GARBAGE\r\n\r\n'),
        raw(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      ]);
      for (const answer of answers) assert.doesNotMatch(answer, /^HTTP\/1\.1 5/, answer);
      assert.match(answers[3], /^HTTP\/1\.1 413/, 'a declared length over the limit is refused at once');
      assert.equal((await post(collector.url, batch([event()]))).status, 200, 'still serving');
    });
  });
}

fuzzSuite('SQLite', async () => {
  const dir = tempDir();
  return { options: { db: join(dir, 'fuzz.db') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

const server = await testDatabaseUrl();
if (server.url) {
  fuzzSuite('PostgreSQL', async () => {
    const database = await freshDatabase(server.url);
    return { options: { databaseUrl: database.url }, cleanup: database.drop };
  });
}
