package grading

import "strings"

// Status is how a check (a test cell) ended. Its values are the strings results/NAME.json holds.
type Status string

const (
	StatusPassed  Status = "passed"  // Every check passed and the cell reached its end.
	StatusFailed  Status = "failed"  // A check failed, the code did not compile or panicked, or the cell ended early.
	StatusTimeout Status = "timeout" // Stopped at the cell's time limit.
	StatusNotRun  Status = "not run" // The notebook stopped (or could not run) before this cell.
)

// Result is the grade of one submission.
type Result struct {
	Student    string   `json:"student"`
	Assignment string   `json:"assignment"`
	Submission string   `json:"submission"`
	SHA256     string   `json:"sha256"`
	Score      float64  `json:"score"`
	MaxScore   float64  `json:"max_score"`
	Checks     []Check  `json:"checks"`
	Problems   []string `json:"problems,omitempty"` // About the submission as a whole, in the student's terms.
	Seconds    float64  `json:"seconds"`
	Sandboxed  bool     `json:"sandboxed"`

	// Executed is the graded notebook with its outputs (hidden tests included: for instructors only).
	Executed []byte `json:"-"`
	// Log is the end of what the kernel wrote to its log, for instructors.
	Log []byte `json:"-"`
}

// Check is the result of one test cell.
type Check struct {
	ID        string  `json:"grade_id"`
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
	Status    Status  `json:"status"`
	Message   string  `json:"message"` // One line: why it failed, in the student's terms.
	Output    string  `json:"output"`  // What the cell printed; never code of hidden tests.
	Seconds   float64 `json:"seconds"` // Running time of the cell (building its program included).
}

// check returns the check with grade_id id, adding it if the result has none.
func (r *Result) check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	r.Checks = append(r.Checks, Check{ID: id})
	return &r.Checks[len(r.Checks)-1]
}

// FirstProblem is the first line of the submission's first problem ("" if it has none): a hint for a
// one-line summary of the grade.
func (r *Result) FirstProblem() string {
	if len(r.Problems) == 0 {
		return ""
	}
	return firstLine(r.Problems[0])
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
