// The size report: raw and gzip bytes of every JavaScript file the packages ship, the bytes a page
// downloads for each element, and the budgets. Exits non-zero when a budget is exceeded.
// `--json FILE` writes the checks for `npm test`; `--update` records the sizes in size-budgets.json so
// that a change in either direction shows up in the next report.
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { root } from './lib/setup.mjs';

const budgetsFile = join(root, 'scripts/size-budgets.json');
const { budgets, recorded = {} } = JSON.parse(readFileSync(budgetsFile, 'utf8'));
const bundleDir = join(root, 'packages/chorus/dist');
const sizes = new Map();

function measure(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(file);
    sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizes.get(file);
}

const jsFiles = (dir) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.js')).map((f) => join(dir, f)) : [];

// The files a page fetches once a module runs: the module and its static imports, transitively.
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, spec] of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.[^"']+)["']/g)) staticGraph(join(file, '..', spec), seen);
  return seen;
}

const loader = join(bundleDir, 'chorus.js');
// A chunk by name: an element's (named after its tag) or one loaded on demand (`fit`, `mastodon-prompt`).
const namedChunk = (name) => jsFiles(bundleDir).find((f) => new RegExp(`/${name}-[\\w-]+\\.js$`).test(f));

// What a page downloads for the given chunks: the loader, then each chunk and its imports.
function pageBytes(names) {
  const files = new Set(staticGraph(loader));
  for (const name of names) {
    const chunk = namedChunk(name);
    if (!chunk) throw new Error(`no chunk "${name}" in ${relative(root, bundleDir)}`);
    staticGraph(chunk, files);
  }
  return [...files].reduce((sum, f) => sum + measure(f).gzip, 0);
}

const kb = (n) => `${(n / 1000).toFixed(2)} KB`;
const delta = (name, now) => {
  const before = recorded[name];
  if (before === undefined || before === now) return '';
  return ` (${now > before ? '+' : ''}${now - before} B since recorded)`;
};

// What an npm user's bundler ships on first load for an import (`source`, a module's text): the entry
// chunk and the chunks it imports statically, minified; chunks loaded on demand (the exact counting, the
// tracker's adapters, arrival and attribution) are not counted. Each bundler returns its chunks as
// [{ name, code, imports (static), entry }]. Rollup is what our own build uses; Vite (Rolldown) and esbuild
// are what many npm users build with, and each splits and drops code its own way.
const bundlers = {
  async rollup(source) {
    const entry = { resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? source : null) };
    const bundle = await rollup({ input: 'entry', plugins: [entry, resolve({ browser: true, rootDir: root })], logLevel: 'silent' });
    const { output } = await bundle.generate({ format: 'es', plugins: [terser({ module: true })] });
    await bundle.close();
    return output.map((chunk) => ({ name: chunk.fileName, code: chunk.code, imports: chunk.imports, entry: chunk.isEntry }));
  },
  // An app's build with Vite's defaults, as `vite build` makes it.
  vite: (source) =>
    inAppFolder(source, async (dir, main) => {
      const { build } = await import('vite');
      const [{ output }] = [await build({ root: dir, configFile: false, logLevel: 'silent', build: { write: false, rolldownOptions: { input: main } } })].flat();
      return output.filter((chunk) => chunk.type === 'chunk').map((chunk) => ({ name: chunk.fileName, code: chunk.code, imports: chunk.imports, entry: chunk.isEntry }));
    }),
  // Vite's previous major (Rollup inside, where 8 has Rolldown), still what many apps build with.
  vite7: (source) =>
    inAppFolder(source, async (dir, main) => {
      const { build } = await import('vite7');
      const [{ output }] = [await build({ root: dir, configFile: false, logLevel: 'silent', build: { write: false, rollupOptions: { input: main } } })].flat();
      return output.filter((chunk) => chunk.type === 'chunk').map((chunk) => ({ name: chunk.fileName, code: chunk.code, imports: chunk.imports, entry: chunk.isEntry }));
    }),
  // webpack 5 in production mode, as an app's build makes it: every initial chunk loads first; what a dynamic
  // import loads is a chunk of its own, which webpack's runtime fetches on demand.
  webpack: (source) =>
    inAppFolder(source, async (dir, main) => {
      const { default: webpack } = await import('webpack');
      const outdir = join(dir, 'out');
      const stats = await new Promise((done, fail) =>
        webpack({ mode: 'production', context: dir, entry: main, output: { path: outdir, chunkFilename: '[id].js' }, performance: false }, (error, result) =>
          error || result.hasErrors() ? fail(error ?? new Error(result.toString('errors-only'))) : done(result.toJson({ all: false, chunks: true })),
        ),
      );
      const first = stats.chunks.filter((chunk) => chunk.initial).map((chunk) => chunk.files[0]);
      return stats.chunks.map((chunk) => ({
        name: chunk.files[0],
        code: readFileSync(join(outdir, chunk.files[0]), 'utf8'),
        imports: chunk.files[0] === first[0] ? first.slice(1) : [],
        entry: chunk.files[0] === first[0],
      }));
    }),
  // esbuild as an app bundles with it: minified ES modules, split so that a dynamic import is a chunk of its own.
  esbuild: (source) =>
    inAppFolder(source, async (dir, main) => {
      const { build } = await import('esbuild');
      const outdir = join(dir, 'out');
      const { outputFiles, metafile } = await build({ entryPoints: [main], absWorkingDir: dir, outdir, bundle: true, splitting: true, format: 'esm', minify: true, write: false, metafile: true, logLevel: 'silent' });
      return Object.entries(metafile.outputs).map(([name, { imports, entryPoint }]) => ({
        name,
        code: outputFiles.find((file) => file.path === join(dir, name)).text,
        imports: imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
        entry: !!entryPoint,
      }));
    }),
};

