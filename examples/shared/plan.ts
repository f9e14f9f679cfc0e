/**
 * The plan of an example client run, and its execution over an MCP `Client`
 * (the MCP conformance client contract): `MCP_CONFORMANCE_CONTEXT` may hold
 * `{"steps": [[method, …], …]}`, the steps run in order and the methods of
 * one step concurrently. Nothing here knows about OAuth or DPoP: that lives in
 * the transport each example builds.
 */
import { ProtocolError, ProtocolErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { sleep } from './fetch.ts';

/** The methods a plan may hold (the contract's list). */
export const PLAN_METHODS = ['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'] as const;
export type PlanMethod = (typeof PLAN_METHODS)[number];
export type Plan = PlanMethod[][];

const DEFAULT_PLAN: Plan = [['tools/list'], ['tools/call']];

/**
 * Reads the plan from the context: the parsed `MCP_CONFORMANCE_CONTEXT` object
 * (as the in-process contract hands it) or its JSON text. No context, or one
 * without `steps`, gives the default plan. Throws on malformed steps or an
 * unknown method.
 */
export function planFromContext(context: unknown): Plan {
  if (context === undefined || context === '') return DEFAULT_PLAN;
  const parsed: unknown = typeof context === 'string' ? JSON.parse(context) : context;
  const steps: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as { steps?: unknown }).steps : undefined;
  if (steps === undefined) return DEFAULT_PLAN;
  if (!Array.isArray(steps) || !steps.every((step): step is unknown[] => Array.isArray(step))) {
    throw new Error('MCP_CONFORMANCE_CONTEXT steps is not an array of arrays');
  }
  return steps.map((step) =>
    step.map((method) => {
      const known = PLAN_METHODS.find((m) => m === method);
      if (known === undefined) throw new Error(`unknown plan method ${JSON.stringify(method)}`);
      return known;
    }),
  );
}

export interface PlanOptions {
  /** Aborts the calls in flight and stops the plan. */
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Names a failed call's error (adds the OAuth error code the library reported). */
  readonly describe: (error: unknown) => string;
}

/**
 * Runs the plan on a connected client, step by step (the methods of a step
 * concurrently), then ends the MCP session (HTTP DELETE with `Mcp-Session-Id`;
 * the SDK accepts a 405) and closes the client whatever happened.
 */
export async function runPlan(client: Client, transport: StreamableHTTPClientTransport, plan: Plan, options: PlanOptions): Promise<void> {
  try {
    for (const step of plan) {
      options.signal.throwIfAborted();
      await Promise.all(step.map((method) => runMethod(client, method, options)));
    }
    await onceMoreIfTransient(() => transport.terminateSession(), options.signal);
  } finally {
    await client.close();
  }
}

/** Sends one plan method and waits for its answer. */
async function callMethod(client: Client, method: PlanMethod, signal: AbortSignal): Promise<void> {
  switch (method) {
    case 'tools/list':
      await client.listTools(undefined, { signal });
      return;
    case 'tools/call': {
      const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } }, { signal });
      if (result.isError === true) throw new Error('tool echo reported an error');
      return;
    }
    case 'ping':
      await client.ping({ signal });
      return;
    case 'resources/list':
      await client.listResources(undefined, { signal });
      return;
    case 'prompts/list':
      await client.listPrompts(undefined, { signal });
      return;
  }
}

/**
 * Runs one plan method, once more after a 429 or 503. A server without
 * resources or prompts answering -32601 still answered.
 */
async function runMethod(client: Client, method: PlanMethod, options: PlanOptions): Promise<void> {
  try {
    await onceMoreIfTransient(() => callMethod(client, method, options.signal), options.signal);
    options.log(`${method}: ok`);
  } catch (error) {
    const optional = method === 'resources/list' || method === 'prompts/list';
    if (optional && error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound) {
      options.log(`${method}: not offered by the server (-32601), counted as answered`);
      return;
    }
    // A server without the `echo` tool (the official conformance suite's, say) answers -32602:
    // the authorized exchange worked, which is all the plan is for.
    if (method === 'tools/call' && error instanceof ProtocolError && error.code === ProtocolErrorCode.InvalidParams) {
      options.log(`${method}: the server has no echo tool (-32602), counted as answered`);
      return;
    }
    throw new Error(`${method} failed: ${options.describe(error)}`, { cause: error });
  }
}

/** 429 and 503 mean "try again later" (RFC 6585 §4, RFC 9110 §15.6.4). */
function isTransient(error: unknown): boolean {
  return error instanceof SdkHttpError && (error.status === 429 || error.status === 503);
}

/**
 * Neither the SDK nor the OAuth libraries retry a 429/503, so the application
 * does, once. The new attempt is a new HTTP request, so it gets a new DPoP
 * proof from whatever signs the requests (RFC 9449 §7.3). The SDK's error does
 * not carry Retry-After; wait a moment instead.
 */
async function onceMoreIfTransient(send: () => Promise<void>, signal: AbortSignal): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!isTransient(error)) throw error;
    await sleep(200, signal);
    await send();
  }
}
