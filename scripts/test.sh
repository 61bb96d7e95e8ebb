#!/usr/bin/env bash
# The whole test suite, from a fresh machine: sets everything up, then runs the linters and
# pytest (every database test runs on SQLite and on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
ENTEGRATOR_SETUP_EXTRAS=test bash scripts/setup.sh
bash scripts/postgres.sh
export ENTEGRATOR_TEST_PG_URL="${ENTEGRATOR_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test}"
.venv/bin/ruff check .
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
