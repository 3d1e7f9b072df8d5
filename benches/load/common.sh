# Shared by the load benchmarks' scripts; sourced, not run.

# Exits the script if something already answers on 127.0.0.1:$1. A server left running by an
# earlier run would answer in place of the one the script starts, which could not bind.
require_free_port() {
    if curl -s -o /dev/null "http://127.0.0.1:$1/"; then
        echo "127.0.0.1:$1 is taken (a server of an earlier run?): stop it, or choose other ports" >&2
        exit 1
    fi
}

# Waits until the server of process $1 answers $2 with anything at all, for at most $3 seconds
# (default 10); exits the script if it does not, or if the process ends first.
wait_for() {
    local pid=$1 url=$2 tries=$((${3:-10} * 10))
    for _ in $(seq 1 "$tries"); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "the server for $url exited before it answered" >&2
            exit 1
        fi
        curl -s -o /dev/null "$url" && return 0
        sleep 0.1
    done
    echo "no answer from $url" >&2
    exit 1
}
