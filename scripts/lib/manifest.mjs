// Each element package's API, read from its sources' JSDoc by the Custom Elements Manifest analyzer
// (custom-elements-manifest.config.mjs), and what is made from it: written into the package's dist/ by the build
// (custom-elements.json, linked from package.json's `customElements`; VS Code's vscode.html-custom-data.json;
// JetBrains' web-types.json, linked from `web-types`), and the API tables of the package's README, between
// `<!-- api:KIND -->` and `<!-- /api -->` (KIND: properties, events, slots, parts, css-properties).
// `node scripts/lib/manifest.mjs --readme` rewrites those tables; test/manifest.test.mjs fails when one is stale.
// Only those, not the build: a build that rewrote them would make that test pass whatever the README said.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, ts } from '@custom-elements-manifest/analyzer';
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import config from '../../custom-elements-manifest.config.mjs';
import { root } from './setup.mjs';

/** The packages with an element: those with a define module. */
export const elementPackages = () => readdirSync(join(root, 'packages')).filter((folder) => existsSync(join(root, 'packages', folder, 'src/define.ts')));

const packageJson = (folder) => JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
const exportTargets = (exports) => (typeof exports === 'string' ? [exports] : Object.values(exports ?? {}).flatMap(exportTargets));

/** The package's manifest, from its sources: the modules its export map names and those they re-export from. */
export function analyze(folder) {
  const src = join(root, 'packages', folder, 'src');
  const modules = readdirSync(src)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ts.createSourceFile(`src/${file}`, readFileSync(join(src, file), 'utf8'), ts.ScriptTarget.ES2022, true));
  const manifest = create({ modules, plugins: [...litPlugin(), ...config.plugins] });

  // A re-export names its module as written (`./quote-to-tweet.js`): the manifest names it by its path.
  for (const module of manifest.modules) {
    for (const { declaration } of module.exports ?? []) {
      if (declaration?.module?.startsWith('./')) declaration.module = join(module.path, '..', declaration.module).replace(/\.js$/, '.ts');
    }
  }
  const wanted = new Set(exportTargets(packageJson(folder).exports).map((target) => target.replace(/^\.\/dist\/([\w-]+)\.js$/, 'src/$1.ts')));
  for (const module of manifest.modules.filter((module) => wanted.has(module.path))) {
    for (const { declaration } of module.exports ?? []) if (declaration?.module) wanted.add(declaration.module);
  }
  manifest.modules = manifest.modules.filter((module) => wanted.has(module.path));
  // The define module registers the element through its static define(): say so as the analyzer would for
  // customElements.define().
  const define = manifest.modules.find((module) => module.path === 'src/define.ts');
  for (const module of manifest.modules) {
    for (const element of module.declarations.filter((declaration) => declaration.customElement)) {
      define?.exports.push({ kind: 'custom-element-definition', name: element.tagName, declaration: { name: element.name, module: module.path } });
    }
  }
  // Modules with nothing to describe (the framework typings entries: types only) would only be noise.
  manifest.modules = manifest.modules.filter((module) => module.declarations.length || module.exports.length);
  // Paths as the package ships them.
  return JSON.parse(JSON.stringify(manifest).replace(/"src\/([\w-]+)\.ts"/g, '"dist/$1.js"'));
}

export const elementsOf = (manifest) => manifest.modules.flatMap((module) => module.declarations.filter((declaration) => declaration.customElement));

const oneLine = (text = '') => text.replace(/\s*\n\s*/g, ' ').trim();
const typeOf = (item) => item.type?.text?.replace(/\s*\|\s*undefined$/, '');

