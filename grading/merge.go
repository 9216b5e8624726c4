package grading

import (
	"fmt"
	"strings"

	"github.com/twoheads/twoheads/assignment"
	"github.com/twoheads/twoheads/internal/gradeproto"
)

// merge builds the notebook that is graded for a submission: the instructor's notebook, in which each
// solution cell is replaced by the student's cell with the same grade_id, and the code cells a student
// added follow the cell they followed in the submission. Test cells, hidden tests and the set-up are
// the instructor's, whatever the submission holds; each test cell ends with gradeproto.DoneStatement,
// which proves that the cell ran to its end. The problems say what was restored or missing.
func merge(instructor, submission *assignment.Notebook) (*assignment.Notebook, []string) {
	var problems []string
	byID := map[string]*assignment.Cell{}
	known := map[string]bool{}
	for _, c := range instructor.Cells {
		if g, ok := c.Grading(); ok {
			known[g.ID] = true
		}
	}
	// Code cells a student added, keyed by the grade_id of the cell before them ("" at the top).
	added := map[string][]*assignment.Cell{}
	last := ""
	for _, c := range submission.Cells {
		g, ok := c.Grading()
		if ok && known[g.ID] {
			if byID[g.ID] != nil {
				problems = append(problems, fmt.Sprintf("your notebook has two cells %q: the first one was graded", g.ID))
				continue
			}
			byID[g.ID] = c
			last = g.ID
			continue
		}
		if c.Type() == "code" && strings.TrimSpace(c.Source()) != "" {
			added[last] = append(added[last], c)
		}
	}

	var cells []*assignment.Cell
	placedTop, n := false, 0
	for _, ic := range instructor.Cells {
		cell := ic.Copy()
		cell.ClearOutputs()
		g, ok := ic.Grading()
		if !ok {
			cells = append(cells, cell)
			continue
		}
		sc := byID[g.ID]
		switch {
		case g.Solution && sc != nil:
			cell.SetSource(sc.Source())
		case g.Solution:
			src, _ := assignment.StudentSource(ic.Source()) // The instructor's notebook was checked by NewGrader.
			cell.SetSource(src)
			problems = append(problems, fmt.Sprintf("your notebook has no cell %q (was it deleted?): it was graded as not done", g.ID))
		case sc == nil && ic.Type() == "code":
			problems = append(problems, fmt.Sprintf("the cell %q was missing from your notebook: the original was put back for grading", g.ID))
		case ic.Type() == "code":
			want, _ := assignment.StudentSource(ic.Source())
			if got := strings.TrimSpace(sc.Source()); got != strings.TrimSpace(want) && got != strings.TrimSpace(ic.Source()) {
				problems = append(problems, fmt.Sprintf("you changed the cell %q, which is not yours to edit: the original was used for grading", g.ID))
			}
		}
		if g.IsTest() && ic.Type() == "code" {
			cell.SetSource(strings.TrimRight(cell.Source(), "\n") + "\n" + gradeproto.DoneStatement + "\n")
		}
		cells = append(cells, cell)
		if !placedTop {
			cells = append(cells, copies(added[""], "", &n)...)
			placedTop = true
		}
		cells = append(cells, copies(added[g.ID], g.ID, &n)...)
	}
	return instructor.WithCells(cells), problems
}

// addedKey is the metadata that marks, in the graded notebook, the cells a student added.
const addedKey = "twoheads_added_after"

// copies returns copies of cells a student added after the cell after (a grade_id), as plain code
// cells without outputs or nbgrader metadata; n counts the copies, for their cell ids.
func copies(cells []*assignment.Cell, after string, n *int) []*assignment.Cell {
	var out []*assignment.Cell
	for _, c := range cells {
		cp := c.Copy()
		cp.ClearOutputs()
		cp.DeleteMetadata(assignment.NbgraderKey)
		cp.SetMetadata(addedKey, after)
		if _, ok := cp.ID(); ok { // Cell ids must be unique; a student's copy of a cell repeats one.
			*n++
			cp.SetID(fmt.Sprintf("twoheads-added-%d", *n))
		}
		out = append(out, cp)
	}
	return out
}

// addedAfter tells whether a cell of a graded notebook was added by the student, and after which cell.
func addedAfter(c *assignment.Cell) (string, bool) {
	v, _ := c.Metadata(addedKey)
	after, ok := v.(string)
	return after, ok
}
