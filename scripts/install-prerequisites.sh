#!/usr/bin/env bash
# Installs the Debian packages the platform runs on (servers started as local processes, document
# tools), only those that are missing. Needs root or sudo the first time; a no-op afterwards.
set -euo pipefail

declare -A probe=(
  [postgresql]="/usr/lib/postgresql"
  [redis-server]="/usr/bin/redis-server"
  [rabbitmq-server]="/usr/lib/rabbitmq"
  [poppler-utils]="/usr/bin/pdftotext"
  [catdoc]="/usr/bin/catdoc"
)
[ "${WITH_BENCHMARK_TOOLS:-0}" = 1 ] && probe[nginx-light]="/usr/sbin/nginx" && probe[wrk]="/usr/bin/wrk"

missing=()
for package in "${!probe[@]}"; do
  [ -e "${probe[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The packages' own service units are not used (and there is no init system in containers).
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