// The source as an app's own module, in a folder inside the root's node_modules, so that its imports resolve
// as an npm user's do: through node_modules and each package's export map to the built dist files.
async function inAppFolder(source, bundle) {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules/.cache/chorus-size-'));
  try {
    writeFileSync(join(dir, 'main.js'), source);
    return await bundle(dir, join(dir, 'main.js'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundleBytes(source, bundler = 'rollup') {
  const chunks = await bundlers[bundler](source);
  const byName = new Map(chunks.map((chunk) => [chunk.name, chunk]));
  const counted = new Set();
  const add = (chunk) => !counted.has(chunk) && (counted.add(chunk), chunk.imports.forEach((name) => add(byName.get(name))));
  add(chunks.find((chunk) => chunk.entry));
  return [...counted].reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0);
}

console.log('file'.padEnd(58), 'raw'.padStart(9), 'gzip'.padStart(9));
for (const pkg of readdirSync(join(root, 'packages'))) {
  for (const file of jsFiles(join(root, 'packages', pkg, 'dist')).sort()) {
    const { raw, gzip } = measure(file);
    console.log(relative(root, file).padEnd(58), String(raw).padStart(9), String(gzip).padStart(9));
  }
}

console.log('\nbudget (gzip)');
const checks = [];
for (const { name, files, page, bundle, bundler, max } of budgets) {
  const actual = page ? pageBytes(page) : bundle ? await bundleBytes(bundle, bundler) : files.reduce((sum, f) => sum + measure(join(root, f)).gzip, 0);
  const ok = actual <= max;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${name.padEnd(40)} ${kb(actual).padStart(9)} of ${kb(max)}${delta(name, actual)}`);
  checks.push({ name, actual, max, ok });
}

const args = process.argv.slice(2);
if (args.includes('--json')) writeFileSync(args[args.indexOf('--json') + 1], JSON.stringify(checks));
if (args.includes('--update')) {
  const updated = { budgets, recorded: Object.fromEntries(checks.map((c) => [c.name, c.actual])) };
  writeFileSync(budgetsFile, JSON.stringify(updated, null, 2) + '\n');
}
process.exit(checks.every((c) => c.ok) ? 0 : 1);
