import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { ClientOutcome } from '../trace/types.ts';
import { CappedOutput } from './capped-output.ts';
import { onCleanup } from './cleanup.ts';
import {
  CONFORMANCE_PROTOCOL_VERSION,
  KILL_SETTLE_MS,
  OUTPUT_CAP_BYTES,
  PIPE_DRAIN_MS,
  TERMINATION_GRACE_MS,
} from './limits.ts';
import { groupAlive, terminateGroup, trackGroup } from './process-group.ts';
import { checkRequest, clientContextJson, messageOf } from './request.ts';
import { quoteShellArg } from './shell-quote.ts';
import { stopRequest } from './stop-request.ts';
import { DriverError } from './types.ts';
import type { DriverRequest } from './types.ts';
import { within } from './within.ts';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Runs a command client once, per the MCP conformance client contract: the
 * command string goes through `sh -c` with the server URL appended as its last
 * argument, the scenario in `MCP_CONFORMANCE_SCENARIO`, the context JSON in
 * `MCP_CONFORMANCE_CONTEXT` and `MCP_CONFORMANCE_PROTOCOL_VERSION`; stdin is
 * empty. The client gets its own process group; on timeout or abort the group
 * gets SIGTERM, then SIGKILL after a 2 s grace, and whatever the client leaves
 * behind in its group after a normal exit is stopped the same way.
 * Throws `DriverError` when the command cannot be run at all.
 */
export async function runCommandClient(req: DriverRequest): Promise<ClientOutcome> {
  checkRequest(req);
  if (req.target.kind !== 'command') throw new DriverError(`not a command client: ${req.target.kind}`);
  const command = req.target.command.trim();
  if (command.length === 0) throw new DriverError('client command is empty');
  if (process.platform === 'win32') {
    throw new DriverError('command clients need a POSIX system (process groups); use a module client instead');
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MCP_CONFORMANCE_SCENARIO: req.scenario,
    MCP_CONFORMANCE_CONTEXT: clientContextJson(req),
    MCP_CONFORMANCE_PROTOCOL_VERSION: CONFORMANCE_PROTOCOL_VERSION,
  };
  const startedAt = performance.now();
  if (req.signal?.aborted) return notStarted();

  let child: ChildProcess;
  try {
    child = spawn(`${command} ${quoteShellArg(req.serverUrl)}`, {
      shell: true,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
  } catch (error) {
    throw new DriverError(`cannot start client command: ${command}: ${messageOf(error)}`, { cause: error });
  }
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const pgid = child.pid;
  if (pgid === undefined) {
    const error = await spawnError;
    throw new DriverError(`cannot start client command: ${command}: ${messageOf(error)}`, { cause: error });
  }
  return supervise(child, pgid, command, req, startedAt);
}

async function supervise(
  child: ChildProcess,
  pgid: number,
  command: string,
  req: DriverRequest,
  startedAt: number,
): Promise<ClientOutcome> {
  const untrack = trackGroup(pgid);
  const stdout = new CappedOutput(OUTPUT_CAP_BYTES);
  const stderr = new CappedOutput(OUTPUT_CAP_BYTES);
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = stopRequest(req.timeoutMs, req.signal);
  const stopRequested = stop.requested;

  let termination: Promise<void> | null = null;
  const terminate = (): Promise<void> => (termination ??= terminateGroup(pgid, TERMINATION_GRACE_MS, KILL_SETTLE_MS));

  const finished = (async () => {
    const first = await Promise.race([exited, stopRequested]);
    const stoppedBy = typeof first === 'string' ? first : null;
    stop.dispose();
    if (stoppedBy !== null) await terminate();
    // After SIGKILL the leader's exit is only a reap away; the bound covers a
    // leader that could not be signalled at all.
    const exit = (await within(exited, KILL_SETTLE_MS)) ?? { code: null, signal: null };
    // Processes the client left running in its group must not outlive the run.
    if (groupAlive(pgid)) await terminate();
    if ((await within(closed, PIPE_DRAIN_MS)) === undefined) {
      // Something outside the group still holds the pipes; stop reading.
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    return { exit, stoppedBy };
  })();
  const unregister = onCleanup(async () => {
    stop.request('abort');
    await finished;
  });

  try {
    const { exit, stoppedBy } = await finished;
    const stderrText = stderr.text();
    if (stoppedBy === null) rejectShellFailure(exit, stderrText, command);
    return {
      exitCode: exit.code,
      signal: exit.signal,
      timedOut: stoppedBy === 'timeout',
      stdout: stdout.text(),
      stderr: stderrText,
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    stop.dispose();
    unregister();
    untrack();
  }
}

/**
 * POSIX.1-2017 XCU §2.8.2: the shell exits 127 when a command is not found
 * and 126 when it is found but cannot be executed.
 */
function rejectShellFailure(exit: Exit, stderr: string, command: string): void {
  if (exit.code === 127 && /not found|ENOENT/i.test(stderr)) {
    throw new DriverError(`client command not found: ${command}`);
  }
  if (exit.code === 126) {
    throw new DriverError(`client command is not executable: ${command}`);
  }
}

function notStarted(): ClientOutcome {
  return { exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 };
}
