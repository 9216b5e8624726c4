#!/usr/bin/env bash
# Proves on a bare machine what the lab image does: runs the image's set-up (docker/setup.sh), copies a
# lesson out of the repository as the image does (/home/jovyan/lessons), and executes it with the kernel
# the set-up installed, with no network at all when the machine allows it (root: a network namespace
# with only loopback), like a classroom that is offline.
#
#   bash docker/check-lab.sh [NOTEBOOK]        # default: notebooks/02-losses-and-gradients.ipynb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
nb=${1:-notebooks/02-losses-and-gradients.ipynb}

bash docker/setup.sh
lessons=$(mktemp -d)
trap 'rm -rf "$lessons"' EXIT
cp "$nb" "$lessons/"
python=${TWOHEADS_PYTHON:-$root/.venv/bin/python}
run=(env PATH="$root/.jupyter/bin:$PATH" JUPYTER_DATA_DIR="${TWOHEADS_JUPYTER_DATA:-$root/.jupyter/data}"
  TWOHEADS_MODULE="$root" TWOHEADS_QUICK=1 GOPROXY=off
  "$python" notebooks/run_notebooks.py --out "$lessons/executed" "$lessons/$(basename "$nb")")

if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
  echo "== executing $(basename "$nb") offline (no network but loopback)"
  report=$(unshare -n bash -c 'ip link set lo up 2>/dev/null || true; "$@"' _ "${run[@]}" 2>/dev/null) || true
else
  echo "== executing $(basename "$nb") (GOPROXY=off: Go cannot download anything)"
  report=$("${run[@]}" 2>/dev/null) || true
fi
echo "$report" | "$python" -c '
import json, sys
r = json.loads(sys.stdin.read().splitlines()[-1])
print("%s: %s in %.1fs; cells: %s" % (r["notebook"], "ok" if r["ok"] else "FAILED", r["seconds"], [c["seconds"] for c in r["cells"]]))
checks = sum(c["text"].count("\u2713 ") for c in r["cells"])
print("%d checks passed" % checks)
sys.exit(0 if r["ok"] and checks > 0 else 1)
'
