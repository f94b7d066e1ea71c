#!/usr/bin/env bash
# Issue 14's acceptance, side by side in one run: nnc against PyTorch 1.13 (/usr/bin/python3,
# OPENBLAS_NUM_THREADS=1, its fastest setting here), both on 2 threads, alternating whole runs,
# ROUNDS rounds (default 3). Per model: the median epoch over epochs 2 and later, the first
# epoch separately (nnc's warm-up before it is printed, not counted), their ratios, accuracy.
#
#   bench/acceptance.sh                 # all four (MNIST and Fashion-MNIST MLPs), about 22 minutes
#   ROUNDS=5 bench/acceptance.sh simple # one model
#
# Targets: SimpleCNN nnc/torch <= 0.5, batch-norm CNN <= 0.6, MLP <= 0.36; first epoch
# <= 1.15x the later median (nnc). Note the load (printed before and after): the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(simple bn mlp fmlp)
./nnc --version >/dev/null   # builds nnc first if its sources changed
echo "$(date -u +%FT%TZ)  $(uptime)"
for m in "${models[@]}"; do
  case "$m" in
    simple) epochs=4 ;;
    bn) epochs=3 ;;
    mlp|fmlp) epochs=6 ;;
    *) echo "unknown model $m (simple, bn, mlp, fmlp)" >&2; exit 2 ;;
  esac
  echo
  echo "## $m"
  /usr/bin/python3 bench/epochs.py "$m" --epochs "$epochs" --rounds "$rounds" --threads 2 --verbose
done
echo
echo "$(date -u +%FT%TZ)  $(uptime)"
