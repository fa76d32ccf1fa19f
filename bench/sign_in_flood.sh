#!/usr/bin/env bash
# A sign-in flood: 16, then 64 clients post wrong passwords for 20 s each while one signed-in
# staff member loads the Users list of a 100,000-user customer, one request after another.
# Reports the server's memory (VmRSS) during and 30 s after each flood, the staff member's p99
# and the flood's answers by status (no 500 expected). Each flood runs twice: with the default
# rate limits (what a real server does: most attempts get 429 before any password is checked),
# and with the rate limits lifted, so that every attempt reaches the bounded password workers.
# The results go to bench/results/sign-in-flood-<date>.md.
#
#   bench/sign_in_flood.sh
#   BENCH_FLOOD_DURATION=10s BENCH_CLIENTS="16" bench/sign_in_flood.sh
#
# It needs the machine's PostgreSQL on 127.0.0.1:5432 (user postgres, trust), drops and
# recreates the database partnerdesk_bench_flood there, and sends traffic to 127.0.0.1 only.
# Goals (issue 10): RSS under 300 MB during, under 150 MB within 30 s after; p99 under 100 ms;
# no 500. Nothing here asserts them: it measures and prints them beside the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

USERS=${BENCH_USERS:-100000}
FLOOD_DURATION=${BENCH_FLOOD_DURATION:-20s}
SETTLE=${BENCH_SETTLE:-30}              # seconds after a flood before the memory is read again
CLIENTS=${BENCH_CLIENTS:-"16 64"}
PORT=${BENCH_PORT:-18081}
KEEP_DB=${BENCH_KEEP_DB:-0}

DB=partnerdesk_bench_flood
PG_HOST=127.0.0.1
PG_PORT=5432
DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
BASE="http://127.0.0.1:$PORT"
EMAIL=bench@bench.example
VICTIM=victim@bench.example
PASSWORD='bench-password-not-secret-1'
DOMAIN=contoso-bench.example

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

note_start
need_wrk
preflight wrk timeout

WORK=$(mktemp -d /tmp/partnerdesk-flood.XXXXXX)
SERVER_PID=
trap cleanup_bench EXIT # bench/lib.sh
trap 'exit 130' INT TERM

build_private_binary

step "Creating a fresh database $DB"
q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
q_admin -c "CREATE DATABASE $DB"
export DATABASE_URL PARTNERDESK_BIND="127.0.0.1:$PORT" PARTNERDESK_DATA_DIR="$WORK/data" RUST_LOG=warn
"$BIN" migrate >/dev/null
for who in "$EMAIL" "$VICTIM"; do
    create_bench_admin "$who"
done

# Starts the server with extra environment (e.g. lifted rate limits); waits for /health.
start_server() {
    stop_server
    env "$@" "$BIN" serve >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "$BASE/health" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped at start"
        sleep 0.5
    done
    die "the server did not answer /health within 60 s"
}
rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

JAR=$WORK/cookies.txt
sign_in() {
    rm -f "$JAR"
    local token status
    token=$(token_from /sign-in)
    read -r status _ < <(post_form /sign-in --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "csrf_token=$token")
    [[ $status == 303 ]] || die "sign-in answered $status"
}
session_cookie() { awk '$6 == "pd_session" { print "pd_session=" $7 }' "$JAR" | tail -n 1; }

start_server
sign_in
step "Creating the customer and loading $USERS users in SQL"
token=$(token_from /customers/new)
read -r status location < <(post_form /customers --data-urlencode "company_name=Contoso Flood" \
    --data-urlencode "domains=$DOMAIN" --data-urlencode "default_usage_location=TW" --data-urlencode "csrf_token=$token")
[[ $status == 303 && $location =~ /customers/([0-9]+)/ ]] || die "creating the customer answered $status $location"
CID=${BASH_REMATCH[1]}
q -v cid="$CID" -v users="$USERS" -v domain="$DOMAIN" <<'SQL'
INSERT INTO customer_users (customer_id, first_name, last_name, display_name, user_name,
                            usage_location, org_role, sign_in_blocked, password_hash,
                            must_change_password, created_at, updated_at)
SELECT :cid, 'User', 'No' || i, 'User No' || i, 'user' || i || '@' || :'domain', 'TW', 'user',
       false, 'bench: not a password hash', false, now(), now()
FROM generate_series(1, :users) AS i;
SQL
q -c "VACUUM ANALYZE customer_users"
USERS_PATH="/customers/$CID/users"

# The flood: wrk posting wrong passwords for the victim with a valid CSRF token of its own
# session, counting the answers by status.
cat >"$WORK/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("FLOOD_COOKIE")
wrk.body = os.getenv("FLOOD_BODY")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
    end
    for k, v in pairs(total) do io.write(string.format("STATUS %d %d\n", k, v)) end
end
LUA

