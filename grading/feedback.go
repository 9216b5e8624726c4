package grading

import (
	"fmt"
	"strings"
)

// Feedback is the readable feedback of a grade (Markdown), for the student: the score, the problems
// with the notebook as a whole, and for each check its points, why it failed and what it printed.
func (r *Result) Feedback() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: feedback for %s\n\n", r.Assignment, r.Student)
	fmt.Fprintf(&b, "**Score: %s / %s**\n\n", FormatNumber(r.Score), FormatNumber(r.MaxScore))
	if len(r.Problems) > 0 {
		b.WriteString("About your notebook:\n\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
		b.WriteString("\n")
	}
	for _, c := range r.Checks {
		mark := "✗"
		if c.Status == StatusPassed {
			mark = "✓"
		}
		fmt.Fprintf(&b, "## %s %s: %s / %s\n\n", mark, c.ID, FormatNumber(c.Points), FormatNumber(c.MaxPoints))
		if c.Status != StatusPassed {
			fmt.Fprintf(&b, "%s\n\n", c.Message)
		}
		if out := strings.TrimSpace(c.Output); out != "" {
			lines := strings.Split(out, "\n")
			if len(lines) > feedbackLines {
				lines = append(lines[:feedbackLines], fmt.Sprintf("… (%d more lines)", len(lines)-feedbackLines))
			}
			fmt.Fprintf(&b, "What the check printed:\n\n```\n%s\n```\n\n", strings.ReplaceAll(strings.Join(lines, "\n"), "```", "'''"))
		}
	}
	return b.String()
}

// feedbackLines is how much of a check's output the feedback shows (a crash prints pages of stack).
const feedbackLines = 30

// FormatNumber writes points (or seconds) as feedback, grades.csv and the command show them: two
// decimals, none for whole numbers ("2.50", "10").
func FormatNumber(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00") }
