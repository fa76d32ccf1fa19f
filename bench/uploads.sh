#!/usr/bin/env bash
# Benchmarks the memory one uploaded .csv file takes while it is read and checked
# (POST /customers/{id}/import), and what parallel uploads do to the server:
#
#   1. one 40 MB file of 200,000 valid users (long names: about 200 bytes a row);
#   2. one 40 MB file of 200,000 rows that are all wrong (every row a problem to keep);
#   3. one 40 MB file of 2,000,000 short rows (over the 200,000-row limit: refused);
#   4. the first file uploaded 4 times at once, then 8 times at once.
#
# For each, a fresh server: its resident memory before (VmRSS), its peak (VmHWM) and the ratio
# of peak growth to the file's size, the answers' status codes and the time to the last answer.
# Results go to bench/results/uploads-<date>.md.
#
#   bench/uploads.sh
#   BENCH_UPLOAD_WORKERS=2 bench/uploads.sh
#
# It needs the machine's PostgreSQL on 127.0.0.1:5432 (user postgres, trust), drops and
# recreates the database partnerdesk_bench_uploads there, and sends traffic to 127.0.0.1 only.
# Nothing here asserts a figure: it measures and reports, with the goals beside the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

PORT=${BENCH_PORT:-18082}
UPLOAD_WORKERS=${BENCH_UPLOAD_WORKERS:-}   # empty: the server's default
UPLOAD_BACKLOG=${BENCH_UPLOAD_BACKLOG:-}
RUNS=${BENCH_RUNS:-valid.csv:1 wrong.csv:1 short.csv:1 valid.csv:4 valid.csv:8}  # file:uploads at once
SERVER_WRAPPER=${BENCH_SERVER_WRAPPER:-} # e.g. "heaptrack -o /tmp/ht": the server runs under it
DB=partnerdesk_bench_uploads
PG_HOST=127.0.0.1
PG_PORT=5432
DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
BASE="http://127.0.0.1:$PORT"
EMAIL=bench@bench.example
PASSWORD='bench-password-not-secret-1'
DOMAIN=contoso-upload.example
FILE_BYTES=$((40 * 1000 * 1000))

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
mib() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

note_start
preflight python3
WORK=$(mktemp -d /tmp/partnerdesk-bench-uploads.XXXXXX)
SERVER_PID=
trap cleanup_bench EXIT # bench/lib.sh
trap 'exit 130' INT TERM

build_private_binary

step "Writing three files of $FILE_BYTES bytes"
python3 - "$WORK" "$DOMAIN" "$FILE_BYTES" <<'PY'
import sys
work, domain, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
header = "First name,Last name,Display name,User name,Usage location\r\n"

def write(path, rows, make):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        written = len(header)
        for i in range(rows):
            line = make(i)
            f.write(line)
            written += len(line.encode())
        # Padding in the last row's display name is not needed: sizes are close enough.
    return written

def valid(i):
    # About 200 bytes: long display names, as some directories keep department and title there.
    first, last = f"Given{i:06d}", f"Family{i:06d}"
    display = f"{first} {last} - Department of Regional Sales and Customer Operations - Taipei Office {i % 97:02d}xx"
    return f"{first},{last},{display},user{i:06d}@{domain},TW\r\n"

def wrong(i):
    # Every row has an unknown domain and an unknown usage location: two problems a row.
    first, last = f"Given{i:06d}", f"Family{i:06d}"
    display = f"{first} {last} - Department of Regional Sales and Customer Operations - Taipei {i % 97:02d}"
    return f"{first},{last},{display},user{i:06d}@not-a-domain-of-this-customer.example,ZZ\r\n"

def short(i):
    return f"A,B,C{i},u{i}@{domain},\r\n"

