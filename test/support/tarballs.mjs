// Our packages as an npm user gets them: packed as `npm publish` packs them (each prepack builds what is
// stale), and installed from those files alone. Shared by test/packages.test.mjs and test/frameworks.test.mjs.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../../scripts/lib/setup.mjs';

export const manifest = (folder) => JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
export const folders = readdirSync(join(root, 'packages')).filter((folder) => existsSync(join(root, 'packages', folder, 'package.json')));
export const published = folders.filter((folder) => !manifest(folder).private);
export const scope = manifest(published[0]).name.split('/')[0];
export const ours = (name) => name.startsWith(`${scope}/`);
export const folderOf = (name) => name.slice(scope.length + 1);
export const npm = (args, cwd) => promisify(execFile)('npm', args, { cwd, maxBuffer: 64 << 20 });

/** The names given and every package of ours they depend on at run time, also through another. */
export function withOurDependencies(names, found = new Set()) {
  for (const name of names) {
    if (found.has(name)) continue;
    found.add(name);
    withOurDependencies(Object.keys(manifest(folderOf(name)).dependencies ?? {}).filter(ours), found);
  }
  return found;
}

/** Packs the packages in `packFolders` into `destination`: package name → { file, files: paths in the tarball }. */
export async function pack(destination, packFolders = published) {
  const { stdout } = await npm(['pack', '--json', '--pack-destination', destination, ...packFolders.flatMap((folder) => ['-w', `packages/${folder}`])], root);
  return new Map(JSON.parse(stdout).map(({ name, filename, files }) => [name, { file: join(destination, filename), files: files.map((f) => f.path) }]));
}

/** `npm install`s in `dir` (which has a package.json), from the npm cache when it can, without running scripts or writing a lock. */
export const installIn = (dir, specs = []) => npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...specs], dir);
