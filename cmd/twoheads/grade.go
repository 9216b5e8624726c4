package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twoheads/twoheads/internal/atomicfile"

	"github.com/twoheads/twoheads/assignment"
)

// runGrade is `twoheads grade`: the autograder.
func runGrade(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("twoheads grade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "", "the instructor's solution notebook, hidden tests included (required)")
	out := fs.String("o", "", "folder for the grades; it must not exist yet, or be empty (required)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "submissions graded at the same time (default: the number of CPUs)")
	lim := assignment.DefaultLimits()
	fs.DurationVar(&lim.Cell, "cell-timeout", lim.Cell, "running time of one cell")
	fs.DurationVar(&lim.Notebook, "timeout", lim.Notebook, "running time of one whole submission")
	fs.IntVar(&lim.MemoryMB, "memory-mb", lim.MemoryMB, "address space of each process of a submission, in MB")
	fs.IntVar(&lim.OutputKB, "max-output-kb", lim.OutputKB, "output kept per cell, in KB")
	sandbox := fs.String("sandbox", "auto", "run submissions in a sandbox (Linux namespaces: read-only files, no network):\non, off, or auto (when the machine allows it)")
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
	case lim.Cell <= 0 || lim.Notebook <= 0 || lim.MemoryMB < 256 || lim.OutputKB < 1:
		return fail(2, "limits must be positive, and -memory-mb at least 256")
	case *sandbox != "on" && *sandbox != "off" && *sandbox != "auto":
		return fail(2, "unknown sandbox mode %q (want on, off or auto)", *sandbox)
	}
	src, err := os.ReadFile(*source)
	if err != nil {
		return fail(2, "%v", err)
	}
	name := strings.TrimSuffix(filepath.Base(*source), ".ipynb")
	g, err := assignment.NewGrader(name, src)
	if err != nil {
		return fail(2, "the instructor's notebook %s: %v", *source, err)
	}
	g.Limits, g.Sandbox = lim, *sandbox
	if g.Module, err = findModule(*module, *source); err != nil {
		return fail(2, "%v", err)
	}
	if g.Python, g.Env, err = jupyterSetup(*python, g.Module, g.Kernel); err != nil {
		return fail(2, "%v", err)
	}
	if *sandbox != "off" {
		if why := g.SandboxUnavailable(); why != nil {
			if *sandbox == "on" {
				return fail(2, "the sandbox is not available here (%v); use -sandbox=off to grade without it", why)
			}
			fmt.Fprintf(stderr, "twoheads grade: warning: no sandbox here (%v):\n"+
				"  submissions run with your permissions and network; their files are checked afterwards.\n", firstLine(why.Error()))
		}
	}
	if err := emptyOrNew(*out); err != nil {
		return fail(2, "%v", err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	paths := fs.Args()
	ids := assignment.StudentIDs(paths)
	// What must not change: the submissions and the instructor's notebook, kept to be put back.
	guard := newFileGuard(append([]string{*source}, paths...))

	fmt.Fprintf(stdout, "grading %d submission(s) of %s (%s points, %d at a time)\n", len(paths), name, fmtPoints(g.MaxScore()), *jobs)
	start := time.Now()
	results := make([]*assignment.Result, len(paths))
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, *jobs)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r, err := gradeOne(ctx, g, ids[i], p, guard)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			results[i] = r
			if err := writeResult(*out, r); err != nil && firstErr == nil {
				firstErr = err
			}
			fmt.Fprintf(stdout, "%-24s %5s / %s   %5.1f s%s\n", r.Student, fmtPoints(r.Score), fmtPoints(r.MaxScore), r.Seconds, problemHint(r))
		}()
	}
	wg.Wait()
	restored := guard.restore()
	for _, p := range restored {
		fmt.Fprintf(stderr, "twoheads grade: %s was changed while grading, and was put back as it was\n", p)
	}
	if firstErr != nil {
		return fail(1, "%v", firstErr)
	}
	var csvBuf bytes.Buffer
	if err := assignment.WriteCSV(&csvBuf, g.TestIDs(), results); err != nil {
		return fail(1, "%v", err)
	}
	csvPath := filepath.Join(*out, "grades.csv")
	if err := atomicfile.WriteFile(csvPath, csvBuf.Bytes()); err != nil {
		return fail(1, "%v", err)
	}
	fmt.Fprintf(stdout, "graded %d submission(s) in %.1f s: %s, feedback in %s\n", len(paths),
		time.Since(start).Seconds(), csvPath, filepath.Join(*out, "feedback"))
	if len(restored) > 0 {
		return 1
	}
	return 0
}

// gradeOne reads and grades one submission; a submission that cannot be read is graded as empty.
func gradeOne(ctx context.Context, g *assignment.Grader, id, path string, guard *fileGuard) (*assignment.Result, error) {
	b, ok := guard.content(path)
	if !ok {
		return g.NotRun(id, path, fmt.Sprintf("your file could not be read (%s)", guard.readErr(path))), nil
	}
	return g.Grade(ctx, id, path, b)
}

