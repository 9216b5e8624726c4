package assignment

import (
	"fmt"
	"strings"
)

// Markers in the code cells of a solution notebook, the way nbgrader writes them, as Go comments.
const (
	BeginSolution = "// BEGIN SOLUTION"
	EndSolution   = "// END SOLUTION"
	BeginHidden   = "// BEGIN HIDDEN TESTS"
	EndHidden     = "// END HIDDEN TESTS"
	// Stub replaces each solution region in the student version: it compiles in any function and
	// fails its check with a clear message.
	Stub = `panic("not done yet: replace this line with your code")`
)

// StudentVersion returns the student version of a solution notebook (JSON): solution regions replaced
// by Stub, hidden tests removed, outputs and execution counts cleared. Everything else (metadata,
// nbgrader's cell metadata) is kept as it is.
func StudentVersion(solution []byte) ([]byte, error) {
	nb, err := ParseNotebook(solution)
	if err != nil {
		return nil, err
	}
	for i, c := range nb.Cells {
		if c.Type() != "code" {
			continue
		}
		src, err := StudentSource(c.Source())
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		c.SetSource(src)
		c.ClearOutputs()
	}
	return nb.Marshal()
}

// studentSource is the student version of one code cell's source.
func StudentSource(src string) (string, error) {
	src, err := replaceRegions(src, BeginSolution, EndSolution, Stub)
	if err != nil {
		return "", err
	}
	return replaceRegions(src, BeginHidden, EndHidden, "")
}

// hiddenLines returns the lines of src inside hidden-test regions (markers included), trimmed.
func HiddenLines(src string) []string {
	var lines []string
	in := false
	for _, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if strings.Contains(l, BeginHidden) {
			in = true
		}
		if in && t != "" {
			lines = append(lines, t)
		}
		if strings.Contains(l, EndHidden) {
			in = false
		}
	}
	return lines
}

// replaceRegions replaces every region from a line containing begin to a line containing end (both
// included) by repl, indented like the begin line; repl "" removes the region.
func replaceRegions(src, begin, end, repl string) (string, error) {
	lines := strings.SplitAfter(src, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		if !strings.Contains(lines[i], begin) {
			if strings.Contains(lines[i], end) {
				return "", fmt.Errorf("%q without %q before it", end, begin)
			}
			out = append(out, lines[i])
			continue
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		j := i + 1
		for j < len(lines) && !strings.Contains(lines[j], end) {
			if strings.Contains(lines[j], begin) {
				return "", fmt.Errorf("%q inside another %q region", begin, begin)
			}
			j++
		}
		if j == len(lines) {
			return "", fmt.Errorf("%q without %q", begin, end)
		}
		if repl != "" {
			nl := "\n"
			if !strings.HasSuffix(lines[j], "\n") {
				nl = ""
			}
			out = append(out, indent+repl+nl)
		}
		i = j
	}
	return strings.Join(out, ""), nil
}
