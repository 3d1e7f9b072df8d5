#!/usr/bin/env bash
# Loopback load benchmark: the copy server (release) against a hand-written axum baseline
# (benches/load/baseline.rs) on the same SQLite database, each driven by wrk in turn.
#
#   benches/load/run.sh [DURATION]        # per case and side, default 10s
#
# Cases, one wrk run each (`wrk -t1 -c32`, after a 2 s warm-up of the same request):
#   floor       the copy server answering an unknown route (404 envelope, access log on at the
#               default level) / the baseline's fixed JSON body without any log
#   floor, --log warn  the same copy server request with the access log off
#   signed GET  the copy server's signed image GET (the demo key) / the baseline's unsigned GET
#               of the same image, with tower-http's TraceLayer through a non-blocking writer
# Prints requests/s and p99 latency of each side and the ratios of requests/s copy / baseline.
# Needs wrk (Debian: apt-get install wrk) and curl. Listens on 127.0.0.1 only.
set -euo pipefail

duration=${1:-10s}
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
copy_port=${COPY_PORT:-18080}
base_port=${BASE_PORT:-18181}

(cd "$repo" && cargo build --quiet --release --example copy_server --example load_baseline)
work=$(mktemp -d "${TMPDIR:-/tmp}/scalr-load.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    exit 1
}

"$target/release/examples/copy_server" --listen "127.0.0.1:$copy_port" --db "$work/images.db" \
    >"$work/copy.out" 2>"$work/copy.log" &
pids+=($!)
wait_for "http://127.0.0.1:$copy_port/api/v1beta0/unknown"
# The same server with the access log off (`--log warn`), for what the log costs.
"$target/release/examples/copy_server" --listen "127.0.0.1:$((copy_port + 1))" --db "$work/images.db" --log warn \
    >/dev/null 2>"$work/quiet.log" &
pids+=($!)
wait_for "http://127.0.0.1:$((copy_port + 1))/api/v1beta0/unknown"
"$target/release/examples/load_baseline" serve --listen "127.0.0.1:$base_port" --db "$work/images.db" \
    2>"$work/base.log" &
pids+=($!)
wait_for "http://127.0.0.1:$base_port/floor"

# The demo key and the first demo image, as the copy server printed them for the new database.
eval "$(grep -o 'export SCALR_API_KEY_ID=.*' "$work/copy.out" | sed 's/^export /export /')"
image=$(grep -oE '^  [0-9a-f-]{36}' "$work/copy.out" | head -1 | tr -d ' ')
image_path=/api/v1beta0/user/1/images/$image/
signed=()
while IFS= read -r header; do signed+=(-H "$header"); done < <("$target/release/examples/load_baseline" sign GET "$image_path")

# Runs wrk on one URL; prints "requests/s p99" (p99 in ms).
drive() {
    local url=$1; shift
    wrk -t1 -c32 -d2s "$@" "$url" >/dev/null
    wrk -t1 -c32 -d"$duration" --latency "$@" "$url" | awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else if (v ~ /s$/) p = v * 1000; }
        /Non-2xx/ { non2xx = $NF }
        END { printf "%s %.2f\n", rps, p }'
}

report() {
    local name=$1 copy=$2 base=$3
    read -r copy_rps copy_p99 <<<"$copy"
    read -r base_rps base_p99 <<<"$base"
    printf '%-17s copy server %9.0f req/s p99 %7.2f ms | baseline %9.0f req/s p99 %7.2f ms | ratio %.2f\n' \
        "$name" "$copy_rps" "$copy_p99" "$base_rps" "$base_p99" "$(echo "$copy_rps / $base_rps" | bc -l)"
}

check_status() {
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    echo "$got"
}
echo "signed GET answers $(check_status "${signed[@]}" "http://127.0.0.1:$copy_port$image_path"), baseline GET $(check_status "http://127.0.0.1:$base_port$image_path")" >&2

floor_copy=$(drive "http://127.0.0.1:$copy_port/api/v1beta0/unknown")
floor_base=$(drive "http://127.0.0.1:$base_port/floor")
floor_quiet=$(drive "http://127.0.0.1:$((copy_port + 1))/api/v1beta0/unknown")
get_copy=$(drive "http://127.0.0.1:$copy_port$image_path" "${signed[@]}")
get_base=$(drive "http://127.0.0.1:$base_port$image_path")
report floor "$floor_copy" "$floor_base"
report "floor, --log warn" "$floor_quiet" "$floor_base"
report "signed GET" "$get_copy" "$get_base"
echo "access log lines: copy server $(grep -c 'request finished' "$work/copy.log"), baseline $(grep -c 'finished processing request' "$work/base.log")" >&2
