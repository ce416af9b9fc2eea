// Builds dist/chorus.zip, the plugin as WordPress installs it (Plugins → Add New → Upload): a top folder
// chorus/ with the PHP, the blocks, the editor script, readme.txt, and in js/ what the script-tag build
// left in packages/chorus/dist (chorus.js, its chunks, reserve.css), and languages/chorus.pot made from the
// sources (pot.mjs). Run after rollup (`npm run build`).
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeZip } from '../../scripts/lib/zip.mjs';
import { pot } from './pot.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, '../chorus/dist');
// What the plugin is made of; the developer's files (README.md, package.json, build.mjs, test/) stay out.
const PLUGIN = ['chorus.php', 'uninstall.php', 'readme.txt', 'includes', 'blocks', 'assets', 'languages'];

const files = (path) => (statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((name) => files(join(path, name))) : [path]);

// chorus.js and every chunk it can load, statically or on demand (each named by a "./name.js" string), so
// what the bundle's folder holds for other uses (node.js, for servers) stays out.
function browserFiles(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const [, chunk] of readFileSync(join(bundle, name), 'utf8').matchAll(/["']\.\/([\w.-]+\.js)["']/g)) browserFiles(chunk, seen);
  return seen;
}

export function buildZip() {
  if (!existsSync(join(bundle, 'chorus.js'))) throw new Error(`${relative(process.cwd(), bundle)}/chorus.js is missing: run rollup first (npm run build)`);
  const entries = [];
  for (const part of PLUGIN.filter((name) => existsSync(join(here, name)))) {
    for (const file of files(join(here, part))) entries.push({ name: `chorus/${relative(here, file)}`, data: readFileSync(file) });
  }
  const translatable = entries.filter(({ name }) => /\.(php|js)$|block\.json$/.test(name));
  entries.push({ name: 'chorus/languages/chorus.pot', data: pot(translatable.map(({ name, data }) => ({ name: name.slice('chorus/'.length), text: String(data) }))) });
  for (const name of [...browserFiles('chorus.js')].sort()) entries.push({ name: `chorus/js/${name}`, data: readFileSync(join(bundle, name)) });
  if (existsSync(join(bundle, 'reserve.css'))) entries.push({ name: 'chorus/js/reserve.css', data: readFileSync(join(bundle, 'reserve.css')) });
  // Each folder as an entry of its own, before its files, as zip tools write them.
  const folders = [...new Set(entries.flatMap(({ name }) => name.split('/').slice(0, -1).map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`)))];
  entries.unshift(...folders.sort().map((name) => ({ name, data: '' })));
  mkdirSync(join(here, 'dist'), { recursive: true });
  const zip = join(here, 'dist/chorus.zip');
  const size = writeZip(zip, entries);
  return { zip, size, files: entries.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { zip, size, files: count } = buildZip();
  console.log(`${relative(process.cwd(), zip)}: ${count} files, ${(size / 1000).toFixed(1)} KB`);
}
