"""Runs one notebook for `twoheads grade` (package grading) and reports what each cell did.

    python runner.py --notebook NB --kernel gonb --cell-timeout S --deadline UNIX_SECONDS
                     --max-output BYTES --memory-mb MB [--keep-prefix MARKER]   3>RESULTS

Every code cell runs, in order, in one kernel whose working directory is the notebook's folder; a cell
that fails does not stop the next one (allow_errors), a cell that runs longer than its time is
interrupted and the next one runs, and output beyond BYTES per cell is dropped with a note (but for
lines that start with MARKER). Each
process (this one, the kernel, what it starts) gets at most MB of address space. After each cell one
JSON line {"index", "status": "ok"|"error"|"timeout", "seconds", "truncated", "outputs"} is written to
file descriptor 3, which the kernel does not inherit; so a run killed from outside still reports what
it did, and nothing the notebook's code can reach through the file system is trusted. A line
{"index": -1, "status": "dead"|"deadline"|"stopped", "error"} says why a run stopped early.
"""
import argparse
import json
import os
import resource
import signal
import time

import nbclient
import nbformat
from nbclient.exceptions import DeadKernelError


def output_size(out):
    if out.get("output_type") == "stream":
        return len(out.get("text", ""))
    if out.get("output_type") == "error":
        return len(out.get("evalue", "")) + sum(len(t) for t in out.get("traceback", []))
    return sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in out.get("data", {}).values())


class Client(nbclient.NotebookClient):
    max_output = 0
    keep_prefix = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sizes, self.kept, self.truncated, self.timed_out = {}, {}, set(), set()

    def output(self, outs, msg, display_id, cell_index):
        # Output beyond max_output bytes per cell is dropped, with one note where it was cut; up to 4
        # lines that start with keep_prefix (the grader's marker) are kept anyway.
        if cell_index in self.truncated:
            if msg["msg_type"] == "stream":
                self.keep(outs, msg["content"].get("text", ""), cell_index)
            return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is None:
            return None
        size = self.sizes.get(cell_index, 0) + output_size(out)
        self.sizes[cell_index] = size
        if size > self.max_output:
            outs.remove(out)
            self.truncated.add(cell_index)
            outs.append(nbformat.v4.new_output(
                "stream", name="stderr",
                text="\n[output cut: the cell printed more than %d KB]\n" % (self.max_output // 1024)))
            if out.get("output_type") == "stream":
                self.keep(outs, out.get("text", ""), cell_index)
        return out

    def keep(self, outs, text, cell_index):
        if not self.keep_prefix or self.keep_prefix not in text:
            return
        kept = self.kept.get(cell_index, 0)
        lines = [l for l in text.splitlines() if l.startswith(self.keep_prefix)][:max(0, 4 - kept)]
        if lines:
            self.kept[cell_index] = kept + len(lines)
            outs.append(nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n"))

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is not None:
            self.timed_out.add(id(cell))
        return await super()._async_handle_timeout(timeout, cell)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notebook", required=True)
    ap.add_argument("--kernel", default="gonb")
    ap.add_argument("--cell-timeout", type=float, required=True)
    ap.add_argument("--deadline", type=float, required=True)
    ap.add_argument("--max-output", type=int, required=True)
    ap.add_argument("--memory-mb", type=int, required=True)
    ap.add_argument("--keep-prefix", default="")
    args = ap.parse_args()

    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def stop(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, stop)

    nb = nbformat.read(args.notebook, as_version=4)
    cell_timeout = args.cell_timeout

    def timeout_func(cell):
        # The last cells get what is left of the whole run, if that is less than a cell's time.
        return max(1, int(min(cell_timeout, args.deadline - time.time())))

    client = Client(nb, timeout_func=timeout_func, kernel_name=args.kernel, allow_errors=True,
                    interrupt_on_timeout=True, record_timing=False,
                    resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}})
    client.max_output = args.max_output
    client.keep_prefix = args.keep_prefix or None

    with os.fdopen(3, "w", buffering=1) as results:
        def record(**kw):
            results.write(json.dumps(kw) + "\n")

        try:
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    if time.time() >= args.deadline:
                        record(index=-1, status="deadline", error="the time for the whole notebook ran out")
                        break
                    start = time.monotonic()
                    client.execute_cell(cell, index)
                    status = "ok"
                    if id(cell) in client.timed_out:
                        status = "timeout"
                    elif any(o.get("output_type") == "error" for o in cell.outputs):
                        status = "error"
                    record(index=index, status=status, seconds=round(time.monotonic() - start, 2),
                           truncated=index in client.truncated, outputs=cell.outputs)
        except DeadKernelError as e:
            record(index=-1, status="dead", error="the kernel stopped working (%s)" % e)
        except KeyboardInterrupt:
            record(index=-1, status="stopped", error="the time for the whole notebook ran out")


if __name__ == "__main__":
    main()
