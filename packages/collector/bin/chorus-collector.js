#!/usr/bin/env node
// The CLI lives in the build (dist/); say so plainly when it has not been built yet.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('chorus-collector: not built yet: run `npm run build` at the repository root.');
  process.exit(1);
}
await import(cli.href);
