package lesson

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// Checks print one line each: "✓ claim" when it holds, or "✗ claim" followed by an explanation of
// what was found and a hint when it does not. A failed check ends the cell with exit status 1, so the
// notebook shows an error and a grader or a test run sees it.

// checker is where checks print and what a failed one does, with the time limits of the learner's
// functions that exercise checks call. The cells of a notebook use cell; this package's tests use
// their own checker (see use in the tests), so that a failure is recorded instead of exiting.
type checker struct {
	out  io.Writer
	fail func() // Called after a failed check: it ends the cell.
	// timeout bounds each call of a learner's function; trainingTimeout a call that trains a model.
	timeout, trainingTimeout time.Duration
}

var cell = &checker{
	out:             os.Stdout,
	fail:            func() { os.Exit(1) },
	timeout:         5 * time.Second,
	trainingTimeout: 45 * time.Second,
}

// Check reports whether ok holds for claim; when it does not, explain (a fmt format with args) says
// what was found and what to look at.
func Check(claim string, ok bool, explain string, args ...any) bool {
	if ok {
		fmt.Fprintf(cell.out, "✓ %s\n", claim)
		return true
	}
	fmt.Fprintf(cell.out, "✗ %s\n  %s\n", claim, fmt.Sprintf(explain, args...))
	cell.fail()
	return false
}

// Must ends the cell with err's message if err is not nil.
func Must(err error) {
	if err != nil {
		fmt.Fprintln(cell.out, "error:", err)
		cell.fail()
	}
}

// CheckClose checks |got − want| ≤ tol·max(1, |want|) (a relative tolerance for large values).
func CheckClose(claim string, got, want, tol float64) bool {
	return Check(claim, isClose(got, want, tol), "got %s, want %s (tolerance %g)", fmtFloat(got), fmtFloat(want), tol)
}

// CheckAllClose checks that got and want have the same length and agree element by element as in
// CheckClose; the explanation names the first element that differs.
func CheckAllClose(claim string, got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return Check(claim, false, "got %d values, want %d", len(got), len(want))
	}
	for i := range got {
		if !isClose(got[i], want[i], tol) {
			return Check(claim, false, "element %d: got %s, want %s (tolerance %g)\n  got  %s\n  want %s",
				i, fmtFloat(got[i]), fmtFloat(want[i]), tol, fmtSlice(got), fmtSlice(want))
		}
	}
	return Check(claim, true, "")
}

func isClose(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return false
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func fmtFloat(v float64) string { return fmt.Sprintf("%.6g", v) }

func fmtSlice(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	return "[" + strings.Join(s, " ") + "]"
}
