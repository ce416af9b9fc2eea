// One build for every package:
// - each library package (core, the elements) ships ES modules for npm: `dist/` minified with
//   type declarations, `dist/development/` readable; its dependencies stay external;
// - `chorus` is the script-tag bundle: the loader, one shared Lit chunk and one chunk per element,
//   everything inlined from source so a blogger needs nothing but the one file;
// - `collector` is a Node server: its modules as they are (readable stack traces, dependencies
//   external), and its dashboard, a browser bundle with Lit inlined.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { minify as terserMinify } from 'terser';
import resolve from '@rollup/plugin-node-resolve';
import ts from 'typescript';
import { foldTemplates } from './scripts/lib/templates.mjs';

const SCRIPT_TAG_BUNDLE = 'chorus';
const NODE_PACKAGES = ['collector']; // servers: built by their own entries below, not as libraries
const baseCompilerOptions = JSON.parse(readFileSync('tsconfig.base.json', 'utf8')).compilerOptions;

const isBareImport = (id) => /^[^./\0]/.test(id);

const minify = () =>
  terser({
    module: true,
    ecma: 2022,
    compress: { passes: 2 },
    // ASCII only: escapes (\u2026) compress better than UTF-8 bytes, and survive a server that omits the charset.
    format: { comments: false, ascii_only: true },
  });

// The tracker's routes are plain objects that never leave tracker.ts: their busiest fields get one-letter
// names there (-22 B on every page). Only in that module, so no other object's property is renamed; a field
// added to Route is renamed once listed here.
const ROUTE_FIELDS = /^(queue|failures|drops|sending|timer|send)$/;
const routeFields = {
  name: 'route-fields',
  async transform(code, id) {
    if (!id.endsWith('/packages/tracker/src/tracker.ts')) return null;
    const { code: renamed } = await terserMinify(code, {
      module: true,
      compress: false,
      mangle: { properties: { regex: ROUTE_FIELDS, builtins: true } }, // `queue` is also a DOM name
      format: { comments: false },
    });
    return { code: renamed, map: null };
  },
};

function libraryBuilds(name) {
  const dir = `packages/${name}`;
  // fit: core's exact counting, imported only dynamically; react…svelte: an element's framework typings entries.
  const input = ['index', 'define', 'reserve', 'fit', 'react', 'preact', 'solid', 'vue', 'svelte']
    .map((entry) => `${dir}/src/${entry}.ts`)
    .filter((file) => existsSync(file));
  const build = (development) => ({
    input,
    external: isBareImport,
    output: {
      dir: development ? `${dir}/dist/development` : `${dir}/dist`,
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: `${dir}/src`,
    },
    plugins: [
      typescript({
        tsconfig: `${dir}/tsconfig.json`,
        outDir: development ? `${dir}/dist/development` : `${dir}/dist`,
        declaration: !development,
        noEmitOnError: true,
      }),
      !development && foldTemplates,
      !development && routeFields,
      !development && minify(),
    ],
  });
  return [build(false), build(true)];
}

// `@chorus/x` and `@chorus/x/sub` resolve to the package's source (`src/index.ts`, `src/sub.ts`), so the
// script-tag bundle is built in one pass and never depends on the order of the library builds.
const chorusSources = {
  name: 'chorus-sources',
  resolveId(id) {
    const match = /^@chorus\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(id);
    return match ? `${process.cwd()}/packages/${match[1]}/src/${match[2] ?? 'index'}.ts` : null;
  },
};

// The script tag never runs on a server and its Lit cannot hydrate a server's render (hydration needs the
// page's one lit-html, and chorus.js brings its own copy): core's SSR is false in it, so Rollup drops what
// only servers and hydration need (`SSR && …`) from every element's chunk.
const noServerRendering = {
  name: 'no-server-rendering',
  load(id) {
    if (!id.endsWith('/packages/core/src/hydration.ts')) return null;
    return 'export const SSR = false;\nexport const asServer = () => false;\n';
  },
};

// Our modules have no side effects but the define modules and the loader (the style rule every
// element package follows), so code a page does not use is left out of its chunks.
const sideEffects = (id) => !/\/packages\/[a-z-]+\/src\//.test(id) || /\/(define|chorus)\.ts$/.test(id);

const sourcePaths = () =>
  Object.fromEntries(
    readdirSync('packages').flatMap((name) => [
      [`@chorus/${name}`, [`packages/${name}/src/index.ts`]],
      [`@chorus/${name}/*`, [`packages/${name}/src/*.ts`]],
    ]),
  );

