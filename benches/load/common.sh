# Shared by the load benchmarks' scripts; sourced, not run.

# Waits until a server answers $1 with anything at all, for at most $2 seconds (default 10);
# exits the script if none does.
wait_for() {
    local tries=$((${2:-10} * 10))
    for _ in $(seq 1 "$tries"); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    exit 1
}
