package notebooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// nbgStub is the code nbgrader_config.py makes nbgrader put in place of a Go solution region (the
// stub of `twoheads assign` too).
const nbgStub = `panic("not done yet: replace this line with your code")`

// TestNbgraderGeneratesAndAutogradesAssignment runs nbgrader itself, with
// assignments/nbgrader_config.py and the GoNB kernel, on assignment a1 in a temporary course folder:
// generate_assignment must write a student version with stubs in place of the solutions, without the
// hidden tests and without outputs; autograde must then give the solution full marks, the untouched
// student version nothing, and a partly done notebook exactly the points of the checks it passes, the
// hidden tests and the locked check cells counting as written in the source notebook.
func TestNbgraderGeneratesAndAutogradesAssignment(t *testing.T) {
	root := repoRoot(t)
	python, env := jupyterEnv(t)
	const assignment, nbName = "a1", "a1-heads.ipynb"
	srcNotebook := filepath.Join(root, "notebooks", "assignments", nbName)
	srcConfig := filepath.Join(root, "notebooks", "assignments", "nbgrader_config.py")
	before := nbgHashes(t, srcNotebook, srcConfig)
	defer func() {
		if after := nbgHashes(t, srcNotebook, srcConfig); after != before {
			t.Errorf("nbgrader or the test changed the source files in the repository:\nbefore %s\nafter  %s", before, after)
		}
	}()

	// The nbgrader of notebooks/requirements.txt must be installed (docker/setup.sh).
	want := nbgPinnedVersion(t, filepath.Join(root, "notebooks", "requirements.txt"))
	if out, err := exec.Command(python, "-c", "import nbgrader; print(nbgrader.__version__)").CombinedOutput(); err != nil {
		t.Fatalf("nbgrader is not installed in %s (%v): run bash docker/setup.sh\n%s", python, err, out)
	} else if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("nbgrader %s is installed, notebooks/requirements.txt pins %s: run bash docker/setup.sh", got, want)
	}

	// The course folder, laid out as nbgrader expects, with the configuration copied in as a teacher
	// does. The venv's bin folder is taken off PATH: the configuration must make a nbgrader started
	// by its full path work (it runs alembic by name), and no ~/.jupyter configuration may interfere.
	course := t.TempDir()
	nbgCopy(t, srcNotebook, filepath.Join(course, "source", assignment, nbName))
	nbgCopy(t, srcConfig, filepath.Join(course, "nbgrader_config.py"))
	env = append(env, "JUPYTER_CONFIG_DIR="+t.TempDir(), "PATH="+nbgWithout(nbgLastEnv(env, "PATH"), filepath.Join(root, ".venv", "bin")))
	nbgrader := func(args ...string) {
		t.Helper()
		cmd := exec.Command(python, append([]string{"-m", "nbgrader"}, args...)...)
		cmd.Dir, cmd.Env = course, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		t.Logf("nbgrader %s: %.1fs", strings.Join(args, " "), time.Since(start).Seconds())
		// nbgrader reports a notebook it could not convert in its log, and may still exit with 0.
		if err != nil || strings.Contains(out.String(), "| ERROR]") {
			t.Fatalf("nbgrader %s failed (%v):\n%s", strings.Join(args, " "), err, lastLines(out.String(), 60))
		}
	}

	source := nbgRead(t, srcNotebook)
	points := map[string]float64{} // grade cell id -> points, from the source notebook
	var total float64
	for _, c := range source.Cells {
		if g := c.Metadata.Nbgrader; g != nil && g.Grade {
			points[g.GradeID] = g.Points
			total += g.Points
		}
	}
	if len(points) != 4 || total != 10 {
		t.Fatalf("the source notebook has grade cells %v (%g points), want 4 cells worth 10 points", points, total)
	}

	// 1. The student version.
	nbgrader("generate_assignment", assignment)
	releasedPath := filepath.Join(course, "release", assignment, nbName)
	released := nbgRead(t, releasedPath)
	releasedText := nbgReadFile(t, releasedPath)
	if got := released.Metadata.Kernelspec; got.Name != "gonb" || got.Language != "go" {
		t.Errorf("released kernelspec is %+v, want gonb, language go", got)
	}
	if len(released.Cells) != len(source.Cells) {
		t.Fatalf("released notebook has %d cells, the source %d", len(released.Cells), len(source.Cells))
	}
	regions := 0
	for i, c := range source.Cells {
		r := released.Cells[i]
		if c.CellType != "code" {
			continue
		}
		src := nbgText(t, c.Source)
		regions += strings.Count(src, "BEGIN SOLUTION")
		if got, want := nbgText(t, r.Source), nbgStudentSource(src); got != want {
			t.Errorf("released cell %d is\n%s\nwant\n%s", i, got, want)
		}
		if len(r.Outputs) != 0 || r.ExecutionCount != nil {
			t.Errorf("released cell %d has outputs or an execution count", i)
		}
	}
	if n := strings.Count(releasedText, strings.ReplaceAll(nbgStub, `"`, `\"`)); regions < 5 || n != regions {
		t.Errorf("released notebook has %d stubs for %d solution regions (want at least 5)", n, regions)
	}
	for _, gone := range []string{"BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "CheckCrossEntropyGradExercise", "math.Exp"} {
		if strings.Contains(releasedText, gone) {
			t.Errorf("released notebook still contains %q", gone)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// 2. Submissions: alice hands in the solution, bob the student version untouched, carol a notebook
	// where CrossEntropyGrad (checked only by the hidden test) and Decide are not done, and whose
	// check-decide cell she rewrote to print a success (nbgrader must restore the locked cell).
	carol := nbgEditCells(t, nbgReadFile(t, srcNotebook), func(id, src string) string {
		switch id {
		case "cross-entropy":
			i := strings.Index(src, "func CrossEntropyGrad")
			if i < 0 {
				t.Fatal("no func CrossEntropyGrad in the cross-entropy cell")
			}
			return src[:i] + nbgStudentSource(src[i:])
		case "decide":
			return nbgStudentSource(src)
		case "check-decide":
			return "%%\nfmt.Println(\"✓ sigmoid decision: trust me\")"
		}
		return src
	})
	nbgCopy(t, srcNotebook, filepath.Join(course, "submitted", "alice", assignment, nbName))
	nbgCopy(t, releasedPath, filepath.Join(course, "submitted", "bob", assignment, nbName))
	nbgWrite(t, filepath.Join(course, "submitted", "carol", assignment, nbName), carol)

	// 3. Autograding, then the grades as nbgrader's gradebook and CSV export give them. Without
	// $TWOHEADS_MODULE no check could build and everyone would silently score 0: the configuration
	// makes autograde refuse to start.
	noModule := exec.Command(python, "-m", "nbgrader", "autograde", assignment)
	noModule.Dir, noModule.Env = course, append(env[:len(env):len(env)], "TWOHEADS_MODULE=")
	if out, err := noModule.CombinedOutput(); err == nil || !strings.Contains(string(out), "TWOHEADS_MODULE") {
		t.Errorf("autograde without $TWOHEADS_MODULE: %v (want a failure naming it)\n%s", err, lastLines(string(out), 20))
	}
	if _, err := os.Stat(filepath.Join(course, "autograded")); err == nil {
		t.Fatal("autograde without $TWOHEADS_MODULE graded the submissions")
	}
	nbgrader("autograde", assignment)
	out := artifactsDir(t)
	for _, s := range []string{"alice", "bob", "carol"} {
		nbgCopy(t, filepath.Join(course, "autograded", s, assignment, nbName), filepath.Join(out, "nbgrader-autograded-"+s+".ipynb"))
	}
	t.Logf("autograded notebooks copied to %s", out)

	wantScores := map[string]map[string]float64{
		"alice": points,
		"bob":   {"check-sigmoid": 0, "check-softmax": 0, "check-cross-entropy": 0, "check-decide": 0},
		"carol": {"check-sigmoid": points["check-sigmoid"], "check-softmax": points["check-softmax"], "check-cross-entropy": 0, "check-decide": 0},
	}
	gotScores := nbgCellScores(t, python, env, course, assignment, "alice", "bob", "carol")
	for s, want := range wantScores {
		for id, w := range want {
			g, ok := gotScores[s][id]
			switch {
			case !ok:
				t.Errorf("%s: no grade for %s in the gradebook (grades: %v)", s, id, gotScores[s])
			case g[0] != w || g[1] != points[id]:
				t.Errorf("%s: %s scored %g of %g, want %g of %g", s, id, g[0], g[1], w, points[id])
			}
		}
		if len(gotScores[s]) != len(want) {
			t.Errorf("%s: grades %v, want exactly %v", s, gotScores[s], want)
		}
	}

	nbgrader("export", "--to", "grades.csv")
	totals := nbgExportedScores(t, filepath.Join(course, "grades.csv"), assignment)
	for s, want := range map[string]float64{"alice": 10, "bob": 0, "carol": 5} {
		if got, ok := totals[s]; !ok || got != [2]float64{want, 10} {
			t.Errorf("grades.csv: %s has %v (score, max_score), want [%g 10]", s, got, want)
		}
	}

	// 4. What the autograded notebooks show: the hidden test ran, and every failed check left GoNB's
	// error output (type "error"), which is what makes nbgrader score the cell 0.
	cellOutput := func(student, id string) (text string, errors int) {
		nb := nbgRead(t, filepath.Join(course, "autograded", student, assignment, nbName))
		for _, c := range nb.Cells {
			if g := c.Metadata.Nbgrader; g != nil && g.GradeID == id {
				for _, o := range c.Outputs {
					if o.OutputType == "error" {
						errors++
						text += o.Ename + ": " + o.Evalue + "\n"
					} else if o.Text != nil {
						text += nbgText(t, o.Text)
					}
				}
				return text, errors
			}
		}
		t.Fatalf("%s's autograded notebook has no cell %s", student, id)
		return "", 0
	}
	for _, id := range []string{"check-sigmoid", "check-softmax", "check-cross-entropy", "check-decide"} {
		if text, errs := cellOutput("alice", id); errs != 0 || !strings.Contains(text, "✓ ") || strings.Contains(text, "✗") {
			t.Errorf("alice's %s output:\n%s", id, text)
		}
		if text, errs := cellOutput("bob", id); errs != 1 || !strings.Contains(text, "your function panicked: not done yet") {
			t.Errorf("bob's %s output (want one error output and the stub's panic):\n%s", id, text)
		}
	}
	if text, _ := cellOutput("alice", "check-cross-entropy"); !strings.Contains(text, "✓ cross-entropy gradient") {
		t.Errorf("the hidden test did not run for alice:\n%s", text)
	}
	if text, errs := cellOutput("carol", "check-cross-entropy"); errs != 1 || !strings.Contains(text, "✓ cross-entropy from logits") || !strings.Contains(text, "✗ cross-entropy gradient") {
		t.Errorf("carol's check-cross-entropy output (want the visible check passed, the hidden one failed):\n%s", text)
	}
	if text, errs := cellOutput("carol", "check-decide"); errs != 1 || strings.Contains(text, "trust me") {
		t.Errorf("carol's check-decide cell was not restored:\n%s", text)
	}

	// 5. twoheads grade (package grading) gives the same scores to the same submissions, in nbgrader's
	// folder layout.
	grades := filepath.Join(t.TempDir(), "grades")
	subs, _ := filepath.Glob(filepath.Join(course, "submitted", "*", assignment, nbName))
	cmd := exec.Command("go", append([]string{"run", "../cmd/twoheads", "grade", "-source", srcNotebook, "-o", grades}, subs...)...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("twoheads grade: %v\n%s", err, out)
	}
	for s, want := range map[string]float64{"alice": 10, "bob": 0, "carol": 5} {
		var r struct{ Score float64 }
		b, err := os.ReadFile(filepath.Join(grades, "results", s+".json"))
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err != nil || r.Score != want {
			t.Errorf("twoheads grade: %s scores %v (%v), nbgrader %v", s, r.Score, err, want)
		}
	}
}

// nbgNotebook is the part of a notebook the test reads.
type nbgNotebook struct {
	Metadata struct {
		Kernelspec struct {
			Name     string `json:"name"`
			Language string `json:"language"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
		Outputs  []struct {
			OutputType string          `json:"output_type"`
			Text       json.RawMessage `json:"text"`
			Ename      string          `json:"ename"`
			Evalue     string          `json:"evalue"`
		} `json:"outputs"`
		ExecutionCount *int `json:"execution_count"`
		Metadata       struct {
			Nbgrader *struct {
				GradeID  string  `json:"grade_id"`
				Grade    bool    `json:"grade"`
				Solution bool    `json:"solution"`
				Points   float64 `json:"points"`
			} `json:"nbgrader"`
		} `json:"metadata"`
	} `json:"cells"`
}

func nbgRead(t *testing.T, path string) nbgNotebook {
	t.Helper()
	var nb nbgNotebook
	if err := json.Unmarshal([]byte(nbgReadFile(t, path)), &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

// nbgText is a notebook's multiline string: a string or a list of strings.
func nbgText(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		t.Fatalf("not notebook text: %s", raw)
	}
	return strings.Join(lines, "")
}

// nbgStudentSource is what nbgrader's ClearSolutions and ClearHiddenTests make of a code cell: each
// solution region, marker lines included, becomes the stub indented like its BEGIN line; each hidden
// test region is removed.
func nbgStudentSource(src string) string {
	var out []string
	end := "" // the end marker of the region being dropped
	for _, line := range strings.Split(src, "\n") {
		switch {
		case end != "":
			if strings.Contains(line, end) {
				end = ""
			}
		case strings.Contains(line, "BEGIN SOLUTION"):
			out = append(out, line[:len(line)-len(strings.TrimLeft(line, " \t"))]+nbgStub)
			end = "END SOLUTION"
		case strings.Contains(line, "BEGIN HIDDEN TESTS"):
			end = "END HIDDEN TESTS"
		default:
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// nbgEditCells returns the notebook with each code cell's source replaced by edit(grade_id, source).
func nbgEditCells(t *testing.T, notebook string, edit func(id, src string) string) []byte {
	t.Helper()
	var nb map[string]any
	if err := json.Unmarshal([]byte(notebook), &nb); err != nil {
		t.Fatal(err)
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range cells {
		cell := c.(map[string]any)
		meta, _ := cell["metadata"].(map[string]any)
		g, _ := meta["nbgrader"].(map[string]any)
		id, _ := g["grade_id"].(string)
		if cell["cell_type"] != "code" || id == "" {
			continue
		}
		raw, _ := json.Marshal(cell["source"])
		cell["source"] = edit(id, nbgText(t, raw))
	}
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nbgCellScores reads each student's score and maximum per grade cell from nbgrader's gradebook.
func nbgCellScores(t *testing.T, python string, env []string, course, assignment string, students ...string) map[string]map[string][2]float64 {
	t.Helper()
	const script = `
import json, sys
from nbgrader.api import Gradebook
assignment, students = sys.argv[1], sys.argv[2:]
scores = {}
with Gradebook("sqlite:///gradebook.db") as gb:
    for s in students:
        sub = gb.find_submission(assignment, s)
        scores[s] = {g.name: [g.score, g.max_score] for nb in sub.notebooks for g in nb.grades}
print(json.dumps(scores))
`
	cmd := exec.Command(python, append([]string{"-c", script, assignment}, students...)...)
	cmd.Dir, cmd.Env = course, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reading the gradebook: %v\n%s", err, lastLines(stderr.String(), 20))
	}
	var scores map[string]map[string][2]float64
	if err := json.Unmarshal(out, &scores); err != nil {
		t.Fatalf("reading the gradebook: %v\n%s", err, out)
	}
	return scores
}

// nbgExportedScores reads nbgrader export's CSV: student -> (score, max_score) for the assignment.
func nbgExportedScores(t *testing.T, path, assignment string) map[string][2]float64 {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(nbgReadFile(t, path))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"assignment", "student_id", "score", "max_score"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("%s has no column %q: %v", path, name, rows[0])
		}
	}
	scores := map[string][2]float64{}
	for _, r := range rows[1:] {
		if r[col["assignment"]] != assignment {
			continue
		}
		score, err1 := strconv.ParseFloat(r[col["score"]], 64)
		max, err2 := strconv.ParseFloat(r[col["max_score"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad row %v", path, r)
		}
		scores[r[col["student_id"]]] = [2]float64{score, max}
	}
	return scores
}

// nbgPinnedVersion is the version notebooks/requirements.txt pins nbgrader to.
func nbgPinnedVersion(t *testing.T, requirements string) string {
	t.Helper()
	for _, line := range strings.Split(nbgReadFile(t, requirements), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "nbgrader=="); ok {
			return v
		}
	}
	t.Fatalf("%s pins no nbgrader version", requirements)
	return ""
}

func nbgHashes(t *testing.T, paths ...string) string {
	t.Helper()
	var s []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s = append(s, fmt.Sprintf("%s:%x", filepath.Base(p), sha256.Sum256(b)))
	}
	return strings.Join(s, " ")
}

func nbgReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func nbgCopy(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	nbgWrite(t, to, b)
}

func nbgWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// nbgLastEnv is the value of the last name=value entry of env (the one a command gets).
func nbgLastEnv(env []string, name string) string {
	v := ""
	for _, e := range env {
		if rest, ok := strings.CutPrefix(e, name+"="); ok {
			v = rest
		}
	}
	return v
}

// nbgWithout returns the PATH list without the folder dir.
func nbgWithout(path, dir string) string {
	var keep []string
	for _, p := range filepath.SplitList(path) {
		if filepath.Clean(p) != filepath.Clean(dir) {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, string(os.PathListSeparator))
}
