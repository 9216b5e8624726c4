# Source this file to use the project's Jupyter and GoNB kernel (after docker/setup.sh):
#   source scripts/jupyter-env.sh && jupyter lab notebooks/
_twoheads_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JUPYTER_DATA_DIR="$_twoheads_root/.jupyter/data"
export PATH="$_twoheads_root/.venv/bin:$_twoheads_root/.jupyter/bin:$PATH"
unset _twoheads_root
export TWOHEADS_MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
