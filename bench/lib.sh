# What the benchmark scripts share, sourced by each after it has set DB, PG_HOST, PG_PORT, PORT
# and BASE: messages, arithmetic, psql on the bench database, a note of how busy the machine
# was, the checks before a run, and a private copy of the release binary.

step() { printf '\n==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Share of the last 60 s in which some runnable task waited for a CPU (Linux PSI), if known.
cpu_pressure() { sed -n 's/^some avg10=[0-9.]* avg60=\([0-9.]*\).*/\1%/p' /proc/pressure/cpu 2>/dev/null || true; }
calc() { awk "BEGIN { print $1 }"; }      # floating-point arithmetic without bc
holds() { awk "BEGIN { exit !($1) }"; }   # a floating-point comparison as an exit status
# psql on the bench database: no .psqlrc, stop at the first error, bare output.
q() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$DB" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
q_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# When the run started and how busy the machine was then, for the result file.
note_start() {
    started=$SECONDS
    run_date=$(date +%Y-%m-%d)
    run_stamp=$(date '+%Y-%m-%d %H:%M:%S %Z')
    load_at_start=$(loadavg)
    pressure_at_start=$(cpu_pressure)
    busiest_at_start=$(top -bn2 -d1 2>/dev/null | awk '/^top/ { n++ } n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 10 { printf "%s%s %s%%", sep, $12, $9; sep = ", " }' || true)
}

# wrk from Debian's packages when it is missing (as root), or a clear stop.
need_wrk() {
    command -v wrk >/dev/null && return
    [[ $EUID -eq 0 ]] || die "wrk is missing (apt-get install -y wrk)"
    step "Installing wrk"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk </dev/null >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk </dev/null >/dev/null; }
}

# The tools named, a PostgreSQL to use and a free port, or a clear stop.
preflight() {
    local tool
    for tool in curl psql pg_isready "$@"; do
        command -v "$tool" >/dev/null || die "$tool is missing"
    done
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "no PostgreSQL on $PG_HOST:$PG_PORT (pg_ctlcluster 15 main start)"
    if curl -s -o /dev/null --max-time 2 "$BASE/"; then
        die "something already listens on 127.0.0.1:$PORT (set BENCH_PORT)"
    fi
}

# Builds the release binary and copies it to $WORK/partnerdesk (BIN): the target folder may be
# shared with other worktrees' builds, which must not replace the binary in the middle of a run.
# Sets `commit` to what was measured.
build_private_binary() {
    step "Building the release binary"
    cargo build --release --quiet
    BIN=$WORK/partnerdesk
    cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/partnerdesk" "$BIN"
    commit=$(git -C "$ROOT" rev-parse --short HEAD)
    [[ -z $(git -C "$ROOT" status --porcelain -- src migrations templates Cargo.toml Cargo.lock) ]] || commit="$commit (with uncommitted changes)"
}

# A browser's cookie jar for the scripts that sign in through the app ($JAR, $BASE, $WORK set
# by the script): the CSRF token of a page, and a form posted with the jar.
csrf_of() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1; }
# GET a page with the cookie jar and print its CSRF token.
token_from() {
    local token
    token=$(curl -fsS -c "$JAR" -b "$JAR" "$BASE$1" | csrf_of)
    [[ -n $token ]] || die "no csrf_token on $1"
    printf '%s' "$token"
}
# POST a form with the jar; prints "<status> <redirect url>".
post_form() {
    local path=$1
    shift
    curl -sS -o "$WORK/last-response.html" -w '%{http_code} %{redirect_url}\n' -c "$JAR" -b "$JAR" "$@" "$BASE$path"
}

# The server the script started ($SERVER_PID), stopped and waited for.
stop_server() {
    if [[ -n ${SERVER_PID:-} ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}

# At exit (trap cleanup_bench EXIT): the server stopped, the last lines of its log
# ($WORK/server.log) shown when the run failed, the bench database dropped unless KEEP_DB=1,
# and $WORK removed.
cleanup_bench() {
    local status=$?
    stop_server
    if ((status != 0)) && [[ -s $WORK/server.log ]]; then
        echo "--- last lines of the server log ---" >&2
        tail -n 20 "$WORK/server.log" >&2 || true
    fi
    [[ ${KEEP_DB:-0} == 1 ]] || q_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
    rm -rf -- "$WORK"
    exit "$status"
}

# A Global admin of the partner "Bench" ($1: the email; $PASSWORD), who signs in with the
# password alone: the benchmarks measure pages, not the second step of a sign-in, which a
# partner made with create-staff requires.
create_bench_admin() {
    printf '%s\n' "$PASSWORD" |
        "$BIN" create-staff --partner Bench --email "$1" --role global-admin --password-stdin >/dev/null
    q -c "UPDATE partners SET second_factor_required = false WHERE name = 'Bench'"
}
