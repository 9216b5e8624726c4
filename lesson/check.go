package lesson

import (
	"fmt"
	"math"
	"os"
	"strings"
)

// Checks print one line each: "✓ claim" when it holds, or "✗ claim" followed by an explanation of
// what was found and a hint when it does not. A failed check ends the cell with exit status 1, so the
// notebook shows an error and a grader or a test run sees it.

// FailCell ends the current cell after a failed check. It is a variable so that Go tests of the
// checks can observe failures instead of exiting.
var FailCell = func() { os.Exit(1) }

// Check reports whether ok holds for claim; when it does not, explain (a fmt format with args) says
// what was found and what to look at.
func Check(claim string, ok bool, explain string, args ...any) bool {
	if ok {
		fmt.Printf("✓ %s\n", claim)
		return true
	}
	fmt.Printf("✗ %s\n  %s\n", claim, fmt.Sprintf(explain, args...))
	FailCell()
	return false
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
