#!/usr/bin/env bash
# Installs dynalite, pinned by package-lock.json, unless node_modules already matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
   && [ -f node_modules/dynalite/cli.js ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