func problemHint(r *assignment.Result) string {
	if len(r.Problems) == 0 {
		return ""
	}
	return "   " + firstLine(r.Problems[0])
}

func fmtPoints(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00") }

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// writeResult writes a student's JSON, feedback and the instructor's copy of the graded notebook.
func writeResult(out string, r *assignment.Result) error {
	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	for dir, files := range map[string]map[string][]byte{
		"results":    {r.Student + ".json": append(j, '\n')},
		"feedback":   {r.Student + ".md": []byte(r.Feedback())},
		"instructor": {r.Student + ".ipynb": r.Executed, r.Student + ".log": r.Log},
	} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
		for name, b := range files {
			if b == nil {
				continue
			}
			if err := atomicfile.WriteFile(filepath.Join(out, dir, name), b); err != nil {
				return err
			}
		}
	}
	return nil
}

// emptyOrNew refuses an output folder that holds files: grades are never overwritten.
func emptyOrNew(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: choose a new folder for the grades (nothing is overwritten)", dir)
	}
	return nil
}

// findModule returns the twoheads module root: the flag, $TWOHEADS_MODULE, or the first folder above
// the instructor's notebook (then above the working directory) whose go.mod is the twoheads module.
func findModule(flagValue, source string) (string, error) {
	for _, d := range []string{flagValue, os.Getenv("TWOHEADS_MODULE")} {
		if d != "" {
			if !isModule(d) {
				return "", fmt.Errorf("%s is not the twoheads module (no go.mod for github.com/twoheads/twoheads)", d)
			}
			return filepath.Abs(d)
		}
	}
	wd, _ := os.Getwd()
	for _, start := range []string{filepath.Dir(source), wd} {
		d, err := filepath.Abs(start)
		if err != nil {
			continue
		}
		for {
			if isModule(d) {
				return d, nil
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return "", errors.New("cannot find the twoheads module the notebooks bind to: set -module or $TWOHEADS_MODULE")
}

func isModule(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/twoheads/twoheads")
}

// jupyterSetup finds the Python that runs notebooks and the environment in which it finds the kernel
// (the project's .venv and .jupyter from docker/setup.sh, unless the environment says otherwise), and
// checks both before any submission is graded.
func jupyterSetup(python, module, kernel string) (string, []string, error) {
	env := os.Environ()
	if python == "" {
		python = os.Getenv("TWOHEADS_PYTHON")
	}
	if python == "" {
		if p := filepath.Join(module, ".venv", "bin", "python"); fileExists(p) {
			python = p
		} else {
			python = "python3"
		}
	}
	if os.Getenv("JUPYTER_DATA_DIR") == "" && fileExists(filepath.Join(module, ".jupyter", "data", "kernels", kernel, "kernel.json")) {
		env = append(env, "JUPYTER_DATA_DIR="+filepath.Join(module, ".jupyter", "data"),
			"PATH="+filepath.Join(module, ".jupyter", "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	cmd := exec.Command(python, "-c", `import sys, nbclient, nbformat
from jupyter_client.kernelspec import KernelSpecManager
try:
    KernelSpecManager().get_kernel_spec(sys.argv[1])
except Exception as e:
    sys.exit("no Jupyter kernel %r (%s)" % (sys.argv[1], e))`, kernel)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("cannot run notebooks with %s: %s (run bash docker/setup.sh, or set -python)",
			python, lastLine(string(out), err))
	}
	return python, env, nil
}

func lastLine(out string, err error) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if l := lines[len(lines)-1]; l != "" {
		return l
	}
	return err.Error()
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// fileGuard holds the content of files that grading must not change, and puts back any that changed.
type fileGuard struct {
	files map[string][]byte
	errs  map[string]error
}

func newFileGuard(paths []string) *fileGuard {
	g := &fileGuard{files: map[string][]byte{}, errs: map[string]error{}}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() > maxNotebookBytes {
			g.errs[p] = fmt.Errorf("it is %d MB, more than the %d MB a notebook may have", fi.Size()>>20, maxNotebookBytes>>20)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			g.errs[p] = err
			continue
		}
		g.files[p] = b
	}
	return g
}

// maxNotebookBytes bounds the size of a submission: a notebook of this course is a few hundred KB
// even with its outputs.
const maxNotebookBytes = 64 << 20

func (g *fileGuard) content(p string) ([]byte, bool) { b, ok := g.files[p]; return b, ok }

func (g *fileGuard) readErr(p string) string {
	if err := g.errs[p]; err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err.Error()
		}
		return err.Error()
	}
	return "unknown error"
}

// restore puts back every file whose content changed, and returns their paths.
func (g *fileGuard) restore() []string {
	var changed []string
	for p, b := range g.files {
		now, err := os.ReadFile(p)
		if err == nil && bytes.Equal(now, b) {
			continue
		}
		changed = append(changed, p)
		_ = atomicfile.WriteFile(p, b)
	}
	return changed
}
