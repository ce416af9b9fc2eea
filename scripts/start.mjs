// `npm start`: builds, then serves the examples on localhost and prints where to look.
import { build, root } from './lib/setup.mjs';
import { serveStatic } from './lib/serve.mjs';

build();
const port = Number(process.env.PORT ?? 8000);
const examples = await serveStatic(root, { port, host: 'localhost' }).catch(() => serveStatic(root, { host: 'localhost' }));
console.log(`\nChorus examples: ${examples.url}/examples/blog/\n(Ctrl+C to stop)`);
