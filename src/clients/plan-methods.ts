import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { DpopClientError, QuietStop } from './errors.ts';
import type { PlanMethod } from '../schedule/types.ts';

/** The tool the test MCP servers expose, and what it is called with. */
export const ECHO_TOOL = { name: 'echo', arguments: { message: 'hello' } } as const;

/**
 * JSON-RPC errors that still mean the server answered the request, so the
 * DPoP exchange that carried it succeeded: an optional feature the server does
 * not offer (-32601, method not found) or a server without the `echo` tool
 * (-32602, invalid params, as the MCP SDK server answers an unknown tool).
 */
const ANSWERED_WITH_ERROR: Readonly<Partial<Record<PlanMethod, number>>> = {
  'resources/list': ErrorCode.MethodNotFound,
  'prompts/list': ErrorCode.MethodNotFound,
  'tools/call': ErrorCode.InvalidParams,
};

async function call(client: Client, method: PlanMethod): Promise<string> {
  switch (method) {
    case 'tools/list': {
      const result = await client.listTools();
      return `${result.tools.length} tool(s)`;
    }
    case 'tools/call': {
      const result = await client.callTool({ ...ECHO_TOOL, arguments: { ...ECHO_TOOL.arguments } });
      return result.isError === true ? 'tool reported an error' : 'ok';
    }
    case 'ping':
      await client.ping();
      return 'pong';
    case 'resources/list': {
      const result = await client.listResources();
      return `${result.resources.length} resource(s)`;
    }
    case 'prompts/list': {
      const result = await client.listPrompts();
      return `${result.prompts.length} prompt(s)`;
    }
  }
}

/** Runs one plan method over MCP and logs the answer. */
export async function runPlanMethod(client: Client, method: PlanMethod, log: (line: string) => void): Promise<void> {
  try {
    log(`${method}: ${await call(client, method)}`);
  } catch (error) {
    if (error instanceof McpError && ANSWERED_WITH_ERROR[method] === error.code) {
      log(`${method}: server answered JSON-RPC error ${error.code} (${error.message}); counted as answered`);
      return;
    }
    if (error instanceof DpopClientError || error instanceof QuietStop) throw error;
    throw new Error(`${method} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
