package lesson

import (
	"fmt"
	"math"
	"time"

	"github.com/twoheads/twoheads/refmath"
)

// Exercise checks compare a learner's function with the reference on ordinary, edge and extreme inputs
// and say what is wrong in the learner's terms ("your softmax overflows for logits near 1000"), not
// just that something failed. Each prints ✓ or ✗ like Check, and a failure ends the cell, so any grader
// sees it. A function that panics or does not return within five seconds fails with that message.

// try calls f, turning a panic or a call that does not return in time into a message.
func try[T any](f func() T) (v T, problem string) { return tryWithin(cell.timeout, f) }

// tryWithin is try with another time limit.
func tryWithin[T any](limit time.Duration, f func() T) (v T, problem string) {
	type result struct {
		v     T
		panic any
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{panic: r}
			}
		}()
		done <- result{v: f()}
	}()
	select {
	case r := <-done:
		if r.panic == TODO {
			return v, notDone
		}
		if r.panic != nil {
			return v, fmt.Sprintf("your function panicked: %v", r.panic)
		}
		return r.v, ""
	case <-time.After(limit):
		return v, fmt.Sprintf("your function did not return within %s: is there a loop that never ends?", limit)
	}
}

func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// CheckSigmoidExercise checks a learner's sigmoid σ(z) = 1/(1+e^−z), stable for z = ±1000.
func CheckSigmoidExercise(sigmoid func(float64) float64) bool {
	const claim = "sigmoid: right values, and stable at z = ±1000"
	for _, z := range []float64{0, 1, -1, 2.5, -4, 10, -10} {
		got, p := try(func() float64 { return sigmoid(z) })
		if p != "" {
			return unfinished(claim, p)
		}
		if want := refmath.Sigmoid(z); !isClose(got, want, 1e-9) {
			hint := ""
			switch {
			case isClose(got, refmath.Sigmoid(-z), 1e-9):
				hint = ": the sign of z is flipped (σ(z) = 1/(1+e^−z))"
			case isClose(got, math.Exp(-z), 1e-9) || isClose(got, math.Exp(z), 1e-9):
				hint = ": that is an exponential, not 1/(1+e^−z)"
			}
			return Check(claim, false, "sigmoid(%g) = %s, want %s%s", z, fmtFloat(got), fmtFloat(want), hint)
		}
	}
	for _, z := range []float64{1000, -1000, 745, -745} {
		got, p := try(func() float64 { return sigmoid(z) })
		if p != "" {
			return unfinished(claim, p)
		}
		if bad(got) || !isClose(got, refmath.Sigmoid(z), 1e-12) {
			return Check(claim, false, "sigmoid(%g) = %v, want %v: your sigmoid overflows for large |z|; "+
				"for z < 0 compute e^z/(1+e^z), which only exponentiates a negative number", z, got, refmath.Sigmoid(z))
		}
	}
	return Check(claim, true, "")
}

// CheckSoftmaxExercise checks a learner's softmax: outputs sum to 1, right values, stable for logits
// near ±1000, and it does not modify its argument.
func CheckSoftmaxExercise(softmax func([]float64) []float64) bool {
	const claim = "softmax: sums to 1, right values, stable at logits near 1000"
	cases := [][]float64{{1, 2, 3}, {0, 0, 0, 0}, {-1, 5, 0.5, 2, 2}, {7}}
	for _, z := range cases {
		in := append([]float64(nil), z...)
		got, p := try(func() []float64 { return softmax(in) })
		if p != "" {
			return unfinished(claim, p)
		}
		for i := range z {
			if in[i] != z[i] {
				return Check(claim, false, "softmax(%v) changed its argument to %v: work on a copy", z, in)
			}
		}
		if len(got) != len(z) {
			return Check(claim, false, "softmax of %d logits returned %d values", len(z), len(got))
		}
		if s := refmath.Sum(got); !isClose(s, 1, 1e-9) {
			return Check(claim, false, "softmax(%v) sums to %.4g: did you normalise (divide every exponential by their sum)?", z, s)
		}
		want := refmath.Softmax(z)
		for k := range want {
			if !isClose(got[k], want[k], 1e-9) {
				return Check(claim, false, "softmax(%v)[%d] = %s, want %s", z, k, fmtFloat(got[k]), fmtFloat(want[k]))
			}
		}
	}
	for _, z := range [][]float64{{1000, 999, 0}, {-1000, -1000}} {
		got, p := try(func() []float64 { return softmax(append([]float64(nil), z...)) })
		if p != "" {
			return unfinished(claim, p)
		}
		for k := range got {
			if bad(got[k]) || !isClose(got[k], refmath.Softmax(z)[k], 1e-9) {
				return Check(claim, false, "softmax(%v) = %v, want %.4f: your softmax overflows (or underflows) for logits near ±1000; "+
					"subtract the largest logit from all of them first (softmax(z − c) = softmax(z))", z, got, refmath.Softmax(z))
			}
		}
	}
	return Check(claim, true, "")
}

