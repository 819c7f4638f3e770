#!/usr/bin/env bash
# Benchmarks the platform that ./run.sh is running on this machine: reads the secrets the AppHost
# stored in .data/secrets.json and the addresses of the Groups and Messaging replicas it wrote to
# .data/endpoints.json (each replica's own port, past DCP's proxy), then runs the given benchmark
# command (default: all) with every target filled in.
# Prints the JSON report.
#   tests/Benchmarks/bench-local.sh [all|compare|gateway-get|create-group|send-direct|send-group|send-sse] [options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command="${1:-all}"
[ $# -gt 0 ] && shift

secret() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$data/secrets.json" "$1"; }
data="${DATA_DIRECTORY:-$root/.data}"
url() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]['http'][0])" "$data/endpoints.json" "$1"; }
groups=$(url groups)
messaging=$(url messaging)

dotnet build -c Release -nologo -v q "$root/tests/Benchmarks" >/dev/null
case "$command" in
  send-direct|send-group|send-sse) direct=(--direct "$messaging") ;;
  all) direct=(--direct "$groups" --direct-messaging "$messaging") ;;
  compare) direct=(--direct "$groups" --path /api/default/groups) ;;
  *) direct=(--direct "$groups") ;;
esac
exec dotnet "$root/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll" "$command" \
  --gateway "${GATEWAY_URL:-http://127.0.0.1:8004}" "${direct[@]}" \
  --jwt-secret "$(secret 'Apps:Default:JwtSecret')" --signing-key "$(secret 'Identity:SigningKey')" \
  "$@"
