#!/usr/bin/env node
// The reference DPoP MCP client: reference-client.js <mcp-server-url>
import { register } from 'tsx/esm/api';

register();
const { referenceClientMain } = await import('../src/clients/cli.ts');
process.exitCode = await referenceClientMain(process.argv.slice(2));
