// A real WordPress for tests, from Debian's packages: PHP and MariaDB installed from apt (when missing and
// we are root), and WordPress's own files taken out of Debian's `wordpress` package without installing it
// (it depends on apache2, which would start a web server on port 80). The files are unpacked once into a
// cache folder and made whole there: Debian replaces the libraries WordPress bundles with symlinks into
// other packages, which are unpacked beside it and copied in. `packages/wordpress/test/harness.mjs` starts
// private instances from what this returns.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { root } from './setup.mjs';

const isRoot = () => process.getuid?.() === 0;

/** What WordPress and its tests need, each for one reason. */
const SYSTEM_PACKAGES = {
  'php-cli': 'php itself and its built-in web server (php -S)',
  'php-mysql': 'mysqli, the only database driver WordPress has',
  'php-mbstring': 'multibyte strings, which WordPress and plugins use for UTF-8 text (every host has it)',
  'php-xml': "DOM, SimpleXML and the XML parser: Site Health asks for them, and WordPress's feed reader parses with them",
  'php-zip': "ZipArchive, which Plugins → Upload uses to unpack a zip (as on every host; PclZip is the slow fallback)",
  'php-curl': "the HTTP API's transport, for the plugin's requests to a local collector",
  'mariadb-server': 'mariadbd and mariadb-install-db, for a private database per test run',
  'ca-certificates': "the certificate bundle WordPress's HTTP API links to (wp-includes/certificates)",
};

/** How to tell each package is there without asking dpkg: a PHP extension, or a program. */
const PRESENT = {
  'php-cli': () => which('php'),
  'php-mysql': () => phpHas('mysqli'),
  'php-mbstring': () => phpHas('mbstring'),
  'php-xml': () => phpHas('dom') && phpHas('xml'),
  'php-zip': () => phpHas('zip'),
  'php-curl': () => phpHas('curl'),
  'mariadb-server': () => which('mariadbd') && which('mariadb-install-db'),
  'ca-certificates': () => existsSync('/etc/ssl/certs/ca-certificates.crt'),
};

/**
 * Debian packages whose files make up the WordPress tree: WordPress itself, the default theme of 6.1
 * (a block theme) and a classic one, and the three libraries Debian takes out of WordPress and links to
 * (getID3 for media, Underscore for the admin's scripts, Cropper for the header image screen).
 */
const TREE_PACKAGES = ['wordpress', 'wordpress-theme-twentytwentythree', 'wordpress-theme-twentytwentyone', 'php-getid3', 'libjs-underscore', 'libjs-cropper'];

// Outside node_modules when we can, because `npm ci` (which setup.mjs runs whenever the lockfile changes)
// deletes node_modules whole; CHORUS_WORDPRESS_CACHE moves it anywhere.
export const cacheDir =
  process.env.CHORUS_WORDPRESS_CACHE || (isRoot() ? '/var/cache/chorus-wordpress' : join(root, 'node_modules', '.cache', 'chorus-wordpress'));

let phpExtensions;
function phpHas(extension) {
  if (!phpExtensions) {
    if (!which('php')) return false;
    const result = spawnSync('php', ['-r', 'echo implode(",", get_loaded_extensions());'], { encoding: 'utf8' });
    phpExtensions = new Set((result.stdout ?? '').toLowerCase().split(','));
  }
  return phpExtensions.has(extension);
}

function which(name) {
  for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':')]) {
    const file = join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

function sh(command, args, { cwd, env } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...env } });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}

/**
 * apt-get install, with services kept from starting: mariadb-server's scripts would otherwise start a
 * system MariaDB (and leave it running, or fail the install where there is no init system). A
 * policy-rc.d that answers 101 ("action forbidden") is Debian's documented way to say so.
 */
function aptInstall(packages, log) {
  const policy = '/usr/sbin/policy-rc.d';
  const saved = existsSync(policy) ? readFileSync(policy) : undefined;
  writeFileSync(policy, '#!/bin/sh\n# Written by Chorus\'s test setup while it installs packages: start no services.\nexit 101\n', { mode: 0o755 });
  try {
    log(`Installing ${packages.join(', ')} (apt-get install)…`);
    sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_WAIT, ...packages]);
  } finally {
    if (saved) writeFileSync(policy, saved, { mode: 0o755 });
    else rmSync(policy, { force: true });
  }
}

// Two test runs may install at once (each test file calls ensureWordPress): the second waits for apt's lock.
const APT_WAIT = ['-o', 'DPkg::Lock::Timeout=300'];

let aptUpdated = false;
function aptUpdate() {
  if (!aptUpdated) sh('apt-get', ['update', '-qq', ...APT_WAIT]);
  aptUpdated = true;
}

