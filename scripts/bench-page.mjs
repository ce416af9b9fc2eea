// `npm run bench-page`: how long a reader on a phone-like profile waits for Chorus. In Chromium with the
// CPU slowed 4× and a fixed round trip on every request, it loads the blog example (three kinds of
// element, five elements) and measures, from navigation start, the time until every element is
// upgraded and rendered (each tag defined, then each element's `updateComplete`), beside the same page
// with the script tag removed (its DOMContentLoaded and load events). Then the request timeline of
// chorus.js and the chunks it loads. A script, not a test: timings are printed, never asserted.
//
//   node scripts/bench-page.mjs [--runs 15] [--cpu 4] [--rtt 40] [--kbps 12000] [--no-build]
//
// --no-build measures packages/chorus/dist as it is (say, a build of your own).
//
// Each run is a fresh browser context with the cache off, so every run downloads everything, as a
// first visit does; the two pages take turns, so a slow moment of the machine falls on both.
import { createServer } from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureChromium, ensureDependencies, root } from './lib/setup.mjs';
import { chromiumArgs } from './lib/chromium.mjs';
import { serveStatic } from './lib/serve.mjs';
import { rewriteExamples } from './lib/examples.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    cpu: { type: 'string', default: '4' },
    rtt: { type: 'string', default: '40' },
    kbps: { type: 'string', default: '12000' },
    'no-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const CPU = Number(values.cpu);
const RTT = Number(values.rtt);
const KBPS = Number(values.kbps);
const TAGS = ['quote-to-tweet', 'comment-prompt', 'course-cta'];
const PAGE = '/examples/blog/';

ensureDependencies();
const chromium = ensureChromium();
// Only the script-tag bundle (built from the sources), so work in progress elsewhere cannot stop the benchmark.
if (!values['no-build']) {
  const built = spawnSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHORUS_PACKAGES: 'chorus' },
  });
  if (built.status !== 0) process.exit(1);
}
const { default: puppeteer } = await import('puppeteer-core');

// Where the page's events go: answered at once, so delivery costs the page nothing it would not cost on a real site.
const sink = createServer((request, response) => {
  response.writeHead(204, { 'access-control-allow-origin': request.headers.origin ?? '*' }).end();
  request.resume();
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const collector = `http://127.0.0.1:${sink.address().port}`;

// The same page twice: as it is, and with Chorus's script tag taken out.
const withChorus = rewriteExamples({ collector }) ?? ((html) => html);
const withoutChorus = (html) => withChorus(html).replace(/<script type="module" src="[^"]*chorus\.js"[^>]*><\/script>/, '');
const servers = await Promise.all([serveStatic(root, { rewrite: withChorus }), serveStatic(root, { rewrite: withoutChorus })]);
const [chorusUrl, plainUrl] = servers.map((server) => server.url + PAGE);
{
  const plain = await (await fetch(plainUrl)).text();
  if (plain.includes('chorus.js')) throw new Error('the page without Chorus still loads chorus.js: the script tag changed, update bench-page');
}

// Runs in the page before its own scripts: resolves to performance.now() once every element is upgraded and
// rendered, and notes when chorus.js has run its tracker set-up (it sets window.chorus, then asks for the chunks).
function watchUpgrades(tags) {
  let api;
  Object.defineProperty(window, 'chorus', {
    configurable: true,
    get: () => api,
    set: (value) => {
      window.__chorusSet ??= performance.now();
      api = value;
    },
  });
  window.__chorusUpgraded = new Promise((resolve) => {
    const ready = async () => {
      const present = tags.filter((tag) => document.querySelector(tag));
      await Promise.all(present.map((tag) => customElements.whenDefined(tag)));
      await Promise.all([...document.querySelectorAll(present.join(','))].map((element) => element.updateComplete));
      resolve({ upgraded: performance.now(), elements: document.querySelectorAll(present.join(',')).length });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
    else ready();
  });
}

const browser = await puppeteer.launch({ executablePath: chromium, args: chromiumArgs, headless: true });

async function run(url, chorus) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: RTT,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    if (chorus) await page.evaluateOnNewDocument(watchUpgrades, TAGS);
    await page.goto(url, { waitUntil: 'load' });
    const result = await page.evaluate(async (chorus) => {
      const [navigation] = performance.getEntriesByType('navigation');
      const upgraded = chorus ? await Promise.race([window.__chorusUpgraded, new Promise((resolve) => setTimeout(resolve, 20_000, null))]) : null;
      const scripts = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.initiatorType === 'script' || entry.initiatorType === 'other' || /\.js$/.test(new URL(entry.name).pathname))
        .filter((entry) => /\/packages\/chorus\/dist\//.test(entry.name))
        .map((entry) => ({ file: new URL(entry.name).pathname.split('/').pop(), start: entry.startTime, end: entry.responseEnd }));
      return {
        domContentLoaded: navigation.domContentLoadedEventEnd,
        load: navigation.loadEventEnd,
        upgraded: upgraded?.upgraded ?? null,
        ran: window.__chorusSet ?? null,
        elements: upgraded?.elements ?? 0,
        scripts,
      };
    }, chorus);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    if (chorus && result.upgraded === null) throw new Error('the elements were not all upgraded within 20 s');
    return result;
  } finally {
    await context.close();
  }
}

const runs = { chorus: [], plain: [] };
process.stdout.write(`${RUNS} runs each (after one warm-up)`);
for (let i = 0; i <= RUNS; i++) {
  const chorus = await run(chorusUrl, true);
  const plain = await run(plainUrl, false);
  if (i > 0) {
    runs.chorus.push(chorus);
    runs.plain.push(plain);
  }
  process.stdout.write('.');
}
process.stdout.write('\n');
await browser.close();
await Promise.all(servers.map((server) => server.close()));
sink.close();

const quantile = (numbers, q) => {
  const sorted = numbers.filter((n) => typeof n === 'number').sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)];
};
const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)}` : '–');
const row = (label, numbers, note = '') => `| ${label} | ${ms(quantile(numbers, 0.5))} | ${ms(quantile(numbers, 0.9))} | ${note} |`;

let version = '';
try {
  version = execFileSync(chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {}
const pick = (list, key) => list.map((r) => r[key]);
console.log(`
${version || chromium}, ${cpus().length} × ${cpus()[0]?.model.trim()}; CPU ${CPU}× slower, ${RTT} ms per round trip, ${KBPS / 1000} Mbit/s, cache off
Blog example, ${runs.chorus[0]?.elements ?? 0} elements (${TAGS.join(', ')}); ms from navigation start, ${RUNS} runs

