#!/usr/bin/env bash
# The PostgreSQL suites against a real server: installs PostgreSQL from the distribution's
# packages when initdb is missing, starts a throwaway cluster in a temporary directory on a free
# loopback port (as a non-root user), runs the images API suite on the PostgreSQL store, the
# store's own tests and the multi-instance test with DATABASE_URL pointing at it, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; fi
}
bin=$(find_bin)
if [ -z "$bin" ]; then
    echo "== installing PostgreSQL (initdb is missing)"
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
fi
[ -n "$bin" ] || { echo "no initdb after installing PostgreSQL" >&2; exit 1; }

# The cluster runs as a non-root user: this one, or the package's `postgres` user under root.
work=$(mktemp -d)
if [ "$(id -u)" = 0 ]; then
    run_as=(runuser -u postgres --)
    chown postgres "$work"
else
    run_as=()
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
    "${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
"${run_as[@]}" "$bin/initdb" -D "$work/data" -U ci -A trust --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c max_connections=400" start >/dev/null \
    || { cat "$work/server.log" >&2; exit 1; }
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $work)"

export DATABASE_URL="postgres://ci@127.0.0.1:$port/postgres"
echo "== the images API suite on the PostgreSQL store"
cargo build --quiet --example copy_server
COPY_SERVER_TEST_STORE=postgres cargo test --quiet --test images_api
echo "== the PostgreSQL store's own tests and the multi-instance test (3 processes, one database)"
cargo test --quiet --test postgres -- --test-threads 1
