#!/usr/bin/env node
// A deliberately broken DPoP MCP client: broken-client.js <fault-name> <mcp-server-url>
import { register } from 'tsx/esm/api';

register();
const { brokenClientMain } = await import('../src/clients/cli.ts');
process.exitCode = await brokenClientMain(process.argv.slice(2));
