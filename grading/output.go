package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/twoheads/twoheads/internal/atomicfile"
)

// Output is the folder one grading run writes:
//
//	results/NAME.json       the Result, for programs
//	feedback/NAME.md        the feedback, for the student (never code of hidden tests)
//	instructor/NAME.ipynb   the graded notebook with its outputs, hidden tests included
//	instructor/NAME.log     the end of the kernel's log
//	grades.csv              one row per student, one column per check
//
// Each file is written whole (through a rename), as soon as it is known.
type Output struct {
	Dir string
}

// NewOutput makes dir the folder of a run: it is created if it does not exist, and refused if it holds
// files (grades are never overwritten).
func NewOutput(dir string) (*Output, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return &Output{Dir: dir}, os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: choose a new folder for the grades (nothing is overwritten)", dir)
	}
	return &Output{Dir: dir}, nil
}

// FeedbackDir is the folder of the students' feedback.
func (o *Output) FeedbackDir() string { return filepath.Join(o.Dir, "feedback") }

// GradesPath is the class's CSV file.
func (o *Output) GradesPath() string { return filepath.Join(o.Dir, "grades.csv") }

// WriteResult writes a student's JSON, feedback and the instructor's copy of the graded notebook and
// its log.
func (o *Output) WriteResult(r *Result) error {
	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	for dir, files := range map[string]map[string][]byte{
		"results":    {r.Student + ".json": append(j, '\n')},
		"feedback":   {r.Student + ".md": []byte(r.Feedback())},
		"instructor": {r.Student + ".ipynb": r.Executed, r.Student + ".log": r.Log},
	} {
		if err := os.MkdirAll(filepath.Join(o.Dir, dir), 0o755); err != nil {
			return err
		}
		for name, b := range files {
			if b == nil {
				continue
			}
			if err := atomicfile.WriteFile(filepath.Join(o.Dir, dir, name), b); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteGrades writes grades.csv (see WriteCSV), with a column for each of testIDs.
func (o *Output) WriteGrades(testIDs []string, results []*Result) error {
	var b bytes.Buffer
	if err := WriteCSV(&b, testIDs, results); err != nil {
		return err
	}
	return atomicfile.WriteFile(o.GradesPath(), b.Bytes())
}
