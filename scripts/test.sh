#!/usr/bin/env bash
# Install rasd with its test dependencies in .venv, start the services tests need (PostgreSQL, headless
# Chromium: installed from Debian packages when missing), then lint, type-check and run the whole test suite.
# Exits non-zero when any step or any test fails. Used verbatim by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv --upgrade-deps .venv  # a pip that reads normalised extras (PEP 685; tests/test_install.py)
fi
.venv/bin/python -m pip install -q --disable-pip-version-check 'pip>=23.3'  # an older .venv too
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# services: each script prints KEY=VALUE lines to export, or explains on stderr why it could not start
for svc in scripts/ci/postgres.sh scripts/ci/browser.sh; do
  if [ -x "$svc" ]; then
    while IFS= read -r line; do
      case "$line" in
        *=*) export "${line?}" ;;
      esac
    done < <("$svc" || echo "# $svc failed; tests that need it will skip with a reason" >&2)
  fi
done

.venv/bin/ruff check src tests scripts bench
.venv/bin/ruff format --check src tests scripts bench
.venv/bin/mypy
# property tests draw from one fixed seed here, so a run can be repeated and a green main stays green; plain
# `pytest` (a fresh seed each run) and fuzz/run.sh explore further (RASD_HYPOTHESIS_SEED picks another seed)
.venv/bin/python -m pytest --cov=rasd --cov-report=term:skip-covered \
  --hypothesis-seed="${RASD_HYPOTHESIS_SEED:-20261125}" "$@"