| | median ms | p90 ms | |
| --- | ---: | ---: | --- |
${row('without Chorus: DOMContentLoaded', pick(runs.plain, 'domContentLoaded'), 'the script tag removed')}
${row('without Chorus: load', pick(runs.plain, 'load'))}
${row('with Chorus: DOMContentLoaded', pick(runs.chorus, 'domContentLoaded'))}
${row('with Chorus: load', pick(runs.chorus, 'load'))}
${row('with Chorus: chorus.js has run (window.chorus set)', pick(runs.chorus, 'ran'), 'its tracker set up, the chunks about to be asked for')}
${row('with Chorus: every element upgraded', pick(runs.chorus, 'upgraded'), 'defined and rendered (updateComplete)')}
${row('upgraded, after the page without Chorus loaded', runs.chorus.map((r, i) => r.upgraded - runs.plain[i].load), 'what Chorus adds')}
`);

// The request timeline: each file chorus.js loads, by name without its hash, median start and end.
const byFile = new Map();
for (const result of runs.chorus) {
  for (const { file, start, end } of result.scripts) {
    const name = file.replace(/-[A-Za-z0-9_-]{8}\.js$/, '-*.js');
    if (!byFile.has(name)) byFile.set(name, { starts: [], ends: [] });
    byFile.get(name).starts.push(start);
    byFile.get(name).ends.push(end);
  }
}
const timeline = [...byFile].map(([name, { starts, ends }]) => ({ name, start: quantile(starts, 0.5), end: quantile(ends, 0.5), count: starts.length }));
timeline.sort((a, b) => a.start - b.start);
console.log('| request (with Chorus) | start ms | end ms | runs |');
console.log('| --- | ---: | ---: | ---: |');
for (const { name, start, end, count } of timeline) console.log(`| ${name} | ${ms(start)} | ${ms(end)} | ${count} |`);
const lit = timeline.find((t) => t.name.startsWith('lit-'));
const firstElement = timeline.find((t) => TAGS.some((tag) => t.name.startsWith(`${tag}-`)));
if (lit && firstElement) {
  const parallel = lit.start < firstElement.end;
  console.log(
    `\nThe Lit chunk is requested ${parallel ? 'in parallel with' : 'after'} the element chunks (Lit starts at ${ms(lit.start)} ms, the first element chunk ends at ${ms(firstElement.end)} ms).`,
  );
}
