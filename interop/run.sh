#!/usr/bin/env bash
# Real-client interop: starts the example server, validates its specs with
# openapi-spec-validator, then drives it with scalr-ctl 7.16.2 and the scalr-api 1.0.1 library.
# The Python packages come from PyPI into a venv this script creates. Fails on any client error.
set -euo pipefail
cd "$(dirname "$0")/.."

source interop/common.sh
interop_venv target/interop-venv interop/requirements.txt
keys=examples/copy_server/keys.example.json
first_key_of "$keys"
source_image=3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c
start_copy_server interop.db /api/user.v1beta0.yml --keys "$keys"

echo "== openapi-spec-validator (Swagger 2.0 and OpenAPI 3.1)"
"$venv/bin/python" interop/validate_spec.py "http://127.0.0.1:$port"
echo "== scalr-ctl 7.16.2"
"$venv/bin/python" interop/scalr_ctl_check.py "127.0.0.1:$port" "$key_id" "$secret" 1 "$source_image"
echo "== scalr-api 1.0.1"
"$venv/bin/python" interop/scalr_api_check.py "http://127.0.0.1:$port" "$key_id" "$secret" 1 "$source_image"
