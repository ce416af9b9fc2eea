// A real WordPress per test file: Debian's WordPress files (see scripts/lib/wordpress.mjs) copied into a
// temporary folder, a private MariaDB on a socket in that folder, WordPress installed from php-cli, and
// PHP's built-in web server on a free localhost port. Nothing is shared between two starts but the
// read-only cache, so a plugin uploaded in one test never shows up in the next. See README.md here.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, appendFileSync, constants, chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { freePort } from '../../../scripts/lib/postgres.mjs';
import { ensureWordPress } from '../../../scripts/lib/wordpress.mjs';
import { launchChromium } from '../../../test/support/browser.mjs';

export { launchChromium as launchBrowser };

/**
 * A PHP notice, warning, deprecation or fatal error as PHP logs it, or a failed query as WordPress logs it
 * (with WP_DEBUG, $wpdb shows and logs its errors).
 */
const PHP_PROBLEM = /\b(PHP (Notice|Warning|Deprecated|Strict Standards|Fatal error|Parse error|Recoverable fatal error)|WordPress database error):?\s/;
/** The same, as display_errors prints it into a page (a line once the tags are gone). */
const PAGE_PROBLEM = /^(Notice|Warning|Deprecated|Strict Standards|Fatal error|Parse error|Recoverable fatal error):\s.+ on line \d+|WordPress database error: \[/;

/**
 * WordPress 6.1's own problems on PHP 8.2, which no plugin causes: left out of phpProblems() and
 * phpProblemsIn() unless `{ all: true }`, so that a test sees only what is new. Each names the exact
 * place; after an update of Debian's WordPress a moved line shows up as a problem again, never the other
 * way round. (The update checks' "could not establish a secure connection" warnings are not listed:
 * the harness's must-use plugin turns those checks off, as an offline site should.) They are bookworm's
 * WordPress's only: trixie's (6.8) is left nothing out.
 */
export const KNOWN_CORE_PROBLEMS = [
  // Requests 1.8, the HTTP library of WordPress 6.1, predates PHP 8.1's return types (WordPress 6.2
  // moved to Requests 2): every class of it deprecates on load, and its cURL transport passes null to
  // http_build_query(). Any HTTP request from PHP (the update checks, Site Health, a plugin's) loads it.
  { because: 'Requests 1.8 on PHP 8.1+', test: (line) => /\/wp-includes\/Requests\/[\w/]+\.php(:| on line )\d+/.test(line) },
  // wp-login.php calls wp_signon() on every GET with no credentials, and wp_authenticate() passes the
  // nulls on to preg_replace() and trim() (WordPress core ticket 56850, fixed after 6.1).
  { because: 'wp-login.php without credentials', test: (line) => /preg_replace\(\): Passing null to parameter #3 \(\$subject\) .*\/wp-includes\/formatting\.php on line 5421/.test(line) },
  { because: 'wp-login.php without credentials', test: (line) => /trim\(\): Passing null to parameter #1 \(\$string\) .*\/wp-includes\/pluggable\.php on line 598/.test(line) },
  // Settings → Privacy (options-privacy.php, and its policy guide) is no menu page of a plugin, and
  // get_plugin_page_hookname() passes the null page name on to preg_replace(), with no plugin active.
  { because: 'Settings → Privacy', test: (line) => /preg_replace\(\): Passing null to parameter #3 \(\$subject\) .*\/wp-admin\/includes\/plugin\.php on line 2088/.test(line) },
];

const isKnown = (line, release = 'bookworm') => release === 'bookworm' && KNOWN_CORE_PROBLEMS.some(({ test }) => test(line));

/**
 * The PHP problems and database errors printed in a page's HTML (WP_DEBUG_DISPLAY is on), one line each;
 * `release` is the WordPress's (wp.release), whose known problems are left out.
 */
export function phpProblemsIn(html, { all = false, release = 'bookworm' } = {}) {
  return html
    .replace(/<br \/?>|<\/p>/g, '\n')
    .split('\n')
    .map((line) => line.replace(/<[^>]*>/g, '').trim())
    // (wpdb prints its error wherever the query ran, maybe after other text on the line: it starts there)
    .map((line) => line.slice(Math.max(0, line.indexOf('WordPress database error: ['))))
    .filter((line) => PAGE_PROBLEM.test(line))
    .filter((line) => all || !isKnown(line, release));
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a program to its end; resolves { status, stdout, stderr }. */
function runProgram(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status: status ?? signal, stdout, stderr }));
  });
}

