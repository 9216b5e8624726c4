package lesson

import (
	"sync"

	"github.com/twoheads/twoheads/mlcore"
)

// Exercise checks for assignment 2: training both heads with mlcore and reading their answers.
// Training on the 8×8 digits takes a second or two, and is deterministic for a seed, so the checks
// train the reference themselves and compare exactly.

// referenceModel trains both heads on the digits split by seed with DigitsConfig and that seed (once
// per seed and process).
func referenceModel(seed int64) (mlcore.Split, *mlcore.Model) {
	references.Lock()
	defer references.Unlock()
	if r, ok := references.bySeed[seed]; ok {
		return r.split, r.m
	}
	split := Digits(seed)
	cfg := mlcore.DigitsConfig()
	cfg.Seed = seed
	m, _, err := mlcore.Train(split, cfg, nil)
	Must(err)
	references.bySeed[seed] = refModel{split, m}
	return split, m
}

type refModel struct {
	split mlcore.Split
	m     *mlcore.Model
}

// references remembers the reference models trained in this process, so that the checks of one cell
// train each seed once.
var references = struct {
	sync.Mutex
	bySeed map[int64]refModel
}{bySeed: map[int64]refModel{}}

// headPair is one value per head.
type headPair struct{ soft, sig float64 }

// comparePerHead calls a learner's function that trains both heads with seed and returns a value per
// head (within the training time limit), and returns that value of the reference model, with the reference's
// test-set evaluation; problem says why the call failed.
func comparePerHead(f func(seed int64) (float64, float64), seed int64, metric func(mlcore.Eval) float64) (got, want headPair, ev map[mlcore.Head]mlcore.Eval, problem string) {
	got, problem = tryWithin(cell.trainingTimeout, func() headPair { s, g := f(seed); return headPair{s, g} })
	if problem != "" {
		return
	}
	split, m := referenceModel(seed)
	ev = Evals(m, split.Test)
	return got, headPair{metric(ev[mlcore.Softmax]), metric(ev[mlcore.Sigmoid])}, ev, ""
}

// CheckTestAccuraciesExercise checks a learner's function that trains both heads on the digits split
// by seed (mlcore.DigitsSplit(seed, mlcore.DefaultTestFraction)), with mlcore.DigitsConfig() and
// cfg.Seed = seed, and returns each head's accuracy on the test set, as fractions.
func CheckTestAccuraciesExercise(accuracies func(seed int64) (softmax, sigmoid float64)) bool {
	const claim = "test accuracies of both heads, trained with DigitsConfig"
	for _, seed := range []int64{42, 7} {
		got, want, _, p := comparePerHead(accuracies, seed, func(e mlcore.Eval) float64 { return e.Accuracy })
		if p != "" {
			return unfinished(claim, p)
		}
		if isClose(got.soft, want.soft, 1e-6) && isClose(got.sig, want.sig, 1e-6) {
			continue
		}
		split, m := referenceModel(seed)
		train := Evals(m, split.Train)
		hint := ""
		switch {
		case got.soft > 1 || got.sig > 1:
			hint = ": return fractions in [0, 1], not percentages"
		case isClose(got.soft, want.sig, 1e-6) && isClose(got.sig, want.soft, 1e-6):
			hint = ": the two heads are swapped (softmax first, then sigmoid)"
		case isClose(got.soft, train[mlcore.Softmax].Accuracy, 1e-6):
			hint = ": that is the accuracy on the training set; evaluate on split.Test"
		case got.soft > 0.8 && got.sig > 0.8:
			hint = ": close, but not the same training; use mlcore.DigitsConfig() with cfg.Seed = seed, and the split of that seed"
		}
		return Check(claim, false, "seed %d: got softmax %.4f, sigmoid %.4f; want %.4f, %.4f%s", seed, got.soft, got.sig, want.soft, want.sig, hint)
	}
	return Check(claim, true, "")
}

