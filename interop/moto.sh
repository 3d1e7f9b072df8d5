#!/usr/bin/env bash
# The EC2 backend's suite (tests/aws_cloud.rs, feature `aws`) against moto, a local EC2: a venv
# with the pinned moto[server] of interop/moto-requirements.txt, moto_server on a free loopback
# port, the AWS SDK pointed at it with dummy credentials (and away from any profile or instance
# role of this machine), the example server built with the feature, the suite, then moto stops.
set -euo pipefail
cd "$(dirname "$0")/.."
. interop/common.sh

interop_venv target/moto-venv interop/moto-requirements.txt
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; wait $moto 2>/dev/null || true; rm -rf "$work"' EXIT

export SCALR_MOTO_URL="http://127.0.0.1:$port"
export AWS_ENDPOINT_URL="$SCALR_MOTO_URL" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE

# The server process of the resume test, built with the feature while moto starts.
cargo build --quiet --features aws --example copy_server
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$SCALR_MOTO_URL/moto-api/" && break
    sleep 0.1
done
curl -s -o /dev/null "$SCALR_MOTO_URL/moto-api/" \
    || { echo "FAILED: moto did not answer on $SCALR_MOTO_URL"; cat "$work/moto.log"; exit 1; }
echo "moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)') on $SCALR_MOTO_URL"
cargo test --quiet --features aws --test aws_cloud
