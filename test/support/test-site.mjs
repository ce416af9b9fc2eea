// A site for end-to-end tests: pages a test writes, next to the built packages, served over HTTP the
// way a blog serves chorus.js.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../../scripts/lib/setup.mjs';
import { serveStatic } from '../../scripts/lib/serve.mjs';

export async function startTestSite() {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-site-'));
  symlinkSync(join(root, 'packages'), join(dir, 'packages'));
  const server = await serveStatic(dir);
  return {
    url: server.url,
    /** Writes a page loading chorus.js with the given script-tag attributes; returns its URL. */
    page(name, { attributes = '', head = '', body = '' } = {}) {
      writeFileSync(
        join(dir, `${name}.html`),
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>${head}
<script type="module" src="/packages/chorus/dist/chorus.js" ${attributes}></script></head><body>${body}</body></html>`,
      );
      return `${server.url}/${name}.html`;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
