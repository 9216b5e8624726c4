package grading

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/assignment"
	"github.com/twoheads/twoheads/internal/gradeproto"
)

func loadA1(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../notebooks/assignments/a1-heads.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewGraderReadsTheInstructorsNotebook(t *testing.T) {
	g, err := NewGrader("a1", loadA1(t))
	if err != nil {
		t.Fatal(err)
	}
	if g.MaxScore() != 10 || strings.Join(g.TestIDs(), ",") != "check-sigmoid,check-softmax,check-cross-entropy,check-decide" {
		t.Errorf("max %v, tests %v", g.MaxScore(), g.TestIDs())
	}
	if strings.Join(g.hiddenIDs, ",") != "CheckCrossEntropyGradExercise" {
		t.Errorf("names only hidden tests use: %v", g.hiddenIDs)
	}
	for src, want := range map[string]string{
		`{"cells": []}`: "no test cells with points",
		`{"cells": [{"cell_type": "code", "source": "lesson.Check()", "metadata": {"nbgrader": {"grade_id": "t", "grade": true, "points": 1}}}]}`: "has no %% line",
		`{"cells": [{"cell_type": "code", "source": "%%\nf()", "metadata": {"nbgrader": {"grade_id": "t", "grade": true}}}]}`:                     "has no points",
		`{"cells": [{"cell_type": "code", "source": "// BEGIN SOLUTION", "metadata": {"nbgrader": {"grade_id": "s", "solution": true}}}]}`:        "without",
		`[1, 2]`: "not a notebook",
	} {
		if _, err := NewGrader("x", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", src, err, want)
		}
	}
}

// TestMergeKeepsOnlyTheStudentsCells checks what the graded notebook is made of.
// parseCell reads one cell from its JSON.
func parseCell(t *testing.T, cell string) *assignment.Cell {
	t.Helper()
	nb, err := assignment.ParseNotebook([]byte(`{"cells": [` + cell + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	return nb.Cells[0]
}

func TestMergeKeepsOnlyTheStudentsCells(t *testing.T) {
	inst, _ := assignment.ParseNotebook(loadA1(t))
	studentJSON, _ := assignment.StudentVersion(loadA1(t))
	sub, _ := assignment.ParseNotebook(studentJSON)
	byID := func(nb *assignment.Notebook, id string) (int, *assignment.Cell) {
		for i, c := range nb.Cells {
			if g, ok := c.Grading(); ok && g.ID == id {
				return i, c
			}
		}
		return -1, nil
	}
	// The student writes Sigmoid, adds a helper cell after it, rewrites a check and deletes another.
	_, sig := byID(sub, "sigmoid")
	sig.SetSource("func Sigmoid(z float64) float64 { return helper(z) }\n")
	i, _ := byID(sub, "sigmoid")
	sigID, _ := sig.ID()
	helper := parseCell(t, `{"cell_type": "code", "metadata": {}, "id": "`+sigID+`", "source": "func helper(z float64) float64 { return z }\n",
		"outputs": [{"output_type": "stream", "name": "stdout", "text": "old output"}]}`)
	sub.Cells = append(sub.Cells[:i+1], append([]*assignment.Cell{helper}, sub.Cells[i+1:]...)...)
	_, chk := byID(sub, "check-sigmoid")
	chk.SetSource("%%\nfmt.Println(\"✓\")\n")
	j, _ := byID(sub, "check-decide")
	sub.Cells = append(sub.Cells[:j], sub.Cells[j+1:]...)

	merged, problems := merge(inst, sub)
	if len(problems) != 2 || !strings.Contains(problems[0], `you changed the cell "check-sigmoid"`) || !strings.Contains(problems[1], `"check-decide" was missing`) {
		t.Errorf("problems %q", problems)
	}
	k, m := byID(merged, "sigmoid")
	if m.Source() != sig.Source() {
		t.Errorf("the student's Sigmoid was not kept: %q", m.Source())
	}
	if after, ok := addedAfter(merged.Cells[k+1]); !ok || after != "sigmoid" || merged.Cells[k+1].Source() != helper.Source() || len(merged.Cells[k+1].Outputs()) != 0 {
		t.Errorf("the added cell is not right after Sigmoid, without outputs: %q %v", merged.Cells[k+1].Source(), merged.Cells[k+1].Outputs())
	}
	if _, ok := merged.Cells[k+1].Metadata(assignment.NbgraderKey); ok {
		t.Error("the added cell kept nbgrader metadata")
	}
	for _, id := range []string{"check-sigmoid", "check-cross-entropy", "check-decide", "setup"} {
		_, ic := byID(inst, id)
		_, mc := byID(merged, id)
		want := ic.Source()
		if id != "setup" {
			want = strings.TrimRight(want, "\n") + "\n" + gradeproto.DoneStatement + "\n"
		}
		if mc == nil || mc.Source() != want {
			t.Errorf("%s: not the instructor's cell (+ GradeDone): %q", id, mc.Source())
		}
	}
	ids := map[string]bool{}
	for _, c := range merged.Cells {
		id, _ := c.ID()
		if ids[id] {
			t.Errorf("cell id %v twice", id)
		}
		ids[id] = true
	}
	if len(merged.Cells) != len(inst.Cells)+1 {
		t.Errorf("%d cells, want %d", len(merged.Cells), len(inst.Cells)+1)
	}
	// A solution cell the student deleted is graded as the stub.
	k, _ = byID(sub, "softmax")
	sub.Cells = append(sub.Cells[:k], sub.Cells[k+1:]...)
	merged, problems = merge(inst, sub)
	if _, c := byID(merged, "softmax"); c == nil || !strings.Contains(c.Source(), assignment.Stub) || !strings.Contains(strings.Join(problems, "|"), `no cell "softmax"`) {
		t.Errorf("deleted solution cell: %v", problems)
	}
}

func TestFeedbackText(t *testing.T) {
	g, _ := NewGrader("a1", loadA1(t))
	gonbError := `<style>.gonb-err-location { color: red; }</style><div><span class="gonb-cell-line-info">Cell[7]: Line 6</span> ` +
		`<span class="gonb-err-location">./main.go:69:38: </span>undefined: CrossEntropyGrad<div class="gonb-err-context">lesson.CheckCrossEntropyExercise(CrossEntropy)
// BEGIN HIDDEN TESTS
<div class="gonb-err-line">lesson.CheckCrossEntropyGradExercise(CrossEntropyGrad)
</div>// END HIDDEN TESTS
</div></div> &lt;ok&gt;`
	text := g.clean(outputText([]map[string]any{
		{"output_type": "display_data", "data": map[string]any{"text/html": gonbError}},
		{"output_type": "stream", "name": "stdout", "text": "\x1b[31m✗ red\x1b[0m\nexit status 1\n"},
		{"output_type": "stream", "name": "stderr", "text": "main.go:3: lesson.CheckCrossEntropyGradExercise undefined\n"},
		{"output_type": "error", "ename": "ERROR", "evalue": `failed to run "go build": exit status 1`, "traceback": []any{"failed to run"}},
	}))
	want := "Cell[7]: Line 6 ./main.go:69:38: undefined: CrossEntropyGrad\n <ok>\n✗ red\n[a line about a hidden test]"
	if text != want {
		t.Errorf("got\n%q\nwant\n%q", text, want)
	}
	if got := g.why(cellResult{Status: ranError}, text); got != "red" {
		t.Errorf("why: %q", got)
	}
	if got := g.why(cellResult{Status: ranError}, "Cell[7]: Line 6 ./main.go:69:38: undefined: X\n"); got != "does not compile: undefined: X" {
		t.Errorf("why, compile error: %q", got)
	}
	if got := g.why(cellResult{Status: ranError}, "fatal error: runtime: out of memory\n"); !strings.Contains(got, "ran out of memory (the limit is 4096 MB") {
		t.Errorf("why, memory: %q", got)
	}
}

func TestStudentIDs(t *testing.T) {
	for _, tc := range []struct{ paths, want []string }{
		{[]string{"class/alice.ipynb", "class/bob.ipynb"}, []string{"alice", "bob"}},
		{[]string{"submitted/alice/a1/a1-heads.ipynb", "submitted/bob/a1/a1-heads.ipynb"}, []string{"alice", "bob"}},
		{[]string{"x/alice.ipynb"}, []string{"alice"}},
		{[]string{"a.ipynb", "a.ipynb"}, []string{"a", "a_2"}},
		{[]string{"a/b.ipynb", "a/b/c.ipynb"}, []string{"b", "c"}},
	} {
		if got := StudentIDs(tc.paths); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%v: %v, want %v", tc.paths, got, tc.want)
		}
	}
}

func TestCSVAndFeedback(t *testing.T) {
	r := &Result{Student: "alice", Assignment: "a1", Score: 2.5, MaxScore: 10, Seconds: 3,
		Problems: []string{"one", "two"},
		Checks: []Check{{ID: "c1", Points: 2.5, MaxPoints: 3, Status: StatusPassed, Output: "✓ fine"},
			{ID: "c2", MaxPoints: 7, Status: StatusFailed, Message: "softmax overflows", Output: "```nested```"}}}
	var b bytes.Buffer
	if err := WriteCSV(&b, []string{"c1", "c2"}, []*Result{r}); err != nil {
		t.Fatal(err)
	}
	if want := "student,score,max_score,c1,c2,seconds,problems\nalice,2.50,10,2.50,0,3,one; two\n"; b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
	r.Checks[1].Output += strings.Repeat("\nstack", 100)
	fb := r.Feedback()
	for _, want := range []string{"**Score: 2.50 / 10**", "- one\n", "## ✓ c1: 2.50 / 3", "## ✗ c2: 0 / 7\n\nsoftmax overflows", "'''nested'''", "stack\n… (71 more lines)\n```"} {
		if !strings.Contains(fb, want) {
			t.Errorf("feedback lacks %q:\n%s", want, fb)
		}
	}
}
