"""Executes notebooks with the GoNB kernel through nbclient and reports each as one JSON line.

    python notebooks/run_notebooks.py [--out DIR] [--timeout SECONDS] NOTEBOOK...

For each notebook: runs every cell in a new kernel (working directory: the notebook's folder, as in
Jupyter), stops at the first cell that fails, writes the executed notebook to DIR (the source file is
never modified), and prints {"notebook", "ok", "error", "failed_cell", "seconds", "cells": [{"seconds",
"text"}]} where text is everything the cell printed (streams and text/plain or text/markdown data).
Exit status 1 if any notebook failed.
"""
import argparse
import json
import os
import sys
import time

import nbclient
import nbformat


def cell_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("display_data", "execute_result"):
            data = o.get("data", {})
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in data:
                    parts.append(data[mime])
                    break
        elif o.output_type == "error":
            parts.append("%s: %s\n%s" % (o.ename, o.evalue, "\n".join(o.get("traceback", []))))
    return "".join(parts)


def run(path, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    times = {}

    class Client(nbclient.NotebookClient):
        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            start = time.monotonic()
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                times[cell_index] = time.monotonic() - start

    client = Client(nb, timeout=timeout, kernel_name="gonb", allow_errors=False,
                    resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.monotonic()
    error, failed = None, None
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        error = str(e)
        failed = next((i for i, c in enumerate(nb.cells) if any(o.output_type == "error" for o in c.get("outputs", []))), None)
    except Exception as e:  # Timeouts, a dead kernel, …
        error = "%s: %s" % (type(e).__name__, e)
        failed = max(times) if times else None
    seconds = time.monotonic() - start
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    return {
        "notebook": os.path.basename(path), "ok": error is None, "error": error, "failed_cell": failed,
        "seconds": round(seconds, 2),
        "cells": [{"seconds": round(times.get(i, 0), 2), "text": cell_text(c)} for i, c in enumerate(nb.cells) if c.cell_type == "code"],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    ok = True
    for p in args.notebooks:
        r = run(p, args.out, args.timeout)
        ok = ok and r["ok"]
        print(json.dumps(r), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
