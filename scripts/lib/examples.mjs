// The examples as `npm start`, the end-to-end tests and the page benchmark serve them: the blog on one
// origin and the author's course site (examples/course) on a second one, both from the repository root
// so their script tags load the built chorus.js by relative path. The pages name the default addresses
// below; when the servers run elsewhere (other ports, the tests' free ports), every HTML page is
// rewritten on its way out to name the real ones.
import { root } from './setup.mjs';
import { serveStatic } from './serve.mjs';

/** The addresses written in the example pages. */
export const EXAMPLE_COLLECTOR = 'http://127.0.0.1:8787';
export const EXAMPLE_BLOG = 'http://localhost:8000';
export const EXAMPLE_COURSE = 'http://localhost:8001';

/** `html => html` naming `collector`, `blog` and `course` (origins) instead of the defaults; undefined when nothing changes. */
export function rewriteExamples({ collector = EXAMPLE_COLLECTOR, blog = EXAMPLE_BLOG, course = EXAMPLE_COURSE } = {}) {
  const to = { [EXAMPLE_COLLECTOR]: collector, [EXAMPLE_BLOG]: blog, [EXAMPLE_COURSE]: course };
  const changed = Object.keys(to).filter((from) => to[from] !== from);
  if (!changed.length) return undefined;
  // One pass, so an address put in is never rewritten again.
  const pattern = new RegExp(changed.map((from) => from.replace(/[.:/]/g, '\\$&')).join('|'), 'g');
  return (html) => html.replace(pattern, (from) => to[from]);
}

/**
 * Serves the blog and the course site (ports 0: any free ones) for the collector at `collector` (its
 * origin, or a function that returns it, for a collector started once the sites' origins are known).
 * Resolves to `{ blog, course, close }`, `blog` and `course` being the origins.
 */
export async function serveExamples({ collector = EXAMPLE_COLLECTOR, blogPort = 0, coursePort = 0, host = '127.0.0.1', blogHost, courseHost } = {}) {
  // The servers must be listening before the pages can name them, so the rewrite reads `origins` late.
  const origins = {};
  const rewrite = (html) =>
    (rewriteExamples({ collector: typeof collector === 'function' ? collector() : collector, ...origins }) ?? ((same) => same))(html);
  const blog = await serveStatic(root, { port: blogPort, host, rewrite });
  const course = await serveStatic(root, { port: coursePort, host, rewrite });
  const named = (server, name) => (name ? server.url.replace(/\/\/[^:/]+/, `//${name}`) : server.url);
  origins.blog = named(blog, blogHost);
  origins.course = named(course, courseHost);
  return {
    blog: origins.blog,
    course: origins.course,
    close: () => Promise.all([blog.close(), course.close()]),
  };
}
