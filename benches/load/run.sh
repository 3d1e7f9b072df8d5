#!/usr/bin/env bash
# Loopback load benchmark: the copy server (release) against a hand-written axum baseline
# (benches/load/baseline.rs) on the same SQLite database, each driven by wrk in turn.
#
#   benches/load/run.sh [DURATION]        # per case, side and round, default 10s
#   ROUNDS=5 benches/load/run.sh 5s       # rounds, default 3
#
# Each round starts the servers on a fresh demo database and runs every case on both sides, one
# after the other, so that a burst of noise on the machine (a VM's neighbours) spoils one round
# rather than one side; the report gives the median over the rounds, and each round's ratio.
#
# Cases, one wrk run each per round (`wrk -t1 -c32`, after a 2 s warm-up of the same request):
#   floor       the copy server answering an unknown route (404 envelope, access log on at the
#               default level) / the baseline's fixed JSON body without any log
#   floor, --log warn  the same copy server request with the access log off
#   floor, log alone   the baseline's fixed body in the copy server's request span with its
#               `request finished` line, written by the copy server's line layer (a second
#               baseline, `--log-lines`) / the same bare route: what the access log alone costs
#               a route that has no framework around it
#   signed GET  the copy server's signed image GET (the demo key) / the baseline's unsigned GET
#               of the same image, with tower-http's TraceLayer through a non-blocking writer
#   signed list the first page of the images, likewise
#   signed copy a copy of the first demo image to another region (every copy is a new image with
#               a new AMI id, so one signed request can be sent again and again) / the
#               baseline's unsigned copy with the same checks and insertion
# Prints requests/s and p99 latency of each side, the ratios of requests/s copy server /
# baseline, and the copy server's copies/s over its signed GETs/s. For each side it also prints
# the server's CPU time per request (user + system, from /proc), which the requests/s ratio
# hides: on a machine where the load tool and the server share the cores, both sides also pay
# the kernel's TCP work and the load tool's own CPU per request.
# Needs wrk (Debian: apt-get install wrk) and curl. Listens on 127.0.0.1 only.
set -euo pipefail

for tool in wrk curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "benches/load/run.sh needs $tool on the PATH (Debian: apt-get install $tool)" >&2
        exit 1
    fi
done

