package grading

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/twoheads/twoheads/internal/atomicfile"
)

// fileGuard holds the content of files that grading must not change (the submissions, the
// instructor's notebook), and puts back any that changed. In the sandbox nothing outside the run's
// folder can change; without it, the guard is what is left.
type fileGuard struct {
	files map[string][]byte
	errs  map[string]error // Why a file could not be read (too large, missing, …).
}

// newFileGuard reads the files; one larger than MaxSubmissionBytes is not read.
func newFileGuard(paths []string) *fileGuard {
	g := &fileGuard{files: map[string][]byte{}, errs: map[string]error{}}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() > MaxSubmissionBytes {
			g.errs[p] = fmt.Errorf("it is %d MB, more than the %d MB a notebook may have", fi.Size()>>20, MaxSubmissionBytes>>20)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			g.errs[p] = err
			continue
		}
		g.files[p] = b
	}
	return g
}

// content is the file's content as it was when the guard read it, and false if it could not be read.
func (g *fileGuard) content(p string) ([]byte, bool) { b, ok := g.files[p]; return b, ok }

// readErr says, in a student's terms, why the file could not be read.
func (g *fileGuard) readErr(p string) string {
	if err := g.errs[p]; err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			return pe.Err.Error()
		}
		return err.Error()
	}
	return "unknown error"
}

// restore puts back every file whose content changed, and returns their paths.
func (g *fileGuard) restore() []string {
	var changed []string
	for p, b := range g.files {
		now, err := os.ReadFile(p)
		if err == nil && bytes.Equal(now, b) {
			continue
		}
		changed = append(changed, p)
		_ = atomicfile.WriteFile(p, b)
	}
	return changed
}
