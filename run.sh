#!/usr/bin/env bash
# Runs the whole platform locally: PostgreSQL, Redis, RabbitMQ and every service, gateway on
# http://localhost:8004, dashboard on http://localhost:18888. Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
exec dotnet run --project AppHost -c Release -- --configuration Release "$@"
