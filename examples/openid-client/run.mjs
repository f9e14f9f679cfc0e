#!/usr/bin/env node
// The openid-client example client: run.mjs <mcp-server-url>
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./client.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
