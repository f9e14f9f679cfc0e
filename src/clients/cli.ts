import { FAULTS, FAULT_NAMES, isFaultName } from './faults.ts';
import type { FaultName } from './faults.ts';
import { runClient } from './reference.ts';

/**
 * Command lines of the reference client and its broken variants, following
 * the MCP conformance client contract: the server URL is the last argument,
 * `MCP_CONFORMANCE_CONTEXT` may hold the JSON context, exit 0 on success and
 * 1 with one `error: …` line on stderr on failure; 2 for a usage error.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  readonly stderr: (text: string) => void;
  readonly stdout: (text: string) => void;
}

const processIo: CliIo = {
  stderr: (text) => process.stderr.write(text),
  stdout: (text) => process.stdout.write(text),
};

const REFERENCE_USAGE = 'usage: reference-client.js <mcp-server-url>\n';

function brokenUsage(): string {
  const width = Math.max(...FAULT_NAMES.map((n) => n.length));
  const list = FAULT_NAMES.map((name) => `  ${name.padEnd(width)}  ${FAULTS[name]}`).join('\n');
  return `usage: broken-client.js <fault-name> <mcp-server-url>\n\nfaults:\n${list}\n`;
}

function isUrl(value: string | undefined): value is string {
  if (value === undefined) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

async function run(serverUrl: string, faults: readonly FaultName[], prefix: string, env: Env, io: CliIo): Promise<number> {
  try {
    await runClient(serverUrl, {
      context: env['MCP_CONFORMANCE_CONTEXT'] || undefined,
      faults,
      log: (line) => io.stderr(`[${prefix}] ${line}\n`),
    });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

/** `reference-client.js <serverUrl>`: returns the exit code. */
export async function referenceClientMain(argv: readonly string[], env: Env = process.env, io: CliIo = processIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(REFERENCE_USAGE);
    return 0;
  }
  const serverUrl = argv.at(-1);
  if (!isUrl(serverUrl)) {
    io.stderr(REFERENCE_USAGE);
    return 2;
  }
  return run(serverUrl, [], 'reference-client', env, io);
}

/** `broken-client.js <fault-name> <serverUrl>`: returns the exit code. */
export async function brokenClientMain(argv: readonly string[], env: Env = process.env, io: CliIo = processIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    io.stdout(brokenUsage());
    return 0;
  }
  const fault = argv[0];
  const serverUrl = argv.at(-1);
  if (argv.length < 2 || fault === undefined || !isFaultName(fault)) {
    if (fault !== undefined && argv.length >= 2) io.stderr(`unknown fault: ${fault}\n`);
    io.stderr(brokenUsage());
    return 2;
  }
  if (!isUrl(serverUrl)) {
    io.stderr(brokenUsage());
    return 2;
  }
  return run(serverUrl, [fault], `broken-client ${fault}`, env, io);
}
