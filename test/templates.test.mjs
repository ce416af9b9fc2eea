// The build's template folding (scripts/lib/templates.mjs): the folded module must make the same styles
// and the same markup as the source, with fewer bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { foldTemplates } from '../scripts/lib/templates.mjs';

const source = `import { css, html, unsafeCSS } from 'lit';
const box = 'display: block';
export const styles = css\`
  /* The box is shared with the page's rule. */
  :host {
    \${unsafeCSS(box)};
    margin: 0.5em 0 calc(1em + 2px);
  }
  a,
  b { color: red; }
\`;
export const view = (label) => html\`<p class="x"
    title=\${label}>
    <b>\${label}</b>
    two
    words
  </p>\`;
`;

// Runs both versions as real modules beside node_modules, so that they use the real Lit.
async function load(code) {
  const dir = mkdtempSync(join(import.meta.dirname, '.templates-'));
  try {
    writeFileSync(join(dir, 'module.mjs'), code);
    return await import(pathToFileURL(join(dir, 'module.mjs')).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fold = (code) => foldTemplates.transform.call({ parse: parseAst }, code, '/repo/packages/demo/src/demo.styles.ts').code;

test('css`` becomes unsafeCSS() of the folded text: the same rules, fewer bytes', async () => {
  const folded = fold(source);
  assert.doesNotMatch(folded, /\bcss`/);
  assert.doesNotMatch(folded, /\/\*/);
  const [before, after] = [await load(source), await load(folded)];
  assert.equal(after.styles.cssText, ':host{display: block;margin:.5em 0 calc(1em + 2px)}a,b{color:red}');
  // The same rules: the source's text, its comment, white space, last semicolons and leading zero aside.
  const rules = (text) => text.replace(/\/\*[^]*?\*\//g, '').replace(/\s+/g, '').replace(/;}/g, '}').replace(/:0\./g, ':.');
  assert.equal(rules(before.styles.cssText), rules(after.styles.cssText));
});

test('html`` keeps its markup, joins lines of text with a space, and drops line breaks next to tags', async () => {
  const { view } = await load(fold(source));
  assert.deepEqual(view('hi').strings.raw, ['<p class="x" title=', '><b>', '</b>two words</p>']);
});

test('a module without templates is left alone', () => {
  assert.equal(foldTemplates.transform.call({ parse: parseAst }, 'export const a = 1;', '/repo/packages/demo/src/a.ts'), null);
});
