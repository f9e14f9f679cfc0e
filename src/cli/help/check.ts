import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';

/** `dpop-fuzz check`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const CHECK_HELP = `Usage: dpop-fuzz check (--command "<cmd>" | --module <path>) [options]

Runs the client once against the test authorization server and MCP server,
judges the recorded exchange and prints one line per check.

Client (exactly one):
  --command "<cmd>"   shell command; the MCP server URL is appended as the last
                      argument, MCP_CONFORMANCE_SCENARIO=auth/dpop-fuzz and
                      MCP_CONFORMANCE_CONTEXT (JSON with the plan) are set
  --module <path>     JS/TS module exporting runClient(serverUrl, options)

Options:
  --preset <name>     named schedule (default: dpop), or 'all' for every
                      preset in turn; see 'dpop-fuzz presets'
  --schedule <file>   schedule JSON file (or a report/corpus file holding one)
  --out <dir>         where to write checks.json, trace.json, schedule.json and
                      the client output (default: results/check-<time>)
  --timeout <ms>      kill the client after this long (default: 30000)
  --profile <name>    sep-1932 (default) or rfc9449 (allows Bearer after a
                      Bearer-only challenge, RFC 9449 §7.2)
  --checks <ids>      comma-separated check IDs to run (default: all)
  --max-retries <n>   consecutive retries of one request that count as a storm
                      (default: ${DEFAULT_JUDGE_OPTIONS.maxRetries})
  --json              print checks.json to stdout instead of the table (with
                      --preset all: an object keyed by preset name)

Exit status: 0 no FAILURE, 1 at least one FAILURE, 2 usage or infrastructure error.`;
