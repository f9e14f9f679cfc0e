import { installSignalHandlers, onCleanup } from '../driver/cleanup.ts';
import { DriverError } from '../driver/types.ts';
import { ScheduleError } from '../schedule/validate.ts';
import { CorpusError } from '../corpus/entry.ts';
import { BaselineError } from '../baseline/expected-failures.ts';
import { MutationError } from '../mutation/errors.ts';
import { BASELINE_HELP } from './help/baseline.ts';
import { CHECK_HELP } from './help/check.ts';
import { LIST_HELP } from './help/list.ts';
import { MERGE_HELP } from './help/merge.ts';
import { MUTATE_HELP } from './help/mutate.ts';
import { PRESETS_HELP } from './help/presets.ts';
import { REPLAY_HELP } from './help/replay.ts';
import { RUN_HELP } from './help/run.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from '../version.ts';

const HELP = `dpop-fuzz — find DPoP (RFC 9449 / MCP SEP-1932) bugs in MCP clients

Usage: dpop-fuzz <command> [options]

Commands:
  run       fuzz a client: thousands of generated schedules, shrunk reports
  replay    re-run the schedule(s) of a report or corpus file
  check     run a client once against a schedule and judge it
  list      print the check catalogue
  presets   list the named schedules
  merge     merge the reports of a run split with --shard i/n
  baseline  write an expected-failures file accepting a report's bugs
  mutate    mutation-test a package's DPoP code with dpop-fuzz as the oracle
  help      show help for a command
  version   print the version (also --version, -V)

Run 'dpop-fuzz help <command>' (or 'dpop-fuzz <command> --help') for its options.
Exit status: 0 clean, 1 violation found, 2 usage or infrastructure error.`;

const HELPS: Record<string, string> = { run: RUN_HELP, replay: REPLAY_HELP, check: CHECK_HELP, list: LIST_HELP, presets: PRESETS_HELP, baseline: BASELINE_HELP, merge: MERGE_HELP, mutate: MUTATE_HELP };

/** `--help` or `-h` anywhere after a command asks for that command's help (as every command's usage says). */
function asksForHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

async function dispatch(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && command in HELPS && asksForHelp(rest)) return dispatch(['help', command], signal);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const topic = rest[0];
      if (topic !== undefined && !(topic in HELPS)) throw new UsageError(`no help for unknown command ${JSON.stringify(topic)}`);
      process.stdout.write(`${topic ? HELPS[topic] : HELP}\n`);
      return 0;
    }
    case 'version':
    case '--version':
    case '-V':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    // Each command's module is loaded only when it runs: help and version start without the servers, the MCP SDK or jose.
    case 'check':
      return (await import('./commands/check.ts')).checkCommand(rest, signal);
    case 'run':
      return (await import('./commands/run.ts')).runCommand(rest, signal);
    case 'replay':
      return (await import('./commands/replay.ts')).replayCommand(rest, signal);
    case 'list':
      return (await import('./commands/list.ts')).listCommand(rest);
    case 'presets':
      return (await import('./commands/presets.ts')).presetsCommand(rest);
    case 'baseline':
      return (await import('./commands/baseline.ts')).baselineCommand(rest);
    case 'merge':
      return (await import('./commands/merge.ts')).mergeCommand(rest);
    case 'mutate':
      return (await import('./commands/mutate.ts')).mutateCommand(rest, signal);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  }
}

/** Runs the CLI and returns the exit status; never lets an exception escape as a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const interrupted = new AbortController();
  installSignalHandlers();
  // An in-process client may leave a promise rejecting after its run (e.g. a
  // background stream whose server is gone): report it, do not crash the tool.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`dpop-fuzz: ignoring an unhandled rejection from an in-process client: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  });
  const unregister = onCleanup(() => interrupted.abort());
  try {
    return await dispatch(argv, interrupted.signal);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ScheduleError || err instanceof DriverError || err instanceof CorpusError || err instanceof BaselineError || err instanceof MutationError) {
      process.stderr.write(`dpop-fuzz: ${err.message}\n`);
    } else {
      const detail = process.env.DPOP_FUZZ_DEBUG ? (err as Error).stack : (err as Error)?.message ?? String(err);
      process.stderr.write(`dpop-fuzz: internal error: ${detail}\n`);
    }
    return 2;
  } finally {
    unregister();
  }
}
