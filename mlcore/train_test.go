package mlcore

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// digitsRun trains the default digits configuration once per test binary and shares the result.
var digitsRun = sync.OnceValues(func() (*trained, error) {
	split, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		return nil, err
	}
	m, hist, err := Train(split, DigitsConfig(), nil)
	if err != nil {
		return nil, err
	}
	return &trained{split, m, hist}, nil
})

type trained struct {
	split Split
	m     *Model
	hist  *History
}

func mustDigits(t *testing.T) *trained {
	t.Helper()
	r, err := digitsRun()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestInitialWeightsAreTheSameForBothHeads(t *testing.T) {
	cfg := MNISTConfig()
	cfg.Hidden = []int{32, 16}
	store := model.NewStore()
	if err := initWeights(func(Head) *model.Store { return store }, cfg, 64); err != nil {
		t.Fatal(err)
	}
	n := 0
	for v := range store.IterVariables() {
		p := v.Path()
		if !strings.HasPrefix(p, "/softmax/") {
			continue
		}
		other := store.GetVariable("/sigmoid/" + strings.TrimPrefix(p, "/softmax/"))
		if other == nil {
			t.Fatalf("no sigmoid twin of %s", p)
		}
		a := tensors.MustCopyFlatData[float32](v.MustValue())
		b := tensors.MustCopyFlatData[float32](other.MustValue())
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs between the heads", p)
		}
		n++
	}
	if n != 6 { // 3 layers × (weights, biases)
		t.Errorf("found %d softmax variables, want 6", n)
	}
	// A different seed gives different weights.
	cfg2 := cfg
	cfg2.Seed++
	store2 := model.NewStore()
	_ = initWeights(func(Head) *model.Store { return store2 }, cfg2, 64)
	a := tensors.MustCopyFlatData[float32](store.GetVariable("/softmax/hidden0/dense/weights").MustValue())
	b := tensors.MustCopyFlatData[float32](store2.GetVariable("/softmax/hidden0/dense/weights").MustValue())
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 42 and 43 gave the same initial weights")
	}
}

func TestDigitsBothHeadsLearn(t *testing.T) {
	r := mustDigits(t)
	for _, h := range Heads {
		probs, err := r.m.Probabilities(h, r.split.Test)
		if err != nil {
			t.Fatal(err)
		}
		e := Evaluate(h, probs, r.split.Test.Labels)
		t.Logf("%s: accuracy %.4f, NLL %.4f, ECE %.4f, mean sum %.3f±%.3f, none %.3f, several %.3f",
			h, e.Accuracy, e.NLL, e.ECE, e.MeanSum, e.StdSum, e.FracNone, e.FracSeveral)
		if e.Accuracy < 0.95 {
			t.Errorf("%s head: test accuracy %.4f, want ≥ 0.95", h, e.Accuracy)
		}
		switch h {
		case Softmax:
			if e.StdSum > 1e-5 || math.Abs(e.MeanSum-1) > 1e-5 || e.FracSeveral != 0 {
				t.Errorf("softmax outputs must sum to 1 and never have two above 0.5: sum %.6f±%.6f, several %.4f", e.MeanSum, e.StdSum, e.FracSeveral)
			}
		case Sigmoid:
			if e.StdSum < 0.01 {
				t.Errorf("sigmoid output sums vary by only %.5f: do they get normalised?", e.StdSum)
			}
		}
	}
	if len(r.hist.Loss[Softmax]) != r.hist.Steps || len(r.hist.Eval[Sigmoid]) == 0 {
		t.Errorf("history: %d losses for %d steps, %d evaluations", len(r.hist.Loss[Softmax]), r.hist.Steps, len(r.hist.Eval[Sigmoid]))
	}
	first, last := r.hist.Loss[Sigmoid][0], r.hist.Loss[Sigmoid][r.hist.Steps-1]
	if !(last < first/3) {
		t.Errorf("sigmoid loss went from %v to %v: not learning", first, last)
	}
}

