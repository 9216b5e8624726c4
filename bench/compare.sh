#!/usr/bin/env bash
# Compares mlcore's training speed with PyTorch on the CPU, in one run, on the same model and data:
# MNIST, 784→128→10, Adam 1e-3, batch 128. Steps/s per head and both heads, and time to a test accuracy.
#
#   bash bench/compare.sh [TARGET]        # TARGET: test accuracy for both heads, default 0.975
#
# Installs PyTorch (CPU) into .venv-bench the first time (see bench/README.md: it is large).
# Run it on a quiet machine: other processes distort both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-0.975}
out=${BENCH_OUT:-/tmp/twoheads-bench}
mkdir -p "$out"

if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q -r bench/requirements-torch.txt
fi

echo "== GoMLX (GOEXPERIMENT=simd, pure-Go backend, both cores)"
GOEXPERIMENT=simd go run ./bench/gomlx -steps 1000 -target-acc "$target" -json "$out/gomlx.json"
for threads in 1 2; do
  echo "== PyTorch, $threads thread(s)"
  .venv-bench/bin/python bench/torch_mnist.py --threads "$threads" --steps 1000 --both-in-one \
    --target-acc "$target" --json "$out/torch_t$threads.json"
done

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
g = json.load(open(f"{out}/gomlx.json"))["heads"]
f = lambda v, fmt: (fmt % v) if v else "-"
print("\nSteps per second (1000 steps; 'both' = one step of each head)")
print(f"{'torch threads':>13} {'head':>8} {'GoMLX':>8} {'PyTorch':>8} {'PyTorch/GoMLX':>14}")
torch = {t: json.load(open(f"{out}/torch_t{t}.json"))["heads"] for t in (1, 2)}
for t in (1, 2):
    for h in ("softmax", "sigmoid", "both"):
        gs, ps = g.get(h, {}).get("steps_per_sec"), torch[t].get(h, {}).get("steps_per_sec")
        print(f"{t:>13} {h:>8} {f(gs,'%.0f'):>8} {f(ps,'%.0f'):>8} {(f'{ps/gs:.2f}x' if gs and ps else '-'):>14}")
print("\nTraining time to the target test accuracy (evaluations every 200 steps left out)")
print(f"{'torch threads':>13} {'head':>8} {'GoMLX, both heads':>18} {'PyTorch alone':>14} {'PyTorch, both':>14} {'steps GoMLX/PyTorch':>20}")
for t in (1, 2):
    for h in ("softmax", "sigmoid"):
        gt, gn = g[h].get("time_to_target_seconds"), g[h].get("steps_to_target")
        alone = torch[t][h].get("target_run", {}).get("heads", {}).get(h, {})
        both = torch[t].get("both", {}).get("target_run", {}).get("heads", {}).get(h, {})
        steps = "%s/%s" % (gn, alone.get("steps_to_target"))
        print(f"{t:>13} {h:>8} {f(gt,'%.1fs'):>18} {f(alone.get('time_to_target_seconds'),'%.1fs'):>14} "
              f"{f(both.get('time_to_target_seconds'),'%.1fs'):>14} {steps:>20}")
print("\nGoMLX trains both heads side by side (two goroutines, both cores); PyTorch 'both' trains them in one graph.")
PY
