# nbgrader configuration for the Go assignments (kernel "gonb", notebook language "go").
#
# Copy this file into the root of your nbgrader course directory (next to source/, release/,
# submitted/, ...): nbgrader reads nbgrader_config.py from the folder it runs in. See README.md here.
# notebooks/nbgrader_test.go runs generate_assignment and autograde with it.
import os
import sys

c = get_config()  # noqa: F821 (defined by the config loader)

# nbgrader runs `alembic` (its database migrations) by name, so a nbgrader started as
# .venv/bin/nbgrader, without the venv on PATH, fails with "No such file or directory: 'alembic'".
# Put the folder of this Python, where pip installed alembic, first on PATH.
_bin = os.path.dirname(sys.executable)
if os.path.isfile(os.path.join(_bin, "alembic")) and _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

# The notebooks' first cell binds them to the twoheads Go module at $TWOHEADS_MODULE (set by
# scripts/jupyter-env.sh and in the lab image). Without it, a notebook in autograded/<student>/<a>/
# finds no module: every check fails to build and every student scores 0, with no error from
# nbgrader. So autograde refuses to start without it; other commands only warn.
_module = os.environ.get("TWOHEADS_MODULE", "")
if not os.path.isfile(os.path.join(_module, "go.mod")):
    _msg = ("TWOHEADS_MODULE (%r) is not the twoheads Go module folder: the Go notebooks cannot build "
            "their checks; run `source scripts/jupyter-env.sh` from the twoheads repository first" % _module)
    if sys.argv[1:2] == ["autograde"]:
        raise SystemExit("nbgrader_config.py: " + _msg)
    print("nbgrader_config.py: warning: " + _msg, file=sys.stderr)

# Student version (nbgrader generate_assignment): the lines from `// BEGIN SOLUTION` to
# `// END SOLUTION` become this stub, indented like the BEGIN line. nbgrader needs a stub for every
# notebook language (kernelspec "language"); "go" has none by default. The stub compiles in any Go
# function (panic ends it) and the check cell reports "your function panicked: not done yet", as the
# student version written by `twoheads assign` (the Go package assignment, its Stub) does. Python
# notebooks keep nbgrader's own stub.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
    "go": 'panic("not done yet: replace this line with your code")',
}
# The markers are found anywhere in a line, so these (nbgrader's defaults, stated here because the Go
# notebooks depend on them) match the Go comments `// BEGIN SOLUTION` and `// BEGIN HIDDEN TESTS`.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Execution (nbgrader autograde, validate): every GoNB cell builds and runs a Go program, about 1-2 s
# with a warm Go build cache (docker/setup.sh warms it) but up to a minute on a cold one; nbgrader's
# default of 30 s per cell is too short for that. A cell that runs longer is interrupted and scores 0.
c.Execute.timeout = 120
c.Execute.startup_timeout = 120
# Grading needs no change for GoNB: a failed check ends the cell's program with exit status 1, and
# GoNB then adds an output of type "error" (ename "ERROR", evalue "exit status 1") and the stderr line
# "exit status 1" to the cell, either of which makes nbgrader score the grade cell 0. A check cell that
# passes prints only "✓ ..." lines on stdout and gets its points. (So a student's code that writes to
# stderr, e.g. with the log package, in a check cell also scores 0: nbgrader treats stderr as failure.)
