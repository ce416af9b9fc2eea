// The component gallery (examples/gallery) against its committed screenshots (test/gallery/*.png): each section
// rendered in Chromium at a fixed size, with fonts named that are installed here, no animations and no caret,
// and compared pixel by pixel with a small tolerance. After a change meant to alter how the elements look:
//   CHORUS_UPDATE_SCREENSHOTS=1 node --test test/gallery.test.mjs
// rewrites the images that differ (look at them before committing).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { root } from '../scripts/lib/setup.mjs';
import { serveStatic } from '../scripts/lib/serve.mjs';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';

const SHOTS = join(root, 'test', 'gallery');
mkdirSync(SHOTS, { recursive: true });
const UPDATE = process.env.CHORUS_UPDATE_SCREENSHOTS === '1';
const SECTIONS = ['quote-to-tweet', 'comment-prompt', 'course-cta', 'rtl', 'themes', 'phone'];
// pixelmatch's per-pixel colour distance (0 to 1; anti-aliased pixels are ignored), and the share of a
// section's pixels that may differ beyond it (0.02%, about 300 pixels of a 1240×1200 section: a few glyphs
// drawn a little otherwise by another Chromium). Runs on one machine differ by none.
const THRESHOLD = 0.1;
const MAX_RATIO = 0.0002;
// The gallery's three font variables, pinned to fonts of this machine's kind (Debian's fonts-dejavu-core),
// which also cover Arabic and Hebrew.
const FONTS = { '--gallery-sans': 'DejaVu Sans', '--gallery-serif': 'DejaVu Serif', '--gallery-mono': 'DejaVu Sans Mono' };
const STABLE = `:root { ${Object.entries(FONTS).map(([name, family]) => `${name}: '${family}';`).join(' ')} }
  *, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }`;

let server, browser, page;
const errors = [];
const elsewhere = [];

