package grading

import (
	"errors"
	"fmt"
	"time"
)

// Limits bound what one submission may use.
type Limits struct {
	Cell     time.Duration // Running time of one cell; the cell is interrupted after it.
	Notebook time.Duration // Running time of the whole notebook; cells not run by then score nothing.
	MemoryMB int           // Address space of each process (the kernel, go build, the cell's program).
	OutputKB int           // Output kept per cell; the rest is dropped with a note.
}

// DefaultLimits suit the assignments of this course: a cell builds and runs a Go program in 1–3 s.
func DefaultLimits() Limits {
	return Limits{Cell: 60 * time.Second, Notebook: 5 * time.Minute, MemoryMB: 4096, OutputKB: 64}
}

// MinMemoryMB is the smallest memory limit: below it the kernel and go build cannot start.
const MinMemoryMB = 256

// Validate says why limits cannot grade anything (nil if they can).
func (l Limits) Validate() error {
	if l.Cell <= 0 || l.Notebook <= 0 || l.OutputKB < 1 {
		return errors.New("the limits must be positive")
	}
	if l.MemoryMB < MinMemoryMB {
		return fmt.Errorf("the memory limit must be at least %d MB", MinMemoryMB)
	}
	return nil
}

// MaxSubmissionBytes bounds the size of a submission file: a notebook of this course is a few hundred
// KB even with its outputs. GradeAll grades a larger one as not run, without reading it.
const MaxSubmissionBytes = 64 << 20
