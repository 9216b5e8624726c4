package grading

import (
	"encoding/csv"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// StudentIDs names each submission after what tells its path from the others': the file name without
// ".ipynb" for "class/alice.ipynb, class/bob.ipynb"; the student's folder for nbgrader's
// "submitted/alice/a1/a1.ipynb, submitted/bob/a1/a1.ipynb".
func StudentIDs(paths []string) []string {
	parts := make([][]string, len(paths))
	for i, p := range paths {
		p = filepath.ToSlash(filepath.Clean(p))
		parts[i] = strings.Split(strings.TrimSuffix(p, ".ipynb"), "/")
	}
	ids := make([]string, len(paths))
	if len(paths) == 1 {
		ids[0] = parts[0][len(parts[0])-1]
		return ids
	}
	prefix, suffix := len(parts[0]), len(parts[0])
	for _, p := range parts[1:] {
		prefix = min(prefix, common(parts[0], p, false))
		suffix = min(suffix, common(parts[0], p, true))
	}
	seen := map[string]int{}
	for i, p := range parts {
		end := len(p) - suffix
		if end <= prefix { // Identical paths, or one path inside another's name.
			end = len(p)
		}
		id := strings.Join(p[min(prefix, end-1):end], "_")
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "_" + strconv.Itoa(n) // The same file given twice: keep both results apart.
		}
		ids[i] = id
	}
	return ids
}

// common counts the elements a and b share at their start (or end).
func common(a, b []string, fromEnd bool) int {
	n := 0
	for n < len(a) && n < len(b) {
		x, y := a[n], b[n]
		if fromEnd {
			x, y = a[len(a)-1-n], b[len(b)-1-n]
		}
		if x != y {
			break
		}
		n++
	}
	return n
}

// WriteCSV writes the class's grades (grades.csv): one row per result, with student, score,
// max_score, the points of each test cell ids names, seconds and problems (joined with "; ").
func WriteCSV(w io.Writer, ids []string, results []*Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append(append([]string{"student", "score", "max_score"}, ids...), "seconds", "problems"))
	for _, r := range results {
		row := []string{r.Student, FormatNumber(r.Score), FormatNumber(r.MaxScore)}
		for _, id := range ids {
			v := ""
			for _, c := range r.Checks {
				if c.ID == id {
					v = FormatNumber(c.Points)
				}
			}
			row = append(row, v)
		}
		row = append(row, FormatNumber(r.Seconds), strings.Join(r.Problems, "; "))
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
