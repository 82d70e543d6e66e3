#!/usr/bin/env bash
# The whole test run (README: `npm test`): static checks, the contract pipeline, then the vitest suites.
# Each stage runs even when an earlier one failed, so one CI run reports everything; exit is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
passed=0; failed=0; failures=()

stage() {
  local name="$1"; shift
  local start=$SECONDS
  echo "::: ${name}"
  if "$@"; then
    passed=$((passed + 1)); echo "::: ${name}: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "::: ${name}: FAILED ($((SECONDS - start)) s)"
  fi
}

# Compare the contracts with the previous commit (CI's "what did this change break").
breaking_base() {
  if git rev-parse --verify -q HEAD~1 >/dev/null; then echo "HEAD~1"; fi
}

stage "typecheck" npx tsc --noEmit -p tsconfig.json
stage "biome check (format + code lint)" npx biome check src test tools
stage "eventkit lint" node bin/eventkit.mjs lint
stage "eventkit codegen --check" node bin/eventkit.mjs codegen --check
base="$(breaking_base)"
if [ -n "$base" ]; then
  stage "eventkit breaking --against $base" node bin/eventkit.mjs breaking --against "$base"
fi
stage "contracts (consumer pacts, provider verification, cross-check, can-i-deploy)" npm run --silent contracts
stage "vitest" npx vitest run "$@"
# The package as a user meets it: build, pack, install into a temp project, init … catalog (README).
# Skipped when vitest arguments narrow the run (npm test -- test/some/dir).
[ $# -eq 0 ] && stage "adopter (build, pack, install, init, add event, codegen, tsc, node on JetStream, pact, verify, catalog)" npm run --silent adopter

echo
if [ "$failed" -gt 0 ]; then echo "failed stages: ${failures[*]}"; fi
echo "stages: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
