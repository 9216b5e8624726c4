package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/plots"
)

// defaultReport is the file name of the report when -report is not given.
const defaultReport = "twoheads-report.html"

// reportPath is where the report goes: -report as given; by default twoheads-report.html next to the
// -json file, or in the working directory. "" means no report.
func reportPath(o *options, fs *flag.FlagSet) string {
	fs.Visit(func(f *flag.Flag) { o.reportExplicit = o.reportExplicit || f.Name == "report" })
	if o.reportExplicit || o.report == "" || o.jsonPath == "" {
		return o.report
	}
	return filepath.Join(filepath.Dir(o.jsonPath), o.report)
}

// reportTitle names the run: heads, data, body and seed.
func reportTitle(o options, cfg mlcore.Config, split mlcore.Split) string {
	names := make([]string, len(cfg.Heads))
	for i, h := range cfg.Heads {
		names[i] = h.String()
	}
	return fmt.Sprintf("twoheads: %s on %s, body %s, seed %d", strings.Join(names, " and "), o.data,
		describeBody(split.Train.Features, cfg.Hidden), cfg.Seed)
}

// checkReport fails before training if the report cannot be drawn.
//
// When -report was not given, a missing library is not an error: the run goes on without a report and
// says so (the default run must work on a fresh clone, before npm ci). When it was given, it is an error.
func checkReport(o *options, stderr io.Writer) error {
	if o.report == "" {
		return nil
	}
	if _, err := plots.EchartsPath(); err != nil {
		if !o.reportExplicit {
			fmt.Fprintf(stderr, "note: no chart report this time: %v\n", err)
			o.report = ""
			return nil
		}
		return fmt.Errorf("cannot write the report %s: %w\n(-report \"\" runs without a report)", o.report, err)
	}
	return nil
}

// runReport is what the report draws: a run's test set, each head's outputs on it and their
// evaluations, and the training history.
type runReport struct {
	title string
	test  *mlcore.Dataset
	probs map[mlcore.Head][]float32
	evals []mlcore.Eval
	hist  *mlcore.History
}

// charts returns every chart of the run, in reading order: training, the decisions of the heads, then
// a few examples that show where they differ.
func (r runReport) charts() []plots.Chart {
	var cs []plots.Chart
	if r.hist != nil && r.hist.Steps > 0 {
		cs = append(cs, plots.Training(r.hist))
	}
	cs = append(cs, plots.AboveHalf(r.evals...), plots.OutputSums(r.evals...))
	for _, e := range r.evals {
		cs = append(cs, plots.Confusion(e))
	}
	cs = append(cs, plots.Reliability(r.evals...))
	for _, i := range r.examples() {
		cs = append(cs, plots.Example(r.test, i, r.probs))
	}
	return cs
}

// examples picks the test images worth a look: the first that the sigmoid head (or the only head)
// answers with no output above 0.5, the first with several, and the first the softmax head gets wrong;
// the first image if there is none of these.
func (r runReport) examples() []int {
	const k = mlcore.NumClasses
	e := r.evals[len(r.evals)-1] // Sigmoid when both heads ran.
	var picks []int
	for _, want := range []func(i int) bool{
		func(i int) bool { return len(mlcore.AboveHalf(r.probs[e.Head][i*k:(i+1)*k])) == 0 },
		func(i int) bool { return len(mlcore.AboveHalf(r.probs[e.Head][i*k:(i+1)*k])) > 1 },
		func(i int) bool { return r.evals[0].Pred[i] != int(r.test.Labels[i]) },
	} {
		for i := range r.test.Len() {
			if want(i) {
				if !contains(picks, i) {
					picks = append(picks, i)
				}
				break
			}
		}
	}
	if len(picks) == 0 && r.test.Len() > 0 {
		picks = append(picks, 0)
	}
	return picks
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// writeReport writes the charts of the run to path as one self-contained HTML page.
func writeReport(path string, r runReport) error {
	if err := plots.SavePage(path, r.title, r.charts()...); err != nil {
		return fmt.Errorf("writing the report %s: %w", path, err)
	}
	return nil
}