func TestTrainingIsDeterministic(t *testing.T) {
	r := mustDigits(t)
	cfg := DigitsConfig()
	m2, hist2, err := Train(r.split, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := r.m.WeightsDigest()
	d2, _ := m2.WeightsDigest()
	if d1 != d2 {
		t.Errorf("same seed, different weights: %s vs %s", d1, d2)
	}
	if !reflect.DeepEqual(r.hist.Loss, hist2.Loss) || !reflect.DeepEqual(r.hist.Eval, hist2.Eval) {
		t.Error("same seed, different loss curves")
	}
	cfg.Seed = 7
	cfg.Epochs = 2
	m3, _, err := Train(r.split, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d3, _ := m3.WeightsDigest(); d3 == d1 {
		t.Error("different seed and epochs gave the same weights")
	}
}

func TestProgressIsReported(t *testing.T) {
	split, _ := DigitsSplit(1, DefaultTestFraction)
	cfg := DigitsConfig()
	cfg.Epochs = 2
	cfg.EvalEvery = 5
	var steps, evals int
	_, hist, err := Train(split, cfg, func(p Progress) {
		steps++
		if p.Step != steps || p.TotalSteps != hist0(split, cfg) || len(p.Loss) != 2 {
			t.Fatalf("bad progress %+v", p)
		}
		if p.Eval != nil {
			evals++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if steps != hist.Steps || evals != 4 { // steps 5, 10, 15, 20 (last)
		t.Errorf("%d progress calls with %d evaluations, want %d and 4", steps, evals, hist.Steps)
	}
}

func hist0(s Split, c Config) int { return s.Train.Len() / c.BatchSize * c.Epochs }

func TestSaveLoadAndCache(t *testing.T) {
	r := mustDigits(t)
	dir := filepath.Join(t.TempDir(), "model")
	if err := r.m.Save(dir, r.hist); err != nil {
		t.Fatal(err)
	}
	if err := r.m.Save(dir, r.hist); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("saving over an existing directory: err = %v, want 'already exists'", err)
	}
	m2, hist2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range Heads {
		a, _ := r.m.Probabilities(h, r.split.Test)
		b, err := m2.Probabilities(h, r.split.Test)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s outputs differ after save and load", h)
		}
	}
	if hist2 == nil || hist2.Steps != r.hist.Steps {
		t.Error("history not restored")
	}
	d1, _ := r.m.WeightsDigest()
	d2, _ := m2.WeightsDigest()
	if d1 != d2 {
		t.Error("weights digest changed after save and load")
	}

	// Damaged or foreign directories give clear errors.
	if _, _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a saved model") {
		t.Errorf("loading an empty dir: %v", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, metaFile), []byte("{not json"), 0o644)
	if _, _, err := Load(bad); err == nil || !strings.Contains(err.Error(), metaFile) {
		t.Errorf("loading a corrupt %s: %v", metaFile, err)
	}

	// TrainOrLoad: the first call trains, the second loads the same model.
	cache := t.TempDir()
	cfg := DigitsConfig()
	cfg.Epochs = 3
	m3, _, loaded, err := TrainOrLoad(cache, r.split, cfg, nil)
	if err != nil || loaded {
		t.Fatalf("first TrainOrLoad: loaded=%v err=%v", loaded, err)
	}
	m4, h4, loaded, err := TrainOrLoad(cache, r.split, cfg, nil)
	if err != nil || !loaded || h4 == nil {
		t.Fatalf("second TrainOrLoad: loaded=%v err=%v", loaded, err)
	}
	d3, _ := m3.WeightsDigest()
	d4, _ := m4.WeightsDigest()
	if d3 != d4 {
		t.Error("cached model differs from the trained one")
	}
	cfg.Seed++
	if _, _, loaded, _ := TrainOrLoad(cache, r.split, cfg, nil); loaded {
		t.Error("a different seed loaded the cached model")
	}
}

func TestBadInputIsRejected(t *testing.T) {
	split, _ := DigitsSplit(1, DefaultTestFraction)
	for name, mutate := range map[string]func(*Config){
		"no heads":       func(c *Config) { c.Heads = nil },
		"zero epochs":    func(c *Config) { c.Epochs = 0 },
		"negative width": func(c *Config) { c.Hidden = []int{-3} },
		"NaN rate":       func(c *Config) { c.LearningRate = math.NaN() },
		"twice":          func(c *Config) { c.Heads = []Head{Sigmoid, Sigmoid} },
	} {
		cfg := DigitsConfig()
		mutate(&cfg)
		if _, _, err := Train(split, cfg, nil); err == nil {
			t.Errorf("%s: Train accepted %+v", name, cfg)
		}
	}
	nan := *split.Train
	nan.Images = append([]float32(nil), nan.Images...)
	nan.Images[100] = float32(math.NaN())
	if _, _, err := Train(Split{Train: &nan, Test: split.Test}, DigitsConfig(), nil); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN pixel: err = %v", err)
	}
	r := mustDigits(t)
	mn := &Dataset{Name: "wrong", Height: 28, Width: 28, Features: 784, Images: make([]float32, 784), Labels: []int32{1}}
	if _, err := r.m.Probabilities(Softmax, mn); err == nil || !strings.Contains(err.Error(), "784") {
		t.Errorf("28×28 input to an 8×8 model: err = %v", err)
	}
}

func TestStopEndsTrainingEarly(t *testing.T) {
	split, _ := DigitsSplit(3, DefaultTestFraction)
	cfg := DigitsConfig()
	cfg.EvalEvery = 10
	var last Progress
	m, hist, err := Train(split, cfg, func(p Progress) {
		last = p
		if p.Eval != nil && p.Eval[Softmax].Accuracy > 0.9 {
			time.Sleep(50 * time.Millisecond) // A slow progress display: the heads must still be waiting.
			p.Stop()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if hist.Steps != last.Step || hist.Steps >= last.TotalSteps || hist.Steps%10 != 0 {
		t.Fatalf("stopped at step %d of %d (last progress at %d)", hist.Steps, last.TotalSteps, last.Step)
	}
	probs, _ := m.Probabilities(Softmax, split.Test)
	if acc := Evaluate(Softmax, probs, split.Test.Labels).Accuracy; acc != last.Eval[Softmax].Accuracy {
		t.Errorf("model after Stop has accuracy %v, the evaluation said %v", acc, last.Eval[Softmax].Accuracy)
	}
	if last.EvalTime <= 0 || last.EvalTime >= last.Elapsed {
		t.Errorf("EvalTime %v, Elapsed %v", last.EvalTime, last.Elapsed)
	}
}
