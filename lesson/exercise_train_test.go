package lesson

import (
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/mlcore"
)

// Reference solutions of assignment 2, written as a learner would with mlcore.

func testAccuracies(seed int64) (float64, float64) {
	split, m := referenceModel(seed)
	ev := Evals(m, split.Test)
	return ev[mlcore.Softmax].Accuracy, ev[mlcore.Sigmoid].Accuracy
}

func aboveHalf(probs []float32) (none, several float64) {
	n := len(probs) / mlcore.NumClasses
	for i := range n {
		above := 0
		for _, p := range probs[i*mlcore.NumClasses : (i+1)*mlcore.NumClasses] {
			if p > 0.5 {
				above++
			}
		}
		if above == 0 {
			none++
		} else if above > 1 {
			several++
		}
	}
	return none / float64(n), several / float64(n)
}

func TestTrainingExercisesAcceptTheReference(t *testing.T) {
	for name, f := range map[string]func() bool{
		"accuracies": func() bool { return CheckTestAccuraciesExercise(testAccuracies) },
		"above half": func() bool { return CheckAboveHalfExercise(aboveHalf) },
		"none above": func() bool {
			return CheckNoneAboveHalfExercise(func(seed int64) (float64, float64) {
				split, m := referenceModel(seed)
				var r [2]float64
				for i, h := range mlcore.Heads {
					p, err := m.Probabilities(h, split.Test)
					if err != nil {
						t.Fatal(err)
					}
					r[i], _ = aboveHalf(p)
				}
				return r[0], r[1]
			}, 42, 7)
		},
		"softmax several": func() bool { return CheckSoftmaxSeveralAnswer(func() bool { return false }) },
		"sigmoid sum":     func() bool { return CheckSigmoidSumAnswer(func() bool { return false }) },
	} {
		if out, failed := exercise(t, f); failed || !strings.HasPrefix(out, "✓ ") {
			t.Errorf("%s: the reference failed its own check: %s", name, out)
		}
	}
}

func TestTrainingExerciseHints(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func() bool
		hint string
	}{
		{"percent", func() bool {
			return CheckTestAccuraciesExercise(func(s int64) (float64, float64) { a, b := testAccuracies(s); return 100 * a, 100 * b })
		}, "not percentages"},
		{"swapped", func() bool {
			return CheckTestAccuraciesExercise(func(s int64) (float64, float64) { a, b := testAccuracies(s); return b, a })
		}, "swapped"},
		{"training set", func() bool {
			return CheckTestAccuraciesExercise(func(s int64) (float64, float64) {
				split, m := referenceModel(s)
				ev := Evals(m, split.Train)
				return ev[mlcore.Softmax].Accuracy, ev[mlcore.Sigmoid].Accuracy
			})
		}, "accuracy on the training set"},
		{"other seed", func() bool {
			return CheckTestAccuraciesExercise(func(s int64) (float64, float64) { return testAccuracies(s + 1) })
		}, "not the same training"},
		{">= 0.5", func() bool {
			return CheckAboveHalfExercise(func(probs []float32) (float64, float64) {
				shifted := make([]float32, len(probs))
				for i, p := range probs {
					shifted[i] = p
					if p == 0.5 {
						shifted[i] = 0.50001
					}
				}
				return aboveHalf(shifted)
			})
		}, "exactly 0.5 is not above 0.5"},
		{"counts", func() bool {
			return CheckAboveHalfExercise(func(probs []float32) (float64, float64) {
				n, s := aboveHalf(probs)
				k := float64(len(probs) / mlcore.NumClasses)
				return n * k, s * k
			})
		}, "not counts"},
		{"per output", func() bool {
			return CheckAboveHalfExercise(func(probs []float32) (float64, float64) {
				n, s := aboveHalf(probs)
				return n / mlcore.NumClasses, s / mlcore.NumClasses
			})
		}, "not the number of outputs"},
		{"error rate", func() bool {
			return CheckNoneAboveHalfExercise(func(s int64) (float64, float64) { a, b := testAccuracies(s); return 1 - a, 1 - b })
		}, "error rate of the argmax"},
		{"softmax several", func() bool { return CheckSoftmaxSeveralAnswer(func() bool { return true }) }, "their sum alone would exceed 1"},
		{"sigmoid sum", func() bool { return CheckSigmoidSumAnswer(func() bool { return true }) }, "nothing ties them together"},
		{"training never ends", func() bool {
			c := *cell
			c.trainingTimeout = 100 * time.Millisecond
			defer use(&c)()
			return CheckTestAccuraciesExercise(func(int64) (float64, float64) { select {} })
		}, "did not return within 100ms"},
	} {
		out, failed := exercise(t, tc.run)
		if !failed || !strings.Contains(out, tc.hint) {
			t.Errorf("%s: failed=%v, output %q lacks %q", tc.name, failed, out, tc.hint)
		}
	}
}
