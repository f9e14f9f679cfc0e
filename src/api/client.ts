import { quoteShellArg } from '../driver/shell-quote.ts';
import type { ClientTarget, ModuleClient } from '../driver/types.ts';

/**
 * The MCP client under test, in one of three forms:
 * - a function `(serverUrl, options) => Promise<void>`, run in-process (it may
 *   use `options.fetch`, which reaches the test servers without sockets);
 * - `{ module: path }`, a JS/TS module exporting such a function as `runClient`
 *   (in-process, and the only in-process form that can run on worker threads);
 * - `{ command: "…" }`, a shell command run per the MCP conformance client
 *   contract (the server URL appended as its last argument).
 */
export type DpopClient = ModuleClient | { readonly module: string } | { readonly command: string };

/** The driver's description of a client; a function is named by its `name` (or `runClient`). */
export function clientTarget(client: DpopClient): ClientTarget {
  if (typeof client === 'function') return { kind: 'function', name: client.name || 'runClient', run: client };
  if (typeof client === 'object' && client !== null) {
    if ('command' in client && typeof client.command === 'string' && client.command.trim() !== '') return { kind: 'command', command: client.command };
    if ('module' in client && typeof client.module === 'string' && client.module !== '') return { kind: 'module', path: client.module };
  }
  throw new TypeError('a client is a function (serverUrl, options) => Promise<void>, { module: path } or { command: "…" }');
}

/** The client a driver target stands for (the CLI parses flags into targets). */
export function clientOf(target: ClientTarget): DpopClient {
  return target.kind === 'command' ? { command: target.command } : target.kind === 'module' ? { module: target.path } : target.run;
}

/** The client flags of a `dpop-fuzz` command line (replay commands) for this target. */
export function targetFlags(target: ClientTarget): string {
  return target.kind === 'command' ? `--command ${quoteShellArg(target.command)}` : target.kind === 'module' ? `--module ${quoteShellArg(target.path)}` : `--function ${quoteShellArg(target.name)}`;
}
