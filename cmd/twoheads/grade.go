package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/twoheads/twoheads/grading"
)

// runGrade is `twoheads grade`: the autograder (package grading) on the command line.
func runGrade(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("twoheads grade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "", "the instructor's solution notebook, hidden tests included (required)")
	out := fs.String("o", "", "folder for the grades; it must not exist yet, or be empty (required)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "submissions graded at the same time (default: the number of CPUs)")
	lim := grading.DefaultLimits()
	fs.DurationVar(&lim.Cell, "cell-timeout", lim.Cell, "running time of one cell")
	fs.DurationVar(&lim.Notebook, "timeout", lim.Notebook, "running time of one whole submission")
	fs.IntVar(&lim.MemoryMB, "memory-mb", lim.MemoryMB, "address space of each process of a submission, in MB")
	fs.IntVar(&lim.OutputKB, "max-output-kb", lim.OutputKB, "output kept per cell, in KB")
	sandbox := grading.SandboxAuto
	fs.Var(&sandbox, "sandbox", "run submissions in a sandbox (Linux namespaces: read-only files, no network):\n`mode` is on, off, or auto (when the machine allows it)")
	python := fs.String("python", "", "Python with Jupyter's nbclient (default $TWOHEADS_PYTHON, the module's .venv, python3)")
	module := fs.String("module", "", "the twoheads module the notebooks bind to (default $TWOHEADS_MODULE, or found above -source)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `twoheads grade grades students' notebooks against the instructor's solution notebook.

Each submission runs with the real kernel in a fresh temporary folder (in a sandbox when the machine
allows it), with time, memory and output limits. Test cells, hidden tests included, come from the
instructor's notebook, whatever the submission holds. For each student it writes results/NAME.json
and feedback/NAME.md (for the student: never the code of hidden tests), and instructor/NAME.ipynb
(the graded notebook with its outputs); grades.csv has one row per student. Submissions and the
instructor's notebook are never modified.

Usage: twoheads grade -source SOLUTION.ipynb -o OUT SUBMISSION.ipynb...

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "twoheads grade: "+format+"\n", a...)
		return code
	}
	switch {
	case *source == "" || *out == "" || fs.NArg() == 0:
		return fail(2, "need -source SOLUTION.ipynb, -o OUT and at least one submission (see -help)")
	case *jobs < 1:
		return fail(2, "-jobs must be at least 1")
	case lim.Validate() != nil:
		return fail(2, "limits must be positive, and -memory-mb at least %d", grading.MinMemoryMB)
	}
	g, err := grading.Open(*source)
	if err != nil {
		return fail(2, "%v", err)
	}
	g.Limits, g.Sandbox = lim, sandbox
	if g.Module, err = grading.FindModule(*module, *source); err != nil {
		return fail(2, "%v", err)
	}
	if g.Python, g.Env, err = grading.FindJupyter(*python, g.Module, g.Kernel); err != nil {
		return fail(2, "%v", err)
	}
	warning, err := g.CheckSandbox()
	if err != nil {
		return fail(2, "%v; use -sandbox=off to grade without it", err)
	}
	if warning != "" {
		fmt.Fprintf(stderr, "twoheads grade: warning: %s\n", warning)
	}
	output, err := grading.NewOutput(*out)
	if err != nil {
		return fail(2, "%v", err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	paths := fs.Args()
	fmt.Fprintf(stdout, "grading %d submission(s) of %s (%s points, %d at a time)\n", len(paths), g.Name, grading.FormatNumber(g.MaxScore()), *jobs)
	start := time.Now()
	report, err := g.GradeAll(ctx, paths, output, *jobs, func(r *grading.Result) {
		hint := r.FirstProblem()
		if hint != "" {
			hint = "   " + hint
		}
		fmt.Fprintf(stdout, "%-24s %5s / %s   %5.1f s%s\n", r.Student, grading.FormatNumber(r.Score), grading.FormatNumber(r.MaxScore), r.Seconds, hint)
	})
	for _, p := range report.Restored {
		fmt.Fprintf(stderr, "twoheads grade: %s was changed while grading, and was put back as it was\n", p)
	}
	if err != nil {
		return fail(1, "%v", err)
	}
	fmt.Fprintf(stdout, "graded %d submission(s) in %.1f s: %s, feedback in %s\n", len(paths),
		time.Since(start).Seconds(), output.GradesPath(), output.FeedbackDir())
	if len(report.Restored) > 0 {
		return 1
	}
	return 0
}
