package assignment

import (
	"os"
	"strings"
	"testing"
)

func TestReplaceRegions(t *testing.T) {
	for src, want := range map[string]string{
		"a\n// BEGIN SOLUTION\nb\n":                             "without",
		"// END SOLUTION\n":                                     "without",
		"// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION": "inside another",
	} {
		if _, err := replaceRegions(src, BeginSolution, EndSolution, Stub); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", src, err, want)
		}
	}
	got, err := replaceRegions("func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}\n", BeginSolution, EndSolution, Stub)
	if err != nil || got != "func f() int {\n\t"+Stub+"\n}\n" {
		t.Errorf("replaceRegions: %q, %v", got, err)
	}
	got, err = replaceRegions("f()\n// BEGIN HIDDEN TESTS\ng()\n// END HIDDEN TESTS\nh()", BeginHidden, EndHidden, "")
	if err != nil || got != "f()\nh()" {
		t.Errorf("hidden tests: %q, %v", got, err)
	}
}

func TestStudentVersionKeepsEverythingElse(t *testing.T) {
	sol, err := os.ReadFile("../notebooks/assignments/a1-heads.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	b, err := StudentVersion(sol)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := ParseNotebook(sol)
	st, err := ParseNotebook(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Cells) != len(s.Cells) || st.Kernel() != "gonb" {
		t.Fatalf("%d cells (want %d), kernel %q", len(st.Cells), len(s.Cells), st.Kernel())
	}
	for i, c := range st.Cells {
		g, ok := c.Grading()
		g0, ok0 := s.Cells[i].Grading()
		if ok != ok0 || g != g0 {
			t.Errorf("cell %d: nbgrader metadata %+v, want %+v", i, g, g0)
		}
		if c.Type() == "markdown" && c.Source() != s.Cells[i].Source() {
			t.Errorf("cell %d: Markdown changed", i)
		}
		if strings.Contains(c.Source(), "HIDDEN") || len(HiddenLines(c.Source())) > 0 {
			t.Errorf("cell %d keeps hidden tests", i)
		}
	}
	if _, err := StudentVersion([]byte(`{"cells": 3}`)); err == nil || !strings.Contains(err.Error(), "no list of cells") {
		t.Errorf("cells not a list: %v", err)
	}
	if _, err := StudentVersion([]byte(`{"cells": [`)); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("truncated JSON: %v", err)
	}
}
