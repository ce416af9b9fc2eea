// languages/chorus.pot, made by the build from the plugin's sources: every string of the text domain in
// the PHP, the editor script and the blocks' block.json, with its translators' comment.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pot } from '../pot.mjs';

const plugin = fileURLToPath(new URL('..', import.meta.url));
const files = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
const sources = ['chorus.php', 'uninstall.php', ...['includes', 'blocks', 'assets'].flatMap((dir) => files(join(plugin, dir)).map((file) => relative(plugin, file)))]
  .filter((name) => /\.(php|js)$|block\.json$/.test(name))
  .map((name) => ({ name, text: readFileSync(join(plugin, name), 'utf8') }));
const text = pot(sources);
const entries = text.split('\n\n').slice(1);

it('holds every translatable string of the PHP, the editor script and the blocks once', () => {
  const calls = new Set(sources.flatMap(({ text }) => [...text.matchAll(/\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'chorus'/g)].map((m) => m[1].replace(/\\'/g, "'"))));
  const ids = entries.filter((e) => !e.includes('msgctxt')).map((e) => JSON.parse(/^msgid (".*")$/m.exec(e)[1]));
  assert.deepEqual(new Set(ids), calls);
  assert.equal(ids.length, calls.size, 'each string once');
  assert.ok(calls.has('Click to Tweet') && calls.has('Name in reports'), 'from the PHP and from the editor script');
});

it('has the blocks’ titles, descriptions and keywords in the contexts WordPress translates them with', () => {
  assert.ok(entries.some((e) => e.includes('msgctxt "block title"\nmsgid "Click to Tweet quote"')));
  assert.ok(entries.some((e) => e.includes('msgctxt "block description"\nmsgid "The post\'s question')));
  assert.ok(entries.some((e) => e.includes('msgctxt "block keyword"\nmsgid "bluesky"')));
});

it('keeps the translators’ comments with their strings', () => {
  const entry = entries.find((e) => e.includes('msgid "Re: %s"'));
  assert.match(entry, /^#\. translators: %s: the post's title\.$/m);
  assert.match(entry, /^#: includes\/element-strings\.php:\d+ includes\/render\.php:\d+$/m, 'the element and the fallback link share it');
  const shareOn = entries.find((e) => e.includes('msgid "Share on %s"'));
  assert.match(shareOn, /^#\. translators: %s: a network's name, such as Bluesky\.$/m, "the elements' strings are there too");
  const site = entries.find((e) => e.includes('msgid "Site name"'));
  assert.doesNotMatch(site, /translators/, 'a comment belongs to the next call only');
});
