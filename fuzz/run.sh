#!/usr/bin/env bash
# Long fuzzing run by hand (issue #10): the hypothesis fuzz targets of tests/fuzz with the "long" profile
# (thousands of examples per target, a random seed), instead of CI's short derandomized pass.
#
#   fuzz/run.sh                        # 5,000 examples per target, random seed
#   RASD_FUZZ_EXAMPLES=50000 fuzz/run.sh -k extract
#   fuzz/run.sh --hypothesis-seed=123  # replay a seed printed by an earlier run
#
# Extra arguments go to pytest. On a failure hypothesis prints the shrunk input and a @reproduce_failure blob;
# this script prints the command that replays the same run.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export RASD_FUZZ=long
export RASD_FUZZ_EXAMPLES=${RASD_FUZZ_EXAMPLES:-5000}
seed_arg=""
case " $* " in
  *" --hypothesis-seed="*) ;;
  *) SEED=${SEED:-$RANDOM$RANDOM}; seed_arg="--hypothesis-seed=$SEED" ;;
esac
echo "fuzz: RASD_FUZZ=long RASD_FUZZ_EXAMPLES=$RASD_FUZZ_EXAMPLES ${seed_arg:-(seed given)}"
start=$(date +%s)
"$PY" -m pytest -q -p no:cacheprovider tests/fuzz $seed_arg "$@"
rc=$?
echo "fuzz: exit $rc after $(( $(date +%s) - start )) s"
if [ "$rc" -ne 0 ]; then
  echo "fuzz: FAILED. Replay exactly this run with:"
  echo "  RASD_FUZZ_EXAMPLES=$RASD_FUZZ_EXAMPLES fuzz/run.sh $seed_arg $*"
  echo "or paste the @reproduce_failure line above onto the failing test and run it with RASD_FUZZ=long."
fi
exit $rc
