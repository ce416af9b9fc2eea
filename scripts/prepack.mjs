// What `npm pack` and `npm publish` run in a public package's folder (its `prepack` and, with `--done`, its
// `postpack` script): build the package, and the packages of ours it depends on, unless its dist/ is newer
// than every file they are built from, so a tarball is never packed from an unbuilt or stale clone; then lend
// it the repository's LICENSE for the tarball (npm takes a LICENSE only from the package's own folder), and
// take it back once packed, so the root LICENSE is the only copy there is.
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { root, run } from './lib/setup.mjs';

const dir = process.cwd();
const name = basename(dir);
const license = join(dir, 'LICENSE');
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');

if (process.argv.includes('--done')) {
  if (existsSync(license) && readFileSync(license, 'utf8') === rootLicense) rmSync(license);
  process.exit(0);
}

const manifest = (folder) => JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
const scope = manifest(name).name.split('/')[0];

// This package and every package of ours it depends on, also through another, by folder (named as the package).
function withOurDependencies(folder, found = new Set()) {
  if (found.has(folder)) return found;
  found.add(folder);
  const { dependencies = {}, devDependencies = {} } = manifest(folder);
  for (const dependency of Object.keys({ ...dependencies, ...devDependencies })) {
    const [depScope, depFolder] = dependency.split('/');
    if (depScope === scope && existsSync(join(root, 'packages', depFolder, 'package.json'))) withOurDependencies(depFolder, found);
  }
  return found;
}

const filesIn = (folder, skip = []) =>
  existsSync(folder)
    ? readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((file) => !skip.some((part) => file.startsWith(join(folder, part))))
    : [];
const mtime = (file) => statSync(file).mtimeMs;

const packages = [...withOurDependencies(name)];
const built = filesIn(join(dir, 'dist'));
// A build empties dist/ first, so its oldest file is as old as the build.
const builtAt = built.length ? Math.min(...built.map(mtime)) : 0;
const changedAt = Math.max(
  ...packages.flatMap((folder) =>
    filesIn(join(root, 'packages', folder), ['dist', 'node_modules', 'test', 'LICENSE'])
      .filter((file) => !file.endsWith('.md')) // packed as they are, not built
      .map(mtime),
  ),
);
if (builtAt < changedAt) {
  console.error(`Building ${packages.join(', ')} for the tarball of ${name}…`);
  // From empty dist folders, as npm run build does: no file of an earlier build is packed.
  for (const folder of packages) rmSync(join(root, 'packages', folder, 'dist'), { recursive: true, force: true });
  const rollup = join(root, 'node_modules/rollup/dist/bin/rollup');
  if (run(process.execPath, [rollup, '-c', '--silent'], { env: { ...process.env, CHORUS_PACKAGES: packages.join(',') } }) !== 0) {
    console.error('The build failed: see above.');
    process.exit(1);
  }
}
// The elements' manifests and editor data, made afresh (they take a second): never from older JSDoc than the code,
// and never missing from a dependency's dist/ emptied above.
if (run(process.execPath, [join(root, 'scripts/lib/manifest.mjs')], { env: { ...process.env, CHORUS_PACKAGES: packages.join(',') } }) !== 0) {
  process.exit(1);
}

// Every file the export map (and the editors' fields) name must be there: a tarball without it installs, then fails.
const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap(targets));
const { exports, customElements, 'web-types': webTypes } = manifest(name);
const missing = targets([exports, customElements, webTypes]).filter((target) => !target.includes('*') && !existsSync(join(dir, target)));
if (missing.length) {
  console.error(`${name}: the export map names files the build did not make: ${missing.join(', ')}`);
  process.exit(1);
}
copyFileSync(join(root, 'LICENSE'), license);
