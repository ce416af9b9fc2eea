// How the harness fetches Debian trixie's WordPress (scripts/lib/wordpress.mjs, debianDownload): over plain
// HTTP, so everything it takes must verify. A mirror in a child process passes deb.debian.org through,
// and in three of its modes changes one byte: of the signed InRelease, of the Packages indexes, or of a
// .deb. Each must be refused, naming what failed; the untouched mirror must pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianDownload } from '../../../scripts/lib/wordpress.mjs';

// /<mode>/<path> is deb.debian.org's /debian/<path>, with one byte changed where the mode says.
const MIRROR = `
const http = require('node:http');
const tamper = { inrelease: /\\/InRelease$/, index: /\\/Packages\\.xz$/, deb: /\\.deb$/ };
// Each file is fetched once per run (the index is 10 MB), and each mode changes a copy.
const upstream = new Map();
const get = (path) => {
  if (!upstream.has(path)) upstream.set(path, fetch('http://deb.debian.org/debian' + path).then(async (r) => (r.ok ? Buffer.from(await r.arrayBuffer()) : r.status), () => 502));
  return upstream.get(path);
};
http.createServer(async (request, response) => {
  const [, mode, ...rest] = request.url.split('/');
  const path = '/' + rest.join('/');
  const fetched = await get(path);
  if (typeof fetched === 'number') return response.writeHead(fetched).end();
  const body = Buffer.from(fetched);
  if (tamper[mode]?.test(path)) {
    // In InRelease, a byte of the signed text (its first hash line); elsewhere the middle byte.
    const at = mode === 'inrelease' ? body.indexOf('SHA256:\\n') + 12 : body.length >> 1;
    body[at] = body[at] === 0x30 ? 0x31 : 0x30;
  }
  response.writeHead(200, { 'content-length': body.length }).end(body);
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

describe('fetching Debian trixie packages over HTTP', () => {
  let server, mirror;
  const folders = [];
  const download = (mode) => {
    const debs = mkdtempSync(join(tmpdir(), 'chorus-debs-'));
    folders.push(debs);
    return { debs, result: () => debianDownload('trixie', ['libjs-underscore'], debs, { mirror: `${mirror}/${mode}` }) };
  };

  before(async () => {
    server = spawn(process.execPath, ['-e', MIRROR], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [port] = await once(server.stdout, 'data');
    mirror = `http://127.0.0.1:${String(port).trim()}`;
  });

  after(() => {
    server?.kill();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('takes a package whose signature, index and hash all verify', () => {
    const { debs, result } = download('clean');
    const verified = result();
    assert.equal(verified.suite, 'trixie');
    assert.ok(verified.signers.some((signer) => /13\/trixie/.test(signer)), verified.signers.join(', '));
    assert.match(verified.index, /^main\/binary-[\w-]+\/Packages\.xz$/);
    assert.deepEqual(readdirSync(debs).filter((name) => name.endsWith('.deb')).map((name) => name.split('_')[0]), ['libjs-underscore']);
    assert.ok(!existsSync(join(debs, 'InRelease')), 'nothing but the packages is left');
  });

  it('refuses an InRelease whose signed text was changed', () => {
    assert.throws(download('inrelease').result, /InRelease is not signed by a key in \/usr\/share\/keyrings\/debian-archive-keyring\.gpg:[\s\S]*BAD signature/);
  });

  it('refuses Packages indexes the signed InRelease does not list', () => {
    assert.throws(download('index').result, /no Packages index of Debian trixie on .* matches its signed InRelease:\n.*binary-all.*\n.*binary-/);
  });

  it('refuses a .deb whose SHA256 is not the signed index’s', () => {
    assert.throws(download('deb').result, /libjs-underscore_.*\.deb is not the package the signed index lists/);
  });
});
