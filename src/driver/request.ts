import { DriverError } from './types.ts';
import type { DriverRequest } from './types.ts';

/**
 * Rejects a request the driver cannot honour, before anything is started.
 * Throws `DriverError`.
 */
export function checkRequest(req: DriverRequest): void {
  if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) {
    throw new DriverError(`client timeout must be a positive number of milliseconds, got ${String(req.timeoutMs)}`);
  }
  if (typeof req.serverUrl !== 'string' || req.serverUrl.length === 0) {
    throw new DriverError('server URL for the client is empty');
  }
  if (req.serverUrl.includes('\0')) {
    throw new DriverError('server URL for the client contains a NUL character');
  }
}

/**
 * The scenario context as handed to the client. The MCP conformance client
 * contract requires a `name`; it defaults to the scenario so callers cannot
 * forget it, and a caller-supplied `name` wins.
 */
export function clientContext(req: DriverRequest): Record<string, unknown> {
  return { name: req.scenario, ...req.context };
}

/** `clientContext` as the JSON text of `MCP_CONFORMANCE_CONTEXT`. Throws `DriverError`. */
export function clientContextJson(req: DriverRequest): string {
  try {
    return JSON.stringify(clientContext(req));
  } catch (error) {
    throw new DriverError(`client context is not JSON-serialisable: ${messageOf(error)}`, { cause: error });
  }
}

/** The message of a thrown value, without a stack trace. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