before(async () => {
  let installed = '';
  try {
    installed = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  } catch (error) {
    installed = `(fc-list failed: ${error.message})`;
  }
  const missing = Object.values(FONTS).filter((family) => !installed.split(/[\n,]/).includes(family));
  assert.deepEqual(missing, [], `the screenshots are drawn with ${Object.values(FONTS).join(', ')} (Debian: apt-get install fonts-dejavu-core)`);

  assert.ok(existsSync(join(root, 'packages/chorus/dist/chorus.js')), 'the gallery loads the built chorus.js: npm run build first');
  server = await serveStatic(root);
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The same pixels on every run: no hinting that depends on the screen, sRGB, no scrollbars in the shots.
    args: [...chromiumArgs, '--font-render-hinting=none', '--force-color-profile=srgb', '--hide-scrollbars'],
  });
  const context = await browser.createBrowserContext();
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('request', (request) => /^https?:/.test(request.url()) && !request.url().startsWith(server.url) && elsewhere.push(request.url()));
  await page.emulateMediaFeatures([
    { name: 'prefers-color-scheme', value: 'light' },
    { name: 'prefers-reduced-motion', value: 'reduce' },
  ]);
  await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/examples/gallery/`, { waitUntil: 'networkidle0' });
  await page.addStyleTag({ content: STABLE });
  // A viewport as tall as the page: every lazy image loads, and no section needs scrolling to be shot.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewport({ width: 1280, height, deviceScaleFactor: 1 });
  await page.waitForFunction(() => ['quote-to-tweet', 'comment-prompt', 'course-cta'].every((tag) => customElements.get(tag)), { timeout: 15_000 });
  await page.evaluate(async () => {
    await Promise.all([...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')].map((element) => element.updateComplete));
    await Promise.all([...document.images].map((image) => image.decode().catch(() => {})));
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function shoot(name) {
  const section = await page.$(`[data-screenshot="${name}"]`);
  assert.ok(section, `the gallery has a section data-screenshot="${name}"`);
  const box = await section.boundingBox();
  const clip = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
  return PNG.sync.read(Buffer.from(await page.screenshot({ clip, captureBeyondViewport: false })));
}

// RGB without alpha, zlib's default strategy at level 9: a fifth smaller than pngjs's defaults.
const encode = (png) => PNG.sync.write(png, { colorType: 2, deflateLevel: 9, deflateStrategy: 0 });

/** The number of pixels of `actual` that differ from `expected` beyond THRESHOLD, and their diff image. */
function difference(expected, actual) {
  const { width, height } = expected;
  if (width !== actual.width || height !== actual.height) return { count: Infinity, ratio: 1 };
  const diff = new PNG({ width, height });
  const count = pixelmatch(expected.data, actual.data, diff.data, width, height, { threshold: THRESHOLD });
  return { count, ratio: count / (width * height), diff };
}

let failures;
function keep(name, actual, diff) {
  failures ??= mkdtempSync(join(tmpdir(), 'chorus-gallery-'));
  writeFileSync(join(failures, `${name}.actual.png`), encode(actual));
  if (diff) writeFileSync(join(failures, `${name}.diff.png`), encode(diff));
  return failures;
}

it('the gallery loads with every element upgraded, no error and no request beyond its own server', async () => {
  const pending = await page.evaluate(() =>
    [...document.querySelectorAll('quote-to-tweet, comment-prompt, course-cta')].filter((element) => !element.shadowRoot?.firstElementChild).length,
  );
  assert.equal(pending, 0, 'elements not rendered');
  const counts = await page.evaluate(() => ['quote-to-tweet', 'comment-prompt', 'course-cta'].map((tag) => document.querySelectorAll(tag).length));
  assert.ok(counts.every((count) => count >= 8), `every element several times (${counts})`);
  // An inline prompt has its form: the page's function collector counts as configured.
  assert.ok(await page.evaluate(() => document.querySelector('comment-prompt:not([for]):not([email])').shadowRoot.querySelector('form')));
  assert.deepEqual(errors, []);
  assert.deepEqual(elsewhere, []);
});

for (const name of SECTIONS) {
  it(`the ${name} section looks as its committed screenshot`, async (t) => {
    const actual = await shoot(name);
    const file = join(SHOTS, `${name}.png`);
    const expected = existsSync(file) ? PNG.sync.read(readFileSync(file)) : undefined;
    const { count, ratio, diff } = expected ? difference(expected, actual) : { count: Infinity, ratio: 1 };
    t.diagnostic(`${actual.width}×${actual.height}, ${count} pixels differ`);
    if (UPDATE) {
      if (count > 0) {
        writeFileSync(file, encode(actual));
        console.log(`wrote test/gallery/${name}.png (${actual.width}×${actual.height}, ${count === Infinity ? 'new size' : `${count} pixels changed`})`);
      }
      return;
    }
    assert.ok(expected, `no test/gallery/${name}.png: make it with CHORUS_UPDATE_SCREENSHOTS=1 node --test test/gallery.test.mjs`);
    if (!diff) {
      assert.fail(`${name}: ${actual.width}×${actual.height}, the screenshot is ${expected.width}×${expected.height} (see ${keep(name, actual)})`);
    }
    if (ratio > MAX_RATIO) {
      assert.fail(
        `${name}: ${count} pixels differ (${(ratio * 100).toFixed(3)}%, at most ${MAX_RATIO * 100}%): see ${keep(name, actual, diff)}; ` +
          'if the change is meant, CHORUS_UPDATE_SCREENSHOTS=1 node --test test/gallery.test.mjs',
      );
    }
  });
}

// The comparison must see a small change: a button's padding 0.9em -> 1em, on the page itself.
it('a small change in how an element looks is seen', { skip: UPDATE && 'updating screenshots' }, async () => {
  const expected = PNG.sync.read(readFileSync(join(SHOTS, 'quote-to-tweet.png')));
  const style = await page.addStyleTag({ content: 'quote-to-tweet::part(button) { padding-inline: 1em; }' });
  try {
    const actual = await shoot('quote-to-tweet');
    const { ratio } = difference(expected, actual);
    assert.ok(ratio > MAX_RATIO, `a wider button was not noticed (${(ratio * 100).toFixed(3)}% of the pixels differ)`);
  } finally {
    await style.evaluate((element) => element.remove());
  }
});
