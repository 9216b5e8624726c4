package grading

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/assignment"
)

// These tests grade with the real GoNB kernel (installed by docker/setup.sh; without it they fail,
// they never skip), through GradeAll, and read back the files it writes.

// TestGradeHostileSubmissions grades, in one run, the solution, the student version, a partly solved
// notebook and submissions that misbehave in every way the grader must survive.
func TestGradeHostileSubmissions(t *testing.T) {
	dir := t.TempDir()
	subs := filepath.Join(dir, "submitted")
	os.Mkdir(subs, 0o755)
	instructor := filepath.Join(dir, "a1-heads.ipynb")
	solBytes, _ := os.ReadFile(solution)
	os.WriteFile(instructor, solBytes, 0o644)
	path := func(name string) string { return filepath.Join(subs, name+".ipynb") }

	os.WriteFile(path("solution"), solBytes, 0o644)
	studentFixture(t).write(t, path("student"))
	// Sigmoid and Decide right (2 + 2 points), a softmax that overflows, cross-entropy not done.
	studentFixture(t).solve(t, "sigmoid", "decide").
		set(t, "softmax", "func Softmax(z []float64) []float64 {\n\tp := make([]float64, len(z))\n\tvar s float64\n"+
			"\tfor k, v := range z {\n\t\tp[k] = math.Exp(v)\n\t\ts += p[k]\n\t}\n\tfor k := range p {\n\t\tp[k] /= s\n\t}\n\treturn p\n}\n").
		write(t, path("partial"))
	studentFixture(t).solve(t).
		set(t, "sigmoid", "func Sigmoid(z float64) float64 {\n\tpanic(\"boom\")\n}\n").
		write(t, path("panics"))
	studentFixture(t).solve(t).
		set(t, "softmax", "func Softmax(z []float64) []float64 {\n\tfor {\n\t}\n}\n").
		add(t, "decide", "%%\nfor {\n}\n").
		write(t, path("loops"))
	studentFixture(t).solve(t).
		set(t, "cross-entropy", "var hoard [][]byte\n\nfunc CrossEntropy(z []float64, label int) float64 {\n"+
			"\tfor {\n\t\thoard = append(hoard, make([]byte, 64<<20))\n\t}\n}\n\n"+
			"func CrossEntropyGrad(z []float64, label int) []float64 { return nil }\n").
		write(t, path("memory"))
	studentFixture(t).solve(t).
		set(t, "decide", "func Decide(p []float64, threshold float64) []int {\n\tfmt.Print(strings.Repeat(\"spam \", 200000))\n"+
			"\tvar ks []int\n\tfor k, v := range p {\n\t\tif v > threshold {\n\t\t\tks = append(ks, k)\n\t\t}\n\t}\n\treturn ks\n}\n").
		write(t, path("loud"))
	escape := filepath.Join(dir, "escaped.txt")
	studentFixture(t).solve(t).
		add(t, "sigmoid", fmt.Sprintf("%%%%\nfor _, p := range []string{%q, %q, %q, \"../../escaped-too.txt\"} {\n"+
			"\tfmt.Println(\"writing\", p, os.WriteFile(p, []byte(\"overwritten\"), 0o644))\n}\n", escape, instructor, path("escape"))).
		write(t, path("escape"))
	studentFixture(t).
		add(t, "setup", "func init() {\n\tfmt.Println(\"✓ sigmoid: right values, and stable at z = ±1000\")\n\tos.Exit(0)\n}\n").
		write(t, path("exits"))
	studentFixture(t).solve(t).
		add(t, "setup", "type fakeChecks struct{}\n\nfunc (fakeChecks) CheckSigmoidExercise(func(float64) float64) bool { return true }\n\nvar lesson fakeChecks\n").
		write(t, path("shadows"))
	studentFixture(t).solve(t).
		set(t, "check-sigmoid", "%%\nfmt.Println(\"✓ sigmoid: right values, and stable at z = ±1000\")\n").
		remove(t, "check-softmax").
		write(t, path("edits"))
	studentFixture(t).solve(t).remove(t, "decide").write(t, path("deletes"))
	studentFixture(t).solve(t, "sigmoid", "softmax", "decide").
		set(t, "cross-entropy", "func CrossEntropy(z []float64, label int) float64 {\n\tm := z[0]\n\tfor _, v := range z {\n\t\tm = max(m, v)\n\t}\n"+
			"\tvar s float64\n\tfor _, v := range z {\n\t\ts += math.Exp(v - m)\n\t}\n\treturn m + math.Log(s) - z[label]\n}\n\n"+
			"func CEGrad(z []float64, label int) []float64 { return nil }\n").
		write(t, path("renames"))
	os.WriteFile(path("broken"), []byte(`{"cells": [{"cell_type": "code", "source": "x"`), 0o644)

	before := map[string][]byte{}
	entries, _ := os.ReadDir(subs)
	var args []string
	for _, e := range entries {
		p := filepath.Join(subs, e.Name())
		before[p], _ = os.ReadFile(p)
		args = append(args, p)
	}
	out := filepath.Join(dir, "grades")
	g := kernelGrader(t, instructor)
	g.Limits = Limits{Cell: 15 * time.Second, Notebook: 3 * time.Minute, MemoryMB: 3072, OutputKB: 64}
	if rep := gradeInto(t, g, out, args...); len(rep.Restored) > 0 {
		t.Errorf("files put back: %q", rep.Restored)
	}
	if d := os.Getenv("TWOHEADS_ARTIFACTS"); d != "" { // To read the feedback as a student would.
		os.RemoveAll(filepath.Join(d, "grades-hostile"))
		if err := os.CopyFS(filepath.Join(d, "grades-hostile"), os.DirFS(out)); err != nil {
			t.Error(err)
		}
	}

	want := map[string]float64{"solution": 10, "student": 0, "partial": 4, "panics": 8, "loops": 4, "memory": 7,
		"loud": 10, "escape": 10, "exits": 0, "shadows": 0, "edits": 10, "deletes": 8, "renames": 7, "broken": 0}
	results := map[string]gradeResult{}
	for name, score := range want {
		r := readResult(t, out, name)
		results[name] = r
		if r.Score != score || r.MaxScore != 10 {
			t.Errorf("%s: %v / %v, want %v / 10; %+v", name, r.Score, r.MaxScore, score, r)
		}
	}
	expect := func(name, id, status, inMessage string) {
		t.Helper()
		s, m, _ := results[name].check(t, id)
		if s != status || !strings.Contains(m, inMessage) {
			t.Errorf("%s, %s: %s %q, want %s with %q", name, id, s, m, status, inMessage)
		}
	}
	hasProblem := func(name string, re string) {
		t.Helper()
		for _, p := range results[name].Problems {
			if regexp.MustCompile(re).MatchString(p) {
				return
			}
		}
		t.Errorf("%s: no problem matching %q in %q", name, re, results[name].Problems)
	}
	if p := results["solution"].Problems; len(p) != 0 {
		t.Errorf("the solution has problems: %q", p)
	}
	for _, id := range []string{"check-sigmoid", "check-softmax", "check-cross-entropy", "check-decide"} {
		expect("student", id, "failed", "your function panicked: not done yet")
	}
	expect("partial", "check-softmax", "failed", "your softmax overflows")
	expect("partial", "check-sigmoid", "passed", "")
	expect("panics", "check-sigmoid", "failed", "your function panicked: boom")
	expect("loops", "check-softmax", "failed", "did not return within")
	expect("loops", "check-cross-entropy", "failed", "did not return within") // The gradient calls Softmax.
	expect("loops", "check-decide", "passed", "")
	hasProblem("loops", `a cell you added after "decide" was stopped after 15s`)
	expect("memory", "check-cross-entropy", "failed", "ran out of memory")
	expect("loud", "check-decide", "passed", "the output was cut at 64 KB")
	expect("exits", "check-sigmoid", "failed", "ended before its checks finished")
	expect("shadows", "check-sigmoid", "failed", "does not compile: lesson.GradeDone undefined")
	hasProblem("edits", `you changed the cell "check-sigmoid"`)
	hasProblem("edits", `the cell "check-softmax" was missing`)
	hasProblem("deletes", `no cell "decide"`)
	expect("renames", "check-cross-entropy", "failed", "does not compile: undefined: CrossEntropyGrad")
	hasProblem("broken", "invalid JSON")

	// Nothing outside the grading folder changed.
	for p, b := range before {
		if now, _ := os.ReadFile(p); string(now) != string(b) {
			t.Errorf("%s was modified", p)
		}
	}
	if now, _ := os.ReadFile(instructor); string(now) != string(solBytes) {
		t.Error("the instructor's notebook was modified")
	}
	hasProblem("escape", "tried to write outside its own folder")
	if !results["escape"].Sandboxed {
		t.Error("the escape submission did not run in the sandbox")
	}
	for _, p := range []string{escape, filepath.Join(dir, "escaped-too.txt"), filepath.Join(subs, "escaped-too.txt")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a submission wrote %s", p)
		}
	}
	// Output stays bounded, and feedback never shows hidden tests.
	if _, _, o := results["loud"].check(t, "check-decide"); len(o) > 70<<10 {
		t.Errorf("loud: %d bytes of output kept", len(o))
	}
	for name := range want {
		fb, err := os.ReadFile(filepath.Join(out, "feedback", name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"CheckCrossEntropyGradExercise", "HIDDEN TESTS", "twoheads-grade-done"} {
			if strings.Contains(string(fb), leak) {
				t.Errorf("feedback for %s shows %q:\n%s", name, leak, fb)
			}
		}
	}
	if _, _, o := results["renames"].check(t, "check-cross-entropy"); !strings.Contains(o, "undefined: CrossEntropyGrad") || strings.Contains(o, "gonb-err") {
		t.Errorf("renames: the compile error is not in the feedback, or not as text: %q", o)
	}
	// The class CSV has a row per submission.
	f, err := os.Open(filepath.Join(out, "grades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != len(want)+1 || rows[0][0] != "student" || rows[0][3] != "check-sigmoid" {
		t.Errorf("grades.csv: %v %v", rows, err)
	}
}

// TestGradeAClassOf30 grades 30 generated submissions, each with a different set of solved exercises,
// in one command: each scores exactly the points of what it solved.
func TestGradeAClassOf30(t *testing.T) {
	dir := t.TempDir()
	parts := []string{"sigmoid", "softmax", "cross-entropy", "decide"}
	want := map[string]float64{}
	var args []string
	for i := range 30 {
		// Student i solves the parts whose bit is set in i mod 16.
		var solved []string
		score := 0.0
		for b, p := range parts {
			if (i%16)>>b&1 == 1 {
				solved = append(solved, p)
			}
		}
		has := func(p string) bool { return strings.Contains(strings.Join(solved, " "), p) }
		if has("sigmoid") {
			score += 2
		}
		if has("softmax") {
			score += 3
		}
		if has("cross-entropy") && has("softmax") { // The solution's gradient calls Softmax.
			score += 3
		}
		if has("decide") {
			score += 2
		}
		f := studentFixture(t)
		if len(solved) > 0 {
			f.solve(t, solved...)
		}
		name := fmt.Sprintf("student%02d", i+1)
		want[name] = score
		p := filepath.Join(dir, "class", name, "a1-heads.ipynb")
		os.MkdirAll(filepath.Dir(p), 0o755)
		f.write(t, p)
		args = append(args, p)
	}
	out := filepath.Join(dir, "grades")
	gradeInto(t, kernelGrader(t, solution), out, args...)
	for name, score := range want {
		if r := readResult(t, out, name); r.Score != score {
			t.Errorf("%s: %v, want %v (%+v)", name, r.Score, score, r.Checks)
		}
	}
}

// TestGradeStopsAtTheNotebookTimeLimit grades a submission whose every cell hangs (a loop in init),
// with and without the sandbox: the run stops at the notebook's limit, the checks not reached score
// nothing with that reason, and no process of the run is left behind.
func TestGradeStopsAtTheNotebookTimeLimit(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir) // The grading folders, and the kernel's, go here: leftovers can be found.
	sub := filepath.Join(dir, "hangs.ipynb")
	studentFixture(t).solve(t).add(t, "setup", "func init() {\n\tfor {\n\t}\n}\n").write(t, sub)
	for _, sandbox := range []SandboxMode{SandboxAuto, SandboxOff} {
		out := filepath.Join(dir, "grades-"+sandbox.String())
		g := kernelGrader(t, solution)
		g.Sandbox = sandbox
		g.Limits.Cell, g.Limits.Notebook = 4*time.Second, 15*time.Second
		gradeInto(t, g, out, sub)
		r := readResult(t, out, "hangs")
		if r.Score != 0 {
			t.Errorf("sandbox %s: score %v", sandbox, r.Score)
		}
		stopped, notRun := false, 0
		for _, p := range r.Problems {
			stopped = stopped || strings.Contains(p, "grading stopped early: the time for the whole notebook ran out")
		}
		for _, c := range r.Checks {
			if c.Status == "not run" && strings.Contains(c.Message, "time for the whole notebook ran out") {
				notRun++
			}
		}
		if !stopped || notRun == 0 {
			t.Errorf("sandbox %s: problems %q, checks %+v", sandbox, r.Problems, r.Checks)
		}
		if left := processesUsing(dir); len(left) > 0 {
			t.Errorf("sandbox %s: processes left behind: %q", sandbox, left)
		}
	}
}

