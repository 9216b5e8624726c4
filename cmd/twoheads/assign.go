package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/twoheads/twoheads/internal/atomicfile"

	"github.com/twoheads/twoheads/assignment"
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

`, assignment.BeginSolution, assignment.EndSolution, assignment.BeginHidden, assignment.EndHidden)
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
	student, err := assignment.StudentVersion(b)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(dst, student)
}
