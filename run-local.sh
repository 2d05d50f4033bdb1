#!/usr/bin/env bash
# Runs the service locally: a dynalite on disk (data kept in .local/dynalite across restarts),
# the table created if missing, and the API and the web console on http://localhost:${PORT:-8080}
# through the Lambda HTTP adapter's event server. Ctrl-C or SIGTERM stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"

PORT=${PORT:-8080}
DYNAMODB_PORT=${DYNAMODB_PORT:-8000}
export PORT
export DYNAMODB_ENDPOINT="http://127.0.0.1:${DYNAMODB_PORT}"

bash scripts/install-dynalite.sh
mkdir -p .local/dynalite

if [ -z "${BOOTSTRAP_ADMIN_TOKEN:-}" ]; then
  # Generated once and kept (git-ignored), so restarts keep the same admin token.
  if [ ! -s .local/admin-token ]; then
    echo "api-$(cat /proc/sys/kernel/random/uuid)" > .local/admin-token
    chmod 600 .local/admin-token
  fi
  BOOTSTRAP_ADMIN_TOKEN=$(cat .local/admin-token)
  generated=1
fi
export BOOTSTRAP_ADMIN_TOKEN

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

setsid node scripts/dynalite.js --host 127.0.0.1 --port "$DYNAMODB_PORT" --path .local/dynalite \
  > .local/dynalite.log 2>&1 &
pids+=($!)

setsid ./mvnw -q -B quarkus:dev -Ddebug=false -Dquarkus.console.enabled=false < /dev/null &
pids+=($!)

for _ in $(seq 1 300); do
  if curl -s -o /dev/null "http://localhost:${PORT}/api/v2/tokens"; then break; fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then echo "The service failed to start." >&2; exit 1; fi
  sleep 1
done

cat <<MSG

The API is ready on http://localhost:${PORT} (DynamoDB: dynalite on ${DYNAMODB_ENDPOINT}, data in .local/dynalite).
The web console: open http://localhost:${PORT}/ in a browser and sign in with an access token.
MSG
if [ -n "${generated:-}" ]; then
  echo "Admin token (generated, kept in .local/admin-token): ${BOOTSTRAP_ADMIN_TOKEN}"
fi
cat <<MSG
Try it:

  curl -s -X POST http://localhost:${PORT}/api/v2/projects \\
    -H "Authorization: \$(cat .local/admin-token 2>/dev/null || echo \$BOOTSTRAP_ADMIN_TOKEN)" \\
    -H 'Content-Type: application/json' \\
    -d '{"key":"demo","name":"Demo","environments":[{"key":"production","name":"Production","color":"417505"}]}'

Press Ctrl-C to stop.
MSG
wait "${pids[1]}"
