package mlcore

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestCacheKeyFollowsTheTrainingCode checks that every source file of the package is in the digest of
// the training code, and that an edit of any of them, or another module version, changes it.
func TestCacheKeyFollowsTheTrainingCode(t *testing.T) {
	onDisk, _ := filepath.Glob("*.go")
	var want []string
	for _, f := range onDisk {
		if !strings.HasSuffix(f, "_test.go") {
			want = append(want, f)
		}
	}
	embedded, _ := sourcesNames()
	if !slices.Equal(embedded, want) {
		t.Fatalf("embedded sources %v, want the package's files %v", embedded, want)
	}
	src := fstest.MapFS{}
	for _, f := range want {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src[f] = &fstest.MapFile{Data: b}
	}
	deps := buildDeps()
	base := codeDigest(src, deps)
	if base != trainingCode() {
		t.Error("the embedded sources differ from the files on disk")
	}
	edited := fstest.MapFS{}
	for k, v := range src {
		edited[k] = v
	}
	edited["train.go"] = &fstest.MapFile{Data: append(slices.Clone(src["train.go"].Data), "\n// An edit.\n"...)}
	if codeDigest(edited, deps) == base {
		t.Error("editing train.go did not change the digest")
	}
	edited = fstest.MapFS{"x_test.go": {Data: []byte("package mlcore")}}
	for k, v := range src {
		edited[k] = v
	}
	if codeDigest(edited, deps) != base {
		t.Error("a test file changed the digest")
	}
	if codeDigest(src, append(slices.Clone(deps), "github.com/gomlx/gomlx@v9.9.9")) == base {
		t.Error("another module version did not change the digest")
	}
}

func sourcesNames() ([]string, error) {
	entries, err := sources.ReadDir(".")
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			names = append(names, e.Name())
		}
	}
	return names, err
}

