/** `dpop-fuzz baseline`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const BASELINE_HELP = `Usage: dpop-fuzz baseline <report.json>... [--out <file>]

Writes an expected-failures file (YAML, for 'run --expected-failures') that
accepts every confirmed bug of the given reports: one '<scenario>:<check-id>'
entry per failed check (scenario auth/dpop-fuzz for --profile sep-1932,
auth/dpop-fuzz-rfc9449 for rfc9449) and each entry's minimal schedule, so
later runs find the known bugs again first thing. Review it before you commit
it: every entry is a deviation you accept.

Options:
  --out <file>        write the file here instead of printing it`;