// chorus.js imports the shared Lit chunk by name (LIT_CHUNK in chorus.ts) as it imports an element's
// chunk, so the two are fetched in parallel; the name, hash included, is only known once the bundle is.
const litChunkName = {
  name: 'lit-chunk-name',
  generateBundle(_, bundle) {
    const lit = Object.values(bundle).find((file) => file.type === 'chunk' && file.name === 'lit');
    const loader = bundle['chorus.js'];
    if (!lit || !loader.code.includes('LIT_CHUNK')) this.error('chorus.js: no Lit chunk, or no LIT_CHUNK to name it');
    loader.code = loader.code.replaceAll('LIT_CHUNK', JSON.stringify(`./${lit.fileName}`));
  },
};

// What the browsers Chorus supports (current Chrome, Edge, Firefox, Safari) make dead in Lit, cut from
// the script-tag bundle (npm users' bundlers build Lit as they choose): the <style> fallback for browsers
// without adoptedStyleSheets, and an error message no Chorus template can trigger. The build fails when
// Lit no longer has what is cut (after an upgrade): check the new version's code and update the list.
const LIT_CUTS = [
  [
    '"@lit/reactive-element/css-tag.js"',
    't.ShadowRoot&&(void 0===t.ShadyCSS||t.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype',
    '!0',
  ],
  ['"@lit/reactive-element/css-tag.js"', 'CSSResult is not constructable. Use `unsafeCSS` or `css` instead.', 'CSSResult'],
  // The hooks of the polyfills for browsers without shadow DOM, and the version lists dev tools read.
  ['"lit-html/lit-html.js"', 'B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3")', '0'],
  ['"lit-element/lit-element.js"', '(s.litElementVersions??=[]).push("4.2.2")', '0'],
  ['"lit-element/lit-element.js"', 'const o=s.litElementPolyfillSupport;o?.({LitElement:i});', ''],
  // The hook of hydration, which the script tag cannot do (see noServerRendering).
  ['"lit-element/lit-element.js"', ',s.litElementHydrateSupport?.({LitElement:i})', ''],
  ['"@lit/reactive-element/reactive-element.js"', 'p?.({ReactiveElement:y}),(a.reactiveElementVersions??=[]).push("2.1.2")', '0'],
  // What decorators need (their metadata and initializers): Chorus elements declare `static properties`.
  ['"@lit/reactive-element/reactive-element.js"', 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap', '0'],
  [
    '"@lit/reactive-element/reactive-element.js"',
    'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}',
    '',
  ],
  ['"@lit/reactive-element/reactive-element.js"', 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', ''],
  ['"@lit/reactive-element/reactive-element.js"', 'void 0!==t.l&&(this.l=[...t.l]),', ''],
  ['"@lit/reactive-element/reactive-element.js"', ',this.constructor.l?.forEach(t=>t(this))', ''],
];
const litCuts = {
  name: 'lit-cuts',
  transform(code, id) {
    for (const [file, from, to] of LIT_CUTS) {
      if (!id.endsWith(JSON.parse(file))) continue;
      if (!code.includes(from)) this.error(`Lit changed: "${from.slice(0, 40)}…" is no longer in ${file}; update LIT_CUTS`);
      code = code.replace(from, to);
    }
    return code;
  },
};

const scriptTagBundle = {
  input: { chorus: `packages/${SCRIPT_TAG_BUNDLE}/src/chorus.ts` },
  treeshake: { moduleSideEffects: sideEffects },
  output: {
    dir: `packages/${SCRIPT_TAG_BUNDLE}/dist`,
    format: 'es',
    entryFileNames: '[name].js',
    // Lower-case letters and digits: they compress better than base64 in the names chorus.js imports (-13 B).
    hashCharacters: 'base36',
    // An element's chunk is named after its package, so the size report and a network panel say which is which.
    chunkFileNames: (chunk) => `${chunk.moduleIds.map((id) => /packages\/([a-z-]+)\/src\/define\.ts$/.exec(id)?.[1]).find(Boolean) ?? '[name]'}-[hash].js`,
    // Every element shares one chunk, fetched once and cached across pages: Lit, and the pieces of core
    // that only elements use (so they cost no request of their own). What the tracker uses too stays in
    // chorus.js.
    manualChunks: (id) =>
      /\/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\/|\/packages\/core\/src\/(viewability|engagement)\.ts$/.test(id)
        ? 'lit'
        : undefined,
  },
  plugins: [
    chorusSources,
    noServerRendering,
    resolve({ browser: true }),
    litCuts,
    typescript({
      tsconfig: false,
      // Types come from the same sources the bundle is built from, not from the packages' dist.
      compilerOptions: { ...baseCompilerOptions, declaration: false, baseUrl: '.', paths: sourcePaths() },
      include: ['packages/*/src/**/*.ts'],
      exclude: ['packages/collector/**'], // a server: none of it is in the bundle
      noEmitOnError: true,
    }),
    foldTemplates, // after TypeScript, which compiles from disk
    routeFields,
    minify(),
    litChunkName,
  ],
};

// What the chorus package has for servers:
// - dist/reserve.css: `headReserve` from src/reserve.ts (the rules chorus.js injects, from the same source, and
//   the room for a server's fallback links), for a server-rendered page to print in its <head>. The module is
//   bundled on its own, run, and only its string is written out;
// - dist/node.js, what `import '@chorus/chorus'` gives in Node (its export map's `node` condition): nothing, where
//   chorus.js would throw without a page.
const NODE_ENTRY = `// chorus.js is a browser page's script tag. Imported on a server (a framework rendering the page imports its
// dependencies there), it does nothing; the page's <script type="module"> starts it in the browser.
export {};
`;
const serverFiles = {
  input: `packages/${SCRIPT_TAG_BUNDLE}/src/reserve.ts`,
  output: { dir: `packages/${SCRIPT_TAG_BUNDLE}/dist`, format: 'es' },
  plugins: [
    chorusSources,
    {
      name: 'server-files',
      // Plain string modules: stripping the types is all they need (the script-tag bundle type-checks them).
      transform: (code, id) => (id.endsWith('.ts') ? ts.transpileModule(code, { compilerOptions: { module: 'esnext', target: 'es2022' } }).outputText : null),
      async generateBundle(_, bundle) {
        const [chunk] = Object.values(bundle);
        const { headReserve } = await import(`data:text/javascript,${encodeURIComponent(chunk.code)}`);
        if (typeof headReserve !== 'string' || !headReserve) this.error('packages/chorus/src/reserve.ts: no headReserve string');
        delete bundle[chunk.fileName];
        this.emitFile({ type: 'asset', fileName: 'reserve.css', source: headReserve });
        this.emitFile({ type: 'asset', fileName: 'node.js', source: NODE_ENTRY });
      },
    },
  ],
};

const isExternalForNode = (id) => isBareImport(id) || id.startsWith('node:');

const collectorBuilds = () => [
  {
    // The report's thread is started by its file's URL, not imported: an entry of its own.
    input: ['packages/collector/src/index.ts', 'packages/collector/src/cli.ts', 'packages/collector/src/report/worker.ts'],
    external: isExternalForNode,
    output: { dir: 'packages/collector/dist', format: 'es', preserveModules: true, preserveModulesRoot: 'packages/collector/src' },
    plugins: [typescript({ tsconfig: 'packages/collector/tsconfig.json', outDir: 'packages/collector/dist', declaration: true, noEmitOnError: true })],
  },
  {
    input: 'packages/collector/dashboard/app.ts',
    output: { file: 'packages/collector/dist/dashboard/app.js', format: 'es' },
    plugins: [
      resolve({ browser: true }),
      typescript({ tsconfig: 'packages/collector/dashboard/tsconfig.json', noEmitOnError: true }),
      minify(),
    ],
  },
];

// CHORUS_PACKAGES=core,tracker builds only those (a quicker loop while working on one package).
const only = process.env.CHORUS_PACKAGES?.split(',');
const wanted = (name) => !only || only.includes(name);
// core first: the other libraries compile against its declarations in dist.
const libraries = readdirSync('packages')
  .filter((name) => name !== SCRIPT_TAG_BUNDLE && !NODE_PACKAGES.includes(name) && existsSync(`packages/${name}/src/index.ts`))
  .sort((a, b) => (b === 'core') - (a === 'core'));

export default [
  ...libraries.filter(wanted).flatMap(libraryBuilds),
  ...(wanted(SCRIPT_TAG_BUNDLE) ? [scriptTagBundle, serverFiles] : []),
  ...(wanted('collector') ? collectorBuilds() : []),
];
