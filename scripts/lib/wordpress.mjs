// A real WordPress for tests, from Debian's packages: PHP and MariaDB installed from apt (when missing and
// we are root), and WordPress's own files taken out of Debian's `wordpress` package without installing it
// (it depends on apache2, which would start a web server on port 80). The files are unpacked once into a
// cache folder and made whole there: Debian replaces the libraries WordPress bundles with symlinks into
// other packages, which are unpacked beside it and copied in. `packages/wordpress/test/harness.mjs` starts
// private instances from what this returns.
//
// Two WordPress trees: this system's Debian release's (bookworm: WordPress 6.1, through apt-get download),
// and Debian trixie's (WordPress 6.8, the script-module API of 6.5+), fetched over plain HTTP from the
// mirror and verified as apt would (the signed InRelease, the index's SHA256 in it, each .deb's SHA256 in
// the index), without adding trixie to apt's sources or installing any of its packages.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Debian trixie's WordPress (6.8): its default theme (Twenty Twenty-Five, a block theme) and the libraries
 * it links to (Lodash too, since 6.x). Trixie has no classic theme; bookworm's Twenty Twenty-One (it
 * supports WordPress 5.3 and later) is added through apt-get download, so the footer path of a classic
 * theme runs on 6.8 as well.
 */
const TRIXIE_PACKAGES = ['wordpress', 'wordpress-theme-twentytwentyfive', 'php-getid3', 'libjs-underscore', 'libjs-cropper', 'libjs-lodash'];

/** The two trees: the folder in the cache, and how their .deb files are fetched into a folder. */
const RELEASES = {
  bookworm: { folder: 'wordpress', fetch: (debs, log) => aptDownload(TREE_PACKAGES, debs, log) },
  trixie: {
    folder: 'wordpress-trixie',
    fetch: (debs, log) => {
      const verified = debianDownload('trixie', TRIXIE_PACKAGES, debs, { log, keep: verifiedMirror('trixie') });
      aptDownload(['wordpress-theme-twentytwentyone'], debs, log);
      return verified;
    },
  },
};

const MIRROR = process.env.CHORUS_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

// Outside node_modules when we can, because `npm ci` (which setup.mjs runs whenever the lockfile changes)
// deletes node_modules whole; CHORUS_WORDPRESS_CACHE moves it anywhere.
export const cacheDir =
  process.env.CHORUS_WORDPRESS_CACHE || (isRoot() ? '/var/cache/chorus-wordpress' : join(root, 'node_modules', '.cache', 'chorus-wordpress'));

/**
 * The files debianDownload() last verified for `suite` (its InRelease, Packages index and .deb files),
 * kept in the cache as a mirror lays them out, so that what tests it can serve them without fetching
 * them again.
 */
export const verifiedMirror = (suite) => join(cacheDir, `debian-${suite}`);

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

function aptDownload(packages, debs, log) {
  log(`Fetching ${packages.join(' ')} (apt-get download), without installing them…`);
  try {
    sh('apt-get', ['download', ...packages], { cwd: debs });
  } catch {
    aptUpdate();
    sh('apt-get', ['download', ...packages], { cwd: debs });
  }
}