async function waitUntil(check, what, timeout = 30_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (await check()) return;
    await wait(50);
  }
  throw new Error(`${what} did not happen within ${timeout / 1000} s`);
}

/** PHP's string literal for any text. */
const phpString = (text) => `base64_decode('${Buffer.from(String(text)).toString('base64')}')`;

function wpConfig({ socket, debugLog, url }) {
  return `<?php
// Written by packages/wordpress/test/harness.mjs for one test run.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', ${phpString(`localhost:${socket}`)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$table_prefix = 'wp_';

foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $name ) {
	define( $name, ${phpString(Math.random().toString(36).slice(2))} . $name );
}

define( 'WP_HOME', ${phpString(url)} );
define( 'WP_SITEURL', ${phpString(url)} );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', ${phpString(debugLog)} );
// Notices show in pages too, where a test can see them; php-cli keeps its stdout for the caller.
define( 'WP_DEBUG_DISPLAY', PHP_SAPI !== 'cli' );
// From php-cli a fatal error should stay a fatal error (exit 255), not WordPress's "critical error" page.
define( 'WP_DISABLE_FATAL_ERROR_HANDLER', PHP_SAPI === 'cli' );
define( 'SCRIPT_DEBUG', false );
define( 'FS_METHOD', 'direct' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
// Offline: no request leaves this machine (localhost and this site's host stay allowed).
define( 'WP_HTTP_BLOCK_EXTERNAL', true );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;
}

// php -S serves an existing file itself; everything else is a pretty permalink for index.php (what
// Apache's rewrite rules in WordPress's .htaccess do). A path with a dot, such as /wp-sitemap.xml, needs this.
const ROUTER = `<?php
$root = $_SERVER['DOCUMENT_ROOT'];
$path = urldecode( parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( is_file( $root . $path ) || is_file( rtrim( $root . $path, '/' ) . '/index.php' ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
require $root . '/index.php';
`;

// Loaded before the caller's code by wp.php(): WordPress as a request to the site's home would see it.
const PRELUDE = `<?php
$url = parse_url( getenv( 'CHORUS_WP_URL' ) );
$_SERVER['HTTP_HOST'] = $url['host'] . ':' . $url['port'];
$_SERVER['SERVER_NAME'] = $url['host'];
$_SERVER['SERVER_PORT'] = $url['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
require getenv( 'CHORUS_WP_ROOT' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( (int) getenv( 'CHORUS_WP_USER' ) ?: 1 );
require $argv[1];
`;

// The harness's must-use plugin: what an offline site needs, nothing about Chorus.
const MU_PLUGIN = `<?php
/* Plugin Name: Chorus test harness (offline site) */
// WordPress sends mail on comments and password changes; here nothing can receive it, so each message
// goes to mail.log instead (wp.mails() reads it).
add_filter( 'pre_wp_mail', function ( $short_circuit, $atts ) {
	file_put_contents( getenv( 'CHORUS_WP_MAIL_LOG' ) ?: ( WP_CONTENT_DIR . '/mail.log' ), wp_json_encode( $atts ) . "\\n", FILE_APPEND );
	return true;
}, 10, 2 );
// The update checks ask wordpress.org from admin pages and after every upload and, offline, end in a PHP
// warning each time. WordPress has no constant for them (AUTOMATIC_UPDATER_DISABLED only stops installing
// updates), so their hooks come off: now, and once more on admin_init, after wp-admin has added its own.
function chorus_harness_no_update_checks() {
	$hooks = array(
		'init' => array( 'wp_schedule_update_checks' ),
		'admin_init' => array( '_maybe_update_core', '_maybe_update_plugins', '_maybe_update_themes' ),
		'load-plugins.php' => array( 'wp_update_plugins' ),
		'load-themes.php' => array( 'wp_update_themes' ),
		'load-update.php' => array( 'wp_update_plugins', 'wp_update_themes' ),
		'load-update-core.php' => array( 'wp_update_plugins', 'wp_update_themes' ),
		'upgrader_process_complete' => array( 'wp_version_check', 'wp_update_plugins', 'wp_update_themes' ),
	);
	foreach ( $hooks as $hook => $callbacks ) {
		foreach ( $callbacks as $callback ) {
			remove_action( $hook, $callback );
		}
	}
}
chorus_harness_no_update_checks();
add_action( 'admin_init', 'chorus_harness_no_update_checks', -1000 );
`;

// A small redo log and no flushing to disk: a test's database lives as long as its test file.
const INNODB = ['--innodb-log-file-size=16M', '--innodb-buffer-pool-size=64M', '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', '--skip-log-bin'];

/**
 * A new MariaDB data directory is the same every time: mariadb-install-db makes it once per MariaDB build
 * (2 s here, 5 s while other tests run) beside the WordPress cache, and each start copies it (0.3 s).
 */
async function dataTemplate(setup, asMysql) {
  const { size, mtimeMs } = statSync(setup.mariadbd);
  const template = join(dirname(setup.wordpress), `mariadb-data-${size}-${Math.round(mtimeMs)}`);
  if (existsSync(join(template, 'mysql'))) return template;
  const work = `${template}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const installed = await runProgram(setup.installDb, [
    '--no-defaults',
    `--datadir=${work}`,
    ...asMysql,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...INNODB,
  ]);
  if (installed.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${installed.status}):\n${installed.stdout}${installed.stderr}`);
  }
  // Another start may have made it meanwhile: either is as good.
  if (!existsSync(join(template, 'mysql'))) {
    rmSync(template, { recursive: true, force: true });
    renameSync(work, template);
  }
  rmSync(work, { recursive: true, force: true });
  return template;
}

/**
 * In memory when the machine has /dev/shm: a start copies 100 MB (WordPress, MariaDB's data) and stop()
 * deletes it, which on a disk other tests are busy with took seconds each.
 */
function scratchRoot() {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Where a plugin's main file is: the PHP file in its folder with a "Plugin Name:" header. */
function pluginFile(pluginsDir, slug) {
  for (const name of readdirSync(join(pluginsDir, slug))) {
    if (name.endsWith('.php') && /^[ \t/*#@]*Plugin Name:/im.test(readFileSync(join(pluginsDir, slug, name), 'utf8').slice(0, 8192))) return `${slug}/${name}`;
  }
  throw new Error(`${slug} has no PHP file with a "Plugin Name:" header at its top level`);
}

/**
 * Starts a private WordPress.
 * @param {{
 *   plugins?: string[],         // zips (unzipped into wp-content/plugins) or plugin folders (copied), activated in order
 *   theme?: string,             // a theme's folder name; WordPress's default when absent (6.1: twentytwentythree, 6.8: twentytwentyfive)
 *   port?: number,              // php -S's port on 127.0.0.1; a free one when absent
 *   release?: 'bookworm' | 'trixie', // whose WordPress: Debian bookworm's 6.1 (the default) or trixie's 6.8
 *   log?: (line: string) => void,
 * }} [options]
 */
export async function startWordPress({ plugins = [], theme, port: wantedPort, release = 'bookworm', log = () => {} } = {}) {
  // (PHP and MariaDB are in the first; trixie's WordPress files alone in the second.)
  const prepared = process.env.CHORUS_TEST_WORDPRESS_ERROR || (release === 'trixie' && process.env.CHORUS_TEST_WORDPRESS_TRIXIE_ERROR);
  if (prepared) throw new Error(`WordPress (Debian ${release}'s) could not be prepared: ${prepared}`);
  const started = Date.now();
  const setup = ensureWordPress({ log, release });
  const dir = mkdtempSync(join(scratchRoot(), 'chorus-wp-'));
  // mariadbd runs as the mysql user and must reach its folder inside this one.
  chmodSync(dir, 0o755);
  const docroot = join(dir, 'wordpress');
  const db = join(dir, 'db');
  const socket = join(db, 'mysql.sock');
  const debugLog = join(dir, 'debug.log');
  const serverLog = join(dir, 'server.log');
  const mailLog = join(dir, 'mail.log');
  const scripts = join(dir, 'php');
  const children = new Set();
  const killGroup = (child) => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const killAll = () => children.forEach(killGroup);
  process.once('exit', killAll);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Nothing of this run is kept (MariaDB's data goes with the folder), so there is nothing to flush or
    // finish: SIGKILL to each process group ends a server and its workers at once.
    await Promise.all(
      [...children].map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = once(child, 'exit');
        killGroup(child);
        return exited;
      }),
    );
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };

  /**
   * Starts a long-running program in a process group of its own (so stop() ends its workers too), under a
   * shell that ends the group when the program exits or when this process is gone, however it went
   * (even SIGKILL; then it deletes the run's folder too): its stdin is a pipe from us, and `read` returns
   * when the pipe closes.
   */
  const daemon = (command, args, options) => {
    const watchdog = 'exec 3<&0; dir=$1; shift; "$@" & server=$!; { read _ <&3; kill -9 $server; rm -rf "$dir"; kill -9 0; } & wait $server; kill -9 0';
    const child = spawn('sh', ['-c', watchdog, 'sh', dir, command, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], ...options });
    children.add(child);
    return child;
  };

  try {
    // The database: a new data directory and a server that listens on a socket only.
    mkdirSync(db);
    const asMysql = process.getuid?.() === 0 ? ['--user=mysql'] : [];
    if (asMysql.length) {
      const id = async (flag) => Number((await runProgram('id', [flag, 'mysql'])).stdout);
      chownSync(db, await id('-u'), await id('-g'));
    }
    // cp -a, because it keeps the files the mysql user's.
    const copied = await runProgram('cp', ['-a', await dataTemplate(setup, asMysql), join(db, 'data')]);
    if (copied.status !== 0) throw new Error(`copying MariaDB's data directory failed: ${copied.stderr}`);
    const mariadb = daemon(setup.mariadbd, [
      '--no-defaults',
      `--datadir=${join(db, 'data')}`,
      `--socket=${socket}`,
      '--skip-networking',
      ...asMysql,
      `--pid-file=${join(db, 'mariadb.pid')}`,
      `--log-error=${join(db, 'error.log')}`,
      '--character-set-server=utf8mb4',
      ...INNODB,
    ]);
    const mariadbExit = once(mariadb, 'exit');

    // WordPress's files, with a wp-content of this run's own.
    cpSync(setup.wordpress, docroot, { recursive: true });
    mkdirSync(join(docroot, 'wp-content', 'mu-plugins'), { recursive: true });
    mkdirSync(join(docroot, 'wp-content', 'uploads'), { recursive: true });
    writeFileSync(join(docroot, 'wp-content', 'mu-plugins', 'chorus-test-harness.php'), MU_PLUGIN);
    mkdirSync(scripts);
    writeFileSync(join(scripts, 'router.php'), ROUTER);
    writeFileSync(join(scripts, 'prelude.php'), PRELUDE);
    writeFileSync(debugLog, '');

    const port = wantedPort ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(join(docroot, 'wp-config.php'), wpConfig({ socket, debugLog, url }));

    await Promise.race([
      waitUntil(() => existsSync(socket), 'MariaDB listening on its socket'),
      mariadbExit.then(() => {
        throw new Error(`mariadbd exited:\n${readFileSync(join(db, 'error.log'), 'utf8').slice(-2000)}`);
      }),
    ]);
    const created = await runProgram('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', 'CREATE DATABASE wordpress CHARACTER SET utf8mb4']);
    if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);

    const env = { ...process.env, CHORUS_WP_URL: url, CHORUS_WP_ROOT: docroot, CHORUS_WP_MAIL_LOG: mailLog };
    const phpArgs = ['-d', 'error_reporting=E_ALL', '-d', 'log_errors=On', '-d', `error_log=${debugLog}`];
    let scriptCount = 0;
    let userCount = 0;

    /** Runs PHP code (with or without `<?php`) in php-cli with WordPress loaded as `user` (default: the admin). */
    const php = async (code, { user = 1 } = {}) => {
      const file = join(scripts, `run-${++scriptCount}.php`);
      writeFileSync(file, /^\s*<\?php/.test(code) ? code : `<?php\n${code}\n`);
      const logBefore = statSync(debugLog).size;
      const result = await runProgram(setup.php, [...phpArgs, join(scripts, 'prelude.php'), file], { env: { ...env, CHORUS_WP_USER: String(user) } });
      if (result.status !== 0) {
        const logged = readFileSync(debugLog, 'utf8').slice(logBefore).trim();
        throw new Error(`PHP exited with ${result.status}:\n${[result.stderr.trim(), logged, result.stdout.trim()].filter(Boolean).join('\n')}\n--- code ---\n${code}`);
      }
      return result.stdout;
    };

    // Installing from php-cli: what the installer's form does (wp_install), without its HTTP round trips.
    writeFileSync(
      join(scripts, 'install.php'),
      `<?php
define( 'WP_INSTALLING', true );
$url = parse_url( getenv( 'CHORUS_WP_URL' ) );
$_SERVER['HTTP_HOST'] = $url['host'] . ':' . $url['port'];
$_SERVER['REQUEST_URI'] = '/wp-admin/install.php';
require getenv( 'CHORUS_WP_ROOT' ) . '/wp-load.php';
// Nothing here can receive the "your new site" mail; wp_install() calls this pluggable function.
function wp_new_blog_notification() {}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install( 'Chorus test site', 'admin', 'admin@example.com', true, '', getenv( 'CHORUS_WP_PASSWORD' ) );
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'timezone_string', 'UTC' );
// Avatars come from gravatar.com, which this machine cannot reach.
update_option( 'show_avatars', 0 );
flush_rewrite_rules( false );
echo wp_json_encode( array( 'user' => $result['user_id'] ) );
`,
    );
    const admin = { user: 'admin', password: `chorus-${Math.random().toString(36).slice(2, 10)}` };
    const install = await runProgram(setup.php, [...phpArgs, join(scripts, 'install.php')], { env: { ...env, CHORUS_WP_PASSWORD: admin.password } });
    if (install.status !== 0 || !install.stdout.includes('"user":1')) {
      throw new Error(`wp_install() failed (${install.status}):\n${install.stderr}${install.stdout}${readFileSync(debugLog, 'utf8')}`);
    }
    // What the installer logs is WordPress's business: phpProblems() starts after it.
    const installLog = readFileSync(debugLog, 'utf8');
    writeFileSync(debugLog, '');

    // The web server: several workers, because a page can make WordPress request its own site.
    const serverProblems = [];
    const server = daemon(setup.php, [...phpArgs, '-S', `127.0.0.1:${port}`, '-t', docroot, join(scripts, 'router.php')], {
      cwd: docroot,
      env: { ...env, PHP_CLI_SERVER_WORKERS: '4' },
    });
    const onServerOutput = (chunk) => {
      appendFileSync(serverLog, chunk);
      for (const line of String(chunk).split('\n')) if (PHP_PROBLEM.test(line)) serverProblems.push(line.trim());
    };
    server.stdout.on('data', onServerOutput);
    server.stderr.on('data', onServerOutput);
    const serverExit = once(server, 'exit');
    await Promise.race([
      // robots.txt is WordPress's smallest page (php -S has no such file, so the router hands it to index.php).
      waitUntil(async () => (await fetch(`${url}/robots.txt`, { redirect: 'manual' }).catch(() => undefined))?.status === 200, `WordPress answering on ${url}`),
      serverExit.then(() => {
        throw new Error(`php -S exited:\n${existsSync(serverLog) ? readFileSync(serverLog, 'utf8').slice(-2000) : ''}`);
      }),
    ]);

    const wp = {
      url,
      admin,
      version: setup.version,
      release,
      /** This run's folder: wordpress/ (the docroot), debug.log, server.log, mail.log, db/. */
      dir,
      root: docroot,
      pluginsDir: join(docroot, 'wp-content', 'plugins'),
      php,
      /** Puts a plugin zip or folder into wp-content/plugins and activates it; resolves its "slug/file.php". */
      async installPlugin(source, { activate = true } = {}) {
        let slug;
        if (statSync(source).isDirectory()) {
          slug = basename(source);
          cpSync(source, join(wp.pluginsDir, slug), { recursive: true });
        } else {
          const out = await php(`
            $zip = new ZipArchive();
            if ( true !== $zip->open( ${phpString(source)} ) ) { fwrite( STDERR, 'not a zip: ' . ${phpString(source)} ); exit( 1 ); }
            $top = explode( '/', $zip->getNameIndex( 0 ) )[0];
            $zip->extractTo( WP_PLUGIN_DIR );
            echo $top;`);
          slug = out.trim();
        }
        const file = pluginFile(wp.pluginsDir, slug);
        if (activate) {
          await php(`
            $result = activate_plugin( ${phpString(file)}, '', false, false );
            if ( is_wp_error( $result ) ) { fwrite( STDERR, $result->get_error_message() ); exit( 1 ); }`);
        }
        return file;
      },
      /**
       * Creates a post as the editor would store it (content through wp_slash(), as the REST API and the
       * classic editor pass it to wp_insert_post()), as `author` (a user ID; the admin by default, whose
       * content kses leaves alone). Categories are names, created when missing.
       */
      async createPost({ title = '', content = '', status = 'publish', type = 'post', categories = [], commentStatus = 'open', author = 1, meta = {} } = {}) {
        const args = phpString(JSON.stringify({ title, content, status, type, categories, commentStatus, author, meta }));
        const out = await php(
          `
          $a = json_decode( ${args}, true );
          $ids = array();
          foreach ( $a['categories'] as $name ) {
            $term = term_exists( $name, 'category' ) ?: wp_insert_term( $name, 'category' );
            if ( is_wp_error( $term ) ) { fwrite( STDERR, $term->get_error_message() ); exit( 1 ); }
            $ids[] = (int) $term['term_id'];
          }
          $id = wp_insert_post( wp_slash( array(
            'post_title' => $a['title'],
            'post_content' => $a['content'],
            'post_status' => $a['status'],
            'post_type' => $a['type'],
            'post_author' => $a['author'],
            'post_category' => $ids,
            'comment_status' => $a['commentStatus'],
            'meta_input' => $a['meta'],
          ) ), true );
          if ( is_wp_error( $id ) ) { fwrite( STDERR, $id->get_error_message() ); exit( 1 ); }
          echo wp_json_encode( array( 'id' => $id, 'url' => get_permalink( $id ) ) );`,
          { user: author },
        );
        return JSON.parse(out);
      },
      /** Creates a user with a role (a login and password made up when not given); resolves { id, user, password }. */
      async createUser({ user = `user${++userCount}`, role = 'subscriber', password = `chorus-${Math.random().toString(36).slice(2, 10)}`, email = `${user}@example.com` } = {}) {
        const args = phpString(JSON.stringify({ user_login: user, user_pass: password, user_email: email, role }));
        const id = await php(`
          $id = wp_insert_user( json_decode( ${args}, true ) );
          if ( is_wp_error( $id ) ) { fwrite( STDERR, $id->get_error_message() ); exit( 1 ); }
          echo $id;`);
        return { id: Number(id), user, password };
      },
      /**
       * Logs a puppeteer-core Page in through wp-login.php, as the admin or as `{ user, password }` (from
       * createUser()); resolves once wp-admin is there.
       */
      async login(page, { user = admin.user, password = admin.password } = {}) {
        await page.goto(`${url}/wp-login.php`, { waitUntil: 'domcontentloaded' });
        // Filled in rather than typed: wp-login.php selects the username field 200 ms after load, and a
        // key typed before that is replaced by the next.
        await page.$eval('#user_login', (input, value) => (input.value = value), user);
        await page.$eval('#user_pass', (input, value) => (input.value = value), password);
        await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#wp-submit')]);
        if (!(await page.$('#wpadminbar'))) {
          const error = await page.$eval('#login_error', (e) => e.textContent.trim()).catch(() => 'no admin bar after logging in');
          throw new Error(`Logging in to ${url} as ${user} failed: ${error}`);
        }
      },
      /** debug.log since WordPress was installed (the installer's own log is wp.installLog). */
      debugLog: () => (existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : ''),
      installLog,
      /** PHP's notices, warnings, deprecations and fatals in debug.log and php -S's output, less KNOWN_CORE_PROBLEMS unless `all`. */
      phpProblems: ({ all = false } = {}) =>
        [...wp.debugLog().split('\n').filter((line) => PHP_PROBLEM.test(line)), ...serverProblems].filter((line) => all || !isKnown(line, release)),
      /** phpProblemsIn() for this WordPress's release. */
      phpProblemsIn: (html, { all = false } = {}) => phpProblemsIn(html, { all, release }),
      /** The mails WordPress tried to send: [{ to, subject, message, headers, attachments }]. */
      mails: () => (existsSync(mailLog) ? readFileSync(mailLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []),
      stop,
    };

    if (theme) await php(`switch_theme( ${phpString(theme)} ); if ( get_stylesheet() !== ${phpString(theme)} ) { fwrite( STDERR, 'no theme ' . ${phpString(theme)} ); exit( 1 ); }`);
    for (const plugin of plugins) await wp.installPlugin(plugin);
    log(`WordPress ${setup.version} on ${url} (${dir}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return wp;
  } catch (error) {
    await stop();
    throw error;
  }
}
