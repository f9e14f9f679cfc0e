import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';

/** `dpop-fuzz replay`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const REPLAY_HELP = `Usage: dpop-fuzz replay <report.json | corpus file | schedule.json> [client] [options]

Re-runs exactly the schedule(s) stored in a file and prints the verdict: every
counterexample of a report, the schedule of a corpus entry, or a schedule.

Client (optional: defaults to the client recorded in the file):
  --command "<cmd>"   shell command; the MCP server URL is appended
  --module <path>     JS/TS module exporting runClient(serverUrl, options)

Options:
  --times <n>         run each schedule n times (default: 1)
  --out <dir>         also write checks.json, trace.json and the client output
  --timeout <ms>      per client run (default: 20000)
  --profile <name>    sep-1932 (default) or rfc9449
  --checks <ids>      comma-separated check IDs to judge (default: all)
  --max-retries <n>   consecutive retries that count as a storm (default: ${DEFAULT_JUDGE_OPTIONS.maxRetries})

Exit status: 0 no FAILURE, 1 at least one run had a FAILURE, 2 usage or
infrastructure error, 130 interrupted.`;
