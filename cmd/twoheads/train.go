package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twoheads/twoheads/internal/atomicfile"

	"github.com/twoheads/twoheads/mlcore"
)

// options are the flags of the main job.
type options struct {
	data     string
	hidden   string
	epochs   int
	seed     int64
	lr       float64
	batch    int
	smooth   float64
	jsonPath string
	mnistDir string
	download bool
	heads    string
	schedule string
	noBar    bool
	report   string
	// reportExplicit tells whether -report was given (then a report that cannot be written is an error).
	reportExplicit bool
}

func newFlagSet(o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("twoheads", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.data, "data", "digits", "data set: digits (8×8 UCI digits, embedded) or mnist (28×28)")
	d, m := mlcore.DigitsConfig(), mlcore.MNISTConfig()
	fs.StringVar(&o.hidden, "hidden", "", fmt.Sprintf("widths of the hidden ReLU layers, comma separated (\"none\": no hidden layer, i.e.\n"+
		"multinomial logistic regression); default %s for digits, %s for mnist", joinInts(d.Hidden), joinInts(m.Hidden)))
	fs.IntVar(&o.epochs, "epochs", 0, fmt.Sprintf("passes over the training set (default %d for digits, %d for mnist)", d.Epochs, m.Epochs))
	fs.Int64Var(&o.seed, "seed", 42, "seed of the initial weights, the batch order and the digits train/test split")
	fs.Float64Var(&o.lr, "lr", 0, fmt.Sprintf("Adam learning rate (default %g for digits, %g for mnist)", d.LearningRate, m.LearningRate))
	fs.StringVar(&o.schedule, "lr-schedule", "", fmt.Sprintf("learning rate schedule: constant, or cosine (decays to 0 over the run)\n(default %s for digits, %s for mnist)",
		scheduleName(d), scheduleName(m)))
	fs.IntVar(&o.batch, "batch", 128, "examples per training step")
	fs.StringVar(&o.heads, "heads", "softmax,sigmoid", "heads to train, comma separated: softmax, sigmoid, softmax+none (a softmax with an\neleventh \"none\" class)")
	fs.Float64Var(&o.smooth, "label-smoothing", 0, "train on (1 − ε)·target + ε·uniform instead of the target (0: no smoothing)")
	fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file")
	fs.StringVar(&o.mnistDir, "mnist-dir", "", "directory with the four MNIST IDX files (.gz or raw); default: $"+
		"TWOHEADS_MNIST_DIR,\nthe GoMNIST module in the Go module cache, then the user cache directory")
	fs.BoolVar(&o.download, "download", false, "with -data mnist: download MNIST into the user cache directory if it is not found")
	fs.BoolVar(&o.noBar, "no-progress", false, "no progress bar, even on a terminal")
	fs.StringVar(&o.report, "report", defaultReport, "write the charts of the run to this self-contained HTML page (\"\": no report);\n"+
		"by default next to the -json file, or in the working directory")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `twoheads trains a softmax head and a sigmoid head on the same body, data and initial
weights, and prints how they compare on the test set.

Usage: twoheads [flags]

Flags:
`)
		fs.PrintDefaults()
	}
	return fs
}

// headResult is one item of the JSON "heads" array.
type headResult struct {
	Head                 string  `json:"head"`
	TestAccuracy         float64 `json:"test_accuracy"`
	TestNLL              float64 `json:"test_nll"`
	ECE                  float64 `json:"ece"`
	MeanOutputSum        float64 `json:"mean_output_sum"`
	StdOutputSum         float64 `json:"std_output_sum"`
	FracNoneAboveHalf    float64 `json:"frac_none_above_half"`
	FracSeveralAboveHalf float64 `json:"frac_several_above_half"`
	TrainSeconds         float64 `json:"train_seconds"`
	Steps                int     `json:"steps"`
}

// results is the JSON document written by -json.
type results struct {
	Data        string        `json:"data"`
	Seed        int64         `json:"seed"`
	Config      mlcore.Config `json:"config"`
	TrainSize   int           `json:"train_size"`
	TestSize    int           `json:"test_size"`
	StepsPerSec float64       `json:"steps_per_sec"`
	SIMD        bool          `json:"simd"`
	Heads       []headResult  `json:"heads"`
}

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "assign" {
		return runAssign(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "grade" {
		return runGrade(args[1:], stdout, stderr)
	}
	var o options
	fs := newFlagSet(&o, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // The flag package already printed the reason and the usage.
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "twoheads: unexpected argument %q (see -help)\n", fs.Arg(0))
		return 2
	}
	cfg, err := o.config()
	if err != nil {
		fmt.Fprintf(stderr, "twoheads: %v\n", err)
		return 2
	}
	o.report = reportPath(&o, fs)
	if err := trainAndReport(o, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "twoheads: %v\n", err)
		return 1
	}
	return 0
}

