package grading

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/twoheads/twoheads/assignment"
	"github.com/twoheads/twoheads/internal/gradeproto"
)

// score turns the runner's results into points, messages and outputs. It is the one place where a
// check's Status is decided: a test cell passes only if it ran without error and printed the run's
// token after gradeproto.DoneMarker (see merge).
func (g *Grader) score(r *Result, nb *assignment.Notebook, results map[int]cellResult, stop, token string) {
	marker := gradeproto.DoneMarker
	for i, c := range nb.Cells {
		gr, ok := c.Grading()
		if after, added := addedAfter(c); added {
			if res, ran := results[i]; ran && res.Status != ranOK {
				where := "at the top"
				if after != "" {
					where = fmt.Sprintf("after %q", after)
				}
				r.Problems = append(r.Problems, fmt.Sprintf("a cell you added %s %s", where, g.why(res, g.clean(outputText(res.Outputs)))))
			}
		}
		if !ok || c.Type() != "code" {
			continue
		}
		res, ran := results[i]
		text := g.clean(outputText(res.Outputs))
		passedMarker := false
		if lines := strings.Split(text, "\n"); ran {
			var kept []string
			for _, l := range lines {
				if strings.HasPrefix(l, marker) {
					passedMarker = passedMarker || strings.TrimSpace(l) == marker+token
					continue
				}
				kept = append(kept, l)
			}
			text = strings.Join(kept, "\n")
		}
		if !gr.IsTest() {
			// A student's own cell that fails is worth telling, though it earns nothing by itself.
			if gr.Solution && ran && res.Status != ranOK {
				r.Problems = append(r.Problems, fmt.Sprintf("your cell %q %s", gr.ID, g.why(res, text)))
			}
			continue
		}
		ch := r.check(gr.ID)
		ch.Output, ch.Seconds = text, res.Seconds
		switch {
		case !ran:
			ch.Status = StatusNotRun
			ch.Message = "not run: " + firstNonEmpty(stop, "the notebook stopped before this cell")
		case res.Status == ranOK && passedMarker:
			ch.Status, ch.Points, ch.Message = StatusPassed, ch.MaxPoints, "passed"
		case res.Status == ranTimeout:
			ch.Status = StatusTimeout
			ch.Message = fmt.Sprintf("stopped after %s, the time limit of a cell: is there a loop that never ends?", g.Limits.Cell)
		case res.Status == ranOK:
			ch.Status = StatusFailed
			ch.Message = "the cell ended before its checks finished: does your code call os.Exit, or end the program some other way?"
		default:
			ch.Status = StatusFailed
			ch.Message = g.why(res, text)
		}
		if ran && res.Truncated {
			ch.Message += fmt.Sprintf(" (the output was cut at %d KB)", g.Limits.OutputKB)
		}
		r.Score += ch.Points
	}
	for _, res := range results {
		if strings.Contains(strings.ToLower(outputText(res.Outputs)), "read-only file system") {
			r.Problems = append(r.Problems, "your code tried to write outside its own folder: grading does not allow it (read-only file system)")
			break
		}
	}
	if stop != "" {
		r.Problems = append(r.Problems, "grading stopped early: "+stop)
	}
}

var (
	outOfMemory = regexp.MustCompile(`(?i)out of memory|cannot allocate memory|MemoryError`)
	compileLine = regexp.MustCompile(`Cell\[\d+\]: Line \d+\s+\S+:\d+:\d+:\s*(.*)`)
)

// why explains, in one line, why a cell failed.
func (g *Grader) why(res cellResult, text string) string {
	switch {
	case res.Status == ranTimeout:
		return fmt.Sprintf("was stopped after %s, the time limit of a cell: is there a loop that never ends?", g.Limits.Cell)
	case outOfMemory.MatchString(text):
		return fmt.Sprintf("ran out of memory (the limit is %d MB per process): does it allocate without end?", g.Limits.MemoryMB)
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "✗ ") {
			// The check's claim and, on the next line, what was wrong.
			i := strings.Index(text, l)
			rest := strings.SplitN(text[i+len(l):], "\n", 3)
			if len(rest) > 1 && strings.HasPrefix(rest[1], "  ") && strings.TrimSpace(rest[1]) != "" {
				return strings.TrimPrefix(l, "✗ ") + ": " + strings.TrimSpace(rest[1])
			}
			return strings.TrimPrefix(l, "✗ ")
		}
	}
	if m := compileLine.FindStringSubmatch(text); m != nil {
		return "does not compile: " + m[1]
	}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return "failed: " + l
		}
	}
	return "failed"
}

var (
	exitStatus = regexp.MustCompile(`^(exit status \d+|\s*# gonb_[0-9a-f]+)$`)
	ansi       = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)
)

// clean removes terminal colours and every line that shows code of a hidden test.
func (g *Grader) clean(text string) string {
	text = ansi.ReplaceAllString(text, "")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !exitStatus.MatchString(l) { // GoNB's note that the program failed: the check said why.
			lines = append(lines, l)
		}
	}
	for i, l := range lines {
		for _, h := range append(g.hidden, g.hiddenIDs...) {
			if len(h) >= 4 && strings.Contains(l, h) {
				lines[i] = "[a line about a hidden test]"
				break
			}
		}
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
