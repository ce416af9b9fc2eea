// Every public package is released together, at one version, so that the caret ranges between them always
// name packages that were built and tested together:
//
//   node scripts/release.mjs 0.2.0          every public package at 0.2.0, every range on one of them ^0.2.0
//   node scripts/release.mjs --scope @you   the packages renamed from @chorus/… to @you/… in every tracked file
//
// and then `npm install` (with a new scope: to link the renamed workspaces), `npm test`, `npm publish --workspaces`
// (each package's prepack builds what is stale; private packages are skipped). `--root DIR` works on another
// checkout (the tests use it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root as repository } from './lib/setup.mjs';

const args = process.argv.slice(2);
const option = (flag) => (args.includes(flag) ? args.splice(args.indexOf(flag), 2)[1] : undefined);
const root = resolve(option('--root') ?? repository);
const scope = option('--scope');
const [version] = args;

const fail = (message) => {
  console.error(message);
  process.exit(1);
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
const manifests = () =>
  readdirSync(join(root, 'packages'))
    .map((folder) => join(root, 'packages', folder, 'package.json'))
    .filter(existsSync);
const ourScope = () => readJson(manifests()[0]).name.split('/')[0];

if (scope !== undefined) {
  if (!/^@[a-z0-9][a-z0-9._-]*$/.test(scope)) fail(`--scope: "${scope}" is not an npm scope (such as @you)`);
  // Names in code, manifests, the lock file and docs; `\/` for where they are written in a regular expression.
  const from = ourScope();
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  let changed = 0;
  for (const file of files.map((name) => join(root, name)).filter(existsSync)) {
    const text = readFileSync(file);
    if (text.includes(0)) continue; // binary
    const renamed = String(text).replaceAll(`${from}/`, `${scope}/`).replaceAll(`${from}\\/`, `${scope}\\/`);
    if (renamed !== String(text)) writeFileSync(file, renamed), changed++;
  }
  console.log(`${from}/… is now ${scope}/… in ${changed} files; run npm install to link the renamed packages.`);
}

if (version !== undefined) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) fail(`"${version}" is not a version (such as 1.2.0 or 1.2.0-beta.1)`);
  const packages = manifests().map((file) => ({ file, manifest: readJson(file) }));
  const released = new Set(packages.filter(({ manifest }) => !manifest.private).map(({ manifest }) => manifest.name));
  // The same change in each manifest and in its copy in the lock file (its entry under packages/<folder>).
  const bump = (manifest) => {
    if (released.has(manifest.name)) manifest.version = version;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) if (released.has(name)) manifest[field][name] = `^${version}`;
    }
  };
  for (const { file, manifest } of packages) bump(manifest), writeJson(file, manifest);
  const lockFile = join(root, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lock = readJson(lockFile);
    for (const [path, entry] of Object.entries(lock.packages ?? {})) if (/^packages\/[^/]+$/.test(path)) bump(entry);
    writeJson(lockFile, lock);
  }
  console.log(`${[...released].join(', ')}: ${version}`);
}

if (scope === undefined && version === undefined) fail('usage: node scripts/release.mjs [VERSION] [--scope @SCOPE] [--root DIR]');
