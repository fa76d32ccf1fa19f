#!/usr/bin/env bash
# Benchmarks importing users from a .csv file, through the app as a person does it:
#
#   upload + validate (POST /customers/{id}/import)  ->  the validation report
#   "Create users" with Office 365 E3 and usage location TW (POST .../imports/{job}/start)
#   the background worker creates every user with its license in one transaction  ->  "done"
#
# for a file of 50,000 users and then one of 150,000 (the same customer; 200,000 E3 seats).
# For each file it records the upload+validate time, the create time (wall clock from the
# start POST until the job is done, and finished_at - started_at of import_jobs), rows per
# second, end-to-end time, the server's peak memory (VmHWM: the server is restarted before
# each file, so each peak is that file's alone), and a timeline of the job's phases sampled
# from import_jobs and pg_stat_activity. Results go to bench/results/imports-<date>.md. See
# bench/README.md.
#
#   bench/imports.sh
#   BENCH_SIZES="5000 20000" BENCH_KEEP_DB=1 bench/imports.sh
#
# It needs the machine's PostgreSQL on 127.0.0.1:5432 (user postgres, trust), drops and
# recreates the database partnerdesk_bench_import there, and sends traffic to 127.0.0.1 only.
# Nothing here asserts a time: it measures and reports; the goals are printed beside the
# figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

# --- Settings (environment overrides) --------------------------------------------------------
read -r -a SIZES <<<"${BENCH_SIZES:-50000 150000}"   # one import per size, in this order
SEATS=${BENCH_SEATS:-200000}          # Office 365 E3 seats bought before the imports
LOCATION=${BENCH_LOCATION:-TW}        # usage location chosen on the confirm form
UPLOAD_LIMIT=${BENCH_UPLOAD_LIMIT:-60000000}
PORT=${BENCH_PORT:-18081}             # users_and_licenses.sh uses 18080
SAMPLE=${BENCH_SAMPLE:-0.2}           # seconds between samples of the job and the server
MAX_WAIT=${BENCH_MAX_WAIT:-1800}      # give up on one import after this many seconds
KEEP_DB=${BENCH_KEEP_DB:-0}           # 1: leave the database behind for a closer look
SEED=${BENCH_SEED:-20261125}          # the files are the same on every run
SERVER_WRAPPER=${BENCH_SERVER_WRAPPER:-} # a command the server runs under (see start_server)
RESTART=${BENCH_RESTART:-1}           # 1: a fresh server per file (its own peak); 0: one server for all

DB=partnerdesk_bench_import
PG_HOST=127.0.0.1
PG_PORT=5432
DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
BASE="http://127.0.0.1:$PORT"
EMAIL=bench@bench.example
PASSWORD='bench-password-not-secret-1'
DOMAINS=(contoso-import.example fabrikam-import.example)

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
now_s() { printf '%s' "$EPOCHREALTIME"; }
# Memory lines of /proc/<pid>/status, in MiB.
proc_mib() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU seconds (user + system) the process has used.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
# Busy CPU seconds of the whole machine so far (all cores).
machine_busy() { awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }

note_start
uptime_at_start=$(uptime)

preflight python3
total_rows=0
for n in "${SIZES[@]}"; do total_rows=$((total_rows + n)); done
((total_rows <= SEATS)) || die "the files hold $total_rows users but only $SEATS seats are bought"