// config turns the flags into a training configuration, rejecting bad values with a reason.
func (o options) config() (mlcore.Config, error) {
	var cfg mlcore.Config
	switch o.data {
	case "digits":
		cfg = mlcore.DigitsConfig()
	case "mnist":
		cfg = mlcore.MNISTConfig()
	default:
		return cfg, fmt.Errorf("-data %q: want digits or mnist", o.data)
	}
	if o.hidden != "" {
		h, err := parseHidden(o.hidden)
		if err != nil {
			return cfg, err
		}
		cfg.Hidden = h
	}
	if o.epochs != 0 {
		cfg.Epochs = o.epochs
	}
	if o.lr != 0 {
		cfg.LearningRate = o.lr
	}
	switch o.schedule {
	case "":
	case "constant":
		cfg.CosineDecay = false
	case "cosine":
		cfg.CosineDecay = true
	default:
		return cfg, fmt.Errorf("-lr-schedule %q: want constant or cosine", o.schedule)
	}
	cfg.BatchSize = o.batch
	cfg.LabelSmoothing = o.smooth
	cfg.Seed = o.seed
	cfg.Heads = nil
	for _, s := range strings.Split(o.heads, ",") {
		h, err := mlcore.ParseHead(s)
		if err != nil {
			return cfg, fmt.Errorf("-heads: %v", err)
		}
		cfg.Heads = append(cfg.Heads, h)
	}
	if err := cfg.Validate(); err != nil {
		if ce, ok := errors.AsType[*mlcore.ConfigError](err); ok {
			return cfg, errors.New(ce.Problem)
		}
		return cfg, err
	}
	if o.download && o.data != "mnist" {
		return cfg, errors.New("-download only applies to -data mnist")
	}
	return cfg, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func scheduleName(c mlcore.Config) string {
	if c.CosineDecay {
		return "cosine"
	}
	return "constant"
}

// parseHidden reads "64", "128,64" or "none".
func parseHidden(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "none" || s == "0" {
		return []int{}, nil
	}
	var ws []int
	for _, f := range strings.Split(s, ",") {
		w, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || w <= 0 {
			return nil, fmt.Errorf("-hidden %q: want positive widths separated by commas, or none", s)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

func loadData(o options, cfg mlcore.Config, stderr io.Writer) (mlcore.Split, error) {
	if o.data == "digits" {
		return mlcore.DigitsSplit(cfg.Seed, mlcore.DefaultTestFraction)
	}
	split, err := mlcore.LoadMNIST(o.mnistDir)
	if err == nil || !o.download {
		return split, err
	}
	dir, cerr := mlcore.DefaultMNISTDir()
	if cerr != nil {
		return split, cerr
	}
	fmt.Fprintf(stderr, "downloading MNIST into %s\n", dir)
	if derr := mlcore.DownloadMNIST(context.Background(), dir); derr != nil {
		return split, derr
	}
	return mlcore.LoadMNISTDir(dir)
}

func trainAndReport(o options, cfg mlcore.Config, stdout, stderr io.Writer) error {
	split, err := loadData(o, cfg, stderr)
	if err != nil {
		return err
	}
	if err := checkReport(&o, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d training and %d test images of %d×%d pixels\n",
		o.data, split.Train.Len(), split.Test.Len(), split.Train.Height, split.Train.Width)
	fmt.Fprintf(stdout, "body %s, heads %v, Adam lr %g (%s), batch %d, %d epochs, seed %d\n",
		describeBody(split.Train.Features, cfg.Hidden), cfg.Heads, cfg.LearningRate, scheduleName(cfg), cfg.BatchSize, cfg.Epochs, cfg.Seed)
	if o.data == "mnist" && !mlcore.SIMD {
		fmt.Fprintln(stderr, "note: built without GOEXPERIMENT=simd; MNIST trains about twice as fast with\n      GOEXPERIMENT=simd go run ./cmd/twoheads -data mnist")
	}

	var bar *progressBar
	if !o.noBar && isTerminal(stderr) {
		bar = newProgressBar(stderr)
	}
	if o.report == "" {
		cfg.EvalEvery = -1 // The final evaluation below is all the table needs; the report's curves evaluate every epoch.
	}
	m, hist, err := mlcore.Train(split, cfg, func(p mlcore.Progress) {
		if bar != nil {
			bar.update(p)
		}
	})
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}

	res := results{Data: o.data, Seed: cfg.Seed, Config: cfg, TrainSize: split.Train.Len(), TestSize: split.Test.Len(),
		StepsPerSec: hist.StepsPerSec, SIMD: mlcore.SIMD}
	var evals []mlcore.Eval
	allProbs := map[mlcore.Head][]float32{}
	for _, h := range cfg.Heads {
		probs, err := m.Probabilities(h, split.Test)
		if err != nil {
			return err
		}
		allProbs[h] = probs
		e := mlcore.Evaluate(h, probs, split.Test.Labels)
		evals = append(evals, e)
		res.Heads = append(res.Heads, headResult{
			Head: h.String(), TestAccuracy: e.Accuracy, TestNLL: e.NLL, ECE: e.ECE,
			MeanOutputSum: e.MeanSum, StdOutputSum: e.StdSum,
			FracNoneAboveHalf: e.FracNone, FracSeveralAboveHalf: e.FracSeveral,
			TrainSeconds: hist.TrainSeconds, Steps: hist.Steps,
		})
	}
	printTable(stdout, evals, hist)
	if o.jsonPath != "" {
		if err := writeJSON(o.jsonPath, res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "results written to %s\n", o.jsonPath)
	}
	if o.report != "" {
		if err := writeReport(o.report, runReport{reportTitle(o, cfg, split), split.Test, allProbs, evals, hist}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "report written to %s\n", o.report)
	}
	return nil
}

func describeBody(features int, hidden []int) string {
	parts := []string{strconv.Itoa(features)}
	for _, w := range hidden {
		parts = append(parts, strconv.Itoa(w))
	}
	parts = append(parts, strconv.Itoa(mlcore.NumClasses))
	s := strings.Join(parts, "→")
	if len(hidden) == 0 {
		s += " (no hidden layer: multinomial logistic regression)"
	}
	return s
}

func printTable(w io.Writer, evals []mlcore.Eval, hist *mlcore.History) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	// The first cell is padded by hand, so names stay left-aligned while numbers align right.
	row := func(name string, f func(e mlcore.Eval) string) {
		fmt.Fprintf(tw, "%-16s\t", name)
		for _, e := range evals {
			fmt.Fprintf(tw, "%s\t", f(e))
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintln(w)
	row("", func(e mlcore.Eval) string { return e.Head.String() })
	row("test accuracy", func(e mlcore.Eval) string { return fmt.Sprintf("%.2f%%", 100*e.Accuracy) })
	row("test NLL", func(e mlcore.Eval) string { return fmt.Sprintf("%.4f", e.NLL) })
	row("ECE", func(e mlcore.Eval) string { return fmt.Sprintf("%.4f", e.ECE) })
	row("mean output sum", func(e mlcore.Eval) string { return fmt.Sprintf("%.3f ± %.3f", e.MeanSum, e.StdSum) })
	row("none > 0.5", func(e mlcore.Eval) string { return fmt.Sprintf("%.1f%%", 100*e.FracNone) })
	row("several > 0.5", func(e mlcore.Eval) string { return fmt.Sprintf("%.1f%%", 100*e.FracSeveral) })
	row("training time", func(mlcore.Eval) string { return fmt.Sprintf("%.1fs", hist.TrainSeconds) })
	tw.Flush()
	together := "the time is for both"
	if len(evals) != 2 {
		together = fmt.Sprintf("the time is for the %d together", len(evals))
	}
	fmt.Fprintf(w, "\nThe heads trained side by side (%d steps each, %.0f steps/s); %s.\n", hist.Steps, hist.StepsPerSec, together)
	fmt.Fprintln(w, "NLL is each head's own likelihood: one categorical variable for softmax, ten yes/no variables for sigmoid.")
}

// writeJSON writes v to path through a temporary file, so a failure never leaves half a file behind.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// isTerminal reports whether w is a character device (a terminal), not a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line, redrawn in place: a bar, the step, the losses (mlcore.Progress.Status)
// and the time left.
type progressBar struct {
	w    io.Writer
	last time.Time
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w} }

func (b *progressBar) update(p mlcore.Progress) {
	if p.Step != p.TotalSteps && time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last = time.Now()
	const width = 30
	done := width * p.Step / max(p.TotalSteps, 1)
	fmt.Fprintf(b.w, "\r[%s%s] %s, %s left\x1b[K",
		strings.Repeat("=", done), strings.Repeat(" ", width-done), p.Status(), p.Left().Round(time.Second))
}

func (b *progressBar) finish() { fmt.Fprint(b.w, "\r\x1b[K") }