func TestHoldOut(t *testing.T) {
	split, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	held, err := split.HoldOut(0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if held.Test != split.Test || held.Validation == nil || held.Train.Len()+held.Validation.Len() != split.Train.Len() {
		t.Fatalf("train %d + validation %v != %d, or the test set changed", held.Train.Len(), held.Validation, split.Train.Len())
	}
	if held.Validation.Name != "digits/validation" || held.Train.Name != "digits/train" {
		t.Errorf("names %q, %q", held.Train.Name, held.Validation.Name)
	}
	var count [NumClasses]int
	for _, l := range held.Validation.Labels {
		count[l]++
	}
	for k, c := range count {
		if c < 25 || c > 30 { // 20% of about 135 per class.
			t.Errorf("class %d: %d validation examples, want a stratified ~27", k, c)
		}
	}
	again, _ := split.HoldOut(0.2, 7)
	if !slices.Equal(again.Validation.Labels, held.Validation.Labels) || !slices.Equal(again.Validation.Images, held.Validation.Images) {
		t.Error("the same seed gave another validation set")
	}
	// A data set with sets, including empty ones, holds out empty sets too.
	pairs := PairDigits(split.Train, 200, 1)
	sets, err := Concat("sets", pairs, NoneOfTheAbove(pairs, 100, 1))
	if err != nil {
		t.Fatal(err)
	}
	h, err := Split{Train: sets}.HoldOut(0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	for i := range h.Validation.Len() {
		if h.Validation.Set(i) == 0 {
			empty++
		}
	}
	if empty != 50 || h.Validation.Validate() != nil || h.Train.Validate() != nil {
		t.Errorf("%d empty sets held out of 100, want 50 (%v, %v)", empty, h.Validation.Validate(), h.Train.Validate())
	}
	if _, err := split.HoldOut(1, 1); err == nil {
		t.Error("holding out everything")
	}
}

// TestSoftmaxWithNone trains the three heads on digits and no-digit images: only the heads that can
// say "none" answer the blank images with the empty set, and the none head's class outputs sum to
// 1 − p(none).
func TestSoftmaxWithNone(t *testing.T) {
	split, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	build := func(d *Dataset, name string, n int, seed uint64) *Dataset {
		wide := SingleDigitsWide(d, int64(seed))
		s, err := Concat(name, wide, NoneOfTheAbove(PairDigits(d, n, int64(seed)), n, int64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	train, test := build(split.Train, "train", 400, 1), build(split.Test, "test", 150, 2)
	cfg := DigitsConfig()
	cfg.Heads = []Head{Softmax, Sigmoid, SoftmaxWithNone}
	cfg.Epochs = 15
	m, _, err := Train(Split{Train: train, Test: test}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	none := map[Head]float64{}
	for _, h := range cfg.Heads {
		probs, err := m.Probabilities(h, test)
		if err != nil {
			t.Fatal(err)
		}
		e := EvaluateSets(h, probs, test, 0.5)
		none[h] = e.NoneCorrect
		if math.IsNaN(e.Loss) || e.Loss <= 0 {
			t.Errorf("%s: set loss %v", h, e.Loss)
		}
	}
	if none[SoftmaxWithNone] < 0.9 || none[Sigmoid] < 0.9 {
		t.Errorf("share of blank images answered with the empty set: %v", none)
	}
	logits, err := m.Logits(SoftmaxWithNone, test)
	if err != nil || len(logits) != test.Len()*(NumClasses+1) {
		t.Fatalf("logits: %d values for %d examples (%v)", len(logits), test.Len(), err)
	}
	probs, _ := m.Probabilities(SoftmaxWithNone, test)
	for i := range 5 {
		z := make([]float64, NumClasses+1)
		for k := range z {
			z[k] = float64(logits[i*(NumClasses+1)+k])
		}
		host := SoftmaxWithNone.Outputs(z)
		for k, p := range host {
			if math.Abs(p-float64(probs[i*NumClasses+k])) > 1e-5 {
				t.Fatalf("example %d, class %d: host %v, graph %v", i, k, p, probs[i*NumClasses+k])
			}
		}
	}
	// Saved and loaded with its eleventh logit.
	dir := filepath.Join(t.TempDir(), "m")
	if err := m.Save(dir, nil); err != nil {
		t.Fatal(err)
	}
	m2, _, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := m.WeightsDigest()
	d2, _ := m2.WeightsDigest()
	if d1 != d2 {
		t.Error("the loaded model differs")
	}
}

// TestHeadTargetsWithNone checks the targets of the none head and label smoothing on a small batch.
func TestHeadTargetsWithNone(t *testing.T) {
	backend, err := Backend()
	if err != nil {
		t.Fatal(err)
	}
	y := tensors.FromFlatDataAndDimensions([]float32{
		0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	}, 3, NumClasses)
	run := func(f func(y *graph.Node) *graph.Node) []float32 {
		out, err := graph.MustNewExec(backend, f).Call(y)
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](out[0])
	}
	got := run(SoftmaxWithNone.Targets)
	want := []float32{
		0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0.5, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	}
	if !slices.Equal(got, want) {
		t.Errorf("none-head targets\n got %v\nwant %v", got, want)
	}
	smooth := run(func(y *graph.Node) *graph.Node { return Sigmoid.Smooth(y, 0.1) })
	if smooth[1] != 0.95 || math.Abs(float64(smooth[0])-0.05) > 1e-7 {
		t.Errorf("smoothed sigmoid targets start %v, want 0.05, 0.95", smooth[:2])
	}
	smooth = run(func(y *graph.Node) *graph.Node { return Softmax.Smooth(Softmax.Targets(y), 0.1) })
	if math.Abs(float64(smooth[1])-0.91) > 1e-6 || math.Abs(float64(smooth[0])-0.01) > 1e-7 {
		t.Errorf("smoothed softmax targets start %v, want 0.01, 0.91", smooth[:2])
	}
}

func TestLabelSmoothingTrainsLessConfidentHeads(t *testing.T) {
	split, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DigitsConfig()
	cfg.Epochs = 20
	plain, _, err := Train(split, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.LabelSmoothing = 0.2
	smooth, _, err := Train(split, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range Heads {
		p1, _ := plain.Probabilities(h, split.Test)
		p2, _ := smooth.Probabilities(h, split.Test)
		// Trained towards 0.82 (softmax) or 0.9 (sigmoid) instead of 1, the heads are less sure.
		if a, b := meanTop(p1), meanTop(p2); b > a-0.05 {
			t.Errorf("%s: mean largest output %.3f plain, %.3f smoothed by 0.2: want it lower by 0.05 or more", h, a, b)
		}
		if e := Evaluate(h, p2, split.Test.Labels); e.Accuracy < 0.93 {
			t.Errorf("%s: smoothed accuracy %.3f", h, e.Accuracy)
		}
	}
	cfg.LabelSmoothing = 1
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "label smoothing") {
		t.Errorf("smoothing 1: %v", err)
	}
}

// meanTop is the mean over the examples of the largest output.
func meanTop(probs []float32) float64 {
	var s float64
	for i := 0; i < len(probs); i += NumClasses {
		s += float64(slices.Max(probs[i : i+NumClasses]))
	}
	return s / float64(len(probs)/NumClasses)
}
