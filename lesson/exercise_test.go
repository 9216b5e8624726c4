package lesson

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/refmath"
)

// exercise runs a check and returns what it printed and whether it failed.
func exercise(t *testing.T, f func() bool) (string, bool) {
	t.Helper()
	var ok bool
	out, failed := capture(t, func() { ok = f() })
	if ok == failed {
		t.Fatalf("check returned %v but failed=%v", ok, failed)
	}
	return out, failed
}

func TestExerciseChecksAcceptTheReference(t *testing.T) {
	for name, f := range map[string]func() bool{
		"sigmoid":  func() bool { return CheckSigmoidExercise(refmath.Sigmoid) },
		"softmax":  func() bool { return CheckSoftmaxExercise(refmath.Softmax) },
		"ce":       func() bool { return CheckCrossEntropyExercise(refmath.CrossEntropy) },
		"grad":     func() bool { return CheckCrossEntropyGradExercise(refmath.CrossEntropyGrad) },
		"decision": func() bool { return CheckDecisionExercise(decideRef) },
	} {
		if out, failed := exercise(t, f); failed || !strings.HasPrefix(out, "✓ ") {
			t.Errorf("%s: the reference failed its own check: %s", name, out)
		}
	}
}

func decideRef(p []float64, threshold float64) []int {
	var ks []int
	for k, v := range p {
		if v > threshold {
			ks = append(ks, k)
		}
	}
	return ks
}

// TestExerciseHints feeds typical wrong answers and checks that each gets the specific hint.
func TestExerciseHints(t *testing.T) {
	defer use(&checker{out: cell.out, fail: cell.fail, timeout: 200 * time.Millisecond, trainingTimeout: cell.trainingTimeout})()
	for _, tc := range []struct {
		name string
		run  func() bool
		hint string
	}{
		{"naive sigmoid", func() bool {
			return CheckSigmoidExercise(func(z float64) float64 { return math.Exp(z) / (1 + math.Exp(z)) })
		},
			"your sigmoid overflows for large |z|"},
		{"flipped sigmoid", func() bool { return CheckSigmoidExercise(func(z float64) float64 { return refmath.Sigmoid(-z) }) },
			"the sign of z is flipped"},
		{"naive softmax", func() bool { return CheckSoftmaxExercise(refmath.NaiveSoftmax) }, "your softmax overflows"},
		{"unnormalised softmax", func() bool {
			return CheckSoftmaxExercise(func(z []float64) []float64 {
				p := make([]float64, len(z))
				for i, v := range z {
					p[i] = math.Exp(v)
				}
				return p
			})
		}, "did you normalise"},
		{"softmax in place", func() bool {
			return CheckSoftmaxExercise(func(z []float64) []float64 { p := refmath.Softmax(z); copy(z, p); return z })
		}, "changed its argument"},
		{"naive CE", func() bool { return CheckCrossEntropyExercise(refmath.NaiveCrossEntropy) }, "use log-sum-exp"},
		{"CE sign", func() bool {
			return CheckCrossEntropyExercise(func(z []float64, y int) float64 { return -refmath.CrossEntropy(z, y) })
		}, "the sign is flipped"},
		{"grad without y", func() bool {
			return CheckCrossEntropyGradExercise(func(z []float64, y int) []float64 { return refmath.Softmax(z) })
		}, "subtract the one-hot target"},
		{"argmax decision", func() bool {
			return CheckDecisionExercise(func(p []float64, th float64) []int { return []int{refmath.Argmax(p)} })
		}, "an argmax?"},
		{"panic", func() bool { return CheckSigmoidExercise(func(float64) float64 { panic("not implemented") }) },
			"your function panicked: not implemented"},
		{"loop", func() bool { return CheckSigmoidExercise(func(float64) float64 { select {} }) },
			"did not return within"},
	} {
		out, failed := exercise(t, tc.run)
		if !failed || !strings.Contains(out, tc.hint) {
			t.Errorf("%s: failed=%v, output %q does not contain %q", tc.name, failed, out, tc.hint)
		}
	}
}
