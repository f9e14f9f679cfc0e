/** `dpop-fuzz merge`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const MERGE_HELP = `Usage: dpop-fuzz merge <report.json>... [--out <dir>] [--expected-failures <file>] [--junit <file>]

Merges the reports of one run split with 'run --shard i/n' (for example over
the jobs of a CI matrix) into one report.json and report.md: runs, coverage,
crashes and failed-check counts added up, each bug once (the smaller
counterexample stands for it, the hits of every shard added up). The shard
reports must come from the same command line apart from --shard.

Options:
  --out <dir>         report folder (default: the current folder)
  --expected-failures <file>
                      judge the merged run against this baseline, stale
                      entries included (a shard alone cannot tell stale)
  --junit <file>      also write the merged result as JUnit XML

Under GitHub Actions the merged bugs become ::error annotations and a job
summary, as with 'run'.

Exit status: 0 no failure (with --expected-failures: only known ones),
1 a failure in some shard (or a new failure, or a stale entry), 2 usage
error (unreadable report, reports of different runs, a shard given twice).`;