rows = 200_000
print(write(f"{work}/valid.csv", rows, valid))
print(write(f"{work}/wrong.csv", rows, wrong))
print(write(f"{work}/short.csv", size // len(short(500000).encode()), short))
PY
for f in valid wrong short; do
    printf '%s.csv: %s bytes\n' "$f" "$(stat -c %s "$WORK/$f.csv")" >&2
done

step "Creating a fresh database $DB"
q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
q_admin -c "CREATE DATABASE $DB"
export DATABASE_URL PARTNERDESK_BIND="127.0.0.1:$PORT" PARTNERDESK_DATA_DIR="$WORK/data" RUST_LOG=warn
export PARTNERDESK_UPLOAD_LIMIT=$((FILE_BYTES + 4 * 1000 * 1000))
[[ -n $UPLOAD_WORKERS ]] && export PARTNERDESK_UPLOAD_WORKERS=$UPLOAD_WORKERS
[[ -n $UPLOAD_BACKLOG ]] && export PARTNERDESK_UPLOAD_BACKLOG=$UPLOAD_BACKLOG
"$BIN" migrate >/dev/null
create_bench_admin "$EMAIL"

start_server() {
    stop_server
    ${SERVER_WRAPPER:+$SERVER_WRAPPER} "$BIN" serve >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "$BASE/health/live" && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped at start"
        sleep 0.5
    done
    curl -fs -o /dev/null "$BASE/health/live" || die "the server did not answer /health/live within 60 s"
    # Under a wrapper the figures are read from the process that runs the binary itself.
    if [[ -n $SERVER_WRAPPER ]]; then
        local p
        for p in /proc/[0-9]*; do
            [[ $(readlink "$p/exe" 2>/dev/null) == "$BIN" ]] && SERVER_PID=${p#/proc/} && return
        done
        die "no process runs $BIN under $SERVER_WRAPPER"
    fi
}

JAR=$WORK/cookies.txt
start_server
step "Signing in and creating the customer ($DOMAIN)"
token=$(token_from /sign-in)
read -r status _ < <(post_form /sign-in --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "sign-in answered $status"
token=$(token_from /customers/new)
read -r status location < <(post_form /customers --data-urlencode "company_name=Contoso Upload Bench" \
    --data-urlencode "domains=$DOMAIN" --data-urlencode "default_usage_location=TW" --data-urlencode "csrf_token=$token")
[[ $status == 303 && $location =~ /customers/([0-9]+)/ ]] || die "creating the customer answered $status $location"
CID=${BASH_REMATCH[1]}

# Uploads $1 (a file name in $WORK) $2 times at once on a fresh server; prints one result line:
# "name | uploads | statuses | rss before | peak | peak growth / file | seconds".
measure() {
    local name=$1 count=$2 token before peak grew i started_at elapsed statuses uploads=()
    start_server
    token=$(token_from "/customers/$CID/import")
    before=$(mib "$SERVER_PID" VmRSS)
    started_at=$EPOCHREALTIME
    for i in $(seq 1 "$count"); do
        curl -sS -o "$WORK/answer-$i.html" -w '%{http_code}\n' -b "$JAR" \
            -F "csrf_token=$token" -F "encoding=auto" -F "file=@$WORK/$name;type=text/csv" \
            "$BASE/customers/$CID/import" >"$WORK/status-$i" &
        uploads+=($!)
    done
    wait "${uploads[@]}"
    elapsed=$(calc "$EPOCHREALTIME - $started_at")
    peak=$(mib "$SERVER_PID" VmHWM)
    grew=$(calc "($peak - $before) * 1048576 / $(stat -c %s "$WORK/$name")")
    statuses=$(cat "$WORK"/status-* | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep = ", " }')
    rm -f "$WORK"/status-* "$WORK"/answer-*
    printf '| %s | %s | %s | %s MiB | %s MiB | %.2f | %.1f s |\n' "$name" "$count" "$statuses" "$before" "$peak" "$grew" "$elapsed"
}

step "Measuring"
results=$WORK/results.md
{
    echo "| file | at once | answers | RSS before | peak (VmHWM) | peak growth ÷ one file | last answer |"
    echo "|---|---|---|---|---|---|---|"
} >"$results"
for run in $RUNS; do
    name=${run%%:*} count=${run##*:}
    step "$name × $count"
    measure "$name" "$count" >>"$results" # not through a pipe: measure sets SERVER_PID
    tail -n 1 "$results"
done
stop_server

out="$ROOT/bench/results/uploads-$run_date.md"
{
    echo "# Uploads: memory per file and parallel uploads ($run_stamp)"
    echo
    echo "Commit $commit. Load at start: $load_at_start${busiest_at_start:+ (busiest: $busiest_at_start)}."
    echo "Upload workers: ${UPLOAD_WORKERS:-default}, backlog: ${UPLOAD_BACKLOG:-default}. Goal: one upload's peak"
    echo "growth within about 3× the file; parallel uploads bounded (503 with Retry-After beyond the backlog)."
    echo
    cat "$results"
} >"$out"
step "Written to ${out#"$ROOT"/}"
cat "$out"
