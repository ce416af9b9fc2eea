// Safe anywhere (#11): every package imports in Node, the elements render on a server with Lit SSR, and they
// connect in jsdom (as in Jest and Vitest), which has no IntersectionObserver. Each case runs in a Node process
// of its own: Lit's Node build installs its DOM shim globally, and jsdom's globals must not leak from one case
// into another. The built packages are what is imported, by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { root } from '../scripts/lib/setup.mjs';

/** Runs `code` as an ES module in a new Node (with `conditions`), and returns what it printed as JSON. */
function inNode(code, { conditions = [] } = {}) {
  const args = [...conditions.map((name) => `--conditions=${name}`), '--input-type=module', '-e', code];
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(status, 0, `node exited with ${status}:\n${stderr}`);
  return { result: JSON.parse(stdout.trim().split('\n').pop()), stderr };
}

const ENTRIES = [
  '@chorus/core',
  '@chorus/core/fit',
  '@chorus/tracker',
  '@chorus/chorus',
  ...['quote-to-tweet', 'comment-prompt', 'course-cta'].flatMap((name) =>
    ['', '/define', '/react', '/preact', '/solid', '/vue', '/svelte'].map((entry) => `@chorus/${name}${entry}`),
  ),
  '@chorus/quote-to-tweet/reserve',
];

test('every package and entry imports in Node without throwing', () => {
  const { result } = inNode(`
    const failed = {};
    for (const entry of ${JSON.stringify(ENTRIES)}) {
      try { await import(entry); } catch (error) { failed[entry] = String(error); }
    }
    console.log(JSON.stringify(failed));`);
  assert.deepEqual(result, {});
});

// The server's HTML for `markup` (a lit html`` template's text), with the element classes defined.
const RENDER = (markup) => `
  import { render } from '@lit-labs/ssr';
  import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
  import { html } from 'lit';
  import '@chorus/quote-to-tweet/define';
  import '@chorus/comment-prompt/define';
  import '@chorus/course-cta/define';
  const warnings = [];
  console.warn = (message) => warnings.push(String(message));
  const output = await collectResult(render(html\`${markup}\`));
  console.log(JSON.stringify({ output, warnings }));`;

/** The attributes of every `<a>` in `html` whose `part` has `part`. */
const links = (html, part) =>
  [...html.matchAll(/<a ([^>]*)>/g)]
    .map(([, attributes]) => Object.fromEntries([...attributes.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value.replaceAll('&amp;', '&')])))
    .filter((a) => a.part?.split(' ').includes(part));

