import { build } from './lib/setup.mjs';

build();
