package assignment

import (
	"errors"
	"strings"
	"testing"
)

func TestParseNotebookSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		src, problem string
		offset       int64
	}{
		{`{"cells": [{"cell_type": "code", "source": "x"`, "invalid JSON at byte 46 of 46 (unexpected end of JSON input)", 46},
		{`{"cells": 3}`, "it has no list of cells", -1},
		{`[1, 2]`, "json: cannot unmarshal array into Go value of type map[string]interface {}", -1},
		{`{"cells": [3]}`, "cell 0 is not an object", -1},
		{`{"cells": [{"source": [1]}]}`, "cell 0: source is not text", -1},
	} {
		_, err := ParseNotebook([]byte(tc.src))
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a *FormatError", tc.src, err)
			continue
		}
		if fe.Problem() != tc.problem || fe.Offset != tc.offset || fe.Size != len(tc.src) || err.Error() != "not a notebook: "+tc.problem {
			t.Errorf("%s: %q (offset %d, size %d), want %q at %d", tc.src, err, fe.Offset, fe.Size, tc.problem, tc.offset)
		}
	}
}

func TestCellEditsKeepTheNotebook(t *testing.T) {
	nb, err := ParseNotebook([]byte(`{"metadata": {"kernelspec": {"name": "gonb"}}, "nbformat": 4, "cells": [
		{"cell_type": "code", "id": "a", "source": ["x\n", "y"], "metadata": {"nbgrader": {"grade_id": "s", "solution": true}}, "outputs": []},
		{"cell_type": "markdown", "source": "hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := nb.Cells[0]
	if id, ok := c.ID(); !ok || id != "a" {
		t.Errorf("ID %q %v", id, ok)
	}
	if _, ok := nb.Cells[1].ID(); ok {
		t.Error("a cell without an id has one")
	}
	c.SetID("b")
	c.DeleteMetadata(NbgraderKey)
	c.SetMetadata("k", "v")
	nb.Cells[1].SetMetadata("k", "w") // A cell without metadata gets some.
	c.SetOutputs([]map[string]any{{"output_type": "stream", "name": "stdout", "text": "out"}})
	if _, ok := c.Grading(); ok {
		t.Error("nbgrader metadata not deleted")
	}
	if v, ok := nb.Cells[1].Metadata("k"); !ok || v != "w" {
		t.Errorf("metadata %v %v", v, ok)
	}
	out := nb.WithCells([]*Cell{c})
	b, err := out.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id": "b"`, `"k": "v"`, `"text": "out"`, `"name": "gonb"`, `"nbformat": 4`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), "markdown") || len(nb.Cells) != 2 {
		t.Errorf("WithCells: %s", b)
	}
	if s, err := Text([]any{"a\n", "b"}); s != "a\nb" || err != nil {
		t.Errorf("Text: %q %v", s, err)
	}
}
