/**
 * The two ways `dpop-fuzz` runs an example client, written once for every
 * example (nothing here knows about OAuth or DPoP):
 *
 * - in-process (`dpop-fuzz check --module examples/<name>/client.ts`): the
 *   fuzzer imports the module and calls its `runClient(serverUrl, options)`;
 *   resolving is success, rejecting is failure with the error's message;
 * - as a command (`node examples/<name>/run.mjs <mcp-url>`, the MCP
 *   conformance client contract): {@link runMain} reads the server URL and
 *   `MCP_CONFORMANCE_CONTEXT`, calls the same `runClient` and turns the
 *   outcome into an exit code.
 */

/**
 * What `runClient` receives besides the MCP server URL: the fuzzer's in-process
 * contract (`ModuleClientOptions` in the fuzzer's `src/driver/types.ts`).
 */
export interface ClientOptions {
  /** The scenario context, the object a command client gets as `MCP_CONFORMANCE_CONTEXT` JSON. */
  readonly context: unknown;
  /** Aborted on timeout or when the run is stopped: give up promptly. */
  readonly signal: AbortSignal;
  /** One line of diagnostic output. */
  readonly log: (line: string) => void;
  /**
   * Every HTTP request of the client goes through this fetch: in-process the
   * fuzzer hands one that reaches its test servers in memory.
   */
  readonly fetch: typeof fetch;
}

/** The `runClient` export of an example. */
export type RunClient = (serverUrl: string, options: ClientOptions) => Promise<void>;

/**
 * An `Error` whose message names the OAuth error code found on `error` or one
 * of its causes (e.g. `invalid_dpop_proof: …`, RFC 9449 §5), unless the
 * message already names it, so a failed run says which rule the server applied.
 * The messages of wrapped causes are added the same way. `codeOf` reads the
 * code from one error in the library's own way. Applying it twice changes
 * nothing.
 */
export function describedError(error: unknown, codeOf: (error: unknown) => string | undefined): Error {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && chain.length < 5; e = e instanceof Error ? e.cause : undefined) chain.push(e);
  // A library that wraps an error ("unsupported operation") keeps the precise one as its cause.
  let message = messageOf(error);
  for (const cause of chain.slice(1)) {
    if (cause instanceof Error && cause.message !== '' && !message.includes(cause.message)) message += ` (${cause.message})`;
  }
  const code = chain.map(codeOf).find((c) => c !== undefined);
  if (code !== undefined && !message.includes(code)) message = `${code}: ${message}`;
  return message === messageOf(error) && error instanceof Error ? error : new Error(message, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The command-line entry: `run.mjs <mcp-server-url>`, the plan in
 * `MCP_CONFORMANCE_CONTEXT`. Exit code 0 on success, 1 with one
 * `error: …` line on stderr otherwise, 2 on a usage error. Log lines go to
 * stdout. There is nothing to abort from outside a command (the fuzzer kills
 * the process), so the signal never fires.
 */
export async function runMain(
  runClient: RunClient,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const serverUrl = argv.at(-1);
  if (serverUrl === undefined || !URL.canParse(serverUrl)) {
    process.stderr.write('usage: run.mjs <mcp-server-url>\n');
    return 2;
  }
  try {
    const text = env['MCP_CONFORMANCE_CONTEXT'];
    const context: unknown = text === undefined || text === '' ? undefined : JSON.parse(text);
    await runClient(serverUrl, {
      context,
      signal: new AbortController().signal,
      log: (line) => process.stdout.write(`${line}\n`),
      fetch: globalThis.fetch,
    });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}
