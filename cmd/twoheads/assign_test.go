package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/assignment"
)

const solution = "../../notebooks/assignments/a1-heads.ipynb"

func TestStudentVersionOfTheAssignment(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a1.ipynb")
	before, _ := os.ReadFile(solution)
	code, stdout, stderr := runCmd(t, "assign", "-o", out, solution)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "written to "+out) {
		t.Errorf("stdout %q", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := assignment.ParseNotebook(b)
	if err != nil {
		t.Fatal(err)
	}
	stubs := 0
	for _, c := range nb.Cells {
		if c.Type() != "code" {
			continue
		}
		src := c.Source()
		for _, leak := range []string{"math.Exp(v - m)", "BEGIN SOLUTION", "HIDDEN TESTS", "CheckCrossEntropyGradExercise", "g[label]--"} {
			if strings.Contains(src, leak) {
				t.Errorf("the student version contains %q:\n%s", leak, src)
			}
		}
		stubs += strings.Count(src, assignment.Stub)
		if len(c.Outputs()) != 0 {
			t.Error("outputs not cleared")
		}
		if _, ok := c.Grading(); !ok {
			t.Error("nbgrader cell metadata lost")
		}
	}
	if stubs != 5 {
		t.Errorf("%d stubs, want one per solution region (5)", stubs)
	}
	if after, _ := os.ReadFile(solution); string(after) != string(before) {
		t.Error("the solution notebook was modified")
	}
	// Never overwrite.
	if code, _, stderr := runCmd(t, "assign", "-o", out, solution); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second run: exit %d, %q", code, stderr)
	}
}

func TestAssignRejectsBrokenInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ipynb")
	os.WriteFile(bad, []byte("{not json"), 0o644)
	if code, _, stderr := runCmd(t, "assign", "-o", filepath.Join(dir, "s.ipynb"), bad); code != 1 || !strings.Contains(stderr, "invalid JSON") {
		t.Errorf("bad JSON: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "assign", bad); code != 2 {
		t.Errorf("missing -o: exit %d", code)
	}
}
