import { DEFAULT_PACKAGE, DEFAULT_SELECTORS } from '../../mutation/package-defaults.ts';

export const DEFAULT_MUTATION_RUNS = 50;
export const DEFAULT_MUTATION_SEED = 1932;

/** `dpop-fuzz mutate`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const MUTATE_HELP = `Usage: dpop-fuzz mutate (--module <path> | --command "<cmd>")... [options]

Mutation-tests the DPoP code of an installed npm package with dpop-fuzz as
the oracle (Stryker, on a temporary copy of the package: the installed one
is never touched). Each mutant is killed when a run of the client against
one of the oracle's schedules fails a check (or crashes, or times out) that
the unmutated package never failed under that schedule, twice in a row.
Writes Stryker's HTML and JSON, summary.md and summary.json to --out.

Client (one or more, each run against every schedule; each must import the
package: give several to cover several ways of using it):
  --module <path>        JS/TS module exporting runClient(serverUrl, options),
                         run in-process (fast; per-schedule coverage);
                         repeatable
  --command "<cmd>"      a Node.js command client (conformance contract); it
                         loads the mutated copy through NODE_OPTIONS;
                         repeatable

Options:
  --package <name>       npm package to mutate (default: ${DEFAULT_PACKAGE})
  --mutate <selector>    what to mutate, repeatable: <file>, <file>:<a>-<b>
                         (lines) or <file>#<name> (a //#region of a bundle, or
                         a function/class/variable declaration); '*' allowed
                         in the file name. Default for ${DEFAULT_PACKAGE}:
                         ${(DEFAULT_SELECTORS[DEFAULT_PACKAGE] ?? []).join('\n                         ')}
  --runs <n>             generated schedules in the oracle (default: ${DEFAULT_MUTATION_RUNS})
  --seed <n>             their fast-check seed (default: ${DEFAULT_MUTATION_SEED}, fixed)
  --corpus <dir>         corpus schedules run first, repeatable (default:
                         corpus)
  --no-corpus            generated schedules only
  --replays <n>          baseline runs per schedule on the unmutated package
                         (default: 2)
  --concurrency <n>      Stryker workers (default: CPU count)
  --timeout <ms>         per client run (default: 10000)
  --profile <name>       sep-1932 (default) or rfc9449
  --fail-on <level>      failure (default) or warning: WARNINGs kill too
  --official             also score the same mutants with the official
                         conformance suite (auth/dpop, auth/dpop-nonce; Node 22
                         via npx) and write the side-by-side table
  --official-command "<cmd>"
                         the client command for the official suite (default:
                         the first --command, or run.mjs next to the first
                         --module)
  --verdicts <file>      YAML verdicts on survivors (equivalent, property-gap,
                         untested) shown in the summary; equivalent ones are
                         left out of the non-equivalent score
  --break <pct>          exit 1 when the non-equivalent score is below pct
  --out <dir>            report folder (default: reports/mutation)
  --keep-work            keep the temporary work directory (debugging)
  --quiet                no progress

Exit status: 0 done (and the score reaches --break), 1 score below --break,
2 usage or infrastructure error.`;
