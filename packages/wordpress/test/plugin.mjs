// The zip the tests install: the one `npm run build` made, else one made now from the script-tag build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildZip } from '../build.mjs';

const ZIP = fileURLToPath(new URL('../dist/chorus.zip', import.meta.url));

export const pluginZip = () => (existsSync(ZIP) ? ZIP : buildZip().zip);
