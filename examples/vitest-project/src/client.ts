// Your MCP client's DPoP flow, as the conformance client contract runs it:
// connect to the MCP server at `serverUrl`, authorize, do the plan's calls.
// Here the fuzzer's reference client stands in for your SDK; set DPOP_FAULT
// (e.g. jti-counter) to see how a bug is reported.
import type { ModuleClient } from 'mcp-dpop-fuzz';
import { faultyClient, referenceClient, type FaultName } from 'mcp-dpop-fuzz/clients';

const fault = process.env.DPOP_FAULT as FaultName | undefined;

export const runClient: ModuleClient = fault ? faultyClient(fault) : referenceClient;
