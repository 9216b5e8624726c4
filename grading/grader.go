package grading

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/twoheads/twoheads/assignment"
)

// Grader grades submissions of one assignment. Create it with Open or NewGrader, then set its fields.
type Grader struct {
	Name       string // The assignment's name (the solution notebook's file name without .ipynb).
	instructor *assignment.Notebook
	source     string   // The instructor's notebook file, when Open read it: GradeAll keeps it as it was.
	hidden     []string // Lines of hidden tests: they must never appear in feedback,
	hiddenIDs  []string // nor the names that only hidden tests use.
	max        float64

	Python string   // The Python with nbclient (Jupyter) that runs the kernel (see FindJupyter).
	Kernel string   // The Jupyter kernel: "gonb", or the instructor notebook's kernel.
	Env    []string // The environment of the run (it must find the kernel); TWOHEADS_* are added.
	Module string   // The twoheads module root, for the notebooks' set-up cell ($TWOHEADS_MODULE).
	Limits Limits
	// Sandbox says whether submissions run in the sandbox (see sandbox.go); "" is SandboxAuto.
	Sandbox SandboxMode
	TempDir string // Where the temporary grading folders go ("": the system's).

	sandboxOnce sync.Once
	sandbox     sandboxDecision
}

// Open reads the instructor's notebook at path and returns its Grader, named after the file. GradeAll
// puts that file back if grading changes it.
func Open(path string) (*Grader, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := NewGrader(strings.TrimSuffix(filepath.Base(path), ".ipynb"), b)
	if err != nil {
		return nil, fmt.Errorf("the instructor's notebook %s: %w", path, err)
	}
	g.source = path
	return g, nil
}

// NewGrader checks the instructor's notebook (the solution version, hidden tests included) and returns
// a Grader for it.
func NewGrader(name string, instructor []byte) (*Grader, error) {
	nb, err := assignment.ParseNotebook(instructor)
	if err != nil {
		return nil, err
	}
	g := &Grader{Name: name, instructor: nb, Kernel: nb.Kernel(), Limits: DefaultLimits(), Sandbox: SandboxAuto}
	if g.Kernel == "" {
		g.Kernel = "gonb"
	}
	ids := map[string]bool{}
	for i, c := range nb.Cells {
		gr, ok := c.Grading()
		if !ok {
			continue
		}
		if ids[gr.ID] {
			return nil, fmt.Errorf("two cells have grade_id %q", gr.ID)
		}
		ids[gr.ID] = true
		if _, err := assignment.StudentSource(c.Source()); err != nil {
			return nil, fmt.Errorf("cell %d (%s): %w", i, gr.ID, err)
		}
		g.hidden = append(g.hidden, assignment.HiddenLines(c.Source())...)
		if gr.IsTest() && c.Type() == "code" {
			if !strings.Contains(c.Source(), "%%") {
				return nil, fmt.Errorf("test cell %q has no %%%% line: its checks must run in the cell's main body", gr.ID)
			}
			if gr.Points <= 0 {
				return nil, fmt.Errorf("test cell %q has no points", gr.ID)
			}
			g.max += gr.Points
		}
	}
	if g.max == 0 {
		return nil, errors.New("no test cells with points (nbgrader metadata grade: true, points > 0)")
	}
	g.hiddenIDs = hiddenNames(nb, g.hidden)
	return g, nil
}

// MaxScore is the sum of the points of the test cells.
func (g *Grader) MaxScore() float64 { return g.max }

// TestIDs returns the grade_ids of the test cells, in notebook order.
func (g *Grader) TestIDs() []string {
	var ids []string
	for _, c := range g.instructor.Cells {
		if gr, ok := c.Grading(); ok && gr.IsTest() && c.Type() == "code" {
			ids = append(ids, gr.ID)
		}
	}
	return ids
}

func (g *Grader) points(id string) float64 {
	for _, c := range g.instructor.Cells {
		if gr, ok := c.Grading(); ok && gr.ID == id {
			return gr.Points
		}
	}
	return 0
}

// Grade grades one submission. Problems of the submission (invalid JSON, failing or hostile code) are
// part of the Result; an error means the grading itself could not run (no kernel, no sandbox).
func (g *Grader) Grade(ctx context.Context, student, path string, submission []byte) (*Result, error) {
	sub, err := assignment.ParseNotebook(submission)
	if err != nil {
		return g.NotRun(student, path, "your file is "+formatProblem(err)), nil
	}
	start := time.Now()
	r := g.newResult(student, path)
	sum := sha256.Sum256(submission)
	r.SHA256 = hex.EncodeToString(sum[:])
	defer func() { r.Seconds = time.Since(start).Round(10 * time.Millisecond).Seconds() }()
	merged, problems := merge(g.instructor, sub)
	r.Problems = append(r.Problems, problems...)

	sandbox := g.decideSandbox()
	if sandbox.err != nil {
		return nil, sandbox.err
	}
	r.Sandboxed = sandbox.use
	token := newToken()
	results, stop, log, err := g.run(ctx, merged, sandbox.use, token)
	if err != nil {
		return nil, err
	}
	r.Log = log
	g.score(r, merged, results, stop, token)
	for i, c := range merged.Cells {
		if res, ok := results[i]; ok {
			c.SetOutputs(res.Outputs)
		}
	}
	r.Executed, _ = merged.Marshal()
	return r, nil
}

// formatProblem says what is wrong with a file that is not a notebook, without "not a notebook: ".
func formatProblem(err error) string {
	if fe, ok := errors.AsType[*assignment.FormatError](err); ok {
		return fe.Problem()
	}
	return err.Error()
}

// NotRun is the result of a submission that could not be run at all (a file that is not a notebook,
// or cannot be read): no points, and why as its one problem.
func (g *Grader) NotRun(student, path, why string) *Result {
	r := g.newResult(student, path)
	r.Problems = []string{why + ": nothing could be run"}
	for i := range r.Checks {
		r.Checks[i].Message = "not run: your file could not be run as a notebook"
	}
	return r
}

func (g *Grader) newResult(student, path string) *Result {
	r := &Result{Student: student, Assignment: g.Name, Submission: path, MaxScore: g.max}
	for _, id := range g.TestIDs() {
		r.Checks = append(r.Checks, Check{ID: id, MaxPoints: g.points(id), Status: StatusNotRun})
	}
	return r
}

// newToken returns a fresh grading token: a marker line counts only with the token of its run.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var identifier = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]{3,}`)

// hiddenNames returns the identifiers that hidden tests use and students never see (such as the name
// of a hidden check).
func hiddenNames(nb *assignment.Notebook, hidden []string) []string {
	var visible strings.Builder
	for _, c := range nb.Cells {
		src, _ := assignment.StudentSource(c.Source())
		visible.WriteString(src + "\n")
	}
	var names []string
	seen := map[string]bool{}
	for _, l := range hidden {
		if strings.Contains(l, assignment.BeginHidden) || strings.Contains(l, assignment.EndHidden) {
			continue
		}
		for _, id := range identifier.FindAllString(l, -1) {
			if !seen[id] && !strings.Contains(visible.String(), id) {
				seen[id] = true
				names = append(names, id)
			}
		}
	}
	return names
}