WORK=$(mktemp -d /tmp/partnerdesk-bench-import.XXXXXX)
SERVER_PID=
SAMPLER_PIDS=()
# Samplers end by themselves (and so do their children) once this file exists.
STOP_FILE=$WORK/stop-samplers
stop_samplers() {
    local pid
    : >"$STOP_FILE"
    for pid in "${SAMPLER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    SAMPLER_PIDS=()
    rm -f -- "$STOP_FILE"
}
LAUNCH_PID=
stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n $LAUNCH_PID ]]; then
        wait "$LAUNCH_PID" 2>/dev/null || true
    fi
    SERVER_PID= LAUNCH_PID=
}
cleanup() {
    local status=$?
    stop_samplers
    stop_server
    if ((status != 0)) && [[ -s $WORK/server.log ]]; then
        echo "--- last lines of the server log ---" >&2
        tail -n 20 "$WORK/server.log" >&2 || true
    fi
    if [[ $KEEP_DB != 1 ]]; then
        q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
    fi
    rm -rf -- "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Build ---------------------------------------------------------------------------------------
build_private_binary

# --- The files ---------------------------------------------------------------------------------------
# Partner Center's header, UTF-8 with a BOM and CRLF line ends (as Excel saves "CSV UTF-8").
# About a quarter Taiwanese names romanised, an eighth in Chinese characters only, the rest
# English names (some with accents or apostrophes) in several display styles, a few of them
# "Last, First" (quoted). User names are alias@domain over the customer's two domains, unique
# over all the files: a repeated first.last gets a number, as a directory would.
step "Writing the .csv files (${SIZES[*]} rows)"
python3 - "$WORK" "$SEED" "${DOMAINS[*]}" "${SIZES[@]}" <<'PY'
import csv, random, sys, unicodedata

work, seed, domains, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), [int(s) for s in sys.argv[4:]]
rnd = random.Random(seed)
en_first = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty
Mark Sandra Steven Ashley Paul Emily Andrew Michelle Kevin Amanda Brian Melissa George Stephanie
Timothy Rebecca Ryan Laura Jason Helen Eric Chloe Jacob Olivia Zoë Renée José Anaïs Björn
Seán Mary-Kate Jean-Luc Ethan Sophia Noah Isabella Liam Mia Lucas Amelia Oliver Harper""".split()
en_last = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts O'Brien Müller
Schmidt Dubois Rossi Tanaka Suzuki Kim Park Silva García Nuñez Łukasiewicz D'Angelo
MacDonald Østergaard""".split() + ["van der Berg", "De la Cruz"]
zh_last = list("陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高")
zh_last_en = """Chen Lin Huang Chang Lee Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Kuo Hung Tseng Chiu Liao
Lai Chou Hsu Su Yeh Chuang Lu Chiang Ho Hsiao Lo Kao""".split()
zh_first = "志明 淑芬 雅婷 家豪 怡君 俊傑 美玲 建宏 宗翰 欣怡 冠宇 佩珊 承恩 詩涵 柏翰 宜蓁 彥廷 思妤 哲瑋 筱涵 文雄 秀英 國華 麗華 子軒 品妍 宥廷 芷晴 柏宇 郁婷".split()
zh_first_en = """Chih-Ming Shu-Fen Ya-Ting Chia-Hao Yi-Chun Chun-Chieh Mei-Ling Chien-Hung Tsung-Han Hsin-Yi
Kuan-Yu Pei-Shan Cheng-En Shih-Han Po-Han Yi-Chen Yen-Ting Szu-Yu Che-Wei Hsiao-Han Wen-Hsiung
Hsiu-Ying Kuo-Hua Li-Hua Tzu-Hsuan Pin-Yen Yu-Ting Chih-Ching Po-Yu Yu-Ting""".split()
assert len(zh_last) == len(zh_last_en) and len(zh_first) == len(zh_first_en)
departments = ["Sales", "Finance", "IT", "HR", "Marketing", "業務部", "財務部"]

def ascii_alias(text):
    text = text.replace("ß", "ss").replace("Ø", "O").replace("ø", "o").replace("Ł", "L").replace("ł", "l")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c == "'")

seen = set()
def unique_name(alias, domain):
    name, n = f"{alias}@{domain}", 1
    while name.lower() in seen:
        n += 1
        name = f"{alias}{n}@{domain}"
    seen.add(name.lower())
    return name

for number, size in enumerate(sizes, 1):
    path = f"{work}/users-{number}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(["First name", "Last name", "Display name", "User name", "Usage location", "Status update"])
        for _ in range(size):
            kind = rnd.random()
            if kind < 0.375:  # Taiwanese
                i, j = rnd.randrange(len(zh_last)), rnd.randrange(len(zh_first))
                family, given, family_en, given_en = zh_last[i], zh_first[j], zh_last_en[i], zh_first_en[j]
                alias = ascii_alias(given_en) + "." + ascii_alias(family_en)
                style = rnd.random()
                if style < 0.33:  # in Chinese characters only
                    first, last, display = given, family, family + given
                elif style < 0.8:
                    first, last, display = given_en, family_en, f"{given_en} {family_en}"
                else:
                    first, last, display = given_en, family_en, f"{given_en} {family_en} {family}{given}"
                if rnd.random() < 0.2:
                    alias = ascii_alias(given_en[0] + given_en.split("-")[-1][0]) + ascii_alias(family_en)
            else:
                first, last = rnd.choice(en_first), rnd.choice(en_last)
                style = rnd.random()
                if style < 0.7:
                    display = f"{first} {last}"
                elif style < 0.8:
                    display = f"{last}, {first}"
                elif style < 0.9:
                    display = f"{first} {chr(65 + rnd.randrange(26))}. {last}"
                else:
                    display = f"{first} {last} ({rnd.choice(departments)})"
                alias = ascii_alias(first) + "." + ascii_alias(last) if rnd.random() < 0.85 else ascii_alias(first[0] + last)
            domain = domains[0] if rnd.random() < 0.7 else domains[1]
            place = rnd.random()
            location = "" if place < 0.6 else "TW" if place < 0.85 else "US" if place < 0.95 else "JP" if place < 0.98 else "hk"
            out.writerow([first, last, display, unique_name(alias, domain), location, ""])
