// The framework examples as a developer's apps (#11): examples/react, examples/vue and examples/svelte, each
// copied to a folder of its own with our packages installed from their packed tarballs (not the workspace's
// links) and the framework's packages from the repository's node_modules. Each app is type-checked strictly
// by its framework's own checker (tsc, vue-tsc with strictTemplates, svelte-check), together with each
// element README's example for that framework (which must be clean too) and a file of wrong uses that must be
// exactly the errors found; built by Vite from the installed tarballs (every module of
// ours in the bundle comes from them); and driven in Chromium: the three elements render, the X link is right,
// the app's typed handlers hear the events, and the real collector (SQLite) stores the share, the click and
// the reply.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { startCollector } from '@chorus/collector';
import { build } from 'vite';
import { root } from '../scripts/lib/setup.mjs';
import { serveStatic } from '../scripts/lib/serve.mjs';
import { launchChromium, openPage, waitFor } from './support/browser.mjs';
import { folderOf, installIn, ours, pack, withOurDependencies } from './support/tarballs.mjs';

const TOKEN = 'test-token-frameworks-0123';
const ELEMENTS = ['quote-to-tweet', 'comment-prompt', 'course-cta'];
const QUOTE = 'Audience is who sees you. Influence is who acts because of you.';
const REPLY = 'Influence: a hundred readers who act.';

// Wrong uses of each element, one a line: each line naming an element must be an error, and nothing else.
const WRONG = {
  react: [
    'src/Wrong.tsx',
    `${ELEMENTS.map((tag) => `import '@chorus/${tag}/react';\n`).join('')}
export const Wrong = () => (
  <>
    <quote-to-tweet nofollow="yes" />
    <comment-prompt maxLength="long" />
    <course-cta onchorus-engagement={(event) => event.detail.reader} />
    <quote-to-tweet networks={['x']} />
    <course-cta dismissDays="seven" />
  </>
);
`,
  ],
  vue: [
    'src/Wrong.vue',
    `<script setup lang="ts">
${ELEMENTS.map((tag) => `import '@chorus/${tag}/vue';\n`).join('')}</script>

<template>
  <quote-to-tweet :nofollow="'yes'" />
  <comment-prompt :max-length="'long'" />
  <course-cta @chorus-engagement="(event) => event.detail.reader" />
  <quote-to-tweet :networks="['x']" />
  <course-cta :dismiss-days="'seven'" />
</template>
`,
  ],
  svelte: [
    'src/Wrong.svelte',
    `<script lang="ts">
${ELEMENTS.map((tag) => `  import '@chorus/${tag}/svelte';\n`).join('')}</script>

<quote-to-tweet nofollow="yes"></quote-to-tweet>
<comment-prompt maxLength="long"></comment-prompt>
<course-cta onchorus-engagement={(event) => event.detail.reader}></course-cta>
<quote-to-tweet networks={['x']}></quote-to-tweet>
<course-cta dismissDays="seven"></course-cta>
`,
  ],
};

// CHORUS_FRAMEWORKS=vue,svelte runs those apps only (all three by default).
const APPS = process.env.CHORUS_FRAMEWORKS?.split(',') ?? Object.keys(WRONG);

const node = (args, cwd) => promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 16 << 20 }).catch((error) => error);

// Each checker's findings as `file:line message`, from its own output format.
const CHECKERS = {
  react: async (dir) => tscFindings(await node(['node_modules/typescript/bin/tsc', '-p', '.', '--pretty', 'false'], dir)),
  vue: async (dir) => tscFindings(await node(['node_modules/vue-tsc/bin/vue-tsc.js', '-p', '.', '--pretty', 'false'], dir)),
  svelte: async (dir) => {
    const result = await node(['node_modules/svelte-check/bin/svelte-check', '--workspace', '.', '--tsconfig', './tsconfig.json', '--output', 'machine', '--fail-on-warnings'], dir);
    const findings = [...String(result.stdout).matchAll(/^\d+ (?:ERROR|WARNING) "([^"]+)" (\d+):\d+ (.*)$/gm)].map(([, file, line, message]) => `${file}:${line} ${message}`);
    return { code: result.code ?? 0, findings, output: `${result.stdout}${result.stderr}` };
  },
};

function tscFindings({ code = 0, stdout = '', stderr = '' }) {
  const findings = [...stdout.matchAll(/^(.+?)\((\d+),\d+\): error (.*)$/gm)].map(([, file, line, message]) => `${file}:${line} ${message}`);
  return { code, findings, output: `${stdout}${stderr}` };
}

