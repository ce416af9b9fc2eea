// Each element's Custom Elements Manifest against the code and the docs: the build's dist/custom-elements.json is
// what the sources' JSDoc say today; it names only public API, every event once with its type, the attributes the
// class observes, and every part, slot and custom property the templates and styles use; the editors' files carry
// the same; and the README tables are the ones the manifest makes (`node scripts/lib/manifest.mjs --readme`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILES, analyze, editorData, elementPackages, elementsOf, readmeKinds, withTables } from '../scripts/lib/manifest.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const folders = elementPackages();
const read = (folder, file) => readFileSync(join(root, 'packages', folder, file), 'utf8');
const names = (items = []) => items.map((item) => item.name).sort();
// The package's code without its comments, where the JSDoc names everything it documents.
const code = (folder) =>
  readdirSync(join(root, 'packages', folder, 'src'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => read(folder, `src/${file}`).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''))
    .join('\n');
const found = (text, pattern) => new Set([...text.matchAll(pattern)].flatMap((match) => (match[1] ?? '').split(/\s+/)).filter(Boolean));

test('every element package is found', () => assert.deepEqual(folders.sort(), ['comment-prompt', 'course-cta', 'quote-to-tweet']));

for (const folder of folders) {
  describe(folder, () => {
    const pkg = JSON.parse(read(folder, 'package.json'));
    const manifest = analyze(folder);
    const [element, ...more] = elementsOf(manifest);

    test('the build wrote the manifest the sources make, linked from package.json', () => {
      assert.equal(pkg.customElements, MANIFEST_FILES.manifest);
      assert.equal(pkg['web-types'], `./${MANIFEST_FILES.webTypes}`);
      assert.deepEqual(JSON.parse(read(folder, MANIFEST_FILES.manifest)), manifest, 'dist/custom-elements.json is stale: npm run build');
      const { vscode, webTypes } = editorData(manifest, pkg);
      assert.deepEqual(JSON.parse(read(folder, MANIFEST_FILES.vscode)), vscode);
      assert.deepEqual(JSON.parse(read(folder, MANIFEST_FILES.webTypes)), webTypes);
      assert.ok(manifest.modules.every((module) => module.path.startsWith('dist/')), 'paths as shipped');
      const definition = manifest.modules.find((module) => module.path === 'dist/define.js').exports.find((e) => e.kind === 'custom-element-definition');
      assert.equal(definition?.name, folder);
    });

    test('one element, with a summary and the tag of its package', () => {
      assert.equal(more.length, 0);
      assert.equal(element.tagName, folder);
      assert.ok(element.summary && element.description);
    });

    test('public API only: no private or protected member, no internal state as an attribute', () => {
      for (const member of element.members) {
        assert.ok(!/^[#_]/.test(member.name) && !['private', 'protected'].includes(member.privacy), `${member.name} is not public`);
        assert.ok(member.description, `${member.name} has no description`);
      }
      for (const attribute of element.attributes) assert.ok(!attribute.name.startsWith('_') && attribute.description, attribute.name);
      for (const module of manifest.modules) {
        for (const { name } of module.declarations) assert.ok(module.exports.some((e) => e.declaration.name === name), `${module.path} does not export ${name}`);
      }
    });

    test('its attributes are those the class observes', async () => {
      const exported = Object.values(await import(pkg.name)).find((value) => value?.observedAttributes);
      assert.deepEqual(names(element.attributes), [...exported.observedAttributes].sort());
    });

    test('every event named once, with its type and what it means', () => {
      const events = element.events;
      assert.ok(events.some((event) => event.name === 'chorus-engagement'));
      assert.equal(new Set(names(events)).size, events.length, 'an event named twice');
      for (const event of events) assert.ok(event.name && event.type?.text && event.description, JSON.stringify(event));
    });

    test("the events are the ones the element's typings name, with the same types", () => {
      // `export type QuoteToTweetEvents = { 'chorus-engagement': EngagementEvent }`: what framework typings and
      // handler props are made from.
      const typings = new RegExp(`export type ${element.name.replace(/Element$/, '')}Events = \\{([^}]*)\\}`).exec(code(folder));
      assert.ok(typings, `no ${element.name.replace(/Element$/, '')}Events type`);
      const typed = Object.fromEntries([...typings[1].matchAll(/'([\w-]+)':\s*([^;,]+?)\s*[;,]?\s*(?=$|'|\n)/g)].map((m) => [m[1], m[2].trim()]));
      assert.deepEqual(Object.fromEntries(element.events.map((event) => [event.name, event.type.text])), typed);
    });

    test('every part, slot and custom property the code uses is documented', () => {
      const source = code(folder);
      const documented = (items) => new Set(names(items));
      for (const part of found(source, /\bpart=["']([^"']+)["']/g)) assert.ok(documented(element.cssParts).has(part), `part "${part}" is not documented`);
      for (const slot of found(source, /<slot(?:\s+name=["']([^"']*)["'])?/g)) assert.ok(documented(element.slots).has(slot), `slot "${slot}"`);
      assert.ok(source.includes('<slot>') === documented(element.slots).has(''), 'the default slot');
      const properties = new Set([...source.matchAll(new RegExp(`(--${folder}-[a-z-]+)`, 'g'))].map((match) => match[1]));
      assert.deepEqual(names(element.cssProperties), [...properties].sort());
      for (const item of [...element.cssParts, ...element.slots, ...element.cssProperties]) assert.ok(item.description, item.name);
    });

    test('the README tables are the manifest', () => {
      const readme = read(folder, 'README.md');
      assert.deepEqual(readmeKinds(readme).sort(), ['css-properties', 'events', 'parts', 'properties', 'slots']);
      assert.equal(readme, withTables(readme, manifest), `${folder}/README.md: run node scripts/lib/manifest.mjs --readme`);
    });
  });
}
