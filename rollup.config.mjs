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
