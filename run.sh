#!/usr/bin/env bash
# Runs the whole platform locally under the Aspire AppHost: PostgreSQL, Redis, RabbitMQ and every service, the gateway on
# http://localhost:8004 and the Aspire dashboard on http://localhost:18888 (its login URL is printed). Ctrl+C, or SIGTERM to
# this process, stops everything. Arguments go to the AppHost (e.g. --Messaging:Replicas=2).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
configuration="${CONFIGURATION:-Release}"
dotnet build AppHost -c "$configuration" -nologo -v q -clp:ErrorsOnly
# What AppHost/Properties/launchSettings.json gives `dotnet run`; the AppHost runs as this process itself, so a signal to
# this script's PID reaches it (a `dotnet run` wrapper does not pass SIGTERM on).
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:18888}"
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="${ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL:-http://localhost:18889}"
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
exec dotnet "AppHost/bin/$configuration/net10.0/AppHost.dll" "$@"
