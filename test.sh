#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis and RabbitMQ processes (started by the tests from
# the machine's binaries) and ends with one line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh || { echo "0 passed, 1 failed"; exit 1; }

results="TestResults/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

if ! dotnet build Chat.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

run_tests() {
  dotnet test "$@" --no-build -c Debug -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
    --blame-hang-timeout 8m
}

# Service-level suites in parallel, then the end-to-end suite on its own (it starts the whole platform).
status=0
run_tests Chat.sln --filter "FullyQualifiedName!~Chat.EndToEnd.Tests" || status=1
run_tests tests/EndToEnd.Tests/EndToEnd.Tests.csproj || status=1

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
trx_files=("$results"/*.trx)
if [ ${#trx_files[@]} -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # A test host that crashed or hung writes no failure counts of its own: count it as one.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
