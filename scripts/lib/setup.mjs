// What `npm start` and `npm test` need before they run, found or installed with nothing but Node and
// npm: the dependencies (npm ci when node_modules is missing or older than the lockfile) and, for
// tests, a Chromium from the system (never one downloaded by a test tool).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing dependencies (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.error('npm ci failed: see above.');
    process.exit(1);
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function ensureChromium() {
  const found = () => process.env.CHROME_PATH || CHROMIUM_NAMES.map(onPath).find(Boolean);
  let path = found();
  if (!path && process.getuid?.() === 0 && onPath('apt-get')) {
    console.log('Installing Chromium from the system packages (apt-get install chromium)…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    path = found();
  }
  if (!path) {
    console.error('The tests need Chromium: install it (Debian: apt-get install chromium) or set CHROME_PATH.');
    process.exit(1);
  }
  process.env.CHROME_PATH = path;
  return path;
}

export function build() {
  ensureDependencies();
  // Start from empty dist folders, so no file of an earlier build is served, measured or tested.
  for (const name of readdirSync(join(root, 'packages'))) rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
  const status = run(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent']);
  if (status !== 0) {
    console.error('The build failed: see above.');
    process.exit(1);
  }
  // Each element package's custom-elements.json, VS Code data and web-types, from its JSDoc.
  if (run(process.execPath, [join(root, 'scripts/lib/manifest.mjs')]) !== 0) {
    console.error('The custom elements manifests could not be made: see above.');
    process.exit(1);
  }
  // The WordPress plugin's zip bundles the script-tag build just made (absent when CHORUS_PACKAGES left it out).
  if (existsSync(join(root, 'packages/chorus/dist/chorus.js')) && run(process.execPath, [join(root, 'packages/wordpress/build.mjs')]) !== 0) {
    console.error('The WordPress plugin could not be zipped: see above.');
    process.exit(1);
  }
}
