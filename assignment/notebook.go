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

// NbgraderKey is the key of nbgrader's entry in a cell's metadata.
const NbgraderKey = "nbgrader"

// Grading is a cell's nbgrader metadata.
type Grading struct {
	ID       string  `json:"grade_id"`
	Solution bool    `json:"solution"`
	Grade    bool    `json:"grade"`
	Locked   bool    `json:"locked"`
	Points   float64 `json:"points"`
}

// FormatError says why bytes are not a notebook, in terms a student can act on.
type FormatError struct {
	// Reason is what is wrong: "invalid JSON" (then Offset says where), "it has no list of cells",
	// "cell 3 is not an object", …
	Reason string
	Offset int64 // The byte after which the JSON broke, for invalid JSON; -1 otherwise.
	Size   int   // The size of the file, in bytes.
	Err    error // What the JSON decoder said, if it said anything.
}

func (e *FormatError) Error() string { return "not a notebook: " + e.Problem() }

// Problem is the error without "not a notebook: ", e.g. "invalid JSON at byte 40 of 47 (unexpected
// end of JSON input)": what the grader tells a student about a file it cannot run.
func (e *FormatError) Problem() string {
	if e.Offset < 0 {
		return e.Reason
	}
	return fmt.Sprintf("%s at byte %d of %d (%v)", e.Reason, e.Offset, e.Size, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }

// ParseNotebook decodes a notebook. Its errors are *FormatError.
func ParseNotebook(b []byte) (*Notebook, error) {
	bad := func(reason string, err error) error {
		return &FormatError{Reason: reason, Offset: -1, Size: len(b), Err: err}
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &FormatError{Reason: "invalid JSON", Offset: se.Offset, Size: len(b), Err: err}
		}
		return nil, bad(err.Error(), err)
	}
	cells, ok := raw["cells"].([]any)
	if !ok {
		return nil, bad("it has no list of cells", nil)
	}
	nb := &Notebook{raw: raw}
	for i, c := range cells {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, bad(fmt.Sprintf("cell %d is not an object", i), nil)
		}
		if _, err := Text(m["source"]); err != nil {
			return nil, bad(fmt.Sprintf("cell %d: %v", i, err), nil)
		}
		nb.Cells = append(nb.Cells, &Cell{raw: m})
	}
	return nb, nil
}

// WithCells returns a notebook with nb's metadata (kernel, language, …) and the cells given.
func (nb *Notebook) WithCells(cells []*Cell) *Notebook { return &Notebook{raw: nb.raw, Cells: cells} }

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
func (c *Cell) Source() string { s, _ := Text(c.raw["source"]); return s }

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
	nbg, ok := c.Metadata(NbgraderKey)
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

// SetOutputs replaces the cell's outputs (decoded JSON objects, as nbformat writes them).
func (c *Cell) SetOutputs(outs []map[string]any) {
	list := make([]any, len(outs))
	for i, o := range outs {
		list[i] = o
	}
	c.raw["outputs"] = list
}

// ID is the cell's id (nbformat 4.5); ok is false when the cell has none.
func (c *Cell) ID() (id string, ok bool) {
	v, ok := c.raw["id"]
	id, _ = v.(string)
	return id, ok
}

// SetID sets the cell's id.
func (c *Cell) SetID(id string) { c.raw["id"] = id }

// Metadata returns one entry of the cell's metadata.
func (c *Cell) Metadata(key string) (any, bool) {
	meta, _ := c.raw["metadata"].(map[string]any)
	v, ok := meta[key]
	return v, ok
}

// SetMetadata sets one entry of the cell's metadata.
func (c *Cell) SetMetadata(key string, v any) {
	meta, ok := c.raw["metadata"].(map[string]any)
	if !ok {
		meta = map[string]any{}
		c.raw["metadata"] = meta
	}
	meta[key] = v
}

// DeleteMetadata removes one entry of the cell's metadata.
func (c *Cell) DeleteMetadata(key string) {
	meta, _ := c.raw["metadata"].(map[string]any)
	delete(meta, key)
}

// Text is a notebook's multiline string (a cell's source, a stream's text): a string or a list of
// strings.
func Text(v any) (string, error) {
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
