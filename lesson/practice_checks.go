package lesson

import (
	"fmt"
	"math"

	"github.com/twoheads/twoheads/refmath"
)

// The checks of the lessons' own exercises (see practice.go): a learner's function or numbers are
// compared with the reference, and the usual mistakes get a hint of their own. Like every exercise,
// one not tried yet prints what to do and never fails its cell.

// CheckLogitsForExercise checks a learner's function that, given a distribution p over K classes
// (positive, summing to 1), returns logits z with softmax(z) = p. Any z = log p + c works: softmax fixes
// the logits only up to a common shift, which the check reports.
func CheckLogitsForExercise(logitsFor func(p []float64) []float64) bool {
	const claim = "softmax(your logits) = p for every distribution tried"
	cases := [][]float64{{0.7, 0.2, 0.1}, {0.25, 0.25, 0.25, 0.25}, {0.999, 0.001}, {0.1, 0.2, 0.3, 0.4}}
	var shifts []float64
	for _, p := range cases {
		in := append([]float64(nil), p...)
		z, problem := try(func() []float64 { return logitsFor(in) })
		if problem != "" {
			return unfinished(claim, problem)
		}
		if len(z) != len(p) {
			return Check(claim, false, "for p = %v you returned %d logits, want %d", p, len(z), len(p))
		}
		got := refmath.Softmax(z)
		if refmath.MaxAbsDiff(got, p) <= 1e-9 {
			shifts = append(shifts, z[0]-math.Log(p[0]))
			continue
		}
		hint := ""
		switch {
		case refmath.MaxAbsDiff(z, p) <= 1e-12:
			hint = "you returned p itself, but softmax exponentiates its input: undo the exponential with a logarithm"
		case allClose(z, func(k int) float64 { return math.Log(p[k] / (1 - p[k])) }):
			hint = "log(p/(1 − p)) inverts the sigmoid (σ(z_k) = p_k for each k on its own); the softmax needs log p_k, " +
				"since e^(log p_k) / Σ_j e^(log p_j) = p_k / 1"
		case allClose(z, func(k int) float64 { return -math.Log(p[k]) }):
			hint = "the sign is flipped: −log p gives the largest logit to the least likely class"
		case allClose(z, func(k int) float64 { return math.Exp(p[k]) }):
			hint = "exp is what softmax applies; to undo it, take the logarithm"
		}
		if hint == "" {
			hint = "softmax(z)_k = e^(z_k) / Σ_j e^(z_j): which z_k make that p_k?"
		}
		return Check(claim, false, "for p = %v your logits %s give softmax %s: %s", p, fmtSlice(z), fmtSlice(got), hint)
	}
	Check(claim, true, "")
	fmt.Fprintf(cell.out, "  Your logits are log p + c with c = %s: any c gives the same softmax (shift invariance).\n", fmtSlice(shifts))
	return true
}

// allClose reports whether z_k is close to want(k) for every k.
func allClose(z []float64, want func(k int) float64) bool {
	for k, v := range z {
		if !isClose(v, want(k), 1e-9) {
			return false
		}
	}
	return true
}

// CheckLogSumExpExercise checks a learner's log-sum-exp, log Σ_k e^(z_k), on ordinary logits and on
// logits near ±1000, where the naive form overflows or underflows.
func CheckLogSumExpExercise(lse func(z []float64) float64) bool {
	const claim = "log-sum-exp: right values, and finite for logits near ±1000"
	for _, z := range [][]float64{{1, 2, 3}, {0}, {-1, -1}, {0.5, -2, 3, 3}, {1000, 999}, {-1000, -1000}, {1000, -1000, 0}} {
		in := append([]float64(nil), z...)
		got, problem := try(func() float64 { return lse(in) })
		if problem != "" {
			return unfinished(claim, problem)
		}
		want := refmath.LogSumExp(z)
		if isClose(got, want, 1e-12) {
			continue
		}
		m := z[0]
		var sumExp, shifted float64
		for _, v := range z {
			m = math.Max(m, v)
			sumExp += math.Exp(v)
		}
		for _, v := range z {
			shifted += math.Exp(v - m)
		}
		hint := "LSE(z) = m + log Σ_k e^(z_k − m) with m = max_k z_k"
		switch {
		case bad(got):
			hint = "e^1000 overflows to +Inf (and e^−1000 underflows to 0, whose log is −Inf): subtract the largest logit m first, " +
				"LSE(z) = m + log Σ_k e^(z_k − m)"
		case isClose(got, math.Log(shifted), 1e-12):
			hint = "you subtracted m = max z inside the exponentials but did not add it back: LSE(z) = m + log Σ e^(z_k − m)"
		case isClose(got, m, 1e-12):
			hint = "that is the largest logit alone; add log Σ_k e^(z_k − m), which is between 0 and log K"
		case isClose(got, sumExp, 1e-12):
			hint = "that is the sum of the exponentials: take its logarithm"
		}
		return Check(claim, false, "LSE(%v): got %v, want %s: %s", z, got, fmtFloat(want), hint)
	}
	return Check(claim, true, "")
}

