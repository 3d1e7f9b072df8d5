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
#   signed list the first page of the images, likewise
#   signed copy a copy of the first demo image to another region (every copy is a new image with
#               a new AMI id, so one signed request can be sent again and again) / the
#               baseline's unsigned copy with the same checks and insertion
# Prints requests/s and p99 latency of each side, the ratios of requests/s copy server /
# baseline, and the copy server's copies/s over its signed GETs/s.
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
list_path=/api/v1beta0/user/1/images/
copy_path=${image_path}actions/copy/
copy_body='{"cloudLocation": "eu-west-3", "cloudPlatform": "ec2"}'
# The headers of one signed request, as wrk's -H options.
signed_headers() {
    local -n into=$1; shift
    into=()
    while IFS= read -r header; do into+=(-H "$header"); done < <("$target/release/examples/load_baseline" sign "$@")
}
signed_headers signed GET "$image_path"
signed_headers signed_list GET "$list_path"
signed_headers signed_copy POST "$copy_path" --body "$copy_body"
# wrk sends a body through a script.
cat >"$work/copy.lua" <<LUA
wrk.method = "POST"
wrk.body = '$copy_body'
wrk.headers["Content-Type"] = "application/json"
LUA

# Runs wrk on one URL; prints "requests/s p99 non-2xx" (p99 in ms; the floor's answers are all
# 404s by design, every other case's must be 2xx).
drive() {
    local url=$1; shift
    wrk -t1 -c32 -d2s "$@" "$url" >/dev/null
    wrk -t1 -c32 -d"$duration" --latency "$@" "$url" | awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else if (v ~ /s$/) p = v * 1000; }
        /Non-2xx/ { non2xx = $NF }
        END { printf "%s %.2f %d\n", rps, p, non2xx }'
}

report() {
    local name=$1 copy=$2 base=$3
    read -r copy_rps copy_p99 copy_errors <<<"$copy"
    read -r base_rps base_p99 base_errors <<<"$base"
    printf '%-17s copy server %9.0f req/s p99 %7.2f ms | baseline %9.0f req/s p99 %7.2f ms | ratio %.2f | non-2xx %d / %d\n' \
        "$name" "$copy_rps" "$copy_p99" "$base_rps" "$base_p99" "$(echo "$copy_rps / $base_rps" | bc -l)" \
        "$copy_errors" "$base_errors"
}

check_status() {
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    echo "$got"
}
echo "signed GET answers $(check_status "${signed[@]}" "http://127.0.0.1:$copy_port$image_path"), baseline GET $(check_status "http://127.0.0.1:$base_port$image_path")" >&2
echo "signed list answers $(check_status "${signed_list[@]}" "http://127.0.0.1:$copy_port$list_path"), baseline list $(check_status "http://127.0.0.1:$base_port$list_path")" >&2
copy_request=(-X POST -H 'Content-Type: application/json' --data "$copy_body")
echo "signed copy answers $(check_status "${signed_copy[@]}" "${copy_request[@]}" "http://127.0.0.1:$copy_port$copy_path"), baseline copy $(check_status "${copy_request[@]}" "http://127.0.0.1:$base_port$copy_path")" >&2

floor_copy=$(drive "http://127.0.0.1:$copy_port/api/v1beta0/unknown")
floor_base=$(drive "http://127.0.0.1:$base_port/floor")
floor_quiet=$(drive "http://127.0.0.1:$((copy_port + 1))/api/v1beta0/unknown")
get_copy=$(drive "http://127.0.0.1:$copy_port$image_path" "${signed[@]}")
get_base=$(drive "http://127.0.0.1:$base_port$image_path")
# The list before the copies, which add images to it.
list_copy=$(drive "http://127.0.0.1:$copy_port$list_path" "${signed_list[@]}")
list_base=$(drive "http://127.0.0.1:$base_port$list_path")
copy_copy=$(drive "http://127.0.0.1:$copy_port$copy_path" "${signed_copy[@]}" -s "$work/copy.lua")
copy_base=$(drive "http://127.0.0.1:$base_port$copy_path" -s "$work/copy.lua")
report floor "$floor_copy" "$floor_base"
report "floor, --log warn" "$floor_quiet" "$floor_base"
report "signed GET" "$get_copy" "$get_base"
report "signed list" "$list_copy" "$list_base"
report "signed copy" "$copy_copy" "$copy_base"
printf 'copy server: copies/s over signed GETs/s %.2f\n' "$(echo "${copy_copy%% *} / ${get_copy%% *}" | bc -l)"
echo "access log lines: copy server $(grep -c 'request finished' "$work/copy.log"), baseline $(grep -c 'finished processing request' "$work/base.log")" >&2
