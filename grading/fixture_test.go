package grading

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/twoheads/twoheads/assignment"
)

// solution is the instructor's notebook of assignment 1.
const solution = "../notebooks/assignments/a1-heads.ipynb"

// kernelGrader returns a Grader for the instructor's notebook at path, set up to run the real GoNB
// kernel (installed by docker/setup.sh). Without it the test fails: these tests never skip.
func kernelGrader(t *testing.T, path string) *Grader {
	t.Helper()
	g, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if g.Module, err = FindModule("", path); err != nil {
		t.Fatal(err)
	}
	if g.Python, g.Env, err = FindJupyter("", g.Module, g.Kernel); err != nil {
		t.Fatal(err)
	}
	return g
}

// gradeInto grades the submissions as `twoheads grade` does (every CPU busy) into the new folder out.
func gradeInto(t *testing.T, g *Grader, out string, submissions ...string) *Report {
	t.Helper()
	if warning, err := g.CheckSandbox(); err != nil {
		t.Fatal(err)
	} else if warning != "" {
		t.Logf("warning: %s", warning)
	}
	o, err := NewOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := g.GradeAll(context.Background(), submissions, o, runtime.NumCPU(), func(r *Result) {
		t.Logf("%-12s %5s / %s  %5.1f s  %q", r.Student, FormatNumber(r.Score), FormatNumber(r.MaxScore), r.Seconds, r.FirstProblem())
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// fixture builds a submission from the student version of the assignment.
type fixture struct {
	cells []map[string]any
	raw   map[string]any
}

func studentFixture(t *testing.T) *fixture {
	t.Helper()
	sol, err := os.ReadFile(solution)
	if err != nil {
		t.Fatal(err)
	}
	b, err := assignment.StudentVersion(sol)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{}
	if err := json.Unmarshal(b, &f.raw); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.raw["cells"].([]any) {
		f.cells = append(f.cells, c.(map[string]any))
	}
	return f
}

func gradeID(c map[string]any) string {
	meta, _ := c["metadata"].(map[string]any)
	nbg, _ := meta["nbgrader"].(map[string]any)
	id, _ := nbg["grade_id"].(string)
	return id
}

func (f *fixture) index(t *testing.T, id string) int {
	for i, c := range f.cells {
		if gradeID(c) == id {
			return i
		}
	}
	t.Fatalf("no cell %q", id)
	return -1
}

// set replaces the source of the cell with grade_id id.
func (f *fixture) set(t *testing.T, id, src string) *fixture {
	f.cells[f.index(t, id)]["source"] = src
	return f
}

// solve puts the instructor's solution into the cells given (all solution cells if none).
func (f *fixture) solve(t *testing.T, ids ...string) *fixture {
	sol := studentFixture(t)
	b, _ := os.ReadFile(solution)
	json.Unmarshal(b, &sol.raw)
	sol.cells = nil
	for _, c := range sol.raw["cells"].([]any) {
		sol.cells = append(sol.cells, c.(map[string]any))
	}
	if len(ids) == 0 {
		ids = []string{"sigmoid", "softmax", "cross-entropy", "decide"}
	}
	for _, id := range ids {
		f.cells[f.index(t, id)]["source"] = sol.cells[sol.index(t, id)]["source"]
	}
	return f
}

// add inserts a code cell without nbgrader metadata after the cell with grade_id after.
func (f *fixture) add(t *testing.T, after, src string) *fixture {
	i := f.index(t, after) + 1
	cell := map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": src, "outputs": []any{}, "execution_count": nil}
	f.cells = append(f.cells[:i], append([]map[string]any{cell}, f.cells[i:]...)...)
	return f
}

func (f *fixture) remove(t *testing.T, id string) *fixture {
	i := f.index(t, id)
	f.cells = append(f.cells[:i], f.cells[i+1:]...)
	return f
}

func (f *fixture) write(t *testing.T, path string) {
	cells := make([]any, len(f.cells))
	for i, c := range f.cells {
		cells[i] = c
	}
	f.raw["cells"] = cells
	b, err := json.MarshalIndent(f.raw, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// gradeResult is what results/NAME.json holds, read back as plain JSON.
type gradeResult struct {
	Score    float64  `json:"score"`
	MaxScore float64  `json:"max_score"`
	Problems []string `json:"problems"`
	Checks   []struct {
		ID      string  `json:"grade_id"`
		Points  float64 `json:"points"`
		Status  string  `json:"status"`
		Message string  `json:"message"`
		Output  string  `json:"output"`
	} `json:"checks"`
	Sandboxed bool `json:"sandboxed"`
}

func (r gradeResult) check(t *testing.T, id string) (status, message, output string) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status, c.Message, c.Output
		}
	}
	t.Fatalf("no check %q in %+v", id, r)
	return
}

func readResult(t *testing.T, out, student string) gradeResult {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "results", student+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var r gradeResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
