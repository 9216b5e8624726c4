package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/refmath"
)

func TestPracticeChecksAcceptTheReference(t *testing.T) {
	for name, f := range map[string]func() bool{
		"logits":      func() bool { return CheckLogitsForExercise(logOf) },
		"logits + 3":  func() bool { return CheckLogitsForExercise(func(p []float64) []float64 { return addTo(logOf(p), 3) }) },
		"lse":         func() bool { return CheckLogSumExpExercise(refmath.LogSumExp) },
		"bce":         func() bool { return CheckStableBCEExercise(refmath.BinaryCrossEntropy) },
		"exactly one": func() bool { return CheckExactlyOneExercise(refmath.ExactlyOneFromOutputs) },
		"several":     func() bool { return CheckSeveralButUnsure([]float64{2, 2, -1}) },
		"none":        func() bool { return CheckNoneButSure([]float64{-1, -5, -5}) },
	} {
		if out, failed := exercise(t, f); failed || !strings.HasPrefix(out, "✓ ") {
			t.Errorf("%s: the reference failed its own check: %s", name, out)
		}
	}
	out, _ := exercise(t, func() bool { return CheckLogitsForExercise(func(p []float64) []float64 { return addTo(logOf(p), 3) }) })
	if !strings.Contains(out, "c = [3 3 3 3]") {
		t.Errorf("the logits check does not show the shift: %s", out)
	}
}

func logOf(p []float64) []float64 {
	z := make([]float64, len(p))
	for k, v := range p {
		z[k] = math.Log(v)
	}
	return z
}

func addTo(z []float64, c float64) []float64 {
	for k := range z {
		z[k] += c
	}
	return z
}

// TestPracticeHints feeds each check a typical wrong answer and checks that it fails with its hint.
func TestPracticeHints(t *testing.T) {
	elementwise := func(f func(float64) float64) func([]float64) []float64 {
		return func(p []float64) []float64 {
			z := make([]float64, len(p))
			for k, v := range p {
				z[k] = f(v)
			}
			return z
		}
	}
	naiveLSE := func(z []float64) float64 {
		var s float64
		for _, v := range z {
			s += math.Exp(v)
		}
		return math.Log(s)
	}
	for _, tc := range []struct {
		name string
		run  func() bool
		hint string
	}{
		{"p itself", func() bool { return CheckLogitsForExercise(func(p []float64) []float64 { return p }) }, "you returned p itself"},
		{"sigmoid logits", func() bool {
			return CheckLogitsForExercise(elementwise(func(v float64) float64 { return math.Log(v / (1 - v)) }))
		}, "inverts the sigmoid"},
		{"minus log", func() bool {
			return CheckLogitsForExercise(elementwise(func(v float64) float64 { return -math.Log(v) }))
		}, "the sign is flipped"},
		{"exp", func() bool { return CheckLogitsForExercise(elementwise(math.Exp)) }, "exp is what softmax applies"},
		{"naive LSE", func() bool { return CheckLogSumExpExercise(naiveLSE) }, "subtract the largest logit m first"},
		{"LSE without m", func() bool {
			return CheckLogSumExpExercise(func(z []float64) float64 { return refmath.LogSumExp(z) - maxOf(z) })
		}, "did not add it back"},
		{"LSE is max", func() bool { return CheckLogSumExpExercise(maxOf) }, "the largest logit alone"},
		{"sum of exp", func() bool {
			return CheckLogSumExpExercise(func(z []float64) float64 { return math.Exp(refmath.LogSumExp(z)) })
		},
			"take its logarithm"},
		{"naive BCE", func() bool { return CheckStableBCEExercise(refmath.NaiveBCE) }, "use L_k = softplus(z_k) − y_k z_k"},
		{"mean BCE", func() bool { return CheckStableBCEExercise(refmath.MeanBinaryCrossEntropy) }, "you averaged over the outputs"},
		{"BCE sign", func() bool {
			return CheckStableBCEExercise(func(z, y []float64) float64 { return -refmath.BinaryCrossEntropy(z, y) })
		}, "the sign is flipped"},
		{"BCE swapped", func() bool {
			return CheckStableBCEExercise(func(z, y []float64) float64 {
				f := make([]float64, len(y))
				for k, v := range y {
					f[k] = 1 - v
				}
				return refmath.BinaryCrossEntropy(z, f)
			})
		}, "the yes and no terms are swapped"},
		{"renormalised", func() bool {
			return CheckExactlyOneExercise(func(p []float64) []float64 {
				s := refmath.Sum(p)
				out := make([]float64, len(p))
				for k, v := range p {
					out[k] = v / s
				}
				return out
			})
		}, "each class counts with its odds"},
		{"outputs", func() bool { return CheckExactlyOneExercise(func(p []float64) []float64 { return p }) }, "those are the outputs themselves"},
		{"only k", func() bool {
			return CheckExactlyOneExercise(func(p []float64) []float64 {
				out := make([]float64, len(p))
				for k := range p {
					out[k] = p[k]
					for j := range p {
						if j != k {
							out[k] *= 1 - p[j]
						}
					}
				}
				return out
			})
		}, "divide by their sum"},
		{"one positive", func() bool { return CheckSeveralButUnsure([]float64{2, -1, -1}) }, "make at least two logits positive"},
		{"sure softmax", func() bool { return CheckSeveralButUnsure([]float64{5, 1, 0}) }, "bring the largest logits closer"},
		{"a yes", func() bool { return CheckNoneButSure([]float64{1, -5, -5}) }, "make every logit negative"},
		{"unsure softmax", func() bool { return CheckNoneButSure([]float64{-1, -1.5, -2}) }, "put the largest logit further above"},
	} {
		out, failed := exercise(t, tc.run)
		if !failed || !strings.Contains(out, tc.hint) {
			t.Errorf("%s: failed=%v, output %q does not contain %q", tc.name, failed, out, tc.hint)
		}
	}
}

func TestPracticeNotDoneYet(t *testing.T) {
	for name, f := range map[string]func() bool{
		"lse":     func() bool { return CheckLogSumExpExercise(func([]float64) float64 { panic(TODO) }) },
		"several": func() bool { return CheckSeveralButUnsure(NoLogits) },
		"none":    func() bool { return CheckNoneButSure(NoLogits) },
	} {
		var ok bool
		out, failed := capture(t, func() { ok = f() })
		if ok || failed || !strings.HasPrefix(out, "… ") {
			t.Errorf("%s: an exercise not done yet must not fail: failed=%v, %q", name, failed, out)
		}
	}
}

func maxOf(z []float64) float64 {
	m := z[0]
	for _, v := range z {
		m = math.Max(m, v)
	}
	return m
}
