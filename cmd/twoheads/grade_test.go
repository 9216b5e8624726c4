package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/assignment"
)

// These tests run `twoheads grade` end to end, with the real GoNB kernel (installed by
// docker/setup.sh; without it they fail, they never skip). What grading does with each kind of
// submission is tested in package grading.

func TestGradeRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "old.csv"), []byte("keep me"), 0o644)
	badSource := filepath.Join(dir, "bad.ipynb")
	os.WriteFile(badSource, []byte(`{"cells": []}`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"grade", "-nosuch"}, "flag provided but not defined"},
		{[]string{"grade", "-o", dir, "x.ipynb"}, "need -source"},
		{[]string{"grade", "-source", solution, "x.ipynb"}, "need -source SOLUTION.ipynb, -o OUT"},
		{[]string{"grade", "-source", solution, "-o", dir}, "at least one submission"},
		{[]string{"grade", "-source", solution, "-o", dir, "-jobs", "0", "x.ipynb"}, "-jobs must be at least 1"},
		{[]string{"grade", "-source", solution, "-o", dir, "-memory-mb", "10", "x.ipynb"}, "-memory-mb at least 256"},
		{[]string{"grade", "-source", filepath.Join(dir, "none.ipynb"), "-o", dir, "x.ipynb"}, "no such file"},
		{[]string{"grade", "-source", badSource, "-o", dir, "x.ipynb"}, "no test cells with points"},
		{[]string{"grade", "-source", solution, "-o", full, "x.ipynb"}, "is not empty"},
		{[]string{"grade", "-source", solution, "-o", filepath.Join(dir, "new"), "-sandbox", "maybe", "x.ipynb"}, "unknown sandbox mode"},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(full, "old.csv")); string(b) != "keep me" {
		t.Error("an existing grades folder was changed")
	}
}

// TestGradeWritesTheGradesAndPutsBackChangedFiles grades, without the sandbox, the solution and a
// submission that overwrites itself and the instructor's notebook: the command writes the four kinds
// of files, puts both notebooks back, says so and exits with 1.
func TestGradeWritesTheGradesAndPutsBackChangedFiles(t *testing.T) {
	dir := t.TempDir()
	instructor := filepath.Join(dir, "a1-heads.ipynb")
	solBytes, _ := os.ReadFile(solution)
	os.WriteFile(instructor, solBytes, 0o644)
	alice, vandal := filepath.Join(dir, "alice.ipynb"), filepath.Join(dir, "vandal.ipynb")
	os.WriteFile(alice, solBytes, 0o644)
	nb, err := assignment.ParseNotebook(solBytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range nb.Cells {
		if g, ok := c.Grading(); ok && g.ID == "sigmoid" {
			c.SetSource(c.Source() + fmt.Sprintf("\n\nfunc init() {\n\tfor _, p := range []string{%q, %q} {\n"+
				"\t\tos.WriteFile(p, []byte(\"gone\"), 0o644)\n\t}\n}\n", instructor, vandal))
		}
	}
	vandalBytes, _ := nb.Marshal()
	os.WriteFile(vandal, vandalBytes, 0o644)

	out := filepath.Join(dir, "grades")
	code, stdout, stderr := runCmd(t, "grade", "-sandbox", "off", "-source", instructor, "-o", out, alice, vandal)
	t.Logf("%s\n%s", stdout, stderr)
	if code != 1 || !strings.Contains(stderr, "vandal.ipynb was changed while grading, and was put back") ||
		!strings.Contains(stderr, "a1-heads.ipynb was changed while grading, and was put back") ||
		strings.Contains(stderr, "alice.ipynb was changed") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"grading 2 submission(s) of a1-heads (10 points", "graded 2 submission(s) in", "grades.csv, feedback in"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if b, _ := os.ReadFile(vandal); string(b) != string(vandalBytes) {
		t.Error("the submission was not put back")
	}
	if b, _ := os.ReadFile(instructor); string(b) != string(solBytes) {
		t.Error("the instructor's notebook was not put back")
	}
	for _, f := range []string{"results/alice.json", "feedback/alice.md", "instructor/alice.ipynb", "instructor/alice.log",
		"results/vandal.json", "feedback/vandal.md", "instructor/vandal.ipynb", "instructor/vandal.log", "grades.csv"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	for _, row := range []string{"student,score,max_score,check-sigmoid,", "\nalice,10,10,", "\nvandal,10,10,"} {
		if !strings.Contains(string(csv), row) {
			t.Errorf("grades.csv lacks %q:\n%s", row, csv)
		}
	}
	if fb, _ := os.ReadFile(filepath.Join(out, "feedback", "alice.md")); !strings.Contains(string(fb), "**Score: 10 / 10**") {
		t.Errorf("feedback:\n%s", fb)
	}
}
