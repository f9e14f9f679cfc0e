#!/usr/bin/env node
// A deliberately broken DPoP MCP client: broken-client.js <fault-name> <mcp-server-url>
import { load } from './load.js';

const { brokenClientMain } = await load('clients/cli');
process.exitCode = await brokenClientMain(process.argv.slice(2));
