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
import resolve from '@rollup/plugin-node-resolve';

const SCRIPT_TAG_BUNDLE = 'chorus';
const NODE_PACKAGES = ['collector']; // servers: built by their own entries below, not as libraries
const baseCompilerOptions = JSON.parse(readFileSync('tsconfig.base.json', 'utf8')).compilerOptions;

const isBareImport = (id) => /^[^./\0]/.test(id);

// Lit's css`` and html`` templates reach the reader as written: fold their white space so no byte of
// indentation ships, nested templates (inside `${…}`) included. In CSS the spaces around punctuation go
// too, and leading zeros; spaces before ':' and inside calc() are kept: they carry meaning. In HTML, a
// line break next to a tag or an expression, outside a tag, is layout only and is dropped (as in JSX);
// any other run of white space with a line break becomes one space.
const foldTemplates = {
  name: 'fold-templates',
  transform(code, id) {
    if (!/\/packages\/[a-z-]+\/src\/.*\.ts$/.test(id) || !/\b(css|html) ?`/.test(code)) return null;
    const edits = [];
    visit(this.parse(code), (node) => {
      const tag = node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name;
      if (tag !== 'css' && tag !== 'html') return;
      const { quasis } = node.quasi;
      const texts = quasis.map((quasi) => code.slice(quasi.start, quasi.end));
      const folded = tag === 'css' ? foldCss(texts) : foldHtml(texts);
      quasis.forEach((quasi, i) => edits.push({ start: quasi.start, end: quasi.end, text: folded[i] }));
    });
    edits.sort((a, b) => b.start - a.start);
    for (const { start, end, text } of edits) code = code.slice(0, start) + text + code.slice(end);
    return { code, map: null };
  },
};

function visit(node, callback) {
  callback(node);
  for (const value of Object.values(node)) {
    for (const child of [value].flat()) if (child && typeof child.type === 'string') visit(child, callback);
  }
}

function foldCss(texts) {
  return texts.map((text, i) => {
    let folded = text
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .replace(/([\s:,]|^)0\.(\d)/g, '$1.$2');
    if (i === 0) folded = folded.trimStart();
    if (i === texts.length - 1) folded = folded.trimEnd();
    return folded;
  });
}

function foldHtml(texts) {
  let inTag = false;
  return texts.map((text) => {
    const inTagAt = (offset) => {
      const last = /[<>](?=[^<>]*$)/.exec(text.slice(0, offset));
      return last ? last[0] === '<' : inTag;
    };
    const folded = text.replace(/\s*\n\s*/g, (space, offset) => {
      const before = offset === 0 || text[offset - 1] === '>';
      const next = text[offset + space.length];
      if (inTagAt(offset)) return next === '>' ? '' : ' ';
      return before || next === undefined || next === '<' ? '' : ' ';
    });
    inTag = inTagAt(text.length);
    return folded;
  });
}

const minify = () =>
  terser({
    module: true,
    ecma: 2022,
    compress: { passes: 2 },
    // ASCII only: escapes (\u2026) compress better than UTF-8 bytes, and survive a server that omits the charset.
    format: { comments: false, ascii_only: true },
  });

function libraryBuilds(name) {
  const dir = `packages/${name}`;
  const input = ['index', 'define', 'reserve']
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

const scriptTagBundle = {
  input: { chorus: `packages/${SCRIPT_TAG_BUNDLE}/src/chorus.ts` },
  treeshake: { moduleSideEffects: sideEffects },
  output: {
    dir: `packages/${SCRIPT_TAG_BUNDLE}/dist`,
    format: 'es',
    entryFileNames: '[name].js',
    // An element's chunk is named after its package, so the size report and a network panel say which is which.
    chunkFileNames: (chunk) => `${chunk.moduleIds.map((id) => /packages\/([a-z-]+)\/src\/define\.ts$/.exec(id)?.[1]).find(Boolean) ?? '[name]'}-[hash].js`,
    // Every element shares one Lit chunk, fetched once and cached across pages.
    // Every element shares one chunk: Lit, and the pieces of core that only elements use (so they cost
    // no request of their own). What the tracker uses too stays in chorus.js.
    manualChunks: (id) =>
      /\/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\/|\/packages\/core\/src\/(viewability|safe-url)\.ts$/.test(id)
        ? 'lit'
        : undefined,
  },
  plugins: [
    chorusSources,
    resolve({ browser: true }),
    typescript({
      tsconfig: false,
      // Types come from the same sources the bundle is built from, not from the packages' dist.
      compilerOptions: { ...baseCompilerOptions, declaration: false, baseUrl: '.', paths: sourcePaths() },
      include: ['packages/*/src/**/*.ts'],
      noEmitOnError: true,
    }),
    foldTemplates, // after TypeScript, which compiles from disk
    minify(),
  ],
};

const isExternalForNode = (id) => isBareImport(id) || id.startsWith('node:');

const collectorBuilds = () => [
  {
    input: ['packages/collector/src/index.ts', 'packages/collector/src/cli.ts'],
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
  ...(wanted(SCRIPT_TAG_BUNDLE) ? [scriptTagBundle] : []),
  ...(wanted('collector') ? collectorBuilds() : []),
];