// CheckAboveHalfExercise checks a learner's count of the threshold view of a head's outputs (10 per
// example, as mlcore.Model.Probabilities returns them): the fraction of examples with no output above
// 0.5, and the fraction with two or more.
func CheckAboveHalfExercise(aboveHalf func(probs []float32) (none, several float64)) bool {
	const claim = "fractions of examples with no output, and with several outputs, above 0.5"
	row := func(vals ...float32) []float32 {
		r := make([]float32, mlcore.NumClasses)
		copy(r, vals)
		return r
	}
	var probs []float32
	for _, r := range [][]float32{
		row(0.9, 0.1),         // one
		row(0.2, 0.3, 0.4),    // none
		row(0.6, 0.7, 0.1),    // several
		row(0.5, 0.5),         // none: 0.5 is not above 0.5
		row(0.1, 0.1, 0.9, 1), // several
		row(0.95),             // one
		row(),                 // none
		row(0.51, 0.49),       // one
	} {
		probs = append(probs, r...)
	}
	labels := make([]int32, len(probs)/mlcore.NumClasses)
	cases := [][]float32{probs, probs[:3*mlcore.NumClasses]}
	_, m := referenceModel(42)
	split := Digits(42)
	for _, h := range mlcore.Heads {
		real, err := m.Probabilities(h, split.Test)
		Must(err)
		cases = append(cases, real)
	}
	for _, c := range cases {
		type pair struct{ none, several float64 }
		got, p := try(func() pair { n, s := aboveHalf(append([]float32(nil), c...)); return pair{n, s} })
		if p != "" {
			return unfinished(claim, p)
		}
		ls := labels
		if len(ls) != len(c)/mlcore.NumClasses {
			ls = make([]int32, len(c)/mlcore.NumClasses)
		}
		ev := mlcore.Evaluate(mlcore.Sigmoid, c, ls)
		if isClose(got.none, ev.FracNone, 1e-9) && isClose(got.several, ev.FracSeveral, 1e-9) {
			continue
		}
		n := len(c) / mlcore.NumClasses
		hint := ""
		switch {
		case got.none > 1 || got.several > 1:
			hint = ": return fractions of the examples, not counts"
		case isClose(got.none*float64(mlcore.NumClasses), ev.FracNone, 1e-9):
			hint = ": divide by the number of examples (len(probs)/10), not the number of outputs"
		case got.none < ev.FracNone && len(c) == len(probs):
			hint = ": an output of exactly 0.5 is not above 0.5 (use >)"
		case got.several > ev.FracSeveral && len(c) == len(probs):
			hint = ": count examples with two or more outputs above 0.5, not outputs"
		}
		return Check(claim, false, "%d examples: got none %.4f, several %.4f; want %.4f, %.4f%s", n, got.none, got.several, ev.FracNone, ev.FracSeveral, hint)
	}
	return Check(claim, true, "")
}

// CheckNoneAboveHalfExercise checks a learner's function that trains both heads as in
// CheckTestAccuraciesExercise and returns, for each head, the fraction of test images with no output
// above 0.5 ("none of the above", had the head been read with a threshold).
func CheckNoneAboveHalfExercise(noneAbove func(seed int64) (softmax, sigmoid float64), seeds ...int64) bool {
	const claim = "fraction of test images with no output above 0.5, per head"
	if len(seeds) == 0 {
		seeds = []int64{42}
	}
	for _, seed := range seeds {
		got, want, ev, p := comparePerHead(noneAbove, seed, func(e mlcore.Eval) float64 { return e.FracNone })
		if p != "" {
			return unfinished(claim, p)
		}
		if isClose(got.soft, want.soft, 1e-9) && isClose(got.sig, want.sig, 1e-9) {
			continue
		}
		hint := ""
		switch {
		case isClose(got.soft, want.sig, 1e-9) && isClose(got.sig, want.soft, 1e-9):
			hint = ": the two heads are swapped"
		case isClose(got.soft, 1-ev[mlcore.Softmax].Accuracy, 1e-9) || isClose(got.sig, 1-ev[mlcore.Sigmoid].Accuracy, 1e-9):
			hint = ": that is the error rate of the argmax, not the share of images with no output above 0.5"
		}
		return Check(claim, false, "seed %d: got softmax %.4f, sigmoid %.4f; want %.4f, %.4f%s", seed, got.soft, got.sig, want.soft, want.sig, hint)
	}
	return Check(claim, true, "")
}

// CheckSoftmaxSeveralAnswer checks the answer to "can two softmax outputs both be above 0.5?".
func CheckSoftmaxSeveralAnswer(possible func() bool) bool {
	const claim = "two softmax outputs can never both be above 0.5"
	got, p := try(possible)
	if p != "" {
		return unfinished(claim, p)
	}
	return Check(claim, !got, "softmax outputs are positive and sum to 1: if two were above 0.5 their sum alone would exceed 1")
}

// CheckSigmoidSumAnswer checks the answer to "must the sigmoid head's ten outputs sum to 1?".
func CheckSigmoidSumAnswer(mustSumToOne func() bool) bool {
	const claim = "the sigmoid head's outputs need not sum to 1"
	got, p := try(mustSumToOne)
	if p != "" {
		return unfinished(claim, p)
	}
	return Check(claim, !got, "each σ(z_k) is its own yes/no probability, computed without looking at the other outputs; "+
		"nothing ties them together (compare Eval.MeanSum of the two heads)")
}