duration=${1:-10s}
rounds=${ROUNDS:-3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=common.sh
source "$repo/benches/load/common.sh"
target=${CARGO_TARGET_DIR:-$repo/target}
copy_port=${COPY_PORT:-18080}
base_port=${BASE_PORT:-18181}
for port in "$copy_port" $((copy_port + 1)) "$base_port" $((base_port + 1)); do require_free_port "$port"; done

(cd "$repo" && cargo build --quiet --release --example copy_server --example load_baseline)
work=$(mktemp -d "${TMPDIR:-/tmp}/scalr-load.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT


copy_body='{"cloudLocation": "eu-west-3", "cloudPlatform": "ec2"}'
list_path=/api/v1beta0/user/1/images/
# The headers of one signed request, as wrk's -H options.
signed_headers() {
    local -n into=$1; shift
    into=()
    while IFS= read -r header; do into+=(-H "$header"); done < <("$target/release/examples/load_baseline" sign "$@")
}

# Starts the three servers of round $1 on a fresh copy of the demo database, so that every round
# finds the same data (each copy adds an image, and the list counts them), and signs the
# requests with the demo key the copy server printed for it.
start_servers() {
    local database=$work/images.$1.db
    "$target/release/examples/copy_server" --listen "127.0.0.1:$copy_port" --db "$database" \
        >"$work/copy.out" 2>>"$work/copy.log" &
    copy_pid=$!
    pids=("$copy_pid")
    wait_for "$copy_pid" "http://127.0.0.1:$copy_port/api/v1beta0/unknown"
    # The same server with the access log off (`--log warn`), for what the log costs.
    "$target/release/examples/copy_server" --listen "127.0.0.1:$((copy_port + 1))" --db "$database" --log warn \
        >/dev/null 2>>"$work/quiet.log" &
    quiet_pid=$!
    pids+=("$quiet_pid")
    wait_for "$quiet_pid" "http://127.0.0.1:$((copy_port + 1))/api/v1beta0/unknown"
    "$target/release/examples/load_baseline" serve --listen "127.0.0.1:$base_port" --db "$database" \
        2>>"$work/base.log" &
    base_pid=$!
    pids+=("$base_pid")
    wait_for "$base_pid" "http://127.0.0.1:$base_port/floor"
    "$target/release/examples/load_baseline" serve --listen "127.0.0.1:$((base_port + 1))" --db "$database" --log-lines \
        2>>"$work/lines.log" &
    lines_pid=$!
    pids+=("$lines_pid")
    wait_for "$lines_pid" "http://127.0.0.1:$((base_port + 1))/floor/logged"
    # The demo key and the first demo image, as the copy server printed them for the new database.
    eval "$(grep -o 'export SCALR_API_KEY_ID=.*' "$work/copy.out")"
    image=$(grep -oE '^  [0-9a-f-]{36}' "$work/copy.out" | head -1 | tr -d ' ')
    image_path=/api/v1beta0/user/1/images/$image/
    copy_path=${image_path}actions/copy/
    signed_headers signed GET "$image_path"
    signed_headers signed_list GET "$list_path"
    signed_headers signed_copy POST "$copy_path" --body "$copy_body"
}

stop_servers() {
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    pids=()
}

# wrk sends a body through a script.
cat >"$work/copy.lua" <<LUA
wrk.method = "POST"
wrk.body = '$copy_body'
wrk.headers["Content-Type"] = "application/json"
LUA

clock_ticks=$(getconf CLK_TCK)
# The CPU time process $1 has used so far, user + system, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# Runs wrk on one URL against the server process $1; prints "requests/s p99 non-2xx cpu" (p99
# in ms; cpu: the server's CPU µs per request over the measured run; the floor's answers are
# all 404s by design, every other case's must be 2xx).
drive() {
    local pid=$1 url=$2; shift 2
    wrk -t1 -c32 -d2s "$@" "$url" >/dev/null
    local before after
    before=$(cpu_ticks "$pid")
    wrk -t1 -c32 -d"$duration" --latency "$@" "$url" >"$work/wrk.out"
    after=$(cpu_ticks "$pid")
    awk -v ticks=$((after - before)) -v hz="$clock_ticks" '
        /Requests\/sec:/ { rps = $2 }
        / requests in / { requests = $1 }
        $1 == "99%" { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else if (v ~ /s$/) p = v * 1000; }
        /Non-2xx/ { non2xx = $NF }
        END { printf "%s %.2f %d %.1f\n", rps, p, non2xx, ticks * 1000000 / hz / requests }' "$work/wrk.out"
}

# The median of the numbers on standard input, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Column $2 of the results file $1.
result_field() {
    awk -v c="$2" '{ print $c }' "$1"
}

# Appends the result of one drive to the file of case $1, side $2.
record() {
    echo "$3" >>"$work/results.$1.$2"
}

# One line of the report: the medians over the rounds of the copy server's case $2 and the
# baseline's case $3, the median of the rounds' ratios, and each round's; $4 names the first
# side when it is not the copy server.
report() {
    local name=$1 copy=$work/results.$2 base=$work/results.$3 side=${4:-copy server} ratios
    ratios=$(paste "$copy" "$base" | awk '{ printf "%.2f\n", $1 / $5 }')
    printf '%-17s %-11s %9.0f req/s p99 %7.2f ms %5.1f µs CPU | baseline %9.0f req/s p99 %7.2f ms %5.1f µs CPU | ratio %.2f (rounds %s) | non-2xx %d / %d\n' \
        "$name" "$side" "$(result_field "$copy" 1 | median)" "$(result_field "$copy" 2 | median)" "$(result_field "$copy" 4 | median)" \
        "$(result_field "$base" 1 | median)" "$(result_field "$base" 2 | median)" "$(result_field "$base" 4 | median)" \
        "$(median <<<"$ratios")" "$(paste -sd, <<<"$ratios")" \
        "$(result_field "$copy" 3 | awk '{ n += $1 } END { print n }')" "$(result_field "$base" 3 | awk '{ n += $1 } END { print n }')"
}

start_servers 1

check_status() {
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    echo "$got"
}
echo "signed GET answers $(check_status "${signed[@]}" "http://127.0.0.1:$copy_port$image_path"), baseline GET $(check_status "http://127.0.0.1:$base_port$image_path")" >&2
echo "signed list answers $(check_status "${signed_list[@]}" "http://127.0.0.1:$copy_port$list_path"), baseline list $(check_status "http://127.0.0.1:$base_port$list_path")" >&2
copy_request=(-X POST -H 'Content-Type: application/json' --data "$copy_body")
echo "signed copy answers $(check_status "${signed_copy[@]}" "${copy_request[@]}" "http://127.0.0.1:$copy_port$copy_path"), baseline copy $(check_status "${copy_request[@]}" "http://127.0.0.1:$base_port$copy_path")" >&2

for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds" >&2
    ((round == 1)) || start_servers "$round"
    record floor copy "$(drive "$copy_pid" "http://127.0.0.1:$copy_port/api/v1beta0/unknown")"
    record floor base "$(drive "$base_pid" "http://127.0.0.1:$base_port/floor")"
    record floor quiet "$(drive "$quiet_pid" "http://127.0.0.1:$((copy_port + 1))/api/v1beta0/unknown")"
    record floor lines "$(drive "$lines_pid" "http://127.0.0.1:$((base_port + 1))/floor/logged")"
    record get copy "$(drive "$copy_pid" "http://127.0.0.1:$copy_port$image_path" "${signed[@]}")"
    record get base "$(drive "$base_pid" "http://127.0.0.1:$base_port$image_path")"
    # The list before the copies, which add images to it (both sides read the same database).
    record list copy "$(drive "$copy_pid" "http://127.0.0.1:$copy_port$list_path" "${signed_list[@]}")"
    record list base "$(drive "$base_pid" "http://127.0.0.1:$base_port$list_path")"
    record copy copy "$(drive "$copy_pid" "http://127.0.0.1:$copy_port$copy_path" "${signed_copy[@]}" -s "$work/copy.lua")"
    record copy base "$(drive "$base_pid" "http://127.0.0.1:$base_port$copy_path" -s "$work/copy.lua")"
    stop_servers
done
report floor floor.copy floor.base
report "floor, --log warn" floor.quiet floor.base
report "floor, log alone" floor.lines floor.base "logged bare"
report "signed GET" get.copy get.base
report "signed list" list.copy list.base
report "signed copy" copy.copy copy.base
copies_over_gets=$(paste "$work/results.copy.copy" "$work/results.get.copy" | awk '{ printf "%.2f\n", $1 / $5 }')
printf 'copy server: copies/s over signed GETs/s %.2f (rounds %s)\n' "$(median <<<"$copies_over_gets")" \
    "$(paste -sd, <<<"$copies_over_gets")"
echo "access log lines: copy server $(grep -c 'request finished' "$work/copy.log"), baseline $(grep -c 'finished processing request' "$work/base.log"), log alone $(grep -c 'request finished' "$work/lines.log")" >&2
