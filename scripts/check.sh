#!/usr/bin/env bash
# Lint and type-check the project the way it is set up in pyproject.toml.
# Usage: scripts/check.sh [path to a venv's bin/]   (default: .venv/bin/)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.venv/bin/}"
"${bin}ruff" check .
"${bin}ruff" format --check .
"${bin}mypy"