/** GET `url` into `file` (in a child Node, so that this module stays synchronous); throws with the status. */
function httpGet(url, file) {
  const script = `const r = await fetch(process.argv[1]); if (!r.ok) { console.error('HTTP ' + r.status); process.exit(2); }
    (await import('node:fs')).writeFileSync(process.argv[2], Buffer.from(await r.arrayBuffer()));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, url, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`GET ${url} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  return readFileSync(file);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Fetches `packages` of Debian `suite` over HTTP from the mirror into `debs`, each one verified the way
 * apt verifies: InRelease signed by a key of debian-archive-keyring (gpgv), a Packages index whose size and
 * SHA256 that signed text lists, and each .deb's size and SHA256 from that index. Only the signed part of
 * InRelease is read. The index tried first is binary-all's; when the mirror serves one the signed text
 * does not list (a mirror caught between two updates does), the architecture's own, which lists the
 * arch-all packages as well ("No-Support-for-Architecture-all: Packages"). Returns what was verified;
 * throws, naming the file, at the first thing that does not verify. With `keep`, a folder, the verified
 * files are copied there too, at their paths on the mirror.
 */
export function debianDownload(suite, packages, debs, { log = () => {}, mirror = MIRROR, keep } = {}) {
  if (!which('gpgv') || !existsSync(KEYRING)) throw new Error(`verifying Debian ${suite}'s packages needs gpgv and ${KEYRING} (apt-get install gpgv debian-archive-keyring)`);
  const dists = `${mirror}/dists/${suite}`;
  log(`Fetching Debian ${suite}'s ${packages.join(' ')} from ${mirror}, verified against its signed InRelease…`);
  httpGet(`${dists}/InRelease`, join(debs, 'InRelease'));
  const gpgv = spawnSync('gpgv', ['--keyring', KEYRING, '--output', join(debs, 'Release'), join(debs, 'InRelease')], { encoding: 'utf8' });
  if (gpgv.status !== 0) throw new Error(`${dists}/InRelease is not signed by a key in ${KEYRING}:\n${gpgv.stderr.trim()}`);
  const signers = [...gpgv.stderr.matchAll(/Good signature from "([^"]+)"/g)].map((m) => m[1]);
  const signed = readFileSync(join(debs, 'Release'), 'utf8');
  if (!new RegExp(`^Codename: ${suite}$`, 'm').test(signed)) throw new Error(`${dists}/InRelease is signed, but not for ${suite}`);
  const hashes = signed.split(/^SHA256:\n/m)[1]?.split(/^\S/m)[0] ?? '';
  const listed = (path) => new RegExp(`^ ([0-9a-f]{64}) +(\\d+) ${path.replace(/[.]/g, '\\.')}$`, 'm').exec(hashes);

  const arch = sh('dpkg', ['--print-architecture']).trim();
  const tried = [];
  let index;
  for (const path of ['main/binary-all/Packages.xz', `main/binary-${arch}/Packages.xz`]) {
    const entry = listed(path);
    if (!entry) {
      tried.push(`${path}: not in the signed InRelease`);
      continue;
    }
    let bytes;
    try {
      bytes = httpGet(`${dists}/${path}`, join(debs, 'Packages.xz'));
    } catch (error) {
      tried.push(`${path}: ${error.message}`);
      continue;
    }
    if (bytes.length !== Number(entry[2]) || sha256(bytes) !== entry[1]) {
      tried.push(`${path}: the mirror's (${bytes.length} bytes, SHA256 ${sha256(bytes)}) is not the signed one (${entry[2]} bytes, ${entry[1]})`);
      continue;
    }
    index = { path, sha256: entry[1] };
    break;
  }
  if (!index) throw new Error(`no Packages index of Debian ${suite} on ${mirror} matches its signed InRelease:\n${tried.join('\n')}`);
  const out = openSync(join(debs, 'Packages'), 'w');
  const xz = spawnSync('xz', ['-dc', join(debs, 'Packages.xz')], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  if (xz.status !== 0) throw new Error(`xz -dc of ${index.path} failed: ${xz.stderr}`);

  const found = {};
  for (const stanza of readFileSync(join(debs, 'Packages'), 'utf8').split('\n\n')) {
    const name = /^Package: (\S+)$/m.exec(stanza)?.[1];
    if (!packages.includes(name) || found[name]) continue;
    const field = (key) => new RegExp(`^${key}: (.+)$`, 'm').exec(stanza)?.[1];
    found[name] = { version: field('Version'), filename: field('Filename'), size: Number(field('Size')), sha256: field('SHA256'), arch: field('Architecture') };
  }
  const missing = packages.filter((name) => !found[name]);
  if (missing.length) throw new Error(`Debian ${suite}'s ${index.path} has no ${missing.join(', ')}`);
  const kept = [];
  for (const [name, deb] of Object.entries(found)) {
    const file = join(debs, `${name}_${encodeURIComponent(deb.version)}_${deb.arch}.deb`);
    const bytes = httpGet(`${mirror}/${deb.filename}`, file);
    if (bytes.length !== deb.size || sha256(bytes) !== deb.sha256) throw new Error(`${mirror}/${deb.filename} is not the package the signed index lists (SHA256 ${sha256(bytes)}, not ${deb.sha256})`);
    kept.push([file, deb.filename]);
  }
  // InRelease last: a kept InRelease comes with what it lists. Each copy is renamed into place whole.
  kept.push([join(debs, 'Packages.xz'), `dists/${suite}/${index.path}`], [join(debs, 'InRelease'), `dists/${suite}/InRelease`]);
  for (const [file, path] of keep ? kept : []) {
    const to = join(keep, path);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(file, `${to}.partial-${process.pid}`);
    renameSync(`${to}.partial-${process.pid}`, to);
  }
  for (const file of ['InRelease', 'Release', 'Packages.xz', 'Packages']) rmSync(join(debs, file));
  return { suite, signers, index: index.path, indexSha256: index.sha256 };
}

/** Fetches a release's packages (RELEASES) and builds its WordPress tree in the cache. */
function buildTree(dest, release, log) {
  // A folder of this process's own, renamed into place at the end: two runs building at once do not mix.
  const work = `${dest}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'debs'), { recursive: true });
  try {
    fillTree(dest, work, release, log);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fillTree(dest, work, release, log) {
  const debs = join(work, 'debs');
  const staging = join(work, 'root');
  const verified = RELEASES[release].fetch(debs, log);
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
  writeFileSync(join(wordpress, '.chorus-wordpress.json'), `${JSON.stringify({ version, release, packages: versions, ...(verified && { verified }) }, null, 2)}\n`);
  // When another run finished first, its tree is as good as ours; a tree without its stamp is a broken one.
  if (!existsSync(join(dest, '.chorus-wordpress.json'))) {
    rmSync(dest, { recursive: true, force: true });
    renameSync(wordpress, dest);
  }
}

/**
 * Makes sure PHP, MariaDB and WordPress's files are here, installing or fetching what is missing.
 * @param {{ log?: (line: string) => void, release?: 'bookworm' | 'trixie' }} [options] release: whose
 *   WordPress (bookworm's 6.1, the default, or trixie's 6.8); PHP and MariaDB are this system's either way.
 * @returns {{ wordpress: string, version: string, release: string, packages: Record<string, string>, php: string, mariadbd: string, installDb: string }}
 * Throws with the reason when something cannot be had (not root, no apt, a package that is not there,
 * a download that does not verify).
 */
export function ensureWordPress({ log = (line) => console.log(line), release = 'bookworm' } = {}) {
  if (!RELEASES[release]) throw new Error(`no WordPress tree for Debian "${release}": ${Object.keys(RELEASES).join(' or ')}`);
  const missing = Object.keys(SYSTEM_PACKAGES).filter((name) => !PRESENT[name]());
  const wordpress = join(cacheDir, RELEASES[release].folder);
  const stamp = join(wordpress, '.chorus-wordpress.json');
  const needTree = !existsSync(stamp);
  if ((missing.length || needTree) && !(isRoot() && which('apt-get'))) {
    const what = [...missing, ...(needTree ? [`the files of Debian ${release}'s wordpress package`] : [])].join(', ');
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
    buildTree(wordpress, release, log);
  }
  const { version, packages } = JSON.parse(readFileSync(stamp, 'utf8'));
  if (!statSync(join(wordpress, 'wp-load.php')).isFile()) throw new Error(`${wordpress} is not a WordPress tree: delete it to fetch it again.`);
  return { wordpress, version, release, packages, php: which('php'), mariadbd: which('mariadbd'), installDb: which('mariadb-install-db') };
}
