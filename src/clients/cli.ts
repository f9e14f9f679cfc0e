import { FAULTS, FAULT_NAMES, isFaultName } from './faults.ts';
import type { FaultName } from './faults.ts';
import { DEFAULT_POLICY, parsePolicy, POLICY_CHOICES } from './policy.ts';
import type { ClientPolicy } from './policy.ts';
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

const POLICY_USAGE = `  --policy <knob=value,...>  legal choices to make instead of the defaults:\n${Object.entries(POLICY_CHOICES)
  .map(([knob, values]) => `      ${knob}=${values.map(String).join('|')}`)
  .join('\n')}\n`;

const REFERENCE_USAGE = `usage: reference-client.js [--policy <knob=value,...>] <mcp-server-url>\n\n${POLICY_USAGE}`;

function brokenUsage(): string {
  const width = Math.max(...FAULT_NAMES.map((n) => n.length));
  const list = FAULT_NAMES.map((name) => `  ${name.padEnd(width)}  ${FAULTS[name]}`).join('\n');
  return `usage: broken-client.js <fault-name>[,<fault-name>...] [--policy <knob=value,...>] <mcp-server-url>\n\nSeveral faults, comma-separated, make a client with independent bugs.\n\nfaults:\n${list}\n\n${POLICY_USAGE}`;
}

/** Takes `--policy <spec>` out of `argv`; the policy is null when the spec is invalid (the message is written). */
function takePolicy(argv: readonly string[], io: CliIo): { rest: string[]; policy: ClientPolicy | null } {
  const rest = [...argv];
  const at = rest.indexOf('--policy');
  if (at === -1) return { rest, policy: DEFAULT_POLICY };
  const spec = rest[at + 1] ?? '';
  rest.splice(at, 2);
  try {
    return { rest, policy: parsePolicy(spec) };
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return { rest, policy: null };
  }
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

async function run(serverUrl: string, faults: readonly FaultName[], policy: ClientPolicy, prefix: string, env: Env, io: CliIo): Promise<number> {
  try {
    await runClient(serverUrl, {
      context: env['MCP_CONFORMANCE_CONTEXT'] || undefined,
      faults,
      policy,
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
  const { rest, policy } = takePolicy(argv, io);
  const serverUrl = rest.at(-1);
  if (policy === null || !isUrl(serverUrl)) {
    io.stderr(REFERENCE_USAGE);
    return 2;
  }
  return run(serverUrl, [], policy, 'reference-client', env, io);
}

/** `broken-client.js <fault-name>[,<fault-name>...] <serverUrl>`: returns the exit code. */
export async function brokenClientMain(argv: readonly string[], env: Env = process.env, io: CliIo = processIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    io.stdout(brokenUsage());
    return 0;
  }
  const { rest, policy } = takePolicy(argv, io);
  const fault = rest[0];
  const serverUrl = rest.at(-1);
  const names = fault?.split(',') ?? [];
  const unknown = names.find((name) => !isFaultName(name));
  if (rest.length < 2 || fault === undefined || unknown !== undefined) {
    if (unknown !== undefined && rest.length >= 2) io.stderr(`unknown fault: ${unknown}\n`);
    io.stderr(brokenUsage());
    return 2;
  }
  if (policy === null || !isUrl(serverUrl)) {
    io.stderr(brokenUsage());
    return 2;
  }
  return run(serverUrl, names.filter(isFaultName), policy, `broken-client ${fault}`, env, io);
}
