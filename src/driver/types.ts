/**
 * Types shared by the client driver: what to run, against which server, and
 * the one error type that means "the harness could not run the client" (as
 * opposed to "the client ran and misbehaved", which is a `ClientOutcome`).
 */

/**
 * The MCP client under test: a shell command (the official MCP conformance
 * client contract: the server URL is appended as the last argument) or a
 * module loaded in-process that exports `runClient` (see `ModuleClient`).
 */
export type ClientTarget =
  | { kind: 'command'; command: string }
  | { kind: 'module'; path: string }
  /** An already-loaded in-process client (tests, and the fuzzer's in-process mode). */
  | { kind: 'function'; name: string; run: ModuleClient };

export interface DriverRequest {
  target: ClientTarget;
  serverUrl: string;
  /** `MCP_CONFORMANCE_SCENARIO`, e.g. 'auth/dpop-fuzz'. */
  scenario: string;
  /** `MCP_CONFORMANCE_CONTEXT` JSON; `name` defaults to `scenario` when absent. */
  context: Record<string, unknown>;
  timeoutMs: number;
  /** Abort = stop the client now (Ctrl-C, request cap reached). */
  signal?: AbortSignal;
  /** For in-process clients: a fetch that reaches the test servers without sockets. */
  fetch?: typeof fetch;
}

/** What an in-process client receives besides the server URL. */
export interface ModuleClientOptions {
  /** The scenario context, the same object a command client gets as `MCP_CONFORMANCE_CONTEXT`. */
  context: Record<string, unknown>;
  /** Aborted on timeout or when the run is stopped; the client should give up promptly. */
  signal: AbortSignal;
  /** One line of diagnostic output; it ends up in the outcome's `stdout`. */
  log: (line: string) => void;
  /**
   * A fetch that reaches the test servers in memory (same handlers, same
   * trace, no sockets): optional to use, several times faster than HTTP over
   * loopback. `serverUrl` works with any HTTP client.
   */
  fetch: typeof fetch;
}

/** The export a module client must provide, named `runClient`. */
export type ModuleClient = (serverUrl: string, options: ModuleClientOptions) => Promise<void>;

/**
 * An infrastructure problem (command not found, module without `runClient`,
 * unusable request…). The message is user-facing and always one line.
 */
export class DriverError extends Error {
  override readonly name = 'DriverError';

  constructor(message: string, options?: ErrorOptions) {
    super(message.replace(/\s*[\r\n]+\s*/g, ' ').trim(), options);
  }
}
