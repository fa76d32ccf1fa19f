#!/usr/bin/env bash
# Two faults of issue 10, measured against the release binary:
#
#   A. Reset password with 40,000 copies of one user id (goal: answered in under 0.5 s);
#   B. the database stopped under a signed-in staff member (goal: every request answers 503
#      within 2 s), then started again (goal: the first success within 2 s of its return).
#
# B stops a database, so the script runs a private PostgreSQL cluster of its own (initdb and
# pg_ctl as the postgres user, on a free port, fsync on), never the machine's shared one.
# The results go to bench/results/faults-<date>.md. Nothing here asserts a time.
#
#   bench/faults.sh
#   BENCH_COPIES=100000 BENCH_ROUNDS=10 bench/faults.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

COPIES=${BENCH_COPIES:-40000}
ROUNDS=${BENCH_ROUNDS:-5}
PORT=${BENCH_PORT:-18084}
PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}

DB=partnerdesk_bench_faults
PG_HOST=127.0.0.1
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
BASE="http://127.0.0.1:$PORT"
EMAIL=bench@bench.example
PASSWORD='bench-password-not-secret-1'
DOMAIN=contoso-faults.example

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
note_start

WORK=$(mktemp -d /tmp/partnerdesk-faults.XXXXXX)
chown postgres:postgres "$WORK"
as_postgres() { runuser -u postgres -- "$@"; }
pg() { as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgres.log" -w -t 30 "$@" >/dev/null; }
SERVER_PID=
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if ((status != 0)) && [[ -s $WORK/server.log ]]; then
        tail -n 20 "$WORK/server.log" >&2 || true
    fi
    [[ -f $WORK/pgdata/postmaster.pid ]] && pg -m immediate stop || true
    rm -rf -- "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "A private PostgreSQL cluster on $PG_HOST:$PG_PORT"
as_postgres "$PG_BIN/initdb" --pgdata="$WORK/pgdata" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; exit 1; }
printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" \
    "$PG_PORT" "$WORK" >>"$WORK/pgdata/postgresql.conf"
pg start
preflight

build_private_binary

export DATABASE_URL PARTNERDESK_BIND="127.0.0.1:$PORT" PARTNERDESK_DATA_DIR="$WORK/data" RUST_LOG=warn
step "Starting partnerdesk serve on $BASE"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$BASE/health/ready" && break
    sleep 0.5
done
create_bench_admin "$EMAIL"

JAR=$WORK/cookies.txt

step "Signing in, one customer with one user"
token=$(token_from /sign-in)
read -r status _ < <(post_form /sign-in --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "sign-in answered $status"
token=$(token_from /customers/new)
read -r status location < <(post_form /customers --data-urlencode "company_name=Contoso Faults" \
    --data-urlencode "domains=$DOMAIN" --data-urlencode "default_usage_location=TW" --data-urlencode "csrf_token=$token")
[[ $status == 303 && $location =~ /customers/([0-9]+)/ ]] || die "creating the customer answered $status"
CID=${BASH_REMATCH[1]}
read -r status _ < <(post_form "/customers/$CID/users" --data-urlencode "display_name=Lin Mei" \
    --data-urlencode "alias=mei" --data-urlencode "domain=$DOMAIN" --data-urlencode "usage_location=TW" \
    --data-urlencode "org_role=user" --data-urlencode "action=save" --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "adding the user answered $status"
UID_=$(q -c "SELECT id FROM customer_users WHERE customer_id = $CID")

# --- A. 40,000 copies of one id ---------------------------------------------------------------
step "A. Reset password with $COPIES copies of user $UID_, $ROUNDS times"
python3 - "$UID_" "$COPIES" "$token" >"$WORK/reset.body" <<'PY'
import sys, urllib.parse
uid, copies, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.stdout.write(urllib.parse.urlencode({"csrf_token": token, "ids": ",".join([uid] * copies)}))
PY
reset_times=()
for _ in $(seq 1 "$ROUNDS"); do
    read -r status seconds < <(curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -c "$JAR" -b "$JAR" \
        -H 'content-type: application/x-www-form-urlencoded' --data-binary @"$WORK/reset.body" \
        "$BASE/customers/$CID/users/reset-password")
    [[ $status == 303 ]] || die "the reset answered $status"
    reset_times+=("$seconds")
done
reset_sorted=$(printf '%s\n' "${reset_times[@]}" | sort -n | tr '\n' ' ')
reset_median=$(printf '%s\n' "${reset_times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
credentials=$(q -c "SELECT count(*) FROM credential_sheets WHERE customer_id = $CID")
body_bytes=$(stat -c %s "$WORK/reset.body")

# --- B. The database stopped and started -----------------------------------------------------
PATHS=(/health /health/live /dashboard /customers "/customers/$CID/users")
step "B. Stopping the database; each of ${PATHS[*]} three times"
pg -m fast stop
outage_rows=""
worst=0
for round in 1 2 3; do
    for path in "${PATHS[@]}"; do
        read -r status seconds < <(curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 10 \
            -b "$JAR" "$BASE$path" || echo "000 10")
        outage_rows+="| $round | $path | $status | $(calc "$seconds * 1000") |"$'\n'
        holds "$seconds > $worst" && worst=$seconds
    done
done

step "B. Starting the database again; /customers every 20 ms until it answers 200"
pg start
back=$(date +%s.%N)
first_ok=""
for _ in $(seq 1 500); do
    status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 -b "$JAR" "$BASE/customers" || true)
    if [[ $status == 200 ]]; then
        first_ok=$(calc "$(date +%s.%N) - $back")
        break
    fi
    sleep 0.02
done
[[ -n $first_ok ]] || die "/customers did not answer 200 within 10 s of the database's return"

mkdir -p "$ROOT/bench/results"
RESULT=$ROOT/bench/results/faults-$run_date.md
{
    echo "# Faults: $run_stamp, commit $commit"
    echo
    echo "Load average at start: $load_at_start; CPU pressure: ${pressure_at_start:-n/a}; busiest: ${busiest_at_start:-n/a}"
    echo
    echo "## A. Reset password with $COPIES copies of one id ($body_bytes bytes of form)"
    echo
    echo "- times (s): $reset_sorted; median $reset_median s (goal under 0.5 s)"
    echo "- credentials sheets made: $credentials (one per reset, each for one user)"
    echo
    echo "## B. Database stopped (goal: 503 within 2 s), then started (goal: 200 within 2 s)"
    echo
    echo "| round | path | status | ms |"
    echo "|---|---|---:|---:|"
    printf '%s' "$outage_rows"
    echo
    echo "- slowest answer during the outage: $(calc "$worst * 1000") ms"
    echo "- first 200 on /customers after pg_ctl start returned: $(calc "$first_ok * 1000") ms"
} | tee "$RESULT"
echo "(written to ${RESULT#"$ROOT"/})" >&2
