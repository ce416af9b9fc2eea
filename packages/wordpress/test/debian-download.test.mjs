// How the harness fetches Debian trixie's WordPress (scripts/lib/wordpress.mjs, debianDownload): over plain
// HTTP, so everything it takes must verify. A mirror in a child process serves the signed InRelease, the
// Packages index and the .deb that the last download verified and kept in the cache (verifiedMirror), so
// the test fetches nothing; in three of its modes it changes one byte of a copy: of the InRelease, of the
// Packages indexes, or of a .deb. Each must be refused, naming what failed; the untouched mirror must pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { debianDownload, verifiedMirror } from '../../../scripts/lib/wordpress.mjs';

// /<mode>/<path> is the file at <path> in the folder given (404 for one it does not hold), one byte of a
// copy changed where the mode says.
const MIRROR = `
const http = require('node:http');
const { readFile } = require('node:fs/promises');
const { join, normalize } = require('node:path');
const tamper = { inrelease: /\\/InRelease$/, index: /\\/Packages\\.xz$/, deb: /\\.deb$/ };
http.createServer(async (request, response) => {
  const [, mode, ...rest] = request.url.split('/');
  const path = normalize('/' + rest.join('/'));
  const body = await readFile(join(process.argv[1], path)).catch(() => undefined);
  if (!body) return response.writeHead(404).end();
  if (tamper[mode]?.test(path)) {
    // In InRelease, a byte of the signed text (its first hash line); elsewhere the middle byte.
    const at = mode === 'inrelease' ? body.indexOf('SHA256:\\n') + 12 : body.length >> 1;
    body[at] = body[at] === 0x30 ? 0x31 : 0x30;
  }
  response.writeHead(200, { 'content-length': body.length }).end(body);
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

const PACKAGE = 'libjs-underscore';

/**
 * The kept files of trixie, with PACKAGE among them. A cache made before they were kept has none: they
 * are fetched (and verified) once here, and kept for every run after.
 */
function keptMirror() {
  const folder = verifiedMirror('trixie');
  const pool = join(folder, 'pool');
  const kept = existsSync(join(folder, 'dists/trixie/InRelease')) && existsSync(pool) && readdirSync(pool, { recursive: true }).some((name) => basename(name).startsWith(`${PACKAGE}_`));
  if (!kept) {
    const debs = mkdtempSync(join(tmpdir(), 'chorus-debs-'));
    try {
      debianDownload('trixie', [PACKAGE], debs, { keep: folder });
    } finally {
      rmSync(debs, { recursive: true, force: true });
    }
  }
  return folder;
}

describe('fetching Debian trixie packages over HTTP', () => {
  let server, mirror;
  const folders = [];
  const download = (mode) => {
    const debs = mkdtempSync(join(tmpdir(), 'chorus-debs-'));
    folders.push(debs);
    const keep = join(debs, 'kept');
    return { debs, keep, result: () => debianDownload('trixie', [PACKAGE], debs, { mirror: `${mirror}/${mode}`, keep }) };
  };

  before(async () => {
    server = spawn(process.execPath, ['-e', MIRROR, keptMirror()], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [port] = await once(server.stdout, 'data');
    mirror = `http://127.0.0.1:${String(port).trim()}`;
  });

  after(() => {
    server?.kill();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('takes a package whose signature, index and hash all verify', () => {
    const { debs, keep, result } = download('clean');
    const verified = result();
    assert.equal(verified.suite, 'trixie');
    assert.ok(verified.signers.some((signer) => /13\/trixie/.test(signer)), verified.signers.join(', '));
    assert.match(verified.index, /^main\/binary-[\w-]+\/Packages\.xz$/);
    assert.deepEqual(readdirSync(debs).filter((name) => name.endsWith('.deb')).map((name) => name.split('_')[0]), [PACKAGE]);
    assert.ok(!existsSync(join(debs, 'InRelease')), 'nothing but the packages is left');
    // What verified is kept as the mirror lays it out: what this test serves on the next run.
    const kept = readdirSync(keep, { recursive: true });
    assert.ok(kept.includes('dists/trixie/InRelease'), kept.join(' '));
    assert.ok(kept.includes(`dists/trixie/${verified.index}`), kept.join(' '));
    assert.ok(kept.some((name) => name.startsWith('pool/') && basename(name).startsWith(`${PACKAGE}_`)), kept.join(' '));
  });

  it('refuses an InRelease whose signed text was changed', () => {
    assert.throws(download('inrelease').result, /InRelease is not signed by a key in \/usr\/share\/keyrings\/debian-archive-keyring\.gpg:[\s\S]*BAD signature/);
  });

  it('refuses Packages indexes the signed InRelease does not list', () => {
    assert.throws(download('index').result, /no Packages index of Debian trixie on .* matches its signed InRelease:\n.*binary-all.*\n.*binary-/);
  });

  it('refuses a .deb whose SHA256 is not the signed index’s', () => {
    const { keep, result } = download('deb');
    assert.throws(result, /libjs-underscore_.*\.deb is not the package the signed index lists/);
    assert.ok(!existsSync(keep), 'nothing is kept of a download that does not verify');
  });
});
