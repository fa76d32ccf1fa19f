#!/usr/bin/env bash
# Benchmarks the Users and licenses screen of one customer with 100,000 users:
#
#   A. the users list (first page, filtered, searched) under wrk at 16 connections, against
#      /health (one query) as the baseline;
#   B. the Manage licenses save that assigns Office 365 E3 to 10,000 of those users;
#   C. the first list view after a change, which rebuilds the in-memory directory;
#
# and prints the plans of the list's SQL (EXPLAIN ANALYZE, BUFFERS) to show which indexes
# they use. The results go to bench/results/users-and-licenses-<date>.md. See bench/README.md.
#
#   bench/users_and_licenses.sh
#   BENCH_DURATION=30s BENCH_KEEP_DB=1 bench/users_and_licenses.sh
#
# It needs the machine's PostgreSQL on 127.0.0.1:5432 (user postgres, trust), drops and
# recreates the database partnerdesk_bench there, and sends traffic to 127.0.0.1 only.
# Nothing here asserts a time: it measures and reports; the goals are printed beside the
# figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

# --- Settings (environment overrides) --------------------------------------------------------
USERS=${BENCH_USERS:-100000}          # active users of the customer
DELETED=${BENCH_DELETED:-1000}        # users deleted within the last 30 days (Deleted users tab)
LICENSED=${BENCH_LICENSED:-30000}     # active users holding Office 365 E3 before the save
SELECTION=${BENCH_SELECTION:-10000}   # unlicensed users the timed save assigns E3 to
# Enough seats for the preloaded licenses plus 20,000 free (the save needs SELECTION of them);
# the seat CHECK constraint would refuse 30,000 licenses on fewer seats.
SEATS=${BENCH_SEATS:-$((LICENSED + 20000))}
SAVE_RUNS=${BENCH_SAVE_RUNS:-3}       # the save is timed this many times (undone in SQL between)
REBUILD_RUNS=${BENCH_REBUILD_RUNS:-5} # first page views right after a change, each timed
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18080}
KEEP_DB=${BENCH_KEEP_DB:-0}           # 1: leave partnerdesk_bench behind for a closer look
SEARCH_LATIN=${BENCH_SEARCH:-chen}    # a common surname
SEARCH_CJK=${BENCH_SEARCH_CJK:-陳}    # one Chinese character: too short for a trigram

DB=partnerdesk_bench
PG_HOST=127.0.0.1
PG_PORT=5432
DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
BASE="http://127.0.0.1:$PORT"
EMAIL=bench@bench.example
PASSWORD='bench-password-not-secret-1'
DOMAIN=contoso-bench.example

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

note_start

# --- Tools ---------------------------------------------------------------------------------------
need_wrk
preflight wrk

WORK=$(mktemp -d /tmp/partnerdesk-bench.XXXXXX)
SERVER_PID=
trap cleanup_bench EXIT # bench/lib.sh
trap 'exit 130' INT TERM

# --- Build ---------------------------------------------------------------------------------------
build_private_binary

# --- Database and server ---------------------------------------------------------------------------
step "Creating a fresh database $DB"
q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
q_admin -c "CREATE DATABASE $DB"

export DATABASE_URL PARTNERDESK_BIND="127.0.0.1:$PORT" PARTNERDESK_DATA_DIR="$WORK/data" RUST_LOG=warn
"$BIN" migrate >/dev/null

step "Starting partnerdesk serve on $BASE"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$BASE/health" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped at start"
    sleep 0.5
done
curl -fs -o /dev/null "$BASE/health" || die "the server did not answer /health within 60 s"

create_bench_admin "$EMAIL"

# --- Signing in and setting up the customer through the app ---------------------------------------
JAR=$WORK/cookies.txt

