#!/usr/bin/env bash
# The "Fuzz" step of action.yml: one `dpop-fuzz run` (one shard of it with DPOP_FUZZ_SHARD).
# Inputs arrive as environment variables, never spliced into the script, so any command is safe.
set -euo pipefail
bin="$GITHUB_ACTION_PATH/bin/dpop-fuzz.js"
args=(run --runs "$DPOP_FUZZ_RUNS" --time-limit "$DPOP_FUZZ_TIME_LIMIT" --corpus "$DPOP_FUZZ_CORPUS" --out "$DPOP_FUZZ_OUT" --junit "$DPOP_FUZZ_OUT/junit.xml" --quiet)
if [[ -n "$DPOP_FUZZ_COMMAND" && -n "$DPOP_FUZZ_MODULE" ]] || [[ -z "$DPOP_FUZZ_COMMAND" && -z "$DPOP_FUZZ_MODULE" ]]; then
  echo "::error title=dpop-fuzz::give exactly one of the inputs command and module"
  exit 2
fi
if [[ -n "$DPOP_FUZZ_COMMAND" ]]; then args+=(--command "$DPOP_FUZZ_COMMAND"); else args+=(--module "$DPOP_FUZZ_MODULE"); fi
# fast-check seeds are 31-bit; a workflow run's ID is larger, and the same in every shard's job.
args+=(--seed "$((DPOP_FUZZ_SEED % 2147483647))")
if [[ -n "$DPOP_FUZZ_SHARD" ]]; then
  args+=(--shard "$DPOP_FUZZ_SHARD")
  count="${DPOP_FUZZ_SHARD#*/}"
  # Default: each shard keeps its machine as busy as an unsharded run would.
  per_shard=$([[ -n "$DPOP_FUZZ_COMMAND" ]] && nproc || echo 8)
  args+=(--workers "${DPOP_FUZZ_WORKERS:-$((per_shard * count))}")
elif [[ -n "$DPOP_FUZZ_WORKERS" ]]; then
  args+=(--workers "$DPOP_FUZZ_WORKERS")
fi
if [[ -n "$DPOP_FUZZ_BASELINE" ]]; then args+=(--expected-failures "$DPOP_FUZZ_BASELINE"); fi
mkdir -p "$DPOP_FUZZ_OUT"
exec node "$bin" "${args[@]}"
