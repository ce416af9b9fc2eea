// The packages as an npm user gets them: every public package packed as `npm publish` packs it (its
// prepack builds what is stale and lends it the LICENSE), each tarball's files and package.json checked, and each
// element installed from tarballs alone (its own and those of our packages it depends on, nothing from this
// workspace) into an empty folder, then imported in Node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../scripts/lib/setup.mjs';
import { folderOf, folders, installIn, manifest, ours, pack, published, scope, withOurDependencies } from './support/tarballs.mjs';

// Every file an export map names, with the condition it is under.
const exportTargets = (exports, condition = 'default') =>
  typeof exports === 'string' ? [[condition, exports]] : Object.entries(exports ?? {}).flatMap(([key, value]) => exportTargets(value, key.startsWith('.') ? condition : key));

let scratch;
let tarballs; // package name → { file, files: paths in the tarball }

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'chorus-packages-'));
  tarballs = await pack(scratch);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('every public package packs', () => {
  for (const folder of published) {
    const pkg = manifest(folder);
    test(pkg.name, () => {
      const { file, files } = tarballs.get(pkg.name);
      const has = (path) => files.includes(path.replace(/^\.\//, ''));
      for (const path of ['package.json', 'README.md', 'LICENSE']) assert.ok(has(path), `${pkg.name}: no ${path} in the tarball`);
      assert.equal(execFileSync('tar', ['-xzOf', file, 'package/LICENSE'], { encoding: 'utf8' }), readFileSync(join(root, 'LICENSE'), 'utf8'));
      assert.ok(files.some((path) => path.startsWith('dist/')), `${pkg.name}: no dist/ in the tarball (packed unbuilt?)`);
      assert.ok(!files.some((path) => /^(src|test)\//.test(path)), `${pkg.name}: sources or tests in the tarball`);

      // Every file the export map names is there, and every JavaScript export has its types, named first.
      for (const [, target] of exportTargets(pkg.exports)) assert.ok(has(target), `${pkg.name}: exports ${target}, not in the tarball`);
      assert.equal(pkg.exports['./package.json'], './package.json');
      for (const [path, entry] of Object.entries(pkg.exports)) {
        const targets = exportTargets(entry);
        if (!targets.some(([, target]) => target.endsWith('.js'))) continue;
        assert.equal(targets[0][0], 'types', `${pkg.name} exports ${path}: no types, or not first`);
        assert.match(targets[0][1], /\.d\.ts$/);
      }

      // An element's manifest and its editors' data (test/manifest.test.mjs checks their content).
      if (existsSync(join(root, 'packages', folder, 'src/define.ts'))) {
        assert.ok(pkg.customElements && pkg['web-types'], `${pkg.name}: no customElements or web-types field`);
        for (const path of [pkg.customElements, pkg['web-types'], 'dist/vscode.html-custom-data.json']) assert.ok(has(path), `${pkg.name}: no ${path}`);
      }

      assert.equal(pkg.license, 'MIT');
      assert.deepEqual(pkg.publishConfig, { access: 'public' });
      assert.equal(pkg.repository?.directory, `packages/${folder}`);
      assert.match(pkg.repository?.url ?? '', /^git\+https:\/\//);
      assert.match(pkg.homepage ?? '', /^https:\/\//);
      assert.match(pkg.bugs?.url ?? pkg.bugs ?? '', /^https:\/\//);
      assert.ok(pkg.keywords?.length, `${pkg.name}: no keywords`);
      assert.ok(pkg.engines?.node, `${pkg.name}: no engines.node`);
      assert.equal(pkg.scripts?.prepack, 'node ../../scripts/prepack.mjs');

      // Our packages are released together (scripts/release.mjs): a range, never one exact version.
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
        for (const [name, range] of Object.entries(pkg[field] ?? {}).filter(([name]) => ours(name))) {
          assert.equal(range, `^${manifest(folderOf(name)).version}`, `${pkg.name} ${field}: ${name} ${range}`);
        }
      }
    });
  }

  test(`${scope}/chorus depends on nothing at run time and ships its types`, () => {
    const pkg = manifest('chorus');
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) assert.deepEqual(pkg[field] ?? {}, {}, field);
    // The bundle inlines everything: each file imports only files beside it.
    const { files } = tarballs.get(pkg.name);
    for (const path of files.filter((path) => path.endsWith('.js'))) {
      const code = readFileSync(join(root, 'packages/chorus', path), 'utf8');
      for (const [, spec] of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)) assert.match(spec, /^\.\.?\//, `${path} imports ${spec}`);
    }
    assert.ok(files.includes(pkg.types.replace(/^\.\//, '')));
  });
});

// An element's folder: its tarball and those of our packages it depends on, installed from those files only.
async function install(folder) {
  const app = join(scratch, `app-${folder}`);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `app-${folder}`, private: true, type: 'module' }));
  await installIn(app, [...withOurDependencies([manifest(folder).name])].map((name) => tarballs.get(name).file));
  return app;
}

describe('installed from the tarballs alone', () => {
  const importable = published.filter((folder) => !['chorus', 'collector'].includes(folder));
  for (const folder of importable) {
    const name = manifest(folder).name;
    test(`${name} imports in Node`, async () => {
      const app = await install(folder);
      assert.ok(!existsSync(join(app, 'node_modules', name, 'src')), 'a workspace link, not the tarball');
      const exported = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import('${name}'))))`], { cwd: app, encoding: 'utf8' }));
      assert.ok(exported.length, `${name} exports nothing`);
    });
  }

  test(`${scope}/chorus installs alone, imports in Node, and its types are the tracker's`, async () => {
    const app = await install('chorus');
    assert.deepEqual(readdirSync(join(app, 'node_modules', scope)), ['chorus'], 'it brought dependencies');
    // In Node (a server rendering a page that imports it) it is a module that does nothing, and does not throw.
    execFileSync(process.execPath, ['--input-type=module', '-e', `await import('${scope}/chorus')`], { cwd: app, stdio: 'pipe' });
    // The types, checked strictly against the tracker's own: chorus.d.ts promises what the tracker does.
    await installIn(app, [tarballs.get(`${scope}/tracker`).file, tarballs.get(`${scope}/core`).file]);
    const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
    writeFileSync(
      join(app, 'check.ts'),
      `import type { ChorusMethods, ChorusQueue } from '${scope}/chorus';
import { configure, flush, optIn, optOut, track } from '${scope}/tracker';
const tracker = { configure, flush, optIn, optOut, track };
export const promised: ChorusMethods = tracker; // no more than the tracker takes
export const taken: typeof tracker = tracker as ChorusMethods; // nor less
const stub: ChorusQueue = function (...call) { (stub.q ??= []).push(call); };
window.chorus ??= stub;
chorus?.('track', 'purchase', { value: 49, currency: 'EUR' });
window.chorus?.('configure', { collector: ['https://stats.example.com/collect', 'plausible'], site: 'blog' });
// @ts-expect-error: no such method
chorus?.('send');
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', '.'], { cwd: app }).catch((error) => error);
    assert.equal(result.code ?? 0, 0, `${result.stdout}`);
  });
});

test('scripts/release.mjs moves every public package to one version, and can rename the scope everywhere', () => {
  const copy = mkdtempSync(join(tmpdir(), 'chorus-release-'));
  try {
    // The manifests, the lock file, and a module that names our packages as code does, also in a regular expression.
    const files = ['package.json', 'package-lock.json', 'rollup.config.mjs', ...folders.map((folder) => `packages/${folder}/package.json`)];
    for (const file of files) mkdirSync(join(copy, file, '..'), { recursive: true }), writeFileSync(join(copy, file), readFileSync(join(root, file)));
    execFileSync('git', ['init', '-q'], { cwd: copy });
    execFileSync('git', ['add', '.'], { cwd: copy });
    execFileSync(process.execPath, [join(root, 'scripts/release.mjs'), '2.0.0-beta.1', '--scope', '@acme', '--root', copy], { stdio: 'pipe' });

    const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8'));
    for (const folder of folders) {
      const before = manifest(folder);
      const after = JSON.parse(readFileSync(join(copy, 'packages', folder, 'package.json'), 'utf8'));
      const locked = lock.packages[`packages/${folder}`];
      assert.equal(after.name, `@acme/${folderOf(before.name)}`);
      assert.equal(locked.name, after.name);
      assert.equal(after.version, before.private ? before.version : '2.0.0-beta.1');
      assert.equal(locked.version, after.version);
      for (const field of ['dependencies', 'devDependencies']) {
        for (const [name, range] of Object.entries(after[field] ?? {})) {
          assert.ok(!ours(name), `${after.name} still names ${name}`);
          if (name.startsWith('@acme/')) assert.equal(range, '^2.0.0-beta.1', `${after.name} ${field} ${name}`);
          assert.equal(locked[field][name], range, `the lock's ${after.name} ${field} ${name}`);
        }
      }
    }
    const config = readFileSync(join(copy, 'rollup.config.mjs'), 'utf8');
    assert.ok(!config.includes(`${scope}/`) && !config.includes(`${scope}\\/`), 'rollup.config.mjs still names the old scope');
    assert.ok(config.includes('@acme\\/') && config.includes('@acme/'));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a clone that was never built packs a built package: prepack builds it and the packages of ours it depends on', async () => {
  // The repository's tracked files only (no dist/ anywhere), with the workspace's dependencies linked in and
  // our own packages linked to this copy's folders, so what prepack builds is the copy's.
  const copy = mkdtempSync(join(tmpdir(), 'chorus-unbuilt-'));
  try {
    execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${copy}"`]);
    mkdirSync(join(copy, 'node_modules', scope), { recursive: true });
    for (const entry of readdirSync(join(root, 'node_modules')).filter((entry) => entry !== scope)) {
      symlinkSync(join(root, 'node_modules', entry), join(copy, 'node_modules', entry));
    }
    for (const folder of folders) symlinkSync(join(copy, 'packages', folder), join(copy, 'node_modules', scope, folderOf(manifest(folder).name)));
    assert.ok(!existsSync(join(copy, 'packages/core/dist')) && !existsSync(join(copy, 'packages/quote-to-tweet/dist')));

    const out = join(copy, 'out');
    mkdirSync(out);
    const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', out, '-w', 'packages/quote-to-tweet'], { cwd: copy, maxBuffer: 64 << 20 });
    const [{ files }] = JSON.parse(stdout);
    const packed = files.map((file) => file.path);
    for (const file of ['dist/index.js', 'dist/define.js', 'dist/index.d.ts', 'dist/custom-elements.json', 'LICENSE']) assert.ok(packed.includes(file), `the tarball lacks ${file}`);
    assert.ok(existsSync(join(copy, 'packages/core/dist/index.js')), 'core, which it depends on, was built too');
    assert.ok(!existsSync(join(copy, 'packages/quote-to-tweet/LICENSE')), 'postpack took the LICENSE back');
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
