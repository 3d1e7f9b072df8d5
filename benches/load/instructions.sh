#!/usr/bin/env bash
# User-space instructions per request: the copy server (release) and the hand-written baseline
# (benches/load/baseline.rs), each run under valgrind's callgrind while wrk drives it over
# loopback. Where benches/load/run.sh gives requests/s, which on a shared 2-core VM moves by
# 10-20 % from one run to the next, an instruction count repeats to within a fraction of a
# per cent, so it can tell apart changes of a few hundred instructions a request. It counts
# the server's own code only: the kernel's TCP work, which both sides pay alike, is outside.
#
#   benches/load/instructions.sh [DURATION]    # wrk's run per side, default 6s
#
# Cases: the unknown route with the access log on (the default level) and with `--log warn`,
# against the baseline's fixed JSON body; that body in the copy server's request span with its
# access line (the baseline's `/floor/logged` with `--log-lines`: the log alone, without the
# framework), against the same bare body; the signed image GET against the baseline's
# unsigned GET with tower-http's TraceLayer. Each side runs alone: started under callgrind,
# warmed up for 2 s, its counters zeroed, driven for DURATION (`wrk -t1 -c32`), and dumped;
# the count over that stretch is divided by the requests wrk saw answered in it.
# Needs valgrind (Debian: apt-get install valgrind), wrk and curl. Listens on 127.0.0.1 only.
set -euo pipefail

for tool in valgrind callgrind_control wrk curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "benches/load/instructions.sh needs $tool on the PATH (Debian: apt-get install valgrind wrk curl)" >&2
        exit 1
    fi
done

duration=${1:-6s}
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=common.sh
source "$repo/benches/load/common.sh"
target=${CARGO_TARGET_DIR:-$repo/target}
port=${COPY_PORT:-18090}
require_free_port "$port"

(cd "$repo" && cargo build --quiet --release --example copy_server --example load_baseline)
work=$(mktemp -d "${TMPDIR:-/tmp}/scalr-instructions.XXXXXX")
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT


# The demo database, made once by the copy server itself, and its key and first image.
"$target/release/examples/copy_server" --listen "127.0.0.1:$port" --db "$work/images.db" >"$work/copy.out" 2>/dev/null &
server=$!
wait_for "$server" "http://127.0.0.1:$port/api/v1beta0/unknown"
kill "$server"
wait "$server" 2>/dev/null || true
server=
eval "$(grep -o 'export SCALR_API_KEY_ID=.*' "$work/copy.out")"
image=$(grep -oE '^  [0-9a-f-]{36}' "$work/copy.out" | head -1 | tr -d ' ')
image_path=/api/v1beta0/user/1/images/$image/
signed=()
while IFS= read -r header; do signed+=(-H "$header"); done < <("$target/release/examples/load_baseline" sign GET "$image_path")

# Runs one side: $1 the path to drive, then `--` and the server's command line. Prints the
# instructions per request.
measure() {
    local path=$1 headers=()
    shift
    while [ "$1" != -- ]; do headers+=("$1"); shift; done
    shift
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" "$@" >/dev/null 2>>"$work/valgrind.log" &
    server=$!
    wait_for "$server" "http://127.0.0.1:$port/api/v1beta0/unknown" 60
    local url=http://127.0.0.1:$port$path
    wrk -t1 -c32 -d2s "${headers[@]}" "$url" >/dev/null
    callgrind_control --zero "$server" >/dev/null 2>&1
    wrk -t1 -c32 -d"$duration" "${headers[@]}" "$url" >"$work/wrk.out"
    callgrind_control --dump "$server" >/dev/null 2>&1
    kill "$server"
    wait "$server" 2>/dev/null || true
    local dump=$work/callgrind.$server.1 requests instructions
    server=
    requests=$(awk '/ requests in / { print $1 }' "$work/wrk.out")
    instructions=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
    if grep -q 'Non-2xx' "$work/wrk.out" && [ "$path" = "$image_path" ]; then
        echo "the GET of $path was not answered 2xx" >&2
        exit 1
    fi
    echo $((instructions / requests))
}

copy_server=("$target/release/examples/copy_server" --listen "127.0.0.1:$port" --db "$work/images.db")
baseline=("$target/release/examples/load_baseline" serve --listen "127.0.0.1:$port" --db "$work/images.db")
floor_logged=$(measure /api/v1beta0/unknown -- "${copy_server[@]}")
floor_quiet=$(measure /api/v1beta0/unknown -- "${copy_server[@]}" --log warn)
floor_bare=$(measure /floor -- "${baseline[@]}")
floor_log_alone=$(measure /floor/logged -- "${baseline[@]}" --log-lines)
get_signed=$(measure "$image_path" "${signed[@]}" -- "${copy_server[@]}")
get_baseline=$(measure "$image_path" -- "${baseline[@]}")

# One line: case $1, the first side's count $2 against the baseline's $3; $4 names the first side
# when it is not the copy server.
row() {
    printf '%-18s %-11s %7d | baseline %7d | ratio %.2f\n' "$1" "${4:-copy server}" "$2" "$3" \
        "$(awk -v a="$2" -v b="$3" 'BEGIN { print a / b }')"
}
echo "user-space instructions per request (callgrind, wrk -t1 -c32 for $duration)"
row "floor" "$floor_logged" "$floor_bare"
row "floor, --log warn" "$floor_quiet" "$floor_bare"
row "floor, log alone" "$floor_log_alone" "$floor_bare" "logged bare"
row "signed GET" "$get_signed" "$get_baseline"
