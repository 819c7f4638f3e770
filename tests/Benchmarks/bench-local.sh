#!/usr/bin/env bash
# Benchmarks the platform that ./run.sh is running on this machine: reads the secrets the AppHost
# stored in .data/secrets.json and the Groups service's address from the AppHost dashboard, then runs
# the given benchmark command (default: all) with every target filled in. Prints the JSON report.
#   tests/Benchmarks/bench-local.sh [all|compare|gateway-get|create-group] [load options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command="${1:-all}"
[ $# -gt 0 ] && shift

secret() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$root/.data/secrets.json" "$1"; }
dashboard="${DASHBOARD_URL:-http://localhost:18888}"
groups=$(curl -sf "$dashboard/api/resources" | python3 -c "import json,sys; print(next(r['url'] for r in json.load(sys.stdin) if r['name'] == 'groups'))")

dotnet build -c Release -nologo -v q "$root/tests/Benchmarks" >/dev/null
extra=()
[ "$command" = compare ] && extra=(--path /api/default/groups)
exec dotnet "$root/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll" "$command" \
  --gateway "${GATEWAY_URL:-http://127.0.0.1:8004}" --direct "$groups" \
  --jwt-secret "$(secret 'Apps:Default:JwtSecret')" --signing-key "$(secret 'Identity:SigningKey')" \
  "${extra[@]}" "$@"
