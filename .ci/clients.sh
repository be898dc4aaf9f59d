#!/usr/bin/env bash
# CI: clients generated from docs/openapi.json (Python: openapi-python-client; TypeScript:
# openapi-typescript + openapi-fetch) must generate without a warning and, called against a live
# `trivselscore serve` on 127.0.0.1, return what the library returns. See clients/README.md.
#
#   bash .ci/clients.sh PYTHON   # PYTHON: the interpreter of the dev environment (pip install --group dev -e .)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-.venv/bin/python}"

# node and npm from Debian when missing (CI runs as root on a clean Debian machine).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "== apt-get install nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq nodejs npm >/dev/null
fi

# The Python generator in a venv of its own: its dependencies stay out of the dev environment.
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install -q "openapi-python-client==0.29.*"

echo "== generated clients against a live service"
"$python" clients/check_clients.py "$tools/venv/bin/openapi-python-client"
