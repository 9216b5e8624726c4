#!/usr/bin/env bash
# Installs what the notebooks need, inside the project, and is safe to run again:
#   .venv/           Jupyter (JupyterLab 4, Notebook 7, nbclient, nbconvert), pinned in notebooks/requirements.txt
#   .jupyter/bin/    goimports (GoNB needs it on PATH when it runs cells), pinned by go.mod's tool line
#   .jupyter/data/   the GoNB kernel ("gonb"), built from go.mod's pinned `go tool gonb`
# Then it compiles the packages the notebooks import, so that the first cell builds in seconds.
#
# Use the kernel with:  source scripts/jupyter-env.sh && jupyter lab notebooks/
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt

mkdir -p .jupyter/bin .jupyter/data
go build -o .jupyter/bin/goimports golang.org/x/tools/cmd/goimports
export PATH="$root/.jupyter/bin:$PATH" JUPYTER_DATA_DIR="$root/.jupyter/data"
# gopls (optional: completion and hover help) is not installed, hence -force_deps.
go tool gonb -install -force_deps >/dev/null 2>&1 || { echo "GoNB kernel install failed" >&2; go tool gonb -install -force_deps; exit 1; }
# The kernel runs cells with goimports on its PATH whatever the environment Jupyter was started from.
.venv/bin/python - "$root/.jupyter/data/kernels/gonb/kernel.json" "$root/.jupyter/bin" <<'PY'
import json, sys
path, bindir = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["display_name"] = "Go (gonb)"
spec.setdefault("env", {})["PATH"] = bindir + ":${PATH}"
json.dump(spec, open(path, "w"), indent=1)
PY

# Warm the build cache: what the notebooks import.
go build ./mlcore ./lesson ./plots 2>/dev/null || go build ./mlcore ./lesson
echo "Jupyter and the GoNB kernel are installed in $root/.venv and $root/.jupyter"