step "Signing in as $EMAIL"
token=$(token_from /sign-in)
read -r status _ < <(post_form /sign-in --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "sign-in answered $status"
# Signing in rotates the token; every later form uses the new one.
token=$(token_from /customers/new)

step "Creating the customer and buying Office 365 E3 ($SEATS seats)"
read -r status location < <(post_form /customers --data-urlencode "company_name=Contoso Bench 100k" \
    --data-urlencode "domains=$DOMAIN" --data-urlencode "default_usage_location=TW" --data-urlencode "csrf_token=$token")
[[ $status == 303 && $location =~ /customers/([0-9]+)/ ]] || die "creating the customer answered $status $location"
CID=${BASH_REMATCH[1]}
PRODUCT_ID=$(q -c "SELECT id FROM products WHERE sku_part_number = 'ENTERPRISEPACK'")
[[ -n $PRODUCT_ID ]] || die "ENTERPRISEPACK is not in the products table"
read -r status _ < <(post_form "/customers/$CID/subscriptions" --data-urlencode "product_id=$PRODUCT_ID" \
    --data-urlencode "quantity=$SEATS" --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "buying E3 answered $status"
SID=$(q -c "SELECT id FROM subscriptions WHERE customer_id = $CID AND product_id = $PRODUCT_ID")
[[ -n $SID ]] || die "the E3 subscription was not created"

# --- Loading users and licenses in SQL ------------------------------------------------------------
step "Loading $USERS active and $DELETED deleted users, and $LICENSED E3 licenses, in SQL"
load_started=$SECONDS
# Names are picked by hashing the row number, so every run loads the same users. About 35%
# are Taiwanese names (in Chinese characters, romanised, or both); the rest English names in
# a few display styles. 2% have no usage location, 1% cannot sign in, a few are admins.
q -v cid="$CID" -v users="$USERS" -v deleted="$DELETED" -v domain="$DOMAIN" <<'SQL'
WITH n AS (
    SELECT
        ARRAY['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David',
              'Elizabeth','William','Barbara','Richard','Susan','Joseph','Jessica','Thomas',
              'Sarah','Charles','Karen','Daniel','Lisa','Matthew','Nancy','Anthony','Betty',
              'Mark','Sandra','Steven','Ashley','Paul','Emily','Andrew','Michelle','Kevin',
              'Amanda','Brian','Melissa','George','Stephanie','Timothy','Rebecca','Ryan',
              'Laura','Jason','Helen','Eric','Chloe','Jacob','Olivia'] AS en_first,
        ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis',
              'Rodriguez','Martinez','Hernandez','Lopez','Gonzalez','Wilson','Anderson',
              'Thomas','Taylor','Moore','Jackson','Martin','Lee','Perez','Thompson','White',
              'Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Walker','Young','Allen',
              'King','Wright','Scott','Torres','Nguyen','Hill','Flores','Green','Adams',
              'Nelson','Baker','Hall','Rivera','Campbell','Mitchell','Carter','Roberts',
              'O''Brien','Müller','Schmidt','Dubois','Rossi','Tanaka','Suzuki','Kim','Park','Silva'] AS en_last,
        ARRAY['陳','林','黃','張','李','王','吳','劉','蔡','楊','許','鄭','謝','郭','洪',
              '曾','邱','廖','賴','周'] AS zh_last,
        ARRAY['Chen','Lin','Huang','Chang','Lee','Wang','Wu','Liu','Tsai','Yang','Hsu',
              'Cheng','Hsieh','Kuo','Hung','Tseng','Chiu','Liao','Lai','Chou'] AS zh_last_en,
        ARRAY['志明','淑芬','雅婷','家豪','怡君','俊傑','美玲','建宏','宗翰','欣怡','冠宇',
              '佩珊','承恩','詩涵','柏翰','宜蓁','彥廷','思妤','哲瑋','筱涵','文雄','秀英',
              '國華','麗華','子軒'] AS zh_first,
        ARRAY['Chih-Ming','Shu-Fen','Ya-Ting','Chia-Hao','Yi-Chun','Chun-Chieh','Mei-Ling',
              'Chien-Hung','Tsung-Han','Hsin-Yi','Kuan-Yu','Pei-Shan','Cheng-En','Shih-Han',
              'Po-Han','Yi-Chen','Yen-Ting','Szu-Yu','Che-Wei','Hsiao-Han','Wen-Hsiung',
              'Hsiu-Ying','Kuo-Hua','Li-Hua','Tzu-Hsuan'] AS zh_first_en
),
g AS (
    SELECT i,
           abs(hashint4(i)::bigint) AS h1,
           abs(hashint4(i + 104729)::bigint) AS h2,
           abs(hashint4(i + 1299709)::bigint) AS h3
    FROM generate_series(1, :users + :deleted) AS i
),
p AS (
    SELECT g.*,
           g.h1 % 100 < 35 AS zh,
           CASE WHEN g.h1 % 100 < 35
                THEN n.zh_first_en[1 + (g.h1 / 100) % array_length(n.zh_first_en, 1)]
                ELSE n.en_first[1 + (g.h1 / 100) % array_length(n.en_first, 1)] END AS first_name,
           CASE WHEN g.h1 % 100 < 35
                THEN n.zh_last_en[1 + g.h2 % array_length(n.zh_last_en, 1)]
                ELSE n.en_last[1 + g.h2 % array_length(n.en_last, 1)] END AS last_name,
           n.zh_first[1 + (g.h1 / 100) % array_length(n.zh_first, 1)]
               AS zh_given,
           n.zh_last[1 + g.h2 % array_length(n.zh_last, 1)] AS zh_family
    FROM g CROSS JOIN n
)
INSERT INTO customer_users (customer_id, first_name, last_name, display_name, user_name,
                            usage_location, org_role, sign_in_blocked, password_hash,
                            must_change_password, created_at, updated_at, deleted_at)
SELECT :cid,
       first_name,
       last_name,
       CASE
           WHEN zh AND h3 % 10 < 6 THEN zh_family || zh_given                  -- 陳志明
           WHEN zh AND h3 % 10 < 9 THEN first_name || ' ' || last_name         -- Chih-Ming Chen
           WHEN zh THEN first_name || ' ' || last_name || ' ' || zh_family || zh_given
           WHEN h3 % 20 = 0 THEN first_name || ' ' || last_name || ' (Contractor)'
           WHEN h3 % 20 = 1 THEN last_name || ', ' || first_name
           WHEN h3 % 20 < 5 THEN first_name || ' ' || chr(65 + (h2 % 26)::int) || '. ' || last_name
           ELSE first_name || ' ' || last_name
       END,
       lower(translate(replace(first_name, 'ü', 'u'), '- ''', '') || '.'
             || translate(replace(last_name, 'ü', 'u'), '- ''', ''))
           || i || '@' || :'domain',
       CASE WHEN h3 % 50 = 0 THEN NULL ELSE 'TW' END,
       CASE h3 % 500 WHEN 1 THEN 'global_admin' WHEN 2 THEN 'user_admin'
                     WHEN 3 THEN 'helpdesk_admin' WHEN 4 THEN 'billing_admin' ELSE 'user' END,
       h3 % 100 = 7,
       'bench: not a password hash',
       h3 % 10 = 0,
       now() - make_interval(days => (h2 % 1500)::int),
       now() - make_interval(days => (h2 % 30)::int),
       CASE WHEN i > :users THEN now() - make_interval(days => (h3 % 28)::int, hours => 1) END
FROM p;
SQL
# E3 for users spread over the whole alphabet, among those with a usage location (as the app
# itself requires). The trigger counts them into subscriptions.assigned.
q -c "INSERT INTO licenses (customer_id, user_id, subscription_id)
      SELECT customer_id, id, $SID FROM customer_users
      WHERE customer_id = $CID AND deleted_at IS NULL AND usage_location IS NOT NULL
      ORDER BY hashint8(id) LIMIT $LICENSED"
# VACUUM as well as ANALYZE: the visibility map that autovacuum keeps on a live database lets
# count(*) use index-only scans; without it a freshly loaded table looks worse than real life.
q -c "VACUUM ANALYZE customer_users" -c "VACUUM ANALYZE licenses" -c "ANALYZE subscriptions"
load_seconds=$((SECONDS - load_started))
read -r active licensed assigned < <(q -F ' ' -c "SELECT
    (SELECT count(*) FROM customer_users WHERE customer_id = $CID AND deleted_at IS NULL),
    (SELECT count(*) FROM licenses WHERE customer_id = $CID),
    (SELECT assigned FROM subscriptions WHERE id = $SID)")
[[ $active == "$USERS" && $licensed == "$LICENSED" && $assigned == "$LICENSED" ]] ||
    die "loaded $active users, $licensed licenses, assigned=$assigned"
echo "loaded in ${load_seconds}s: $active active users, $licensed licenses (assigned=$assigned)" >&2

# --- A. The users list under wrk --------------------------------------------------------------------
cat >"$WORK/report.lua" <<'LUA'
-- Prints the figures on one line, latencies in microseconds, for the script to read.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f bytes=%d p50=%d p90=%d p99=%d max=%d non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

# Percent-encodes a query value byte by byte (UTF-8 included).
urlencode() {
    local LC_ALL=C value=$1 out="" c i
    for ((i = 0; i < ${#value}; i++)); do
        c=${value:i:1}
        case $c in
            [a-zA-Z0-9.~_-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}
session_cookie() { awk -F '\t' '$6 == "pd_session" { print $6 "=" $7 }' "$JAR" | tail -n 1; }

# label | path | text the page must contain. A users page is checked for a user row (the
# list's and the Deleted users tab's rows carry data-user-id), not for the customer's domain,
# which the page header shows with or without rows.
ROW='<tr data-user-id="'
pages=(
    "health|/health|ok"
    "users: first page|/customers/$CID/users|$ROW"
    "users: has E3 (has-$SID)|/customers/$CID/users?filter=has-$SID|$ROW"
    "users: unlicensed|/customers/$CID/users?filter=unlicensed|$ROW"
    "users: search \"$SEARCH_LATIN\"|/customers/$CID/users?q=$(urlencode "$SEARCH_LATIN")|$ROW"
    "users: search \"$SEARCH_CJK\" (extra)|/customers/$CID/users?q=$(urlencode "$SEARCH_CJK")|$ROW"
    "users: last page (extra)|/customers/$CID/users?page=$(((USERS + 24) / 25))|$ROW"
    # The same customer header and pager over only the deleted users: what a users page costs
    # without counting 100,000 rows.
    "deleted users tab (extra)|/customers/$CID/users/deleted|$ROW"
)

# Checks one page answers 200 with its content for this session; prints its size in bytes.
check_page() {
    local path=$1 must=$2 status size
    read -r status size < <(curl -sS -o "$WORK/page.html" -w '%{http_code} %{size_download}\n' -c "$JAR" -b "$JAR" "$BASE$path")
    [[ $status == 200 ]] || die "$path answered $status (expected 200)"
    grep -qF -- "$must" "$WORK/page.html" || die "$path does not show \"$must\""
    printf '%s' "$size"
}

# Median time of 21 requests one after another: the service time, without queueing.
sequential_ms() {
    local path=$1 cookie=$2
    for _ in $(seq 1 21); do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" "$BASE$path"
    done | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] * 1000 }'
}

declare -A RPS P50 P90 P99 MAX REQS LOAD NOTE SEQ
step "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per page (after a $WARMUP warm-up)"
for entry in "${pages[@]}"; do
    IFS='|' read -r label path must <<<"$entry"
    size=$(check_page "$path" "$must")
    cookie=$(session_cookie)
    [[ -n $cookie ]] || die "no session cookie in the jar"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" --timeout 10s -H "Cookie: $cookie" "$BASE$path" >/dev/null
    SEQ[$label]=$(sequential_ms "$path" "$cookie")
    LOAD[$label]=$(loadavg)
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency -s "$WORK/report.lua" \
        -H "Cookie: $cookie" "$BASE$path" >"$WORK/wrk.out"
    { echo "--- $label"; grep -v '^BENCH' "$WORK/wrk.out" || true; } >>"$WORK/wrk-all.txt"
    line=$(grep '^BENCH ' "$WORK/wrk.out") || die "wrk printed no figures for $path"
    declare -A f=()
    for kv in ${line#BENCH }; do f[${kv%%=*}]=${kv#*=}; done
    RPS[$label]=${f[rps]}
    P50[$label]=${f[p50]}
    P90[$label]=${f[p90]}
    P99[$label]=${f[p99]}
    MAX[$label]=${f[max]}
    REQS[$label]=${f[requests]}
    NOTE[$label]=""
    ((f[non2xx] + f[socket_errors] == 0)) || NOTE[$label]="${f[non2xx]} non-2xx, ${f[socket_errors]} socket errors"
    # A 303 to /sign-in is not an error to wrk: check the bytes per answer match the page.
    if ((f[requests] > 0)) && holds "${f[bytes]} / ${f[requests]} < $size * 0.9"; then
        NOTE[$label]="${NOTE[$label]} answers smaller than the page: redirected?"
    fi
    check_page "$path" "$must" >/dev/null # the session still works after the run
    printf '%-46s %9s req/s  p50 %7.2f ms  p99 %7.2f ms  alone %7s ms\n' "$label" "${f[rps]}" \
        "$(calc "${f[p50]} / 1000")" "$(calc "${f[p99]} / 1000")" "${SEQ[$label]}" >&2
    unset f
done
load_after_wrk=$(loadavg)

# --- C. The first view after a change -------------------------------------------------------------
# The list is served from an in-memory directory of the customer's users, rebuilt when the
# database's version numbers moved (src/services/user_directory.rs). Under wrk it is warm; here
# one user is renamed in SQL before each request, so every request pays the rebuild.
step "Timing the first page view after a change (the directory rebuilt), $REBUILD_RUNS runs"
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
declare -a REBUILD=()
cookie=$(session_cookie)
for run in $(seq 1 "$REBUILD_RUNS"); do
    q -c "UPDATE customer_users SET display_name = display_name || '.'
          WHERE id = (SELECT min(id) FROM customer_users WHERE customer_id = $CID AND deleted_at IS NULL)"
    REBUILD+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$BASE/customers/$CID/users")")
done
rebuild_median=$(printf '%s\n' "${REBUILD[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }')
warm_after=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$BASE/customers/$CID/users")
# After the rebuilds, as the report says: the memory with the directory rebuilt REBUILD_RUNS times.
rss_after_rebuilds=$(rss_kib)
echo "first view after a change: median ${rebuild_median}s; the next view ${warm_after}s" >&2

# --- EXPLAIN of the list's SQL ---------------------------------------------------------------------
# A page view runs one statement, the customer pages' door (src/services/customer_scope.rs,
# ENTRY_SQL, read from the source so this stays in step); a rebuild of the directory runs the
# three in Directory::load (src/services/user_directory.rs), as diesel writes them: the users
# from the view listed_users, their licenses, the deleted users' dates.
step "EXPLAIN (ANALYZE, BUFFERS) of the list's statements"
STAFF_ID=$(q -c "SELECT id FROM staff WHERE email = '$EMAIL'")
entry_sql=$(sed -n '/^const ENTRY_SQL: &str = "\\$/,/";$/p' "$ROOT/src/services/customer_scope.rs" | sed '1d; $s/";$//')
[[ -n $entry_sql ]] || die "ENTRY_SQL not found in src/services/customer_scope.rs"
entry_sql=${entry_sql//\$1/$STAFF_ID}
entry_sql=${entry_sql//\$2/$CID}
# As diesel writes Directory::load's read of the view listed_users (migration 000007).
users_sql="SELECT id, display_name, user_name, usage_location, admin, sign_in_blocked, created_at FROM listed_users WHERE customer_id = $CID AND deleted_at IS NULL ORDER BY display_name, id"
licenses_sql="SELECT \"licenses\".\"user_id\", \"licenses\".\"subscription_id\" FROM \"licenses\" WHERE (\"licenses\".\"customer_id\" = $CID)"
deleted_sql="SELECT \"customer_users\".\"deleted_at\" FROM \"customer_users\" WHERE ((\"customer_users\".\"customer_id\" = $CID) AND (\"customer_users\".\"deleted_at\" IS NOT NULL))"
explains=(
    "door: staff, customer, stamp (every page view)|$entry_sql"
    "rebuild: users in list order|$users_sql"
    "rebuild: licenses|$licenses_sql"
    "rebuild: deleted users|$deleted_sql"
)
: >"$WORK/explain.md"
declare -a EXPLAIN_ROWS=()
for entry in "${explains[@]}"; do
    label=${entry%%|*}
    sql=${entry#*|}
    q -c "EXPLAIN (ANALYZE, BUFFERS) $sql" >/dev/null # warm, as the pages were under wrk
    plan=$(q -c "EXPLAIN (ANALYZE, BUFFERS) $sql")
    ms=$(sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p' <<<"$plan")
    # The plan's access paths, in order: which index (or sequential scan) each table goes through.
    paths=$(grep -oE '(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)( Backward)? (using [a-z_0-9]+ )?on [a-z_]+' <<<"$plan" |
        sed -E 's/ on [a-z_]+$//; s/^(Index Only Scan|Index Scan|Bitmap Index Scan)( Backward)? using /\1 /' | awk '!seen[$0]++' | paste -sd ';' | sed 's/;/; /g')
    EXPLAIN_ROWS+=("| $label | $ms | $paths |")
    {
        printf '### %s\n\n```sql\n%s\n```\n\n```\n%s\n```\n\n' "$label" "$sql" "$plan"
    } >>"$WORK/explain.md"
    printf '%-40s %9s ms  %s\n' "$label" "$ms" "$paths" >&2
done

# --- B. The 10,000-user save -------------------------------------------------------------------------
step "Timing the save that assigns E3 to $SELECTION unlicensed users ($SAVE_RUNS runs)"
q -c "SELECT string_agg(id::text, ',') FROM (
        SELECT u.id FROM customer_users u
        WHERE u.customer_id = $CID AND u.deleted_at IS NULL AND u.usage_location IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM licenses l WHERE l.customer_id = u.customer_id AND l.user_id = u.id)
        ORDER BY hashint8(u.id) LIMIT $SELECTION) s" >"$WORK/ids.txt"
picked=$(tr ',' '\n' <"$WORK/ids.txt" | grep -c .)
[[ $picked == "$SELECTION" ]] || die "found only $picked unlicensed users with a usage location"
declare -a SAVE_TOTAL=()
save_sizes=""
for run in $(seq 1 "$SAVE_RUNS"); do
    token=$(token_from "/customers/$CID/users")
    read -r status total upload size < <(curl -sS -o "$WORK/saved.html" \
        -w '%{http_code} %{time_total} %{size_upload} %{size_download}\n' \
        -H 'Expect:' -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode "ids@$WORK/ids.txt" \
        --data-urlencode "choice-$SID=assign" --data-urlencode "op=save" "$BASE/customers/$CID/licenses")
    [[ $status == 200 ]] || die "the save answered $status"
    grep -q 'Licenses updated' "$WORK/saved.html" || die "the save did not end on the Licenses updated page"
    now_assigned=$(q -c "SELECT assigned FROM subscriptions WHERE id = $SID")
    [[ $now_assigned == $((LICENSED + SELECTION)) ]] || die "after the save assigned=$now_assigned"
    SAVE_TOTAL+=("$total")
    save_sizes="request $upload bytes, answer $size bytes"
    printf 'run %d: %s s, %s\n' "$run" "$total" "$save_sizes" >&2
    # Undo in SQL for the next run (the trigger gives the seats back).
    if ((run < SAVE_RUNS)); then
        q -c "DELETE FROM licenses WHERE customer_id = $CID AND subscription_id = $SID
              AND user_id = ANY('{$(<"$WORK/ids.txt")}'::bigint[])" -c "VACUUM ANALYZE licenses"
    fi
done
save_median=$(printf '%s\n' "${SAVE_TOTAL[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
load_at_end=$(loadavg)

# --- Results ----------------------------------------------------------------------------------------
ms() { printf '%.2f' "$(calc "$1 / 1000")"; }
health_rps=${RPS[health]}
first_label="users: first page"
ratio=$(calc "${RPS[$first_label]} / $health_rps")

mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/users-and-licenses-$run_date.md"
[[ ! -e $out ]] || out="$ROOT/bench/results/users-and-licenses-$run_date-$(date +%H%M).md"
{
    echo "# Users and licenses: 100,000-user customer — $run_stamp"
    echo
    echo "Made by \`bench/users_and_licenses.sh\` at commit $commit."
    echo
    echo "- Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; shared with other engineers' builds and tests."
    echo "- Load average (1, 5, 15 min): at start $load_at_start; after the wrk runs $load_after_wrk; at end $load_at_end. The benchmark itself adds up to $((THREADS + 2)) busy processes plus one PostgreSQL backend per connection, so the later figures include its own load."
    echo "- CPU pressure at start (share of the last minute some task waited for a CPU): ${pressure_at_start:-unknown}; other processes using >= 10% of a CPU at start: ${busiest_at_start:-none}."
    echo "- PostgreSQL $(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$DB" -X -At -c 'SHOW server_version') on the same machine, shared_buffers $(q -c 'SHOW shared_buffers'), work_mem $(q -c 'SHOW work_mem'); the app's pool: ${PARTNERDESK_DB_POOL_SIZE:-its default, twice the CPUs} connections."
    echo "- Data: one customer with $USERS active users (+ $DELETED deleted within 30 days), $LICENSED of them with Office 365 E3 ($SEATS seats); loaded in SQL in ${load_seconds}s, then VACUUM ANALYZE."
    echo "- $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2): $THREADS threads, $CONNECTIONS connections, $DURATION per URL after a $WARMUP warm-up, signed in as a Global admin; the server runs with RUST_LOG=warn."
    echo
    echo "## A. Users list at $CONNECTIONS connections"
    echo
    echo "\"alone\" is the median of 21 requests sent one after another (no concurrency): the page's service time."
    echo
    echo "| URL | req/s | p50 ms | p90 ms | p99 ms | max ms | alone ms | requests | load before | p99 < 50 ms | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    for entry in "${pages[@]}"; do
        IFS='|' read -r label path _ <<<"$entry"
        goal=$(holds "${P99[$label]} < 50000" && echo yes || echo "**no**")
        echo "| $label: \`${path//|/%7C}\` | ${RPS[$label]} | $(ms "${P50[$label]}") | $(ms "${P90[$label]}") | $(ms "${P99[$label]}") | $(ms "${MAX[$label]}") | ${SEQ[$label]} | ${REQS[$label]} | ${LOAD[$label]} | $goal | ${NOTE[$label]} |"
    done
    echo
    printf 'First page / health: %.3f (goal >= 0.333): %s.\n' "$ratio" "$(holds "$ratio >= 1 / 3" && echo met || echo '**not met**')"
    echo
    echo "## B. Save: assign Office 365 E3 to $SELECTION users"
    echo
    echo "POST \`/customers/$CID/licenses\` with \`ids\` ($SELECTION unlicensed users), \`choice-$SID=assign\`, \`op=save\`; $save_sizes."
    echo "Wall time from curl's \`time_total\` on 127.0.0.1, the form sent at once as a browser does (no \`Expect: 100-continue\`); moving the request and the answer over loopback takes well under a millisecond, so this is the server's time. Between runs the new licenses were deleted in SQL."
    echo
    echo "| run | seconds |"
    echo "|---:|---:|"
    for i in "${!SAVE_TOTAL[@]}"; do
        echo "| $((i + 1)) | ${SAVE_TOTAL[$i]} |"
    done
    echo
    printf 'Median %s s (goal < 1 s of server time): %s.\n' "$save_median" "$(holds "$save_median < 1" && echo met || echo '**not met**')"
    echo
    echo "## C. The first page view after a change"
    echo
    echo "The list pages come from an in-memory directory of the customer's users (src/services/user_directory.rs), which wrk keeps warm. A change to the users (here a display name, in SQL, before each request) moves the database's version numbers, and the next view rebuilds the directory of $USERS users first."
    echo
    echo "| run | seconds |"
    echo "|---:|---:|"
    for i in "${!REBUILD[@]}"; do
        echo "| $((i + 1)) | ${REBUILD[$i]} |"
    done
    echo
    echo "Median ${rebuild_median} s; the view after it (directory current again) ${warm_after} s."
    echo "Server memory (VmRSS) after these rebuilds, with this customer's directory built: $((rss_after_rebuilds / 1024)) MiB."
    echo
    echo "## Plans of the list's statements"
    echo
    echo "EXPLAIN (ANALYZE, BUFFERS), second run of each, after the wrk runs and before the save (so $LICENSED licensed users)."
    echo
    echo "| statement | ms | access paths |"
    echo "|---|---:|---|"
    printf '%s\n' "${EXPLAIN_ROWS[@]}"
    echo
    cat "$WORK/explain.md"
    echo "## wrk output"
    echo
    echo '```'
    cat "$WORK/wrk-all.txt"
    echo '```'
} >"$out"

step "Results ($((SECONDS - started)) s in all), written to ${out#"$ROOT"/}"
sed -n '/^## A\./,/^## Plans/p' "$out" | sed '$d'