/** VS Code's HTML custom data and JetBrains' web-types, for the elements of one package. */
export function editorData(manifest, pkg) {
  const elements = elementsOf(manifest);
  const docs = (element) =>
    [
      oneLine(element.summary ?? element.description),
      element.slots?.length && `Slots: ${element.slots.map((slot) => (slot.name ? `\`${slot.name}\`` : 'the default slot')).join(', ')}.`,
      element.events?.length && `Events: ${element.events.map((event) => `\`${event.name}\``).join(', ')}.`,
      element.cssParts?.length && `Parts: ${element.cssParts.map((part) => `\`${part.name}\``).join(', ')}.`,
    ]
      .filter(Boolean)
      .join('\n\n');
  const vscode = {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elements.map((element) => ({
      name: element.tagName,
      description: { kind: 'markdown', value: docs(element) },
      attributes: (element.attributes ?? []).map((attribute) => ({
        name: attribute.name,
        description: oneLine(attribute.description),
        ...(typeOf(attribute) === 'boolean' && { valueSet: 'v' }),
      })),
      references: [{ name: 'README', url: pkg.homepage }],
    })),
  };
  const webTypes = {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elements.map((element) => ({
          name: element.tagName,
          description: docs(element),
          'doc-url': pkg.homepage,
          attributes: (element.attributes ?? []).map((attribute) => ({
            name: attribute.name,
            description: oneLine(attribute.description),
            ...(attribute.default !== undefined && { default: attribute.default }),
            value: typeOf(attribute) === 'boolean' ? { type: 'boolean', required: false } : { type: typeOf(attribute) ?? 'string' },
          })),
          slots: (element.slots ?? []).map((slot) => ({ name: slot.name, description: oneLine(slot.description) })),
          events: (element.events ?? []).map((event) => ({ name: event.name, description: oneLine(event.description) })),
          js: {
            properties: publicFields(element).map((field) => ({ name: field.name, description: oneLine(field.description), type: typeOf(field) })),
            events: (element.events ?? []).map((event) => ({ name: event.name, description: oneLine(event.description), type: typeOf(event) })),
          },
          css: {
            parts: (element.cssParts ?? []).map((part) => ({ name: part.name, description: oneLine(part.description) })),
            properties: (element.cssProperties ?? []).map((property) => ({ name: property.name, description: oneLine(property.description) })),
          },
        })),
      },
    },
  };
  return { vscode, webTypes };
}

const publicFields = (element) => (element.members ?? []).filter((member) => member.kind === 'field' && !member.static);

/** The files the build writes into each element package's dist/ (the names package.json links to). */
export const MANIFEST_FILES = { manifest: 'dist/custom-elements.json', vscode: 'dist/vscode.html-custom-data.json', webTypes: 'dist/web-types.json' };

export function writeManifests(folders = elementPackages()) {
  for (const folder of folders.filter((name) => elementPackages().includes(name))) {
    const dir = join(root, 'packages', folder);
    const manifest = analyze(folder);
    const { vscode, webTypes } = editorData(manifest, packageJson(folder));
    mkdirSync(join(dir, 'dist'), { recursive: true });
    const write = (file, value) => writeFileSync(join(dir, file), JSON.stringify(value, null, 2) + '\n');
    write(MANIFEST_FILES.manifest, manifest);
    write(MANIFEST_FILES.vscode, vscode);
    write(MANIFEST_FILES.webTypes, webTypes);
  }
}

// Markdown tables: a cell is one line, and `|` in it (a union type) is escaped even inside code.
const cell = (text) => oneLine(String(text ?? '')).replaceAll('|', '\\|');
const code = (text) => (text ? `\`${text}\`` : '');
const table = (head, rows) => (rows.length ? [head, head.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n') : '');

/** The README tables of one package's elements, by kind. */
export function readmeTables(manifest) {
  const [element, ...others] = elementsOf(manifest);
  if (!element || others.length) throw new Error('readmeTables: a package has one element');
  const attributeOf = (field) => element.attributes?.find((attribute) => attribute.fieldName === field.name);
  const statics = (element.members ?? []).filter((member) => member.static);
  const signature = (member) => (member.kind === 'method' ? `(${(member.parameters ?? []).map((p) => p.name + (p.optional || p.default ? '?' : '')).join(', ')})` : '');
  return {
    properties: table(
      ['Property', 'Attribute', 'Type', 'Default', 'Description'],
      [
        ...publicFields(element).map((field) => [
          code(field.name),
          code(attributeOf(field)?.name) || (field.readonly ? 'read-only' : 'none'),
          code(typeOf(field)),
          code(field.default),
          field.description,
        ]),
        ...statics.map((member) => [code(`${element.name}.${member.name}${signature(member)}`), 'static', code(member.kind === 'field' && typeOf(member)), '', member.description]),
      ],
    ),
    events: table(['Event', 'Type', 'Description'], (element.events ?? []).map((event) => [code(event.name), code(typeOf(event)), event.description])),
    slots: table(['Slot', 'Description'], (element.slots ?? []).map((slot) => [slot.name ? code(slot.name) : '(default)', slot.description])),
    parts: table(['Part', 'Description'], (element.cssParts ?? []).map((part) => [code(part.name), part.description])),
    'css-properties': table(['Custom property', 'Description'], (element.cssProperties ?? []).map((property) => [code(property.name), property.description])),
  };
}

const BLOCK = /(<!-- api:([\w-]+) -->\n)[\s\S]*?(<!-- \/api -->)/g;

/** The README with every block between the markers made from the manifest; text outside them is left as it is. */
export function withTables(readme, manifest) {
  const tables = readmeTables(manifest);
  return readme.replace(BLOCK, (_, open, kind, close) => {
    if (!(kind in tables)) throw new Error(`README: no table "${kind}" (${Object.keys(tables).join(', ')})`);
    return `${open}\n${tables[kind]}\n\n${close}`;
  });
}

export const readmeKinds = (readme) => [...readme.matchAll(BLOCK)].map((match) => match[2]);

// Run by the build after rollup (and by a package's prepack): the dist files of the element packages built
// (CHORUS_PACKAGES, as for rollup; all when unset). With --readme: the README tables.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes('--readme')) writeManifests(process.env.CHORUS_PACKAGES?.split(','));
  else {
    for (const folder of elementPackages()) {
      const file = join(root, 'packages', folder, 'README.md');
      const readme = readFileSync(file, 'utf8');
      const updated = withTables(readme, analyze(folder));
      if (updated !== readme) writeFileSync(file, updated), console.log(`${folder}/README.md: tables updated`);
    }
  }
}