// CheckStableBCEExercise checks a learner's binary cross-entropy from logits, summed over the outputs,
// Σ_k −[y_k log σ(z_k) + (1 − y_k) log(1 − σ(z_k))], including logits of ±1000 and soft targets.
func CheckStableBCEExercise(bce func(z, y []float64) float64) bool {
	const claim = "binary cross-entropy from logits: right values, finite at ±1000"
	cases := []struct{ z, y []float64 }{
		{[]float64{1, -2, 0.5}, []float64{1, 0, 0}},
		{[]float64{0, 0}, []float64{0, 1}},
		{[]float64{3}, []float64{0.3}},
		{[]float64{40}, []float64{0}},
		{[]float64{-1000}, []float64{1}},
		{[]float64{1000}, []float64{1}},
		{[]float64{1000, -1000, 2}, []float64{0, 1, 1}},
	}
	for _, c := range cases {
		z, y := append([]float64(nil), c.z...), append([]float64(nil), c.y...)
		got, problem := try(func() float64 { return bce(z, y) })
		if problem != "" {
			return unfinished(claim, problem)
		}
		want := refmath.BinaryCrossEntropy(c.z, c.y)
		if isClose(got, want, 1e-9) {
			continue
		}
		flipped := make([]float64, len(c.y))
		for k, v := range c.y {
			flipped[k] = 1 - v
		}
		hint := "L = Σ_k softplus(z_k) − y_k z_k, with softplus(z) = max(z, 0) + log(1 + e^(−|z|))"
		switch {
		case bad(got):
			hint = "σ(z) rounds to exactly 0 or 1 for large |z| and its log is −Inf (or e^1000 overflows): do not form σ first; " +
				"use L_k = softplus(z_k) − y_k z_k, with softplus(z) = max(z, 0) + log(1 + e^(−|z|))"
		case isClose(got*float64(len(c.z)), want, 1e-9) && len(c.z) > 1:
			hint = "you averaged over the outputs; this loss is their sum"
		case isClose(got, -want, 1e-9):
			hint = "the sign is flipped: the loss is minus the log-likelihood"
		case isClose(got, refmath.BinaryCrossEntropy(c.z, flipped), 1e-9):
			hint = "the yes and no terms are swapped: y_k goes with log σ(z_k), 1 − y_k with log(1 − σ(z_k))"
		}
		return Check(claim, false, "BCE(z = %v, y = %v): got %v, want %s: %s", c.z, c.y, got, fmtFloat(want), hint)
	}
	return Check(claim, true, "")
}

// CheckExactlyOneExercise checks a learner's function that turns the outputs p_k = σ(z_k) of a sigmoid
// head into P(class k | exactly one answer is yes), which is softmax(z) for the logits behind p.
func CheckExactlyOneExercise(exactlyOne func(p []float64) []float64) bool {
	const claim = "P(k | exactly one yes) from the sigmoid outputs"
	for _, p := range [][]float64{{0.9, 0.6, 0.1}, {0.5, 0.5, 0.5, 0.5}, {0.2, 0.1, 0.05, 0.01}, {0.999, 0.3}} {
		in := append([]float64(nil), p...)
		got, problem := try(func() []float64 { return exactlyOne(in) })
		if problem != "" {
			return unfinished(claim, problem)
		}
		want := refmath.ExactlyOneFromOutputs(p)
		if len(got) != len(p) {
			return Check(claim, false, "for %d outputs you returned %d values", len(p), len(got))
		}
		if refmath.MaxAbsDiff(got, want) <= 1e-9 {
			continue
		}
		only := make([]float64, len(p)) // P(k alone), not yet conditioned.
		for k := range p {
			only[k] = p[k]
			for j := range p {
				if j != k {
					only[k] *= 1 - p[j]
				}
			}
		}
		hint := "P(k | exactly one) = P(only k) / Σ_j P(only j), with P(only k) = p_k Π_(j≠k) (1 − p_j)"
		switch {
		case refmath.MaxAbsDiff(got, p) <= 1e-12:
			hint = "those are the outputs themselves: their sum is not 1, and they ignore that the other answers must be no"
		case allClose(got, func(k int) float64 { return p[k] / refmath.Sum(p) }):
			hint = "p_k / Σ_j p_j renormalises the outputs, but conditioning on exactly one yes also asks every other answer " +
				"to be no: P(only k) = p_k Π_(j≠k) (1 − p_j), so each class counts with its odds p_k / (1 − p_k)"
		case refmath.MaxAbsDiff(got, only) <= 1e-12:
			hint = "those are P(only k) for each k; condition on exactly one yes: divide by their sum"
		case !isClose(refmath.Sum(got), 1, 1e-9):
			hint = fmt.Sprintf("your values sum to %.4g: a conditional distribution sums to 1", refmath.Sum(got))
		}
		return Check(claim, false, "for outputs %v: got %s, want %s: %s", p, fmtSlice(got), fmtSlice(want), hint)
	}
	return Check(claim, true, "")
}