// processesUsing lists the command lines of processes that mention dir, after a short wait for the
// ones that are ending.
func processesUsing(dir string) []string {
	var left []string
	for range 10 {
		left = nil
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, p := range procs {
			b, _ := os.ReadFile(p)
			cmd := strings.ReplaceAll(string(b), "\x00", " ")
			if strings.Contains(cmd, dir) && !strings.Contains(cmd, "-test.") {
				left = append(left, cmd)
			}
		}
		if len(left) == 0 {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return left
}

// TestGradeEveryAssignment grades, for each assignment, its solution notebook (full marks) and its
// student version (zero, each check saying the function is not done yet).
func TestGradeEveryAssignment(t *testing.T) {
	solutions, _ := filepath.Glob("../notebooks/assignments/*.ipynb")
	if len(solutions) < 2 {
		t.Fatalf("assignments: %v", solutions)
	}
	for _, sol := range solutions {
		name := strings.TrimSuffix(filepath.Base(sol), ".ipynb")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			b, _ := os.ReadFile(sol)
			student, err := assignment.StudentVersion(b)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "solution.ipynb"), b, 0o644)
			os.WriteFile(filepath.Join(dir, "student.ipynb"), student, 0o644)
			out := filepath.Join(dir, "grades")
			gradeInto(t, kernelGrader(t, sol), out, filepath.Join(dir, "solution.ipynb"), filepath.Join(dir, "student.ipynb"))
			r := readResult(t, out, "solution")
			if r.Score != r.MaxScore || r.MaxScore != 10 || len(r.Problems) > 0 {
				t.Errorf("solution: %v / %v, problems %q", r.Score, r.MaxScore, r.Problems)
			}
			r = readResult(t, out, "student")
			if r.Score != 0 {
				t.Errorf("student version: %v", r.Score)
			}
			for _, c := range r.Checks {
				if !strings.Contains(c.Message, "not done yet: replace this line with your code") {
					t.Errorf("student version, %s: %q", c.ID, c.Message)
				}
			}
		})
	}
}

