import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { ClientAuth } from './client-auth.ts';
import { createDpopFetch } from './dpop-fetch.ts';
import { QuietStop } from './errors.ts';
import { FaultSet } from './faults.ts';
import type { FaultName } from './faults.ts';
import { CLIENT_NAME } from './oauth-authorization.ts';
import { runPlanMethod } from './plan-methods.ts';
import { planFromContext } from './plan.ts';
import { DEFAULT_POLICY, formatPolicy } from './policy.ts';
import type { ClientPolicy } from './policy.ts';
import { PROCESS_TOKEN_CACHE } from './token-cache.ts';
import type { TokenCache } from './token-cache.ts';

export interface RunClientOptions {
  /** The conformance context (object or JSON text); its `steps` is the plan. */
  readonly context?: unknown;
  /** Faults to switch on (broken variants); none for the reference client. */
  readonly faults?: readonly FaultName[];
  /** Receives progress lines; never keys, and tokens only as the server sees them in headers. */
  readonly log?: (line: string) => void;
  /** Aborts the run. */
  readonly signal?: AbortSignal;
  /** HTTP client to use instead of the global fetch (e.g. the test servers' in-memory fetch). */
  readonly fetch?: typeof fetch;
  /** The legal choices to make (`DEFAULT_POLICY` when absent). */
  readonly policy?: ClientPolicy;
  /** Where `tokenCache: 'persistent'` keeps tokens (the process-wide cache by default). */
  readonly tokenCache?: TokenCache;
}

/**
 * One JSON Schema validator for every run in a process, as an application
 * that opens many sessions would keep one: the SDK otherwise builds a new Ajv
 * instance per client. It compiles only tools' output schemas, which the
 * test server's tools do not have.
 */
const SCHEMA_VALIDATOR = new AjvJsonSchemaValidator();

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the conformance client flow against the MCP server at `serverUrl`: the
 * OAuth authorization with a DPoP-bound token (RFC 9449 §5, SEP-1932), then
 * the plan's MCP requests with a fresh proof each (RFC 9449 §7), then the end
 * of the session. Resolves when everything succeeded; rejects with an Error
 * whose message names the server's OAuth `error` code when there is one.
 */
export async function runClient(serverUrl: string, options: RunClientOptions = {}): Promise<void> {
  const faults = new FaultSet(options.faults);
  const policy = options.policy ?? DEFAULT_POLICY;
  const log = options.log ?? ((): void => {});
  const plan = planFromContext(options.context);
  const net = { signal: options.signal, log, fetch: options.fetch ?? globalThis.fetch };
  if (faults.names.length > 0) log(`faults: ${faults.names.join(', ')}`);
  const choices = formatPolicy(policy);
  if (choices !== '') log(`policy: ${choices}`);

  const cache = policy.tokenCache === 'persistent' ? (options.tokenCache ?? PROCESS_TOKEN_CACHE) : null;
  const auth = new ClientAuth(serverUrl, faults, policy, net, cache);
  const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: createDpopFetch(auth, faults, policy, net) });
  const client = new Client({ name: CLIENT_NAME, version: '0.1.0' }, { capabilities: {}, jsonSchemaValidator: SCHEMA_VALIDATOR });
  // Errors of the background SSE stream land here; a DPoP failure among them
  // is also recorded by `auth` and ends the run at the next checkpoint.
  client.onerror = (error): void => log(`transport: ${messageOf(error)}`);

  try {
    await client.connect(transport).catch((error: unknown) => {
      if (auth.failure !== null) throw auth.failure;
      throw new Error(`initialize failed: ${messageOf(error)}`, { cause: error });
    });
    log(`connected (protocol ${transport.protocolVersion ?? 'unknown'})`);
    for (const [i, step] of plan.entries()) {
      auth.throwIfFailed();
      log(`step ${i + 1}/${plan.length}: ${step.join(', ') || '(nothing)'}`);
      if (policy.steps === 'sequential') {
        for (const method of step) await runPlanMethod(client, method, log);
      } else {
        await Promise.all(step.map((method) => runPlanMethod(client, method, log)));
      }
    }
    auth.throwIfFailed();
    await transport.terminateSession(); // HTTP DELETE, when the server gave a session
    auth.throwIfFailed();
    log('done');
  } catch (error) {
    // The first DPoP/OAuth failure explains whatever failed after it.
    const cause = auth.failure ?? error;
    if (cause instanceof QuietStop) {
      log(cause.message);
      return;
    }
    throw cause instanceof Error ? cause : new Error(messageOf(cause));
  } finally {
    // Closing aborts the SSE stream and pending requests, so nothing keeps
    // the process alive.
    await client.close().catch(() => {});
  }
}
