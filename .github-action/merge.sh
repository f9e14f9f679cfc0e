#!/usr/bin/env bash
# The "Merge the shards" step of action.yml: every report.json under DPOP_FUZZ_REPORTS into one report.
set -euo pipefail
mapfile -t reports < <(find "$DPOP_FUZZ_REPORTS" -name report.json -type f | sort)
if [[ ${#reports[@]} -eq 0 ]]; then
  echo "::error title=dpop-fuzz::no report.json under $DPOP_FUZZ_REPORTS (did the shards upload their reports?)"
  exit 2
fi
args=(merge "${reports[@]}" --out "$DPOP_FUZZ_OUT" --junit "$DPOP_FUZZ_OUT/junit.xml")
if [[ -n "$DPOP_FUZZ_BASELINE" ]]; then args+=(--expected-failures "$DPOP_FUZZ_BASELINE"); fi
mkdir -p "$DPOP_FUZZ_OUT"
exec node "$GITHUB_ACTION_PATH/bin/dpop-fuzz.js" "${args[@]}"