declare -a ROWS=()
run_flood() {
    local label=$1 clients=$2
    shift 2
    step "$label: $clients clients for $FLOOD_DURATION"
    start_server "$@"
    sign_in
    local staff_cookie rss_before
    staff_cookie=$(session_cookie)
    for _ in 1 2 3; do curl -s -o /dev/null -H "Cookie: $staff_cookie" "$BASE$USERS_PATH"; done # warm the directory
    rss_before=$(rss_mib)
    # The flood's own session and token (a fresh jar, so the staff member stays signed in).
    local flood_jar=$WORK/flood-jar.txt flood_token flood_cookie
    flood_token=$(curl -fsS -c "$flood_jar" "$BASE/sign-in" | csrf_of)
    flood_cookie=$(awk '$6 == "pd_session" { print "pd_session=" $7 }' "$flood_jar" | tail -n 1)
    export FLOOD_COOKIE=$flood_cookie
    FLOOD_BODY="csrf_token=$flood_token&email=$(printf '%s' "$VICTIM" | sed 's/@/%40/')&password=wrong-password"
    export FLOOD_BODY
    : >"$WORK/rss.txt"
    (while kill -0 "$SERVER_PID" 2>/dev/null; do rss_mib >>"$WORK/rss.txt"; echo >>"$WORK/rss.txt"; sleep 0.5; done) &
    local sampler=$!
    wrk -t 2 -c "$clients" -d "$FLOOD_DURATION" --timeout 10s -s "$WORK/flood.lua" "$BASE/sign-in" >"$WORK/flood.out" &
    local flood=$!
    sleep 1
    : >"$WORK/staff.txt"
    while kill -0 "$flood" 2>/dev/null; do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 15 -H "Cookie: $staff_cookie" "$BASE$USERS_PATH" >>"$WORK/staff.txt"
    done
    wait "$flood" || true
    local rss_peak rss_after statuses staff_n staff_p99 staff_bad flood_500
    rss_peak=$(grep -E '^[0-9]+$' "$WORK/rss.txt" | sort -n | tail -n 1)
    sleep "$SETTLE"
    rss_after=$(rss_mib)
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    statuses=$(awk '/^STATUS/ { printf "%s%s: %s", sep, $2, $3; sep = ", " }' "$WORK/flood.out")
    flood_500=$(awk '/^STATUS 5/ && $2 != 503 { n += $3 } END { print n + 0 }' "$WORK/flood.out")
    staff_n=$(wc -l <"$WORK/staff.txt")
    staff_bad=$(awk '$1 != 200' "$WORK/staff.txt" | wc -l)
    staff_p99=$(awk '{ print $2 * 1000 }' "$WORK/staff.txt" | sort -g |
        awk '{ a[NR] = $1 } END { i = int(NR * 0.99 + 0.999); if (i < 1) i = 1; printf "%.1f", a[i] }')
    local goals="RSS<300: $(holds "$rss_peak < 300" && echo yes || echo '**no**'), after<150: $(holds "$rss_after < 150" && echo yes || echo '**no**'), p99<100: $(holds "$staff_p99 < 100" && echo yes || echo '**no**'), no 500: $( ((flood_500 + staff_bad == 0)) && echo yes || echo '**no**')"
    ROWS+=("| $label | $clients | $rss_before | $rss_peak | $rss_after | $staff_n | $staff_p99 | $staff_bad | $statuses | $goals |")
    printf '%s\n' "${ROWS[-1]}" >&2
}

for clients in $CLIENTS; do
    run_flood "default limits" "$clients"
    run_flood "rate limits lifted" "$clients" PARTNERDESK_SIGN_IN_PER_ADDRESS=100000000 PARTNERDESK_SIGN_IN_PER_ACCOUNT=100000000
done
stop_server

mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/sign-in-flood-$run_date.md"
[[ ! -e $out ]] || out="$ROOT/bench/results/sign-in-flood-$run_date-$(date +%H%M).md"
{
    echo "# Sign-in flood — $run_stamp"
    echo
    echo "Made by \`bench/sign_in_flood.sh\` at commit $commit."
    echo
    echo "- Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; load at start $load_at_start (CPU pressure ${pressure_at_start:-unknown}; busy: ${busiest_at_start:-none}); at end $(loadavg)."
    echo "- Flood: wrk, 2 threads, N connections posting a wrong password for one staff account for $FLOOD_DURATION, all from 127.0.0.1. Staff member: one signed-in Global admin loading \`$USERS_PATH\` ($USERS users) one request after another during the flood."
    echo "- \"rate limits lifted\": PARTNERDESK_SIGN_IN_PER_ADDRESS/PER_ACCOUNT set very high, so every attempt is a password check on the bounded workers (default: one per CPU, backlog 16)."
    echo "- RSS in MiB: before the flood, peak during (sampled every 0.5 s), ${SETTLE} s after."
    echo
    echo "| run | clients | RSS before | RSS peak | RSS after | staff requests | staff p99 ms | staff non-200 | flood answers by status | goals |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$out"
step "Results ($((SECONDS - started)) s in all), written to ${out#"$ROOT"/}"
cat "$out"