// TestGradeWithoutSandboxPutsBackChangedFiles grades, without the sandbox, a submission that
// overwrites itself and the instructor's notebook: both are put back, and the report says so.
func TestGradeWithoutSandboxPutsBackChangedFiles(t *testing.T) {
	dir := t.TempDir()
	instructor := filepath.Join(dir, "a1-heads.ipynb")
	solBytes, _ := os.ReadFile(solution)
	os.WriteFile(instructor, solBytes, 0o644)
	sub := filepath.Join(dir, "vandal.ipynb")
	studentFixture(t).solve(t).
		add(t, "sigmoid", fmt.Sprintf("%%%%\nfor _, p := range []string{%q, %q} {\n\tos.WriteFile(p, []byte(\"gone\"), 0o644)\n}\n", instructor, sub)).
		write(t, sub)
	subBytes, _ := os.ReadFile(sub)
	out := filepath.Join(dir, "grades")
	g := kernelGrader(t, instructor)
	g.Sandbox = SandboxOff
	rep := gradeInto(t, g, out, sub)
	if slices.Sort(rep.Restored); !slices.Equal(rep.Restored, []string{instructor, sub}) {
		t.Errorf("put back %q, want the instructor's notebook and the submission", rep.Restored)
	}
	if b, _ := os.ReadFile(sub); string(b) != string(subBytes) {
		t.Error("the submission was not put back")
	}
	if b, _ := os.ReadFile(instructor); string(b) != string(solBytes) {
		t.Error("the instructor's notebook was not put back")
	}
	if r := readResult(t, out, "vandal"); r.Score != 10 || r.Sandboxed {
		t.Errorf("score %v, sandboxed %v", r.Score, r.Sandboxed)
	}
}

// TestGradeTooLargeOrMissingSubmissions grades a huge file and a missing one as empty, with a reason,
// and goes on with the others.
func TestGradeTooLargeOrMissingSubmissions(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.ipynb")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(100 << 20) // Sparse: takes no room on disk.
	f.Close()
	out := filepath.Join(dir, "grades")
	gradeInto(t, kernelGrader(t, solution), out, huge, filepath.Join(dir, "missing.ipynb"))
	for name, want := range map[string]string{"huge": "it is 100 MB, more than the 64 MB a notebook may have", "missing": "no such file or directory"} {
		r := readResult(t, out, name)
		if r.Score != 0 || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], want) {
			t.Errorf("%s: %v, %q; want %q", name, r.Score, r.Problems, want)
		}
	}
}