/** Replaces every symlink under `tree` with a copy of what it points to inside `staging` (a copy of `/`). */
function materialiseLinks(tree, staging) {
  const dangling = [];
  for (const entry of readdirSync(tree, { recursive: true })) {
    const file = join(tree, String(entry));
    if (!lstatSync(file).isSymbolicLink()) continue;
    const link = readlinkSync(file);
    // An absolute link means the same path inside the unpacked packages; a relative one resolves there too.
    const inside = link.startsWith('/') ? join(staging, link) : resolve(dirname(file), link);
    const target = [inside, link.startsWith('/') ? link : undefined].find((t) => t && existsSync(t));
    if (!target) {
      dangling.push(`${relative(tree, file)} -> ${link}`);
      continue;
    }
    rmSync(file);
    cpSync(target, file, { recursive: true, dereference: true });
  }
  if (dangling.length) throw new Error(`WordPress's files link to files no unpacked package has:\n${dangling.join('\n')}`);
}

/** Downloads the packages in TREE_PACKAGES and builds the WordPress tree in the cache. */
function buildTree(dest, log) {
  // A folder of this process's own, renamed into place at the end: two runs building at once do not mix.
  const work = `${dest}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const debs = join(work, 'debs');
  const staging = join(work, 'root');
  mkdirSync(debs, { recursive: true });
  log(`Fetching WordPress's files (apt-get download ${TREE_PACKAGES.join(' ')}), without installing the package…`);
  try {
    sh('apt-get', ['download', ...TREE_PACKAGES], { cwd: debs });
  } catch {
    aptUpdate();
    sh('apt-get', ['download', ...TREE_PACKAGES], { cwd: debs });
  }
  const versions = {};
  for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    sh('dpkg-deb', ['-x', join(debs, deb), staging]);
    const [name, version] = deb.split('_');
    versions[name] = decodeURIComponent(version);
  }
  const wordpress = join(staging, 'usr/share/wordpress');
  // The themes are unpacked in /usr/share/wordpress/wp-content/themes already; /var/lib/wordpress only links to them.
  materialiseLinks(wordpress, staging);
  // Debian's wp-config.php looks for /etc/wordpress/config-<host>.php: each instance writes its own.
  rmSync(join(wordpress, 'wp-config.php'));
  const version = /\$wp_version = '([^']+)'/.exec(readFileSync(join(wordpress, 'wp-includes/version.php'), 'utf8'))?.[1];
  writeFileSync(join(wordpress, '.chorus-wordpress.json'), `${JSON.stringify({ version, packages: versions }, null, 2)}\n`);
  // When another run finished first, its tree is as good as ours; a tree without its stamp is a broken one.
  if (!existsSync(join(dest, '.chorus-wordpress.json'))) {
    rmSync(dest, { recursive: true, force: true });
    renameSync(wordpress, dest);
  }
  rmSync(work, { recursive: true, force: true });
}

/**
 * Makes sure PHP, MariaDB and WordPress's files are here, installing or fetching what is missing.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ wordpress: string, version: string, packages: Record<string, string>, php: string, mariadbd: string, installDb: string }}
 * Throws with the reason when something cannot be had (not root, no apt, a package that is not there).
 */
export function ensureWordPress({ log = (line) => console.log(line) } = {}) {
  const missing = Object.keys(SYSTEM_PACKAGES).filter((name) => !PRESENT[name]());
  const wordpress = join(cacheDir, 'wordpress');
  const stamp = join(wordpress, '.chorus-wordpress.json');
  const needTree = !existsSync(stamp);
  if ((missing.length || needTree) && !(isRoot() && which('apt-get'))) {
    const what = [...missing, ...(needTree ? ['the files of Debian\'s wordpress package'] : [])].join(', ');
    throw new Error(`WordPress's tests need ${what}, and they can only be installed as root on a Debian system (apt-get install ${missing.join(' ') || '…'}).`);
  }
  if (missing.length) {
    aptUpdate();
    aptInstall(missing, log);
    phpExtensions = undefined;
    const still = missing.filter((name) => !PRESENT[name]());
    if (still.length) throw new Error(`apt-get installed ${missing.join(', ')}, but these are still missing: ${still.join(', ')}`);
  }
  if (needTree) {
    mkdirSync(cacheDir, { recursive: true });
    buildTree(wordpress, log);
  }
  const { version, packages } = JSON.parse(readFileSync(stamp, 'utf8'));
  if (!statSync(join(wordpress, 'wp-load.php')).isFile()) throw new Error(`${wordpress} is not a WordPress tree: delete it to fetch it again.`);
  return { wordpress, version, packages, php: which('php'), mariadbd: which('mariadbd'), installDb: which('mariadb-install-db') };
}
