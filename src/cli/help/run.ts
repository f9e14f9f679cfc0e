import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';
import { DEFAULT_CONFIRMATIONS, DEFAULT_MAX_SHRINK_RUNS, DEFAULT_MODULE_WORKERS, DEFAULT_RUNS } from '../../runner/fuzz-options.ts';

/** `dpop-fuzz run`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const RUN_HELP = `Usage: dpop-fuzz run (--command "<cmd>" | --module <path>) [options]

Fuzzes the client: generates schedules (nonce challenges and rotations,
errors, token and URL shapes, challenge spellings, redirects, topologies,
concurrent plans, response delays), runs the client against each, judges
every run, and keeps going: each failure of a check no earlier bug failed
is shrunk to a minimal schedule and replayed to tell bugs from flakes, then
the search goes on; runs that fail only checks of known bugs are counted
against them. Writes report.json, report.md and one corpus entry per bug.

Client (exactly one):
  --command "<cmd>"   shell command; the MCP server URL is appended as the last
                      argument (MCP conformance client contract)
  --module <path>     JS/TS module exporting runClient(serverUrl, options)

Options:
  --runs <n>          schedules to generate (default: ${DEFAULT_RUNS})
  --seed <n>          fast-check seed, 0 to 2147483647; the same seed and
                      --workers give the same schedules (default: random,
                      printed)
  --time-limit <d>    stop generating after this long, e.g. 90s, 30m, 2h
  --workers <n>       searches run side by side (default: CPU count for
                      --command, ${DEFAULT_MODULE_WORKERS} for --module)
  --threads <n>       --module only: worker threads that share the searches,
                      so in-process runs use every core; the same seed and
                      --workers give the same schedules on any number of
                      threads (default: one per 2 CPU cores, at most
                      --workers; 1 runs on the main thread)
  --shard <i>/<n>     run shard i of n (1-based): every n-th of the --workers
                      searches, so n machines with the same command line and
                      i = 1..n run exactly the schedules of the unsharded
                      run; needs --workers >= n; combine the reports with
                      'dpop-fuzz merge'
  --out <dir>         report folder (default: results/run-<time>)
  --corpus <dir>      corpus folder: its schedules are tried first (after the
                      hand-picked ones shipped with the tool) and new
                      counterexamples are saved there (default: corpus)
  --no-hand-picked    do not run the shipped hand-picked schedules first
  --no-corpus         neither read nor write a corpus, hand-picked included
  --max-bugs <n>      stop exploring after n distinct failures (default: no
                      limit; the search runs --runs or --time-limit)
  --stop-on-first     stop exploring at the first failure (--max-bugs 1)
  --expected-failures <file>
                      YAML baseline of known failures (the official
                      conformance suite's format; see README): known bugs do
                      not fail the run, new ones and stale entries do
  --confirm <k>       replays of a shrunk counterexample (default: ${DEFAULT_CONFIRMATIONS})
  --max-shrink-runs <n>  client runs spent shrinking one counterexample
                      (default: ${DEFAULT_MAX_SHRINK_RUNS})
  --timeout <ms>      per client run (default: 20000)
  --profile <name>    sep-1932 (default) or rfc9449
  --checks <ids>      comma-separated check IDs to judge (default: all)
  --max-retries <n>   consecutive retries that count as a storm (default: ${DEFAULT_JUDGE_OPTIONS.maxRetries})
  --fail-on <level>   failure (default: MUST checks) or warning (SHOULD
                      checks count too)
  --junit <file>      also write the result as JUnit XML: one testcase per
                      check, a failure carrying the evidence, the replay
                      command and the minimal schedule
  --quiet             no progress and no statistics
  --json              print a JSON summary on stdout instead of the text one
                      (exit code, runs, seed, each bug's checks and replay
                      command, report paths); progress stays on stderr

Under GitHub Actions (GITHUB_ACTIONS=true) each new bug is also an ::error
annotation, and a summary with the bugs' sequence diagrams is appended to
$GITHUB_STEP_SUMMARY.

Exit status: 0 no FAILURE found (or, with --expected-failures, only known
ones), 1 a FAILURE was found (or a new one, or a stale baseline entry),
2 usage or infrastructure error, 130 interrupted (report written).`;
