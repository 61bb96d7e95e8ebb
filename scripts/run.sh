#!/usr/bin/env bash
# The main job, from a fresh machine: sets everything up, then runs `entegrator demo`
# (the integrator, the GİB simulator and the workers on SQLite, with demo taxpayers).
# Extra arguments go to `entegrator demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/entegrator demo "$@"