// NoLogits is the value of a choice of logits not made yet (CheckSeveralButUnsure, CheckNoneButSure).
var NoLogits []float64

// CheckSeveralButUnsure checks logits chosen by the learner for which the sigmoid head answers
// several classes at 0.5 while the softmax head's largest output is below 0.5.
func CheckSeveralButUnsure(z []float64) bool {
	return checkDesignedLogits("several sigmoid outputs above 0.5, while no softmax output is",
		"(2, 2, −1): σ(2) = 0.88 twice, softmax ≈ (0.49, 0.49, 0.02)", z,
		func(sig []float64, top float64) string {
			above := 0
			for _, s := range sig {
				if s > 0.5 {
					above++
				}
			}
			switch {
			case above < 2:
				return fmt.Sprintf("%d sigmoid output(s) above 0.5, sigmoids %s; σ(z) > 0.5 exactly when z > 0: "+
					"make at least two logits positive", above, fmtSlice(sig))
			case top >= 0.5:
				return fmt.Sprintf("the softmax's largest output is %.3f; softmax only sees differences of logits: "+
					"bring the largest logits closer together, so that they share the unit of probability", top)
			}
			return ""
		}, `"both" for one head, "unsure" for the other`)
}

// CheckNoneButSure checks logits chosen by the learner for which no sigmoid output is above 0.5 while
// the softmax head's largest output is above 0.9.
func CheckNoneButSure(z []float64) bool {
	return checkDesignedLogits("no sigmoid output above 0.5, while softmax is over 0.9 sure",
		"(−1, −5, −5): every σ < 0.5, softmax ≈ (0.96, 0.02, 0.02)", z,
		func(sig []float64, top float64) string {
			for k, s := range sig {
				if s > 0.5 {
					return fmt.Sprintf("σ(z%d) = %.3f is above 0.5; σ(z) > 0.5 exactly when z > 0: make every logit negative", k, s)
				}
			}
			if top <= 0.9 {
				return fmt.Sprintf("the softmax's largest output is only %.3f; it depends on differences only: "+
					"put the largest logit further above the others (a gap of 3 or more for three logits)", top)
			}
			return ""
		}, `the sigmoid head says "none of these", the softmax head cannot`)
}

// checkDesignedLogits checks logits z that the learner chose to make the two heads disagree: problem
// says what is wrong with them, from the sigmoid outputs and the softmax's largest output ("" when
// nothing is). Logits not chosen yet (nil) print the example without failing; on success the outputs
// of both heads are shown, with what they say.
func checkDesignedLogits(claim, example string, z []float64, problem func(sig []float64, top float64) string, says string) bool {
	if z == nil {
		fmt.Fprintf(cell.out, "… %s: no logits yet — for example %s.\n", claim, example)
		return false
	}
	sig, soft := refmath.Sigmoids(z), refmath.Softmax(z)
	if p := problem(sig, soft[refmath.Argmax(soft)]); p != "" {
		return Check(claim, false, "z = %v: %s", z, p)
	}
	Check(claim, true, "")
	fmt.Fprintf(cell.out, "  sigmoids %s, softmax %s: %s.\n", fmtSlice(sig), fmtSlice(soft), says)
	return true
}
