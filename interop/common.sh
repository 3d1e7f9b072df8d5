# Sourced by the interop scripts: what each of them needs before it can drive the example server.

# `interop_venv DIR REQUIREMENTS`: a venv at DIR with the pinned packages of REQUIREMENTS, made
# on first use; sets `venv`.
interop_venv() {
    venv=$1
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$2"
}

# `start_copy_server DATABASE READY_PATH [ARGUMENTS...]`: builds the example server and starts it
# on a new database named DATABASE in a temporary directory and on a free loopback port, then
# waits until READY_PATH answers. Sets `work` (the directory, with the server's `server.out` and
# `server.log`), `port` and `server`; the server stops and the directory goes when the script exits.
start_copy_server() {
    local database=$1 ready=$2
    shift 2
    cargo build --quiet --example copy_server
    work=$(mktemp -d)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    target/debug/examples/copy_server --listen "127.0.0.1:$port" --db "$work/$database" "$@" \
        >"$work/server.out" 2>"$work/server.log" &
    server=$!
    trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port$ready" >/dev/null && return 0
        sleep 0.1
    done
    echo "FAILED: the example server did not answer $ready"; cat "$work/server.out" "$work/server.log"
    return 1
}

# `first_key_of KEY_FILE`: sets `key_id` and `secret` to the first key of a key file.
first_key_of() {
    key_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["id"])' "$1")
    secret=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["secret"])' "$1")
}
