package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Markers in the code cells of an assignment's solution notebook, the way nbgrader writes them (as Go
// comments): the code between BEGIN and END SOLUTION is replaced, in the student version, by StubCode;
// the code between BEGIN and END HIDDEN TESTS is removed.
const (
	beginSolution = "// BEGIN SOLUTION"
	endSolution   = "// END SOLUTION"
	beginHidden   = "// BEGIN HIDDEN TESTS"
	endHidden     = "// END HIDDEN TESTS"
	// StubCode compiles in any function and fails its check with a clear message.
	stubCode = `panic("not done yet: replace this line with your code")`
)

// runAssign is `twoheads assign`: it writes the student version of solution notebooks.
func runAssign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("twoheads assign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "where to write the student version (a file for one notebook, else a folder; required)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `twoheads assign writes the student version of assignment notebooks: the code between
%q and %q is replaced by a stub that compiles and fails its check,
the code between %q and %q is removed, and outputs are cleared.
The solution notebooks are never modified, and existing files are never overwritten.

Usage: twoheads assign -o OUT SOLUTION.ipynb...

`, beginSolution, endSolution, beginHidden, endHidden)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "twoheads assign: need -o OUT and at least one solution notebook (see -help)")
		return 2
	}
	for _, src := range fs.Args() {
		dst := *out
		if fs.NArg() > 1 || isDir(dst) {
			dst = filepath.Join(*out, filepath.Base(src))
		}
		if err := assignFile(src, dst); err != nil {
			fmt.Fprintf(stderr, "twoheads assign: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "student version of %s written to %s\n", src, dst)
	}
	return 0
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// assignFile writes the student version of the notebook src to dst, which must not exist.
func assignFile(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("%s already exists: choose another output or remove it first", dst)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	student, err := studentVersion(b)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(dst, student)
}

// studentVersion returns the student version of a notebook (JSON): solutions stubbed, hidden tests
// removed, outputs and execution counts cleared. Everything else (metadata, nbgrader's cell metadata)
// is kept as it is.
func studentVersion(notebook []byte) ([]byte, error) {
	var nb map[string]any
	if err := json.Unmarshal(notebook, &nb); err != nil {
		return nil, fmt.Errorf("not a notebook (invalid JSON): %w", err)
	}
	cells, ok := nb["cells"].([]any)
	if !ok {
		return nil, errors.New("not a notebook: no cells")
	}
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cell %d is not an object", i)
		}
		if cell["cell_type"] != "code" {
			continue
		}
		src, err := sourceText(cell["source"])
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		if src, err = replaceRegions(src, beginSolution, endSolution, stubCode); err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		if src, err = replaceRegions(src, beginHidden, endHidden, ""); err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		cell["source"] = src
		cell["outputs"] = []any{}
		cell["execution_count"] = nil
	}
	return json.MarshalIndent(nb, "", " ")
}

func sourceText(v any) (string, error) {
	switch s := v.(type) {
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
