#!/usr/bin/env bash
# Times big segments against small ones as a new user meets them: over HTTP against a service
# started with ./run-local.sh (run it first, in another terminal). Creates a project with a
# 10-user and a 15,000-user segment, every user scheduled for removal, then times PATCHes of one
# schedule and GETs of every schedule on each (medians of SAMPLES, default 20) with curl, and the
# transfer of the big GET's bytes alone (the same bytes served by python3's http.server).
# Prints the figures and ratios; asserts nothing. Needs curl, jq and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

B=${BASE_URL:-http://localhost:${PORT:-8080}}/api/v2
T=${BOOTSTRAP_ADMIN_TOKEN:-$(cat .local/admin-token)}
SAMPLES=${SAMPLES:-20}
FUTURE=$(( ($(date +%s) + 30 * 86400) * 1000 ))
P=timing-$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT

call() { # method path [body] -> prints status; body in $work/out
  local method=$1 path=$2 body=${3:-}
  local type='application/json'
  if [ "$method" = PATCH ]; then type='application/json; domain-model=launchdarkly.semanticpatch'; fi
  if [ -n "$body" ]; then
    printf '%s' "$body" > "$work/in"
    curl -s -o "$work/out" -w '%{http_code}' -X "$method" "$B$path" -H "Authorization: $T" -H "Content-Type: $type" --data-binary @"$work/in"
  else
    curl -s -o "$work/out" -w '%{http_code}' -X "$method" "$B$path" -H "Authorization: $T"
  fi
}
must() { local status; status=$(call "$@"); case $status in 2*) ;; *) echo "$1 $2: $status $(head -c 300 "$work/out")" >&2; exit 1;; esac; }

must POST /projects '{"key":"'$P'","name":"Timing","environments":[{"key":"production","name":"Production","color":"417505"}]}'

segment() { # key count
  local key=$1 count=$2
  must POST /segments/$P/production '{"key":"'$key'","name":"'$key'"}'
  for ((from = 0; from < count; from += 1500)); do
    local to=$(( from + 1500 < count ? from + 1500 : count ))
    local values; values=$(seq $from $((to - 1)) | sed "s/^/$key-/" | jq -R . | jq -sc .)
    must PATCH /segments/$P/production/$key '{"environmentKey":"production","instructions":[{"kind":"addIncludedUsers","values":'"$values"'}]}'
  done
  for ((from = 0; from < count; from += 250)); do
    local to=$(( from + 250 < count ? from + 250 : count ))
    local instructions; instructions=$(seq $from $((to - 1)) | sed "s/^/$key-/" | jq -R --argjson v "$FUTURE" \
      '{kind:"addExpireUserTargetDate",targetType:"included",userKey:.,value:$v}' | jq -sc .)
    must PATCH /segments/$P/$key/expiring-user-targets/production '{"instructions":'"$instructions"'}'
  done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_patch() { # key -> median seconds of PATCHes that cancel one user's removal or schedule it again
  local key=$1
  for ((i = 0; i < SAMPLES + 5; i++)); do
    if ((i % 2 == 0)); then
      printf '%s' '{"instructions":[{"kind":"removeExpireUserTargetDate","targetType":"included","userKey":"'$key'-3"}]}' > "$work/in"
    else
      printf '%s' '{"instructions":[{"kind":"addExpireUserTargetDate","targetType":"included","userKey":"'$key'-3","value":'$FUTURE'}]}' > "$work/in"
    fi
    curl -s -o /dev/null -w '%{time_total}\n' -X PATCH "$B/segments/$P/$key/expiring-user-targets/production" -H "Authorization: $T" \
      -H 'Content-Type: application/json; domain-model=launchdarkly.semanticpatch' --data-binary @"$work/in"
  done | tail -n "$SAMPLES" | median
}

time_get() { # url [header] -> median seconds
  local url=$1; shift
  for ((i = 0; i < SAMPLES + 5; i++)); do
    curl -s -o /dev/null -w '%{time_total}\n' "$url" "$@"
  done | tail -n "$SAMPLES" | median
}

echo "Building the segments in project $P ..."
segment small 10
segment big 15000

patch_small=$(time_patch small)
patch_big=$(time_patch big)
get_small=$(time_get "$B/segments/$P/small/expiring-user-targets/production" -H "Authorization: $T")
get_big=$(time_get "$B/segments/$P/big/expiring-user-targets/production" -H "Authorization: $T")
curl -s -o "$work/big.json" "$B/segments/$P/big/expiring-user-targets/production" -H "Authorization: $T"
bytes=$(stat -c %s "$work/big.json")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" > /dev/null 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/big.json" && break; sleep 0.1; done
transfer=$(time_get "http://127.0.0.1:$port/big.json")

awk -v ps="$patch_small" -v pb="$patch_big" -v gs="$get_small" -v gb="$get_big" -v tr="$transfer" -v by="$bytes" 'BEGIN {
  printf "| PATCH of one schedule, 10-user segment, median | %.1f ms |\n", ps * 1000
  printf "| PATCH of one schedule, 15,000-user segment, median | %.1f ms |\n", pb * 1000
  printf "| PATCH ratio (15,000 / 10) | %.1f |\n", pb / ps
  printf "| GET of every schedule, 10-user segment, median | %.1f ms |\n", gs * 1000
  printf "| GET of every schedule, 15,000-user segment, median (%d bytes) | %.1f ms |\n", by, gb * 1000
  printf "| transfer of those bytes alone (python3 http.server), median | %.1f ms |\n", tr * 1000
  printf "| GET ratio (15,000 / (10 + transfer)) | %.1f |\n", gb / (gs + tr)
}'
