#!/usr/bin/env bash
# Every accuracy and speed bench of the README, one after another; outputs under bench/out/ (ignored by git).
# Needs ../shared beside the repository. Usage: bench/run_all.sh [name ...]   (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
PY=.venv/bin/python

bench() {
  case "$1" in
    events) $PY bench/events.py ;;
    coder_cv) $PY bench/coder_cv.py ;;
    geo_gold) $PY bench/geo_gold.py ;;
    geo_coverage) $PY bench/geo_coverage.py ;;
    geo_precision) $PY bench/geo_precision.py ;;
    geo_speed) $PY bench/geo_speed.py ;;
    geo_region) $PY bench/geo_region.py ;;
    actors) $PY bench/recognize_actors.py ;;
    actors_gold) $PY bench/actors_gold.py ;;
    dates_quantities) $PY bench/recognize_dates_quantities.py ;;
    models) $PY bench/models.py ;;
    ingest) taskset -c 0 $PY bench/ingest.py ;;
    incidents) $PY bench/incidents.py ;;
    review)
      .venv/bin/rasd extract --input-format jsonl bench/review/sample100.jsonl --format jsonl > bench/out/review.jsonl &&
        $PY bench/review/rescore.py bench/out/review.jsonl ;;
    dask) $PY bench/dask_scaling.py ;;
    scaling) $PY bench/scaling.py ;;
    memory) $PY bench/memory.py ;;
    api_load) $PY bench/api_load.py ;;
    *) echo "unknown bench $1" >&2; return 2 ;;
  esac
}

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(events coder_cv geo_gold geo_coverage geo_precision geo_speed geo_region actors actors_gold dates_quantities models ingest incidents review dask scaling memory api_load)
for name in "${names[@]}"; do
  echo "== $name" | tee "bench/out/$name.txt"
  bench "$name" 2>&1 | grep -v -E "^(INFO|WARNING|DEBUG) " >> "bench/out/$name.txt"
  tail -25 "bench/out/$name.txt"
done
