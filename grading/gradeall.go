package grading

import (
	"context"
	"fmt"
	"sync"
)

// Report is what GradeAll did.
type Report struct {
	Results []*Result // In the order of the submissions (nil for one not graded because grading failed).
	// Restored lists the files that changed while grading and were put back as they were: submissions,
	// and the instructor's notebook when the Grader was made by Open.
	Restored []string
}

// GradeAll grades a class: each submission file, jobs at a time, named by StudentIDs. Each result is
// written into out as soon as it is known, then given to progress (one call at a time; progress may be
// nil); grades.csv is written last. Files are read once, before grading; one that cannot be read (or is
// larger than MaxSubmissionBytes) is graded as not run. Afterwards every submission, and the
// instructor's notebook, that changed is put back (see Report.Restored).
//
// An error means grading itself failed (no kernel, no sandbox, ctx cancelled, a file not written): the
// other submissions are stopped. The Report is never nil: its Restored holds even then.
func (g *Grader) GradeAll(ctx context.Context, submissions []string, out *Output, jobs int, progress func(*Result)) (*Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ids := StudentIDs(submissions)
	protected := submissions
	if g.source != "" {
		protected = append([]string{g.source}, submissions...)
	}
	guard := newFileGuard(protected)
	rep := &Report{Results: make([]*Result, len(submissions))}

	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, max(1, jobs))
	var wg sync.WaitGroup
	for i, p := range submissions {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r, err := g.gradeFile(ctx, ids[i], p, guard)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			rep.Results[i] = r
			if err := out.WriteResult(r); err != nil && firstErr == nil {
				firstErr = err
			}
			if progress != nil {
				progress(r)
			}
		})
	}
	wg.Wait()
	rep.Restored = guard.restore()
	if firstErr != nil {
		return rep, firstErr
	}
	return rep, out.WriteGrades(g.TestIDs(), rep.Results)
}

// gradeFile grades one submission as the guard read it; a file that could not be read is not run.
func (g *Grader) gradeFile(ctx context.Context, id, path string, guard *fileGuard) (*Result, error) {
	b, ok := guard.content(path)
	if !ok {
		return g.NotRun(id, path, fmt.Sprintf("your file could not be read (%s)", guard.readErr(path))), nil
	}
	return g.Grade(ctx, id, path, b)
}