PY
for idx in "${!SIZES[@]}"; do
    n=${SIZES[idx]} f=$WORK/users-$((idx + 1)).csv
    [[ $(head -c 3 "$f" | od -An -tx1 | tr -d ' ') == efbbbf ]] || die "${f##*/} has no BOM"
    lines=$(wc -l <"$f")
    [[ $lines == $((n + 1)) ]] || die "${f##*/} has $lines lines, expected $((n + 1))"
done
sample_rows=$(sed -n '2,9p' "$WORK/users-1.csv" | tr -d '\r')

# --- Database and server ---------------------------------------------------------------------------
step "Creating a fresh database $DB"
q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
q_admin -c "CREATE DATABASE $DB"

export DATABASE_URL PARTNERDESK_BIND="127.0.0.1:$PORT" PARTNERDESK_DATA_DIR="$WORK/data" RUST_LOG=warn
export PARTNERDESK_UPLOAD_LIMIT=$UPLOAD_LIMIT
"$BIN" migrate >/dev/null

# Starts a fresh server process (the session key lives in the data folder, so the signed-in
# cookie jar keeps working across restarts).
# BENCH_SERVER_WRAPPER (e.g. "env MALLOC_ARENA_MAX=2" or "heaptrack -o /tmp/ht") runs the
# server under another program; the memory figures are still read from the server process
# itself, found as the process running the private binary.
start_server() {
    local p
    stop_server
    ${SERVER_WRAPPER:+$SERVER_WRAPPER} "$BIN" serve >>"$WORK/server.log" 2>&1 &
    LAUNCH_PID=$! SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "$BASE/health" && break
        kill -0 "$LAUNCH_PID" 2>/dev/null || die "the server stopped at start"
        sleep 0.5
    done
    curl -fs -o /dev/null "$BASE/health" || die "the server did not answer /health within 60 s"
    if [[ -n $SERVER_WRAPPER ]]; then
        SERVER_PID=
        for p in /proc/[0-9]*; do
            [[ $(readlink "$p/exe" 2>/dev/null) == "$BIN" ]] && SERVER_PID=${p#/proc/} && break
        done
        [[ -n $SERVER_PID ]] || die "no process runs $BIN under $SERVER_WRAPPER"
    fi
}
step "Starting partnerdesk serve on $BASE (PARTNERDESK_UPLOAD_LIMIT=$UPLOAD_LIMIT)"
start_server

create_bench_admin "$EMAIL"

# --- Signing in and setting up the customer through the app ---------------------------------------
JAR=$WORK/cookies.txt # the jar of lib.sh's csrf_of, token_from and post_form

step "Signing in as $EMAIL"
token=$(token_from /sign-in)
read -r status _ < <(post_form /sign-in --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "sign-in answered $status"
token=$(token_from /customers/new)

step "Creating the customer (${DOMAINS[*]}) and buying Office 365 E3 ($SEATS seats)"
read -r status location < <(post_form /customers --data-urlencode "company_name=Contoso Import Bench" \
    --data-urlencode "domains=$(printf '%s\n' "${DOMAINS[@]}")" --data-urlencode "default_usage_location=TW" \
    --data-urlencode "csrf_token=$token")
[[ $status == 303 && $location =~ /customers/([0-9]+)/ ]] || die "creating the customer answered $status $location"
CID=${BASH_REMATCH[1]}
[[ $(q -c "SELECT count(*) FROM customer_domains WHERE customer_id = $CID") == "${#DOMAINS[@]}" ]] ||
    die "the customer does not have its ${#DOMAINS[@]} domains"
PRODUCT_ID=$(q -c "SELECT id FROM products WHERE sku_part_number = 'ENTERPRISEPACK'")
[[ -n $PRODUCT_ID ]] || die "ENTERPRISEPACK is not in the products table"
read -r status _ < <(post_form "/customers/$CID/subscriptions" --data-urlencode "product_id=$PRODUCT_ID" \
    --data-urlencode "quantity=$SEATS" --data-urlencode "csrf_token=$token")
[[ $status == 303 ]] || die "buying E3 answered $status"
SID=$(q -c "SELECT id FROM subscriptions WHERE customer_id = $CID AND product_id = $PRODUCT_ID")
[[ -n $SID ]] || die "the E3 subscription was not created"

# --- Samplers ----------------------------------------------------------------------------------------
# The server's memory and CPU, every $SAMPLE s: "epoch rss_mib hwm_mib cpu_s machine_busy_s".
sample_server() {
    local pid=$1 out=$2 deadline=$((SECONDS + MAX_WAIT + 600)) hz
    hz=$(getconf CLK_TCK)
    while [[ ! -e $STOP_FILE ]] && ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
        # One awk a sample: /proc/<pid>/status, /proc/<pid>/stat, /proc/stat.
        awk -v t="$EPOCHREALTIME" -v hz="$hz" '
            FNR == 1 { file++ }
            file == 1 && $1 == "VmRSS:" { rss = $2 / 1024 }
            file == 1 && $1 == "VmHWM:" { hwm = $2 / 1024 }
            file == 2 { sub(/^.*\) /, ""); cpu = ($12 + $13) / hz }
            file == 3 && $1 == "cpu" { busy = ($2 + $3 + $4 + $7 + $8) / hz }
            END { if (file == 3) printf "%s %.1f %.1f %.2f %.2f\n", t, rss, hwm, cpu, busy }
        ' "/proc/$pid/status" "/proc/$pid/stat" /proc/stat >>"$out" 2>/dev/null || true
        sleep "$SAMPLE"
    done
}
# The job row and what the database is doing for the app, every $SAMPLE s, from one psql:
# "epoch \t status \t done_rows \t activity" where activity lists the app's non-idle
# backends as state:statement.
sample_job() {
    local job=$1 out=$2 deadline=$((SECONDS + MAX_WAIT + 600)) sql
    sql="SELECT extract(epoch FROM clock_timestamp()), j.status, j.done_rows,
       coalesce((SELECT string_agg(a.state || ':' || left(regexp_replace(a.query, '\s+', ' ', 'g'), 60), ' | ')
                 FROM pg_stat_activity a
                 WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.state <> 'idle'), '')
FROM import_jobs j WHERE j.id = '$job';"
    # One query at a time, paced here: psql ends when the loop does.
    while [[ ! -e $STOP_FILE ]] && ((SECONDS < deadline)); do
        printf '%s\n' "$sql"
        sleep "$SAMPLE"
    done | psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$DB" -X -q -At -F $'\t' >>"$out" 2>/dev/null || true
}
last_status() { tail -n 1 "$1" 2>/dev/null | cut -f2; }

# Names a sample of the job's timeline by the phase of services::imports::run it shows.
phase_awk='
function statement(q) {
    if (q ~ /"import_job_rows"."rows"/) return "load the rows (chunks of json)";
    if (q ~ /INSERT INTO customer_users/) return "INSERT customer_users ... unnest";
    if (q ~ /INSERT INTO licenses/) return "INSERT licenses (+ seat trigger)";
    if (q ~ /activity_log/) return "INSERT activity_log";
    if (q ~ /credential_sheets/) return "INSERT credential_sheets";
    if (q ~ /SELECT lower\(user_name\)/) return "check the names are still free";
    if (q ~ /subscriptions|"products"/) return "lock the subscriptions";
    if (q ~ /^UPDATE "import_jobs" SET "status"/) return "UPDATE import_jobs status = done (then COMMIT)";
    if (q ~ /^COMMIT/) return "COMMIT";
    return "";
}
# The phase of services::imports::run a sample shows: the statement the worker runs, or the
# Rust work it does inside the transaction after a statement (state idle in transaction).
function phase(status, done, act,    n, parts, i, s, q) {
    if (status == "queued") return "queued (the worker polls every 0.5 s)";
    if (status == "validated") return "not yet queued";
    if (status != "running") return status;
    n = split(act, parts, / [|] /);
    for (i = 1; i <= n; i++) if (parts[i] ~ /^active:/) {
        q = parts[i]; sub(/^active:/, "", q); s = statement(q);
        if (s != "") return "db: " s;
    }
    for (i = 1; i <= n; i++) if (parts[i] ~ /^idle in transaction/) {
        q = parts[i]; sub(/^idle in transaction[^:]*:/, "", q); s = statement(q);
        return "app, in the transaction, after " (s == "" ? substr(q, 1, 30) : s);
    }
    if (done == 0) return "app: decode the rows, then the first 2,000 passwords";
    if (done < total) return "app: passwords, generate + argon2 (rayon)";
    return "app: after the last password chunk, before the transaction";
}
'

# --- The imports ---------------------------------------------------------------------------------
declare -a R_PHASE_MEM R_ROWS R_UPLOAD R_UPLOAD_BYTES R_START_POST R_WALL R_DB R_RATE R_E2E R_HWM R_HWM_VALIDATE R_RSS_END R_CPU R_BUSY R_STATUS R_USERS R_LICENSES R_ASSIGNED R_LOAD R_LOAD_END R_PHASES R_FAILURE R_JOB
users_before=0
for idx in "${!SIZES[@]}"; do
    n=${SIZES[$idx]}
    file=$WORK/users-$((idx + 1)).csv
    if [[ $RESTART == 1 ]]; then
        step "Import $((idx + 1)) of ${#SIZES[@]}: $n users ($(du -h "$file" | cut -f1)); restarting the server for a fresh memory peak"
        start_server
    else
        step "Import $((idx + 1)) of ${#SIZES[@]}: $n users ($(du -h "$file" | cut -f1)); same server (the memory peak is cumulative)"
    fi
    R_LOAD[idx]=$(loadavg)
    mem_samples=$WORK/mem-$((idx + 1)).txt
    : >"$mem_samples"
    sample_server "$SERVER_PID" "$mem_samples" &
    SAMPLER_PIDS+=($!)

    token=$(token_from "/customers/$CID/import")
    read -r status redirect upload_s upload_bytes < <(curl -sS -o "$WORK/upload.html" \
        -w '%{http_code} %{redirect_url} %{time_total} %{size_upload}\n' -H 'Expect:' -c "$JAR" -b "$JAR" \
        -F "csrf_token=$token" -F "encoding=auto" -F "file=@$file;type=text/csv;filename=users-$n.csv" \
        "$BASE/customers/$CID/import")
    [[ $status == 303 && $redirect =~ /imports/([0-9a-f-]{36})$ ]] ||
        die "the upload answered $status $redirect ($(grep -o 'role="alert"[^<]*<[^<]*' "$WORK/upload.html" | head -n 1))"
    JOB=${BASH_REMATCH[1]}
    R_JOB[idx]=$JOB
    R_UPLOAD[idx]=$(printf '%.2f' "$upload_s")
    R_UPLOAD_BYTES[idx]=$upload_bytes
    R_HWM_VALIDATE[idx]=$(proc_mib "$SERVER_PID" VmHWM)
    printf 'upload + validate: %s s (%s bytes), job %s, server peak so far %s MiB\n' "$upload_s" "$upload_bytes" "$JOB" "${R_HWM_VALIDATE[idx]}" >&2

    curl -fsS -o "$WORK/report.html" -c "$JAR" -b "$JAR" "$BASE${redirect#"$BASE"}"
    grep -q 'id="confirm-form"' "$WORK/report.html" ||
        die "the validation report has no confirm form: $(q -c "SELECT status, total_rows, jsonb_array_length(problems), left(problems::text, 300) FROM import_jobs WHERE id = '$JOB'")"
    valid=$(q -c "SELECT valid_rows FROM import_jobs WHERE id = '$JOB'")
    [[ $valid == "$n" ]] || die "the report takes $valid of $n rows"
    token=$(sed -n '/id="confirm-form"/,/<\/form>/p' "$WORK/report.html" | csrf_of)
    [[ -n $token ]] || die "no csrf_token in the confirm form"

    job_samples=$WORK/job-$((idx + 1)).txt
    : >"$job_samples"
    sample_job "$JOB" "$job_samples" &
    SAMPLER_PIDS+=($!)
    cpu_before=$(proc_cpu "$SERVER_PID")
    busy_before=$(machine_busy)
    t_start=$(now_s)
    read -r status redirect start_s < <(curl -sS -o "$WORK/start.html" -w '%{http_code} %{redirect_url} %{time_total}\n' \
        -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode "location=$LOCATION" \
        --data-urlencode "product=$SID" "$BASE/customers/$CID/imports/$JOB/start")
    [[ $status == 303 ]] || die "start answered $status: $(grep -o 'id="start-errors".*' "$WORK/start.html" | head -c 400)"
    R_START_POST[idx]=$(printf '%.2f' "$start_s")

    # Wait for the job to end, as the sampler sees it.
    t_done=
    while :; do
        st=$(last_status "$job_samples")
        if [[ $st == done || $st == failed ]]; then
            t_done=$(tail -n 1 "$job_samples" | cut -f1)
            break
        fi
        holds "$(now_s) - $t_start < $MAX_WAIT" || die "the import of $n users did not end within $MAX_WAIT s"
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the import of $n users"
        sleep "$SAMPLE"
    done
    cpu_after=$(proc_cpu "$SERVER_PID")
    busy_after=$(machine_busy)
    sleep 0.5 # one more memory sample after the end
    stop_samplers
    R_STATUS[idx]=$st
    R_WALL[idx]=$(printf '%.2f' "$(calc "$t_done - $t_start")")
    R_CPU[idx]=$(calc "$cpu_after - $cpu_before")
    R_BUSY[idx]=$(calc "$busy_after - $busy_before")
    R_DB[idx]=$(q -c "SELECT coalesce(round(extract(epoch FROM finished_at - started_at)::numeric, 2)::text, '-') FROM import_jobs WHERE id = '$JOB'")
    R_HWM[idx]=$(proc_mib "$SERVER_PID" VmHWM)
    R_RSS_END[idx]=$(proc_mib "$SERVER_PID" VmRSS)
    R_LOAD_END[idx]=$(loadavg)
    R_FAILURE[idx]=$(q -c "SELECT coalesce(failure::text, '') FROM import_jobs WHERE id = '$JOB'")

    # The page a person sees.
    curl -fsS -o "$WORK/job.html" -c "$JAR" -b "$JAR" "$BASE/customers/$CID/imports/$JOB"
    if [[ $st == done ]]; then
        grep -q 'id="done"' "$WORK/job.html" || die "the job is done but its page shows no id=\"done\""
    else
        grep -q 'id="failure"' "$WORK/job.html" || echo "warning: the job failed but its page shows no id=\"failure\"" >&2
    fi
    R_USERS[idx]=$(q -c "SELECT count(*) FROM customer_users WHERE customer_id = $CID AND deleted_at IS NULL")
    R_LICENSES[idx]=$(q -c "SELECT count(*) FROM licenses WHERE customer_id = $CID AND subscription_id = $SID")
    R_ASSIGNED[idx]=$(q -c "SELECT assigned FROM subscriptions WHERE id = $SID")
    if [[ $st == done ]]; then
        [[ ${R_USERS[idx]} == $((users_before + n)) ]] || die "after the import there are ${R_USERS[idx]} users, expected $((users_before + n))"
        [[ ${R_LICENSES[idx]} == $((users_before + n)) && ${R_ASSIGNED[idx]} == "${R_LICENSES[idx]}" ]] ||
            die "after the import: ${R_LICENSES[idx]} E3 licenses, assigned=${R_ASSIGNED[idx]}, expected $((users_before + n))"
        users_before=${R_USERS[idx]}
        wrong_location=$(q -c "SELECT count(*) FROM customer_users WHERE customer_id = $CID AND usage_location IS NULL")
        [[ $wrong_location == 0 ]] || die "$wrong_location imported users have no usage location"
    fi
    R_ROWS[idx]=$n
    R_RATE[idx]=$(calc "int($n / ${R_WALL[idx]})")
    R_E2E[idx]=$(printf '%.2f' "$(calc "$upload_s + $start_s + $t_done - $t_start")")

    # Phases: each sample's time goes to the phase it shows, until the next sample.
    R_PHASES[idx]=$(awk -F '\t' -v total="$n" -v t0="$t_start" "$phase_awk"'
        ended { next }
        { t[++m] = $1; p[m] = phase($2, $3 + 0, $4); if ($2 == "done" || $2 == "failed") ended = 1 }
        END {
            for (i = 1; i < m; i++) { d = t[i + 1] - t[i]; if (!(p[i] in sum)) { order[++k] = p[i]; first[p[i]] = t[i] }; sum[p[i]] += d }
            for (i = 1; i <= k; i++) printf "| %s | %.1f | %.1f |\n", order[i], first[order[i]] - t0, sum[order[i]]
            printf "| end: %s | %.1f | |\n", p[m], t[m] - t0
        }' "$job_samples")
    # The memory peak seen in each phase (samples of both files joined by time).
    R_PHASE_MEM[idx]=$(awk -v total="$n" "$phase_awk"'
        FNR == NR { split($0, f, "\t"); jt[++nj] = f[1]; jp[nj] = phase(f[2], f[3] + 0, f[4]); next }
        {
            while (cur < nj && jt[cur + 1] <= $1) cur++;
            ph = cur ? jp[cur] : "0 upload + validate, before start";
            if (!(ph in peak)) order[++k] = ph;
            if ($2 > peak[ph]) peak[ph] = $2
        }
        END { for (i = 1; i <= k; i++) printf "| %s | %.0f |\n", order[i], peak[order[i]] }' "$job_samples" "$mem_samples")
    printf '%s users: %s; create %s s wall (%s s finished_at - started_at), %s rows/s, end to end %s s, peak %s MiB\n' \
        "$n" "$st" "${R_WALL[idx]}" "${R_DB[idx]}" "${R_RATE[idx]}" "${R_E2E[idx]}" "${R_HWM[idx]}" >&2
    printf '%s\n' "${R_PHASES[idx]}" >&2
done
load_at_end=$(loadavg)
uptime_at_end=$(uptime)

# --- Results ----------------------------------------------------------------------------------------
yesno() { holds "$1" && echo yes || echo "**no**"; }
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/imports-$run_date.md"
[[ ! -e $out ]] || out="$ROOT/bench/results/imports-$run_date-$(date +%H%M).md"
{
    echo "# Importing users from .csv: ${SIZES[*]} users — $run_stamp"
    echo
    echo "Made by \`bench/imports.sh\` at commit $commit."
    echo
    echo "- Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; shared with other engineers' builds and tests."
    echo "- uptime at start: \`$uptime_at_start\`; at end: \`$uptime_at_end\`."
    echo "- CPU pressure at start (share of the last minute some task waited for a CPU): ${pressure_at_start:-unknown}; other processes using >= 10% of a CPU at start: ${busiest_at_start:-none}."
    echo "- PostgreSQL $(q -c 'SHOW server_version') on the same machine, shared_buffers $(q -c 'SHOW shared_buffers'), work_mem $(q -c 'SHOW work_mem'), synchronous_commit $(q -c 'SHOW synchronous_commit')."
    echo "- Server: \`${SERVER_WRAPPER:+$SERVER_WRAPPER }partnerdesk serve\`, RUST_LOG=warn, PARTNERDESK_UPLOAD_LIMIT=$UPLOAD_LIMIT, $( [[ $RESTART == 1 ]] && echo "**restarted before each file**, so each memory peak (VmHWM) is that file's alone (upload, validation and creation)" || echo "**one process for all the files** (BENCH_RESTART=0), so each memory peak (VmHWM) is cumulative: the highest since the server started")."
    echo "- Customer with the domains ${DOMAINS[*]} and Office 365 E3 (ENTERPRISEPACK), $SEATS seats; each file imported with usage location $LOCATION for the rows without one and E3 for every user. The files go one after the other into the same customer."
    echo "- Files: Partner Center's header, UTF-8 with BOM, CRLF; about 37% Taiwanese names (a third of those in Chinese characters only), the rest English names with some accents and apostrophes, 10% \"Last, First\" display names (quoted); 60% of rows without a usage location. First rows:"
    echo
    echo '```'
    echo "$sample_rows"
    echo '```'
    echo
    echo "## Figures"
    echo
    echo "- upload + validate: curl's \`time_total\` of the multipart POST (the file sent at once, no \`Expect: 100-continue\`) up to the 303 to the report."
    echo "- create, wall: from sending the start POST until the job row reads \`done\` (sampled every $SAMPLE s, so up to $SAMPLE s late; includes up to 0.5 s for the worker to notice the job)."
    echo "- create, in import_jobs: \`finished_at - started_at\`. **\`finished_at\` is the time taken just before the big INSERT** (\`let at = now()\` in \`services::imports::run\`), so this leaves out the inserts, the sealing and the commit."
    echo "- end to end: upload + validate + start POST + create (wall)."
    echo "- server CPU: user + system seconds the server process used during the create; machine busy: CPU seconds of all processes (the server, PostgreSQL, the samplers, anything else) over the same time, out of 2 per second."
    echo
    echo "| users | status | upload + validate s | start POST s | create s (wall) | create s (import_jobs) | rows/s | end to end s | server CPU s | machine busy CPU s | peak after validate MiB | peak MiB (VmHWM) | RSS after MiB | load before | load after |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    for i in "${!R_ROWS[@]}"; do
        echo "| ${R_ROWS[i]} | ${R_STATUS[i]} | ${R_UPLOAD[i]} | ${R_START_POST[i]} | ${R_WALL[i]} | ${R_DB[i]} | ${R_RATE[i]} | ${R_E2E[i]} | ${R_CPU[i]} | ${R_BUSY[i]} | ${R_HWM_VALIDATE[i]} | ${R_HWM[i]} | ${R_RSS_END[i]} | ${R_LOAD[i]} | ${R_LOAD_END[i]} |"
    done
    echo
    echo "Checked after each import: users of the customer (active), E3 licenses, and \`subscriptions.assigned\`:"
    echo
    echo "| after the import of | users | E3 licenses | assigned | failure |"
    echo "|---:|---:|---:|---:|---|"
    for i in "${!R_ROWS[@]}"; do
        echo "| ${R_ROWS[i]} | ${R_USERS[i]} | ${R_LICENSES[i]} | ${R_ASSIGNED[i]} | ${R_FAILURE[i]:-} |"
    done
    echo
    echo "## Goals"
    echo
    echo "| goal | figure | met |"
    echo "|---|---|---|"
    for i in "${!R_ROWS[@]}"; do
        if ((R_ROWS[i] == 50000)); then
            echo "| 50,000 users with one product, end to end < 60 s | ${R_E2E[i]} s (${R_STATUS[i]}) | $( [[ ${R_STATUS[i]} == done ]] && yesno "${R_E2E[i]} < 60" || echo "**no**") |"
        fi
        if ((R_ROWS[i] == 150000)); then
            echo "| 150,000 users accepted (validated and created) | ${R_STATUS[i]}, ${R_E2E[i]} s end to end | $( [[ ${R_STATUS[i]} == done ]] && echo yes || echo "**no**") |"
        fi
        echo "| peak server memory < 300 MB ($((R_ROWS[i])) users) | $(printf '%.0f' "$(calc "${R_HWM[i]} * 1.048576")") MB (${R_HWM[i]} MiB) | $(yesno "${R_HWM[i]} * 1.048576 < 300") |"
    done
    echo
    for i in "${!R_ROWS[@]}"; do
        echo "## Phases of import $((i + 1)): $((R_ROWS[i])) users"
        echo
        echo "From the samples of import_jobs and pg_stat_activity (every $SAMPLE s): when each phase was first seen after the start POST, and the time spent in it, in the order first seen. \"db:\" is a statement the worker's connection runs; \"app\" is Rust work in the server: the password loop (\`done_rows\` grows by 2,000 a chunk, before the transaction), or work inside the one transaction after the statement named (the connection idle in transaction)."
        echo
        echo "| phase | first seen at s | seconds |"
        echo "|---|---:|---:|"
        printf '%s\n' "${R_PHASES[i]}"
        echo
        echo "Peak server RSS (MiB) seen in each phase:"
        echo
        echo "| phase | peak RSS MiB |"
        echo "|---|---:|"
        printf '%s\n' "${R_PHASE_MEM[i]}"
        echo
    done
} >"$out"

# Raw samples beside the results, for a closer look.
for i in "${!R_ROWS[@]}"; do
    {
        echo "# job $((i + 1)) (${R_ROWS[i]} users): epoch  status  done_rows  activity"
        cat "$WORK/job-$((i + 1)).txt"
        echo "# server during import $((i + 1)) (${R_ROWS[i]} users): epoch  rss_mib  hwm_mib  cpu_s  machine_busy_s"
        cat "$WORK/mem-$((i + 1)).txt"
    } >>"${out%.md}-samples.txt"
done

step "Results ($((SECONDS - started)) s in all), written to ${out#"$ROOT"/}"
sed -n '/^## Figures/,/^## Phases/p' "$out" | sed '$d'
