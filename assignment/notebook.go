package assignment

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Notebook is a Jupyter notebook (nbformat 4) kept as decoded JSON, so that writing it back keeps every
// field this package does not know about.
type Notebook struct {
	raw   map[string]any
	Cells []*Cell
}

// Cell is one cell of a Notebook.
type Cell struct {
	raw map[string]any
}

// Grading is a cell's nbgrader metadata.
type Grading struct {
	ID       string  `json:"grade_id"`
	Solution bool    `json:"solution"`
	Grade    bool    `json:"grade"`
	Locked   bool    `json:"locked"`
	Points   float64 `json:"points"`
}

// ParseNotebook decodes a notebook, with errors that say what is wrong in a student's terms.
func ParseNotebook(b []byte) (*Notebook, error) {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not a notebook: invalid JSON at byte %d of %d (%v)", se.Offset, len(b), err)
		}
		return nil, fmt.Errorf("not a notebook: %v", err)
	}
	cells, ok := raw["cells"].([]any)
	if !ok {
		return nil, errors.New("not a notebook: it has no list of cells")
	}
	nb := &Notebook{raw: raw}
	for i, c := range cells {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("not a notebook: cell %d is not an object", i)
		}
		cell := &Cell{raw: m}
		if _, err := sourceText(m["source"]); err != nil {
			return nil, fmt.Errorf("not a notebook: cell %d: %w", i, err)
		}
		nb.Cells = append(nb.Cells, cell)
	}
	return nb, nil
}

// Marshal encodes the notebook as Jupyter writes it (one-space indentation).
func (nb *Notebook) Marshal() ([]byte, error) {
	cells := make([]any, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.raw
	}
	raw := make(map[string]any, len(nb.raw))
	for k, v := range nb.raw {
		raw[k] = v
	}
	raw["cells"] = cells
	b, err := json.MarshalIndent(raw, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Kernel is the name of the notebook's kernel (metadata.kernelspec.name), "" if it has none.
func (nb *Notebook) Kernel() string {
	meta, _ := nb.raw["metadata"].(map[string]any)
	ks, _ := meta["kernelspec"].(map[string]any)
	name, _ := ks["name"].(string)
	return name
}

// Type is the cell type: "code", "markdown" or "raw".
func (c *Cell) Type() string { t, _ := c.raw["cell_type"].(string); return t }

// Source is the cell's text.
func (c *Cell) Source() string { s, _ := sourceText(c.raw["source"]); return s }

// SetSource replaces the cell's text (stored as a list of lines, as Jupyter writes it).
func (c *Cell) SetSource(s string) {
	lines := []any{}
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	c.raw["source"] = lines
}

// ClearOutputs removes a code cell's outputs and execution count.
func (c *Cell) ClearOutputs() {
	if c.Type() == "code" {
		c.raw["outputs"] = []any{}
		c.raw["execution_count"] = nil
	}
}

// Grading returns the cell's nbgrader metadata, and false if it has none (or no grade_id).
func (c *Cell) Grading() (Grading, bool) {
	meta, _ := c.raw["metadata"].(map[string]any)
	nbg, ok := meta["nbgrader"]
	if !ok {
		return Grading{}, false
	}
	b, err := json.Marshal(nbg)
	if err != nil {
		return Grading{}, false
	}
	var g Grading
	if json.Unmarshal(b, &g) != nil || g.ID == "" {
		return Grading{}, false
	}
	return g, true
}

// IsTest tells whether a cell is a grade cell holding tests (graded, not written by the student).
func (g Grading) IsTest() bool { return g.Grade && !g.Solution }

// Copy returns a deep copy of the cell.
func (c *Cell) Copy() *Cell {
	b, _ := json.Marshal(c.raw)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return &Cell{raw: m}
}

// Outputs returns the cell's outputs as decoded JSON objects.
func (c *Cell) Outputs() []map[string]any {
	list, _ := c.raw["outputs"].([]any)
	var outs []map[string]any
	for _, o := range list {
		if m, ok := o.(map[string]any); ok {
			outs = append(outs, m)
		}
	}
	return outs
}

func sourceText(v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	case []any:
		var b strings.Builder
		for _, line := range s {
			l, ok := line.(string)
			if !ok {
				return "", errors.New("source is not text")
			}
			b.WriteString(l)
		}
		return b.String(), nil
	}
	return "", errors.New("source is not text")
}
