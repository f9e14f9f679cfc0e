#!/usr/bin/env node
import { load } from './load.js';

const { main } = await load('cli/main');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Servers and children are closed by now; do not let a stray handle keep the process alive.
setTimeout(() => process.exit(code), 2000).unref();
