#!/usr/bin/env node
// The reference DPoP MCP client: reference-client.js <mcp-server-url>
import { load } from './load.js';

const { referenceClientMain } = await load('clients/cli');
process.exitCode = await referenceClientMain(process.argv.slice(2));