// CheckCrossEntropyExercise checks a learner's cross-entropy from logits, −log softmax(z)[label],
// including the confident cases at ±1000 where the naive form gives NaN or +Inf.
func CheckCrossEntropyExercise(ce func(z []float64, label int) float64) bool {
	const claim = "cross-entropy from logits: right values, stable at ±1000"
	cases := []struct {
		z []float64
		y int
	}{{[]float64{1, 2, 3}, 2}, {[]float64{1, 2, 3}, 0}, {[]float64{0, 0}, 1}, {[]float64{1000, 0}, 0}, {[]float64{0, 1000}, 0}}
	for _, c := range cases {
		got, p := try(func() float64 { return ce(append([]float64(nil), c.z...), c.y) })
		if p != "" {
			return unfinished(claim, p)
		}
		want := refmath.CrossEntropy(c.z, c.y)
		if isClose(got, want, 1e-9) {
			continue
		}
		hint := ""
		switch {
		case bad(got):
			hint = ": the naive −log(softmax) overflows; use log-sum-exp: CE = logsumexp(z) − z[label]"
		case isClose(got, -want, 1e-9):
			hint = ": the sign is flipped (the loss is −log p)"
		case isClose(got, math.Exp(-want), 1e-9):
			hint = ": that is the probability of the label, not minus its logarithm"
		}
		return Check(claim, false, "CE(%v, label %d) = %v, want %s%s", c.z, c.y, got, fmtFloat(want), hint)
	}
	return Check(claim, true, "")
}

// CheckCrossEntropyGradExercise checks a learner's gradient of the cross-entropy with respect to the
// logits, which must be softmax(z) − onehot(label).
func CheckCrossEntropyGradExercise(grad func(z []float64, label int) []float64) bool {
	const claim = "cross-entropy gradient: softmax(z) − y"
	for _, c := range []struct {
		z []float64
		y int
	}{{[]float64{1, 2, 3}, 0}, {[]float64{0.5, -2, 0, 4}, 3}, {[]float64{1000, 0}, 1}} {
		got, p := try(func() []float64 { return grad(append([]float64(nil), c.z...), c.y) })
		if p != "" {
			return unfinished(claim, p)
		}
		want := refmath.CrossEntropyGrad(c.z, c.y)
		if len(got) != len(want) {
			return Check(claim, false, "the gradient of %d logits has %d values", len(want), len(got))
		}
		for k := range want {
			if isClose(got[k], want[k], 1e-9) {
				continue
			}
			hint := ""
			if p := refmath.Softmax(c.z); isClose(got[k], p[k], 1e-9) {
				hint = ": that is softmax(z); subtract the one-hot target y"
			} else if isClose(got[k], -want[k], 1e-9) {
				hint = ": the sign is flipped (y − p instead of p − y)"
			}
			return Check(claim, false, "gradient[%d] for logits %v, label %d: got %s, want %s%s", k, c.z, c.y, fmtFloat(got[k]), fmtFloat(want[k]), hint)
		}
	}
	return Check(claim, true, "")
}

// CheckDecisionExercise checks a learner's multi-label decision rule: the classes whose output is
// above the threshold, in increasing order, and an empty answer ("none of the above") when none is.
func CheckDecisionExercise(decide func(p []float64, threshold float64) []int) bool {
	const claim = "sigmoid decision: every class above the threshold, none when no output is"
	cases := []struct {
		p    []float64
		t    float64
		want []int
	}{
		{[]float64{0.1, 0.9, 0.2}, 0.5, []int{1}},
		{[]float64{0.7, 0.2, 0.8}, 0.5, []int{0, 2}},
		{[]float64{0.1, 0.3, 0.2}, 0.5, nil},
		{[]float64{0.5, 0.6}, 0.5, []int{1}},
		{[]float64{0.1, 0.3, 0.2}, 0.25, []int{1}},
	}
	for _, c := range cases {
		got, p := try(func() []int { return decide(append([]float64(nil), c.p...), c.t) })
		if p != "" {
			return unfinished(claim, p)
		}
		if !equalInts(got, c.want) {
			hint := ""
			switch {
			case len(got) == 1 && len(c.want) != 1:
				hint = ": you return one class (an argmax?); the sigmoid head can answer several classes, or none"
			case c.want == nil && len(got) > 0:
				hint = ": when no output is above the threshold the answer is empty (none of the above)"
			case len(c.want) == 1 && c.p[0] == c.t:
				hint = ": an output equal to the threshold is not above it"
			}
			return Check(claim, false, "outputs %v, threshold %g: got %v, want %v%s", c.p, c.t, got, c.want, hint)
		}
	}
	return Check(claim, true, "")
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
