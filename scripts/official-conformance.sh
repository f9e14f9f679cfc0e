#!/usr/bin/env bash
# Runs the DPoP client scenarios of the official MCP conformance suite
# (extension io.modelcontextprotocol/auth/dpop, SEP-1932) against a client
# command, prints a summary, and exits non-zero if any scenario fails.
#
# The suite needs Node 22; it is fetched from the npm registry with npx.
#
# Environment:
#   CLIENT_COMMAND       client to test (default: node bin/reference-client.js);
#                        the suite appends the server URL as the last argument.
#                        Try e.g. CLIENT_COMMAND="node bin/broken-client.js bearer-scheme".
#   SCENARIOS            space-separated scenarios (default: auth/dpop auth/dpop-nonce)
#   CONFORMANCE_VERSION  suite version (default: 0.2.0-alpha.12)
#   VERBOSE=1            print the full suite output, not only the summary
set -uo pipefail

cd "$(dirname "$0")/.."

CONFORMANCE_PACKAGE="@modelcontextprotocol/conformance@${CONFORMANCE_VERSION:-0.2.0-alpha.12}"
CLIENT_COMMAND="${CLIENT_COMMAND:-node bin/reference-client.js}"
read -r -a SCENARIO_LIST <<<"${SCENARIOS:-auth/dpop auth/dpop-nonce}"

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT

# Node 22: from npx's node@22 package, or else installed into a temporary
# directory with npm. Both put a node 22 binary first on PATH, so the suite
# and the client it spawns both run on it.
NODE22_BIN=""
if ! npx -y -p node@22 -- node --version 2>/dev/null | grep -q '^v22\.'; then
  echo "npx could not provide node@22; installing it into a temporary directory" >&2
  if ! npm install --no-save --no-audit --no-fund --prefix "$WORK_DIR/node22" node@22 >/dev/null 2>&1; then
    echo "error: could not get Node 22 from the npm registry" >&2
    exit 2
  fi
  NODE22_BIN="$WORK_DIR/node22/node_modules/.bin"
fi

conformance() {
  if [[ -n "$NODE22_BIN" ]]; then
    PATH="$NODE22_BIN:$PATH" npx -y -p "$CONFORMANCE_PACKAGE" -- conformance "$@"
  else
    npx -y -p node@22 -p "$CONFORMANCE_PACKAGE" -- conformance "$@"
  fi
}

echo "Suite:  $CONFORMANCE_PACKAGE"
echo "Client: $CLIENT_COMMAND"
failed=0
summary=()
for scenario in "${SCENARIO_LIST[@]}"; do
  log="$WORK_DIR/$(echo "$scenario" | tr '/' '_').log"
  conformance client --command "$CLIENT_COMMAND" --scenario "$scenario" >"$log" 2>&1
  status=$?
  # Strip colours and npm engine warnings for the summary.
  clean="$(sed -e 's/\x1b\[[0-9;]*m//g' "$log" | grep -v '^npm warn')"
  if [[ -n "${VERBOSE:-}" ]]; then
    echo "$clean"
  fi
  echo
  echo "== $scenario"
  echo "$clean" | grep -E '\] (SUCCESS|FAILURE|WARNING) ' | sed -E 's/^[^[]*\[ *([^] ]+) *\] *([A-Z]+) .*/  \2  \1/'
  echo "$clean" | grep -E '^(Passed: |⚠️|  - |    Error: )' | sed 's/^/  /'
  if [[ $status -eq 0 ]]; then
    summary+=("PASS  $scenario")
  else
    summary+=("FAIL  $scenario (exit $status)")
    failed=1
  fi
done

echo
echo "== Summary"
printf '  %s\n' "${summary[@]}"
exit "$failed"