// Each element README's "Use with React / Vue / Svelte" example for this framework, as a file of the app.
const FENCES = { react: 'tsx', vue: 'vue', svelte: 'svelte' };
function readmeExamples(name) {
  const fence = FENCES[name];
  return Object.fromEntries(
    ELEMENTS.map((tag) => {
      const readme = readFileSync(join(root, 'packages', tag, 'README.md'), 'utf8');
      const section = /^## Use with React \/ Vue \/ Svelte$([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
      const code = new RegExp(`^\`\`\`${fence}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(section)?.[1];
      assert.ok(code, `packages/${tag}/README.md: no ${fence} example under "Use with React / Vue / Svelte"`);
      return [`src/Readme${tag.replace(/(^|-)(\w)/g, (_, __, letter) => letter.toUpperCase())}.${fence}`, code];
    }),
  );
}

let scratch, tarballs, collector, browser;
const servers = [];

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'chorus-frameworks-'));
  const needed = withOurDependencies(APPS.flatMap((name) => Object.keys(appManifest(name).dependencies).filter(ours)));
  // All settled, each assigned as it is ready, so that `after` stops what did start when another part failed.
  const started = await Promise.allSettled([
    pack(scratch, [...needed].map(folderOf)).then((packed) => (tarballs = packed)),
    startCollector({
      port: 0,
      db: join(scratch, 'chorus.db'),
      token: TOKEN,
      sites: Object.fromEntries(APPS.map((name) => [`${name}-example`, ['*']])),
      countHeadless: true, // headless Chromium is a bot to the collector, and this test drives one
      rateLimit: false,
    }).then((listening) => (collector = listening)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
  for (const { status, reason } of started) if (status === 'rejected') throw reason;
});
after(async () => {
  await Promise.all([browser?.close(), collector?.close(), ...servers.map((server) => server.close())]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function appManifest(name) {
  return JSON.parse(readFileSync(join(root, 'examples', name, 'package.json'), 'utf8'));
}

/**
 * A copy of examples/<name>: our packages (and theirs, and what those need from npm: Lit) installed from the
 * tarballs, the framework's packages linked from the repository's node_modules (the versions `npm test` was
 * installed with), so the app resolves exactly what an app with its package.json gets.
 */
async function installApp(name) {
  const source = join(root, 'examples', name);
  const dir = join(scratch, name);
  cpSync(source, dir, { recursive: true, filter: (path) => !/^\/?(node_modules|dist)\b/.test(relative(source, path)) });
  const pkg = appManifest(name);
  const named = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const dependencies = Object.fromEntries([...withOurDependencies(named.filter(ours))].map((dependency) => [dependency, `file:${tarballs.get(dependency).file}`]));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, dependencies, devDependencies: {} }));
  await installIn(dir);
  for (const dependency of named.filter((dependency) => !ours(dependency))) {
    const target = join(root, 'node_modules', dependency);
    assert.ok(existsSync(target), `${dependency} (examples/${name}/package.json) is not installed in the repository: add it to the root devDependencies`);
    mkdirSync(dirname(join(dir, 'node_modules', dependency)), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', dependency));
  }
  writeFileSync(join(dir, 'package.json'), readFileSync(join(source, 'package.json')));
  return { dir, ourPackages: Object.keys(dependencies) };
}

/** The app's page in Chromium: what it rendered, its links, and the events its own handlers heard. */
async function useApp(url) {
  const { page, context, errors } = await openPage(browser);
  await page.goto(url);
  await page.waitForFunction(
    (tags) => tags.every((tag) => document.querySelector(tag)?.shadowRoot?.querySelector('a, button, textarea')) && document.querySelector('comment-prompt').shadowRoot.querySelector('textarea'),
    { timeout: 10_000 },
    ELEMENTS,
  );
  const seen = await page.evaluate((tags) => {
    const [quote, prompt, cta] = tags.map((tag) => document.querySelector(tag));
    // The reader's new tabs are not part of the test.
    for (const element of [quote, cta]) element.addEventListener('click', (event) => event.preventDefault());
    customElements.get('comment-prompt').minFillTime = 0;
    return {
      defined: tags.map((tag) => customElements.get(tag) === document.querySelector(tag).constructor),
      quote: quote.textContent.trim(),
      x: quote.shadowRoot.querySelector('a[href*="x.com/"]')?.href,
      bluesky: Boolean(quote.shadowRoot.querySelector('a[href*="bsky.app/"]')),
      question: prompt.textContent.trim(),
      cta: cta.shadowRoot.querySelector('a[href]')?.href,
    };
  }, ELEMENTS);
  await page.evaluate(() => document.querySelector('quote-to-tweet').shadowRoot.querySelector('a[href*="x.com/"]').click());
  await page.evaluate(() => document.querySelector('course-cta').shadowRoot.querySelector('a[href]').click());
  const textarea = await page.evaluateHandle(() => document.querySelector('comment-prompt').shadowRoot.querySelector('textarea'));
  await textarea.type(REPLY);
  await page.evaluate(() => document.querySelector('comment-prompt').shadowRoot.querySelector('button[type=submit]').click());
  const reply = await waitFor(() => page.evaluate(() => document.querySelector('#reply')?.textContent), 8000);
  const heard = await waitFor(async () => {
    const items = await page.evaluate(() => [...document.querySelectorAll('#events li')].map((li) => li.textContent));
    return items.includes('quote-to-tweet share x') && items.includes('course-cta click') && items;
  }, 5000);
  // Leaving the page sends what is batched (the tracker's beacon on pagehide).
  await page.goto('about:blank');
  await context.close();
  return { seen, reply, heard, errors };
}

async function report(site) {
  const response = await fetch(`${collector.url}/api/sites/${site}/report`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  return response.json();
}

for (const name of APPS) {
  const site = `${name}-example`;
  describe(`examples/${name}`, () => {
    const app = {};

    test('installs our packages from their tarballs', async () => {
      Object.assign(app, await installApp(name));
      for (const dependency of app.ourPackages) {
        const installed = realpathSync(join(app.dir, 'node_modules', dependency));
        assert.equal(installed, join(realpathSync(app.dir), 'node_modules', dependency), `${dependency} is a link, not the tarball's files`);
        assert.ok(existsSync(join(installed, 'dist')) && !existsSync(join(installed, 'src')), `${dependency}: not as packed`);
      }
    });

    test("type-checks strictly with the READMEs' examples, and the typings refuse wrong properties and handlers", async () => {
      assert.ok(app.dir, 'installed');
      const [file, text] = WRONG[name];
      const added = { [file]: text, ...readmeExamples(name) };
      for (const [path, content] of Object.entries(added)) writeFileSync(join(app.dir, path), content);
      try {
        const { code, findings, output } = await CHECKERS[name](app.dir);
        const wrongLines = text.split('\n').flatMap((line, index) => (ELEMENTS.some((tag) => line.includes(`<${tag} `)) ? [index + 1] : []));
        assert.deepEqual(findings.filter((finding) => !finding.startsWith(`${file}:`)), [], `the app and the READMEs' examples type-check cleanly:\n${output}`);
        assert.deepEqual([...new Set(findings.map((finding) => Number(finding.split(' ')[0].split(':').pop())))].sort((a, b) => a - b), wrongLines, `each wrong use is an error:\n${output}`);
        assert.notEqual(code, 0); // so its exit status says so too: with those errors gone, it passes
      } finally {
        for (const path of Object.keys(added)) rmSync(join(app.dir, path));
      }
    });

    test('builds with Vite from the installed tarballs', async () => {
      assert.ok(app.dir, 'installed');
      const modules = [];
      process.env.VITE_CHORUS_COLLECTOR = `${collector.url}/collect`;
      try {
        await build({
          root: app.dir,
          configFile: join(app.dir, 'vite.config.ts'),
          logLevel: 'warn',
          plugins: [{ name: 'chorus-modules', generateBundle: (_, bundle) => void modules.push(...Object.values(bundle).flatMap((chunk) => chunk.moduleIds ?? [])) }],
        });
      } finally {
        delete process.env.VITE_CHORUS_COLLECTOR;
      }
      const fromPackages = modules.filter((id) => id.startsWith(join(root, 'packages')));
      assert.deepEqual(fromPackages, [], 'modules bundled from the workspace');
      const installed = join(realpathSync(app.dir), 'node_modules');
      for (const dependency of app.ourPackages) {
        assert.ok(modules.some((id) => id.startsWith(join(installed, dependency, 'dist'))), `nothing bundled from the installed ${dependency}`);
      }
      const server = await serveStatic(join(app.dir, 'dist'));
      servers.push(server);
      app.url = `${server.url}/`;
    });

    test('in Chromium: the elements render, the X link is right, the app hears the events, and the collector stores them', async () => {
      assert.ok(app.url, 'built');
      const { seen, reply, heard, errors } = await useApp(app.url);
      assert.deepEqual(errors, []);
      assert.deepEqual(seen.defined, [true, true, true], 'every element is upgraded');
      assert.equal(seen.quote, QUOTE);
      assert.ok(seen.bluesky, 'the second network has its link');

      const x = new URL(seen.x);
      assert.match(x.origin + x.pathname, /^https:\/\/x\.com\/intent\/tweet$/);
      assert.equal(x.searchParams.get('text'), QUOTE);
      assert.match(x.searchParams.get('url'), /^https:\/\/blog\.example\/posts\/influence#cq=[0-9a-z]{6}\.x$/);
      assert.equal(x.searchParams.get('via'), 'fieldnotes');
      assert.equal(x.searchParams.get('hashtags'), 'writing');

      const cta = new URL(seen.cta);
      assert.equal(cta.origin + cta.pathname, 'https://courses.example/influence');
      assert.deepEqual(
        Object.fromEntries(['utm_source', 'utm_medium', 'utm_campaign'].map((key) => [key, cta.searchParams.get(key)])),
        { utm_source: site, utm_medium: 'chorus', utm_campaign: 'influence-course' },
        'utm_source is the site configure() named',
      );

      assert.equal(reply, `Reply sent: ${REPLY}`, "the app's comment-prompt-sent handler ran");
      assert.ok(heard, "the app's chorus-engagement handlers heard the share and the click");

      const stored = await waitFor(async () => {
        const { quotes, ctas, comments } = await report(site);
        const done = quotes[0]?.networks.x === 1 && ctas.find((c) => c.campaign === 'influence-course')?.clicks === 1 && comments[0]?.text === REPLY;
        return done && { quotes, ctas, comments };
      }, 10_000);
      assert.ok(stored, `the collector has the share on X, the course box's click and the reply: ${JSON.stringify(await report(site))}`);
      assert.equal(stored.quotes[0].text, QUOTE);
    });
  });
}