test('<quote-to-tweet> renders on a server: the quote slot and its share links, in declarative shadow DOM', () => {
  const { result } = inNode(
    RENDER(`<quote-to-tweet id="q" text="Readers who act beat readers who scroll." url="https://blog.example/post" networks="x bluesky" nofollow
      >Readers who act beat readers who scroll.</quote-to-tweet>`),
  );
  const { output, warnings } = result;
  assert.match(output, /<quote-to-tweet[^>]*><template shadowroot="open" shadowrootmode="open">/);
  assert.match(output, /<blockquote part="quote"><slot><\/slot><\/blockquote>/);
  assert.match(output, />Readers who act beat readers who scroll\.<\/quote-to-tweet>/); // the light DOM, as written
  const [x, bluesky] = links(output, 'network');
  const xLink = new URL(x.href);
  assert.equal(xLink.origin + xLink.pathname, 'https://x.com/intent/tweet');
  assert.equal(xLink.searchParams.get('text'), 'Readers who act beat readers who scroll.');
  assert.match(xLink.searchParams.get('url'), /^https:\/\/blog\.example\/post#cq=\w{6}\.x$/);
  assert.equal(x.rel, 'noopener noreferrer nofollow');
  assert.match(new URL(bluesky.href).searchParams.get('text'), /^Readers who act beat readers who scroll\. https:\/\/blog\.example\/post#cq=\w{6}\.b$/);
  assert.deepEqual(warnings, []);
});

test('<quote-to-tweet> without `text` renders its quote on a server, and its links once in the browser', () => {
  const { output, warnings } = inNode(RENDER(`<quote-to-tweet url="https://blog.example/post">Only the page knows me.</quote-to-tweet>`)).result;
  assert.match(output, /<slot><\/slot>/);
  assert.deepEqual(links(output, 'network'), []);
  assert.deepEqual(warnings, []); // not "has no quote": the server cannot read it
});

test('<course-cta> and <comment-prompt> render on a server: the card with its link, the question', () => {
  const { output, warnings } = inNode(
    RENDER(`<course-cta href="https://courses.example/influence" campaign="launch"><h2 slot="heading">Learn more</h2></course-cta>
      <comment-prompt for="#respond">What do you think?</comment-prompt>`),
  ).result;
  const [button] = links(output, 'button');
  assert.equal(button.href, 'https://courses.example/influence'); // UTM parameters need the page: added once hydrated
  assert.match(output, /<course-cta[^>]*><template shadowroot="open" shadowrootmode="open">/);
  assert.match(output, /<comment-prompt[^>]*><template shadowroot="open" shadowrootmode="open">.*<div part="question" id="question"><slot><\/slot><\/div>/s);
  assert.deepEqual(warnings, []); // no "not a valid CSS selector" for a page the server cannot see
});

// jsdom's window as the globals, as Jest's and Vitest's jsdom environments give them: Node's own Event and
// EventTarget are replaced (jsdom dispatches only its own events). jsdom has no IntersectionObserver.
const JSDOM_PAGE = (body) => `
  import { JSDOM, VirtualConsole } from 'jsdom';
  // What an element throws in a callback, jsdom reports here (as a browser reports it to the page), not to Node.
  const errors = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => errors.push(String(error.detail ?? error)));
  const dom = new JSDOM(\`<!doctype html><html><head><link rel="canonical" href="https://blog.example/post"></head><body></body></html>\`,
    { url: 'https://blog.example/post?x=1', pretendToBeVisual: true, virtualConsole });
  const own = new Set(['Event', 'CustomEvent', 'EventTarget', 'navigator', 'performance']);
  for (const key of Object.getOwnPropertyNames(dom.window)) {
    if (key === 'window' || key === 'self' || (key in globalThis && !own.has(key))) continue;
    Object.defineProperty(globalThis, key, { configurable: true, writable: true, value: dom.window[key] });
  }
  globalThis.window = globalThis.self = dom.window;
  if ('IntersectionObserver' in dom.window) throw new Error('jsdom has IntersectionObserver now: delete it for this test');
  process.on('uncaughtException', (error) => errors.push(String(error)));
  ${body}`;

const CONNECT = JSDOM_PAGE(`
  await import('@chorus/quote-to-tweet/define');
  await import('@chorus/comment-prompt/define');
  await import('@chorus/course-cta/define');
  const seen = [];
  document.addEventListener('chorus-engagement', (event) => seen.push(event.detail.type));
  document.body.innerHTML = \`<quote-to-tweet networks="x bluesky">Readers who act.</quote-to-tweet>
    <comment-prompt email="me@blog.example">Your view?</comment-prompt>
    <course-cta href="/course" campaign="launch">Take the course</course-cta>\`;
  const [quote, prompt, cta] = document.body.children;
  for (const el of [quote, prompt, cta]) await el.updateComplete;
  const href = (el, part) => el.shadowRoot.querySelector(\`a[part~=\${part}]\`)?.getAttribute('href');
  quote.shadowRoot.querySelector('a[part~=primary]').click();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  quote.remove(); // disconnects: stops watching for impressions that never come
  console.log(JSON.stringify({
    quote: href(quote, 'primary'),
    prompt: href(prompt, 'button'),
    cta: href(cta, 'button'),
    seen,
    errors,
  }));`);

for (const conditions of [[], ['browser']]) {
  // No condition: Vitest's jsdom gets Lit's Node build (isServer is true, with a DOM); `browser`: Jest's jsdom.
  test(`the elements connect and work in jsdom without IntersectionObserver (conditions: ${conditions.join() || 'Node'})`, () => {
    const { result } = inNode(CONNECT, { conditions });
    assert.deepEqual(result.errors, []);
    const x = new URL(result.quote);
    assert.equal(x.searchParams.get('text'), 'Readers who act.');
    assert.match(x.searchParams.get('url'), /^https:\/\/blog\.example\/post#cq=/);
    assert.match(result.prompt, /^mailto:me@blog\.example\?subject=/);
    assert.match(result.cta, /^https:\/\/blog\.example\/course\?utm_source=blog\.example&utm_medium=chorus&utm_campaign=launch/);
    assert.deepEqual(result.seen, ['share']); // no impression: nothing is ever seen without IntersectionObserver
  });
}

// In Node, '@chorus/chorus' is an empty module (its export map's node condition, which Node always sets); Jest's
// jsdom, which sets only `browser`, gets chorus.js itself.
test('chorus.js itself runs in jsdom and puts its API on window', () => {
  const { result } = inNode(JSDOM_PAGE(`
    await import('./packages/chorus/dist/chorus.js');
    console.log(JSON.stringify({ api: Object.keys(window.chorus ?? {}).sort(), reserve: document.head.querySelector('style')?.textContent.length > 0, errors }));`),
    { conditions: ['browser'] },
  );
  assert.deepEqual(result, { api: ['configure', 'flush', 'optIn', 'optOut', 'track'], reserve: true, errors: [] });
});

// The server's HTML, hydrated in Chromium: an npm page (its modules by name, through an import map) that loads
// Lit's hydration support first. The first render in the browser must be the server's, or Lit throws
// "Hydration value mismatch"; the next one is the reader's.
test('what a server rendered hydrates in the browser, then renders for the reader', async () => {
  const { mkdtempSync, rmSync, symlinkSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { serveStatic } = await import('../scripts/lib/serve.mjs');
  const { launchChromium, openPage, waitFor } = await import('./support/browser.mjs');
  const browser = await launchChromium(); // first: without Chromium (no CHROME_PATH) nothing is left behind

  const { output } = inNode(
    RENDER(`<quote-to-tweet text="Readers who act." url="https://blog.example/post" networks="x mastodon">Readers who act.</quote-to-tweet>
      <course-cta href="https://courses.example/influence" campaign="launch"><h2 slot="heading">Learn more</h2></course-cta>
      <comment-prompt email="me@blog.example">What do you think?</comment-prompt>`),
  ).result;
  const dir = mkdtempSync(join(tmpdir(), 'chorus-hydrate-'));
  for (const name of ['packages', 'node_modules']) symlinkSync(join(root, name), join(dir, name));
  const lit = (name, file) => ({ [name]: `/node_modules/${name}/${file}`, [`${name}/`]: `/node_modules/${name}/` });
  const imports = {
    ...lit('lit', 'index.js'),
    ...lit('lit-html', 'lit-html.js'),
    ...lit('lit-element', 'index.js'),
    ...lit('@lit/reactive-element', 'reactive-element.js'),
    '@lit-labs/ssr-client/': '/node_modules/@lit-labs/ssr-client/',
    '@chorus/core': '/packages/core/dist/index.js',
    '@chorus/core/': '/packages/core/dist/',
  };
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hydrated</title>
    <link rel="canonical" href="https://blog.example/post">
    <script type="importmap">${JSON.stringify({ imports })}</script>
    <script type="module">
      import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
      await Promise.all(['quote-to-tweet', 'course-cta', 'comment-prompt'].map((name) => import(\`/packages/\${name}/dist/define.js\`)));
      window.upgraded = true;
    </script></head><body>${output}</body></html>`,
  );
  const server = await serveStatic(dir);
  try {
    const { page, errors } = await openPage(browser);
    const messages = [];
    page.on('console', (message) => message.type() === 'error' && messages.push(message.text()));
    // What the server rendered, before any script: the quote's links are there.
    await page.setJavaScriptEnabled(false);
    await page.goto(`${server.url}/index.html`);
    const before = await page.evaluate(() => document.querySelector('quote-to-tweet').shadowRoot?.querySelectorAll('a[part~=network]').length);
    assert.equal(before, 1); // X; Mastodon asks for the reader's server, a button
    await page.setJavaScriptEnabled(true);
    await page.goto(`${server.url}/index.html`);
    await waitFor(() => page.evaluate(() => window.upgraded));
    const state = await waitFor(() =>
      page.evaluate(async () => {
        const [quote, cta, prompt] = ['quote-to-tweet', 'course-cta', 'comment-prompt'].map((tag) => document.querySelector(tag));
        for (const el of [quote, cta, prompt]) await el.updateComplete;
        const x = quote.shadowRoot.querySelector('a[part~=primary]');
        const reply = prompt.shadowRoot.querySelector('a[part~=button]');
        // The listeners hydration attached: a click on the X link is a share.
        const shares = [];
        document.addEventListener('chorus-engagement', (event) => shares.push(event.detail.network), { once: true });
        x.addEventListener('click', (event) => event.preventDefault(), { once: true });
        x.click();
        return reply && {
          shares,
          figures: quote.shadowRoot.querySelectorAll('figure').length,
          copy: !!quote.shadowRoot.querySelector('button[part~=copy]'),
          x: x.href,
          cta: cta.shadowRoot.querySelector('a[part~=button]').href,
          reply: reply.href,
        };
      }),
    );
    assert.deepEqual(errors.map(String), []);
    assert.deepEqual(messages.filter((text) => /mismatch|hydrat/i.test(text)), []);
    assert.equal(state.figures, 1); // hydrated, not rendered a second time beside the server's
    assert.deepEqual(state.shares, ['x']);
    assert.equal(state.copy, true); // the reader's render: the browser can copy
    assert.match(new URL(state.x).searchParams.get('url'), /^https:\/\/blog\.example\/post#cq=\w{6}\.x$/);
    assert.match(state.cta, /utm_medium=chorus&utm_campaign=launch/);
    assert.match(state.reply, /^mailto:me@blog\.example\?subject=Re%3A%20Hydrated$/);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
