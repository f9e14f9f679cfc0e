#!/usr/bin/env node
// Runs the TypeScript sources directly; tsx also lets --module load .ts clients.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Servers and children are closed by now; do not let a stray handle keep the process alive.
setTimeout(() => process.exit(code), 2000).unref();
