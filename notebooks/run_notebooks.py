"""Executes notebooks with the GoNB kernel through nbclient and reports each as one JSON line.

    python notebooks/run_notebooks.py [--out DIR] [--timeout SECONDS] [--answers FILE] [--allow-errors] NOTEBOOK...

For each notebook: runs every cell in a new kernel (working directory: the notebook's folder, as in
Jupyter), stops at the first cell that fails (or, with --allow-errors, runs them all), writes the executed
notebook to DIR (the source file is never modified), and prints {"notebook", "ok", "error",
"failed_cell", "seconds", "exercises", "cells": [{"seconds", "text", "error"}]} where text is everything
the cell printed (streams and text/plain or text/markdown data) and error whether it failed.

--answers FILE is a JSON object {exercise id: cell source}: before running, each exercise cell of a lesson
(cell metadata "twoheads": {"exercise": ID}) gets the source given for its id, so that the lesson's
exercise checks run on known answers; "exercises" maps each id replaced to the index of its cell among
the code cells (its check is the next code cell). An exercise cell whose id the
file lacks is an error: a new exercise must come with its answer.
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


def exercise_id(cell):
    return (cell.get("metadata", {}).get("twoheads") or {}).get("exercise")


def fill_answers(nb, answers):
    """Puts the known answer into every exercise cell; returns {id: index among the code cells}."""
    done, code = {}, 0
    for cell in nb.cells:
        ex = exercise_id(cell)
        if ex is not None:
            if ex not in answers:
                raise KeyError("exercise %r has no answer in the answers file" % ex)
            cell.source = answers[ex]
            done[ex] = code
        if cell.cell_type == "code":
            code += 1
    return done


def run(path, out_dir, timeout, answers=None, allow_errors=False):
    nb = nbformat.read(path, as_version=4)
    times = {}
    try:
        exercises = fill_answers(nb, answers) if answers is not None else {}
    except KeyError as e:
        return {"notebook": os.path.basename(path), "ok": False, "error": str(e), "failed_cell": None,
                "seconds": 0, "exercises": {}, "cells": []}

    class Client(nbclient.NotebookClient):
        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            start = time.monotonic()
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                times[cell_index] = time.monotonic() - start

    client = Client(nb, timeout=timeout, kernel_name="gonb", allow_errors=allow_errors,
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
    failed_cells = [i for i, c in enumerate(nb.cells) if any(o.output_type == "error" for o in c.get("outputs", []))]
    if allow_errors and failed_cells and error is None:
        error, failed = "cells %s failed" % failed_cells, failed_cells[0]
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    return {
        "notebook": os.path.basename(path), "ok": error is None, "error": error, "failed_cell": failed,
        "seconds": round(seconds, 2), "exercises": exercises,
        "cells": [{"seconds": round(times.get(i, 0), 2), "text": cell_text(c), "error": i in failed_cells}
                  for i, c in enumerate(nb.cells) if c.cell_type == "code"],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("--answers", default="", help="JSON file {exercise id: cell source}")
    ap.add_argument("--allow-errors", action="store_true", help="run every cell even after one fails")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    answers = None
    if args.answers:
        with open(args.answers) as f:
            answers = json.load(f)
    ok = True
    for p in args.notebooks:
        r = run(p, args.out, args.timeout, answers, args.allow_errors)
        ok = ok and r["ok"]
        print(json.dumps(r), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
