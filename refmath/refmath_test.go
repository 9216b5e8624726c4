package refmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// newRand returns a deterministic generator so failures are reproducible.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// randomLogits returns k logits drawn from N(0, scale²).
func randomLogits(r *rand.Rand, k int, scale float64) []float64 {
	z := make([]float64, k)
	for i := range z {
		z[i] = scale * r.NormFloat64()
	}
	return z
}

// close reports whether a and b agree within rel relative or abs absolute error.
func close(a, b, rel, abs float64) bool {
	if a == b { // Covers equal infinities.
		return true
	}
	d := math.Abs(a - b)
	return d <= abs || d <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func assertClose(t *testing.T, what string, got, want, rel, abs float64) {
	t.Helper()
	if !close(got, want, rel, abs) {
		t.Errorf("%s = %.17g, want %.17g (rel %g, abs %g)", what, got, want, rel, abs)
	}
}

func assertSliceClose(t *testing.T, what string, got, want []float64, rel, abs float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !close(got[i], want[i], rel, abs) {
			t.Errorf("%s[%d] = %.17g, want %.17g (rel %g, abs %g)\n got  %v\n want %v",
				what, i, got[i], want[i], rel, abs, got, want)
			return
		}
	}
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func anyNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// expectPanic runs f and checks that it panics with a message containing want.
func expectPanic(t *testing.T, what, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: did not panic", what)
			return
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Errorf("%s: panic %q, want it to contain %q", what, msg, want)
		}
	}()
	f()
}

var extremeLogits = [][]float64{
	{1000, 0},
	{0, 1000},
	{-1000, 1000},
	{-1000, -1000},
	{1000, 1000, 1000},
	{1000, -1000, 0, 3},
	{-1000, -999, -998},
}

func TestSigmoidKnownValues(t *testing.T) {
	assertClose(t, "Sigmoid(0)", Sigmoid(0), 0.5, 0, 0)
	// σ(ln 3) = 1/(1+1/3) = 3/4 and σ(−ln 3) = 1/4.
	assertClose(t, "Sigmoid(ln 3)", Sigmoid(math.Log(3)), 0.75, 1e-15, 0)
	assertClose(t, "Sigmoid(-ln 3)", Sigmoid(-math.Log(3)), 0.25, 1e-15, 0)
	r := newRand(1)
	prev := math.Inf(-1)
	for i := -200; i <= 200; i++ {
		z := float64(i) / 10
		s := Sigmoid(z)
		if !(s > 0 && s < 1) {
			t.Fatalf("Sigmoid(%g) = %g, want in (0, 1)", z, s)
		}
		if s < prev {
			t.Fatalf("Sigmoid not increasing at %g", z)
		}
		prev = s
		// Symmetry σ(z) + σ(−z) = 1.
		assertClose(t, fmt.Sprintf("Sigmoid(%g)+Sigmoid(%g)", z, -z), Sigmoid(z)+Sigmoid(-z), 1, 0, 1e-15)
	}
	// The two forms agree where the naive one is safe.
	for range 200 {
		z := 10 * r.NormFloat64()
		assertClose(t, fmt.Sprintf("Sigmoid(%g) vs naive", z), Sigmoid(z), NaiveSigmoid(z), 1e-14, 0)
	}
}

func TestSigmoidDerivMatchesNumerical(t *testing.T) {
	for i := -100; i <= 100; i++ {
		z := float64(i) / 7
		num := NumericalGrad(func(x []float64) float64 { return Sigmoid(x[0]) }, []float64{z}, 1e-5)[0]
		assertClose(t, fmt.Sprintf("SigmoidDeriv(%g)", z), SigmoidDeriv(z), num, 1e-6, 1e-10)
		s := Sigmoid(z)
		// s(1−s) loses relative accuracy as s → 1, so compare absolutely.
		assertClose(t, fmt.Sprintf("SigmoidDeriv(%g) vs s(1-s)", z), SigmoidDeriv(z), s*(1-s), 1e-12, 1e-15)
	}
	assertClose(t, "SigmoidDeriv(0)", SigmoidDeriv(0), 0.25, 0, 0)
	// In the tail σ'(z) ≈ e^(−|z|); the σ(z)σ(−z) form keeps it, 1−σ(z) would round it to 0.
	assertClose(t, "SigmoidDeriv(40)", SigmoidDeriv(40), math.Exp(-40), 1e-12, 0)
	assertClose(t, "SigmoidDeriv(-40)", SigmoidDeriv(-40), math.Exp(-40), 1e-12, 0)
	for _, z := range []float64{1000, -1000} {
		if d := SigmoidDeriv(z); d != 0 {
			t.Errorf("SigmoidDeriv(%g) = %g, want 0 (true value underflows)", z, d)
		}
	}
}

func TestSoftplus(t *testing.T) {
	r := newRand(2)
	for range 200 {
		z := 10 * r.NormFloat64()
		// log1p(e^z) is accurate for moderate z (log(1+e^z) would cancel for z < 0).
		assertClose(t, fmt.Sprintf("Softplus(%g)", z), Softplus(z), math.Log1p(math.Exp(z)), 1e-13, 0)
		assertClose(t, fmt.Sprintf("Softplus(%g) vs log(1+e^z)", z), Softplus(z), math.Log(1+math.Exp(z)), 1e-13, 1e-15)
		// Softplus(z) − Softplus(−z) = z.
		assertClose(t, fmt.Sprintf("Softplus(%g)-Softplus(-z)", z), Softplus(z)-Softplus(-z), z, 1e-13, 1e-13)
		// Its derivative is the sigmoid.
		num := NumericalGrad(func(x []float64) float64 { return Softplus(x[0]) }, []float64{z}, 1e-5)[0]
		assertClose(t, fmt.Sprintf("Softplus'(%g)", z), num, Sigmoid(z), 1e-6, 1e-10)
	}
	assertClose(t, "Softplus(0)", Softplus(0), math.Ln2, 0, 0)
	if got := Softplus(1000); got != 1000 {
		t.Errorf("Softplus(1000) = %g, want 1000", got)
	}
	if got := Softplus(-1000); got != 0 {
		t.Errorf("Softplus(-1000) = %g, want 0", got)
	}
	if math.IsInf(math.Log(1+math.Exp(1000)), 1) == false {
		t.Errorf("textbook log(1+e^1000) should overflow to +Inf; lesson text relies on it")
	}
}

func TestLogSumExp(t *testing.T) {
	r := newRand(3)
	for _, k := range []int{1, 2, 3, 10} {
		for range 50 {
			z := randomLogits(r, k, 5)
			var s float64
			for _, v := range z {
				s += math.Exp(v)
			}
			lse := LogSumExp(z)
			assertClose(t, fmt.Sprintf("LogSumExp(%v)", z), lse, math.Log(s), 1e-13, 1e-13)
			m := z[Argmax(z)]
			if lse < m || lse > m+math.Log(float64(k))+1e-12 {
				t.Errorf("LogSumExp(%v) = %g outside [max, max+log K] = [%g, %g]", z, lse, m, m+math.Log(float64(k)))
			}
			// Shifting every logit by c shifts the result by c.
			c := 10 * r.NormFloat64()
			zc := make([]float64, k)
			for i := range z {
				zc[i] = z[i] + c
			}
			assertClose(t, "LogSumExp(z+c)-c", LogSumExp(zc)-c, lse, 1e-12, 1e-12)
		}
	}
	assertClose(t, "LogSumExp([1000,1000])", LogSumExp([]float64{1000, 1000}), 1000+math.Ln2, 1e-15, 0)
	assertClose(t, "LogSumExp([-1000,-1000])", LogSumExp([]float64{-1000, -1000}), -1000+math.Ln2, 1e-15, 0)
	assertClose(t, "LogSumExp([0,-Inf])", LogSumExp([]float64{0, math.Inf(-1)}), 0, 0, 0)
	if got := LogSumExp(nil); !math.IsInf(got, -1) {
		t.Errorf("LogSumExp(nil) = %g, want -Inf", got)
	}
	if got := LogSumExp([]float64{math.Inf(-1), math.Inf(-1)}); !math.IsInf(got, -1) {
		t.Errorf("LogSumExp(all -Inf) = %g, want -Inf", got)
	}
	if got := LogSumExp([]float64{0, math.Inf(1)}); !math.IsInf(got, 1) {
		t.Errorf("LogSumExp with +Inf = %g, want +Inf", got)
	}
}

func TestSoftmaxSumsToOne(t *testing.T) {
	r := newRand(4)
	for _, k := range []int{1, 2, 3, 10, 100} {
		for range 50 {
			z := randomLogits(r, k, 5)
			p := Softmax(z)
			assertClose(t, fmt.Sprintf("Sum(Softmax(K=%d))", k), Sum(p), 1, 0, 1e-14)
			for i, v := range p {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("Softmax(%v)[%d] = %g, want in [0, 1]", z, i, v)
				}
			}
			if Argmax(p) != Argmax(z) {
				t.Errorf("Argmax(Softmax(z)) = %d, Argmax(z) = %d", Argmax(p), Argmax(z))
			}
			// Agrees with the textbook form on ordinary inputs.
			assertSliceClose(t, "Softmax vs NaiveSoftmax", p, NaiveSoftmax(z), 1e-13, 1e-300)
		}
	}
	assertSliceClose(t, "Softmax([0,ln 3])", Softmax([]float64{0, math.Log(3)}), []float64{0.25, 0.75}, 1e-15, 0)
	if p := Softmax(nil); len(p) != 0 {
		t.Errorf("Softmax(nil) = %v, want empty", p)
	}
	// A masked (−Inf) logit gets probability 0.
	assertSliceClose(t, "Softmax with -Inf", Softmax([]float64{0, math.Inf(-1), 0}), []float64{0.5, 0, 0.5}, 0, 0)
}

func TestSoftmaxShiftInvariant(t *testing.T) {
	r := newRand(5)
	for _, c := range []float64{-1000, -3.5, 0.5, 7, 1000} {
		for _, k := range []int{2, 3, 10} {
			for range 20 {
				z := randomLogits(r, k, 3)
				zc := make([]float64, k)
				for i := range z {
					zc[i] = z[i] + c
				}
				pc := Softmax(zc)
				if !allFinite(pc) {
					t.Fatalf("Softmax(z%+g) not finite: %v", c, pc)
				}
				// z+1000 rounds z to about 1e-13, hence the tolerance.
				assertSliceClose(t, fmt.Sprintf("Softmax(z%+g)", c), pc, Softmax(z), 1e-11, 1e-12)
				assertSliceClose(t, fmt.Sprintf("SoftmaxT(z%+g, 2)", c), SoftmaxT(zc, 2), SoftmaxT(z, 2), 1e-11, 1e-12)
			}
		}
	}
}

func TestSigmoidsDoNotSumToOne(t *testing.T) {
	r := newRand(6)
	for range 100 {
		z := randomLogits(r, 10, 3)
		s := 0.0
		for _, v := range z {
			s += Sigmoid(v)
		}
		if math.Abs(s-1) < 1e-3 {
			t.Errorf("sigmoids of %v sum to %g, expected them not to sum to 1", z, s)
		}
		if !(s > 0 && s < 10) {
			t.Errorf("sigmoids of 10 logits sum to %g, want in (0, 10)", s)
		}
	}
	// Ten zero logits: every sigmoid is 0.5, the sum is 5; softmax would give 1.
	zero := make([]float64, 10)
	s := 0.0
	for _, v := range zero {
		s += Sigmoid(v)
	}
	assertClose(t, "sum of sigmoids of 10 zeros", s, 5, 0, 0)
	assertClose(t, "Sum(Softmax(10 zeros))", Sum(Softmax(zero)), 1, 0, 1e-15)
}

func TestSoftmaxTwoClassesIsSigmoidOfDifference(t *testing.T) {
	var grid []float64
	for i := -40; i <= 40; i++ {
		grid = append(grid, float64(i)/2)
	}
	grid = append(grid, -1000, -700, 700, 1000)
	for _, a := range grid {
		for _, b := range grid {
			p := Softmax([]float64{a, b})
			assertClose(t, fmt.Sprintf("Softmax([%g,%g])[1] vs Sigmoid(b-a)", a, b), p[1], Sigmoid(b-a), 1e-14, 1e-300)
			assertClose(t, fmt.Sprintf("Softmax([%g,%g])[0] vs Sigmoid(a-b)", a, b), p[0], Sigmoid(a-b), 1e-14, 1e-300)
			// And the K=2 cross-entropy is the BCE of the logit difference.
			assertClose(t, fmt.Sprintf("CE([%g,%g],1) vs BCE", a, b),
				CrossEntropy([]float64{a, b}, 1), BinaryCrossEntropy([]float64{b - a}, []float64{1}), 1e-12, 1e-12)
		}
	}
}

// gradTolerance is the bound, per component, on |analytic − numerical| used
// in the gradient checks: 1e−6 relative, with a tiny absolute floor for
// components that are essentially zero.
func assertGradClose(t *testing.T, what string, analytic, numerical []float64) {
	t.Helper()
	assertSliceClose(t, what, analytic, numerical, 1e-6, 1e-9)
}

func TestCrossEntropyGradMatchesNumerical(t *testing.T) {
	r := newRand(7)
	for _, k := range []int{2, 3, 5, 10} {
		for range 25 {
			z := randomLogits(r, k, 2)
			label := r.IntN(k)
			f := func(x []float64) float64 { return CrossEntropy(x, label) }
			g := CrossEntropyGrad(z, label)
			assertGradClose(t, fmt.Sprintf("CrossEntropyGrad(%v, %d)", z, label), g, NumericalGrad(f, z, 1e-5))
			assertClose(t, "Sum(CrossEntropyGrad)", Sum(g), 0, 0, 1e-15)
		}
	}
}

func TestBinaryCrossEntropyGradMatchesNumerical(t *testing.T) {
	r := newRand(8)
	for _, k := range []int{1, 2, 5, 10} {
		for range 25 {
			z := randomLogits(r, k, 2)
			y := make([]float64, k)
			for i := range y {
				if i%3 == 2 {
					y[i] = r.Float64() // Soft targets work too.
				} else {
					y[i] = float64(r.IntN(2))
				}
			}
			f := func(x []float64) float64 { return BinaryCrossEntropy(x, y) }
			g := BinaryCrossEntropyGrad(z, y)
			assertGradClose(t, fmt.Sprintf("BinaryCrossEntropyGrad(%v, %v)", z, y), g, NumericalGrad(f, z, 1e-5))

			// The mean form is the sum divided by K, for the value and the gradient.
			kf := float64(k)
			assertClose(t, "MeanBinaryCrossEntropy", MeanBinaryCrossEntropy(z, y), BinaryCrossEntropy(z, y)/kf, 1e-15, 0)
			fm := func(x []float64) float64 { return MeanBinaryCrossEntropy(x, y) }
			gm := make([]float64, k)
			for i := range g {
				gm[i] = g[i] / kf
			}
			assertGradClose(t, "MeanBinaryCrossEntropy grad", gm, NumericalGrad(fm, z, 1e-5))
		}
	}
}

func TestLossesMatchTextbookOnOrdinaryInputs(t *testing.T) {
	r := newRand(9)
	for _, k := range []int{2, 3, 10} {
		for range 50 {
			z := randomLogits(r, k, 4)
			label := r.IntN(k)
			want := -math.Log(Softmax(z)[label])
			assertClose(t, "CrossEntropy vs -log softmax", CrossEntropy(z, label), want, 1e-12, 1e-14)
			assertClose(t, "CrossEntropy vs NaiveCrossEntropy", CrossEntropy(z, label), NaiveCrossEntropy(z, label), 1e-12, 1e-14)
			// CE with a one-hot target is the −Σ y log p form.
			y := OneHot(label, k)
			lp := LogSoftmax(z)
			var ce float64
			for i := range y {
				ce -= y[i] * lp[i]
			}
			assertClose(t, "CrossEntropy vs -Σ y log p", CrossEntropy(z, label), ce, 1e-12, 1e-14)

			yb := make([]float64, k)
			for i := range yb {
				yb[i] = r.Float64()
			}
			assertClose(t, "BinaryCrossEntropy vs NaiveBCE", BinaryCrossEntropy(z, yb), NaiveBCE(z, yb), 1e-12, 1e-12)
		}
	}
	// Hand-checked: z = 0 gives σ = 1/2 and a loss of ln 2 per output, whatever y.
	assertClose(t, "BCE(zeros)", BinaryCrossEntropy([]float64{0, 0, 0}, []float64{1, 0, 0.3}), 3*math.Ln2, 1e-15, 0)
	assertClose(t, "MeanBCE(zeros)", MeanBinaryCrossEntropy([]float64{0, 0, 0}, []float64{1, 0, 0.3}), math.Ln2, 1e-15, 0)
	// Uniform logits: CE = log K.
	assertClose(t, "CE(uniform K=10)", CrossEntropy(make([]float64, 10), 3), math.Log(10), 1e-15, 0)
}

func TestStableFormsAtExtremeLogits(t *testing.T) {
	for _, z := range []float64{-1000, 1000} {
		if s := Sigmoid(z); !finite(s) {
			t.Errorf("Sigmoid(%g) = %g, want finite", z, s)
		}
	}
	assertClose(t, "Sigmoid(1000)", Sigmoid(1000), 1, 0, 0)
	assertClose(t, "Sigmoid(-1000)", Sigmoid(-1000), 0, 0, 0)
	// Between about −745 and −709.8 the true value is a tiny subnormal; the
	// stable form keeps it, while e^(−z) in the naive form has already overflowed.
	if s := Sigmoid(-720); !(s > 0) {
		t.Errorf("Sigmoid(-720) = %g, want > 0", s)
	}
	if s := NaiveSigmoid(-720); s != 0 {
		t.Errorf("NaiveSigmoid(-720) = %g, want 0 (e^720 overflows)", s)
	}

	for _, z := range extremeLogits {
		p := Softmax(z)
		if !allFinite(p) {
			t.Errorf("Softmax(%v) = %v, want finite", z, p)
		}
		assertClose(t, fmt.Sprintf("Sum(Softmax(%v))", z), Sum(p), 1, 0, 1e-15)
		if ls := LogSoftmax(z); !allFinite(ls) {
			t.Errorf("LogSoftmax(%v) = %v, want finite", z, ls)
		}
		if j := SoftmaxJacobian(z); !allFinite(j[0]) {
			t.Errorf("SoftmaxJacobian(%v)[0] = %v, want finite", z, j[0])
		}
		for label := range z {
			if ce := CrossEntropy(z, label); !finite(ce) || ce < 0 {
				t.Errorf("CrossEntropy(%v, %d) = %g, want finite and >= 0", z, label, ce)
			}
			if g := CrossEntropyGrad(z, label); !allFinite(g) {
				t.Errorf("CrossEntropyGrad(%v, %d) = %v, want finite", z, label, g)
			}
		}
		y := make([]float64, len(z))
		y[0] = 1
		if b := BinaryCrossEntropy(z, y); !finite(b) {
			t.Errorf("BinaryCrossEntropy(%v, %v) = %g, want finite", z, y, b)
		}
		if g := BinaryCrossEntropyGrad(z, y); !allFinite(g) {
			t.Errorf("BinaryCrossEntropyGrad(%v, %v) = %v, want finite", z, y, g)
		}
	}

	// Exact values.
	assertSliceClose(t, "Softmax([1000,0])", Softmax([]float64{1000, 0}), []float64{1, 0}, 0, 0)
	assertSliceClose(t, "Softmax([-1000,-1000])", Softmax([]float64{-1000, -1000}), []float64{0.5, 0.5}, 0, 0)
	assertSliceClose(t, "LogSoftmax([1000,0])", LogSoftmax([]float64{1000, 0}), []float64{0, -1000}, 1e-15, 0)
	assertClose(t, "CE([1000,0],0)", CrossEntropy([]float64{1000, 0}, 0), 0, 0, 1e-12)
	assertClose(t, "CE([0,1000],0)", CrossEntropy([]float64{0, 1000}, 0), 1000, 1e-12, 0)
	assertClose(t, "CE([-1000,1000],0)", CrossEntropy([]float64{-1000, 1000}, 0), 2000, 1e-12, 0)
	assertClose(t, "CE([1000,1000],0)", CrossEntropy([]float64{1000, 1000}, 0), math.Ln2, 1e-12, 0)
	assertSliceClose(t, "CrossEntropyGrad([0,1000],0)", CrossEntropyGrad([]float64{0, 1000}, 0), []float64{-1, 1}, 0, 0)
	assertClose(t, "BCE(z=-1000,y=1)", BinaryCrossEntropy([]float64{-1000}, []float64{1}), 1000, 1e-12, 0)
	assertClose(t, "BCE(z=1000,y=0)", BinaryCrossEntropy([]float64{1000}, []float64{0}), 1000, 1e-12, 0)
	assertClose(t, "BCE(z=1000,y=1)", BinaryCrossEntropy([]float64{1000}, []float64{1}), 0, 0, 1e-12)
	assertClose(t, "BCE(z=-1000,y=0)", BinaryCrossEntropy([]float64{-1000}, []float64{0}), 0, 0, 1e-12)
	assertClose(t, "BCE(z=40,y=0)", BinaryCrossEntropy([]float64{40}, []float64{0}), 40, 1e-15, 0)
	assertClose(t, "MeanBCE([-1000,1000],[1,1])", MeanBinaryCrossEntropy([]float64{-1000, 1000}, []float64{1, 1}), 500, 1e-12, 0)
	assertSliceClose(t, "BinaryCrossEntropyGrad([-1000,1000],[1,0])",
		BinaryCrossEntropyGrad([]float64{-1000, 1000}, []float64{1, 0}), []float64{-1, 1}, 0, 0)
}

// TestNaiveFormsBreak pins down the failures that the lessons demonstrate, so
// the claims in the notebooks stay true.
func TestNaiveFormsBreak(t *testing.T) {
	if p := NaiveSoftmax([]float64{1000, 0}); !anyNaN(p) {
		t.Errorf("NaiveSoftmax([1000,0]) = %v, want a NaN (Inf/Inf)", p)
	}
	if p := NaiveSoftmax([]float64{-1000, -1000}); !anyNaN(p) {
		t.Errorf("NaiveSoftmax([-1000,-1000]) = %v, want NaN (0/0)", p)
	}
	if ce := NaiveCrossEntropy([]float64{1000, 0}, 0); !math.IsNaN(ce) {
		t.Errorf("NaiveCrossEntropy([1000,0],0) = %g, want NaN", ce)
	}
	if ce := NaiveCrossEntropy([]float64{0, 1000}, 0); !math.IsInf(ce, 1) {
		t.Errorf("NaiveCrossEntropy([0,1000],0) = %g, want +Inf (true value 1000)", ce)
	}
	if b := NaiveBCE([]float64{-1000}, []float64{1}); !math.IsInf(b, 1) {
		t.Errorf("NaiveBCE(z=-1000,y=1) = %g, want +Inf (true value 1000)", b)
	}
	if b := NaiveBCE([]float64{1000}, []float64{1}); !math.IsNaN(b) {
		t.Errorf("NaiveBCE(z=1000,y=1) = %g, want NaN (0*log 0; true value 0)", b)
	}
	if b := NaiveBCE([]float64{40}, []float64{0}); !math.IsInf(b, 1) {
		t.Errorf("NaiveBCE(z=40,y=0) = %g, want +Inf (true value about 40)", b)
	}
	// On its own the naive sigmoid survives ±1000 (1/(1+Inf) = 0), as its doc says.
	if s := NaiveSigmoid(-1000); s != 0 {
		t.Errorf("NaiveSigmoid(-1000) = %g, want 0", s)
	}
	if s := NaiveSigmoid(1000); s != 1 {
		t.Errorf("NaiveSigmoid(1000) = %g, want 1", s)
	}
	// ... but the intermediate did overflow, and the other textbook form gives NaN.
	if e := math.Exp(1000); !math.IsInf(e, 1) {
		t.Errorf("math.Exp(1000) = %g, want +Inf", e)
	}
	if s := math.Exp(1000.0) / (1 + math.Exp(1000.0)); !math.IsNaN(s) {
		t.Errorf("e^z/(1+e^z) at z=1000 = %g, want NaN", s)
	}
	// log(Softmax) is not a safe LogSoftmax.
	if l := math.Log(Softmax([]float64{1000, 0})[1]); !math.IsInf(l, -1) {
		t.Errorf("log(Softmax([1000,0])[1]) = %g, want -Inf", l)
	}
}

func TestLogSoftmaxIsLogOfSoftmax(t *testing.T) {
	r := newRand(10)
	for _, k := range []int{1, 2, 3, 10} {
		for range 50 {
			z := randomLogits(r, k, 4)
			p := Softmax(z)
			logp := make([]float64, k)
			for i := range p {
				logp[i] = math.Log(p[i])
			}
			ls := LogSoftmax(z)
			assertSliceClose(t, fmt.Sprintf("LogSoftmax(%v)", z), ls, logp, 1e-12, 1e-13)
			var s float64
			for _, v := range ls {
				s += math.Exp(v)
			}
			assertClose(t, "Σ exp(LogSoftmax)", s, 1, 0, 1e-14)
		}
	}
}

func TestSoftmaxT(t *testing.T) {
	r := newRand(11)
	for range 50 {
		k := 2 + r.IntN(9)
		z := randomLogits(r, k, 3)
		assertSliceClose(t, "SoftmaxT(z, 1)", SoftmaxT(z, 1), Softmax(z), 1e-15, 1e-300)
		z2 := make([]float64, k)
		for i := range z {
			z2[i] = 2 * z[i]
		}
		assertSliceClose(t, "SoftmaxT(z, 0.5)", SoftmaxT(z, 0.5), Softmax(z2), 1e-15, 1e-300)

		// Large T: close to uniform, and closer as T grows.
		uniform := make([]float64, k)
		for i := range uniform {
			uniform[i] = 1 / float64(k)
		}
		assertSliceClose(t, "SoftmaxT(z, 1e6)", SoftmaxT(z, 1e6), uniform, 0, 1e-4)
		if d1, d2 := maxAbsDiff(SoftmaxT(z, 10), uniform), maxAbsDiff(SoftmaxT(z, 100), uniform); d2 >= d1 {
			t.Errorf("SoftmaxT not approaching uniform: T=10 diff %g, T=100 diff %g", d1, d2)
		}
		// Small T: close to one-hot at the argmax, assuming no near-tie.
		top := Argmax(z)
		gap := math.Inf(1)
		for i, v := range z {
			if i != top {
				gap = math.Min(gap, z[top]-v)
			}
		}
		if gap < 0.05 {
			continue
		}
		assertSliceClose(t, "SoftmaxT(z, 1e-3)", SoftmaxT(z, 1e-3), OneHot(top, k), 0, 1e-9)
		if d1, d2 := maxAbsDiff(SoftmaxT(z, 0.1), OneHot(top, k)), maxAbsDiff(SoftmaxT(z, 0.01), OneHot(top, k)); d2 > d1 {
			t.Errorf("SoftmaxT not approaching one-hot: T=0.1 diff %g, T=0.01 diff %g", d1, d2)
		}
	}
	assertSliceClose(t, "SoftmaxT(z, +Inf)", SoftmaxT([]float64{1, 2, 3, 4}, math.Inf(1)), []float64{0.25, 0.25, 0.25, 0.25}, 0, 0)
	for _, temp := range []float64{0, -1, math.NaN(), math.Inf(-1)} {
		expectPanic(t, fmt.Sprintf("SoftmaxT(z, %g)", temp), "refmath: temperature must be > 0", func() {
			SoftmaxT([]float64{1, 2}, temp)
		})
	}
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestSoftmaxJacobian(t *testing.T) {
	r := newRand(12)
	for _, k := range []int{1, 2, 3, 7} {
		for range 20 {
			z := randomLogits(r, k, 2)
			j := SoftmaxJacobian(z)
			if len(j) != k {
				t.Fatalf("SoftmaxJacobian: %d rows, want %d", len(j), k)
			}
			p := Softmax(z)
			for i := range j {
				// Row i is the gradient of p_i, checked numerically.
				fi := func(x []float64) float64 { return Softmax(x)[i] }
				assertGradClose(t, fmt.Sprintf("SoftmaxJacobian(%v)[%d]", z, i), j[i], NumericalGrad(fi, z, 1e-5))
				assertClose(t, fmt.Sprintf("row %d sum", i), Sum(j[i]), 0, 0, 1e-15)
				assertClose(t, fmt.Sprintf("J[%d][%d]", i, i), j[i][i], p[i]*(1-p[i]), 1e-12, 1e-17)
				for c := range j[i] {
					if j[i][c] != j[c][i] {
						t.Errorf("SoftmaxJacobian not symmetric at (%d,%d)", i, c)
					}
				}
			}

			// Chain rule: for L(p) = g·p, ∂L/∂z = Jᵀ g = p ⊙ (g − g·p).
			g := randomLogits(r, k, 1)
			jtg := make([]float64, k)
			for c := range k {
				for i := range k {
					jtg[c] += j[i][c] * g[i]
				}
			}
			var gp float64
			for i := range g {
				gp += g[i] * p[i]
			}
			closed := make([]float64, k)
			for i := range closed {
				closed[i] = p[i] * (g[i] - gp)
			}
			assertSliceClose(t, "Jᵀg vs p⊙(g−g·p)", jtg, closed, 1e-12, 1e-15)
			fl := func(x []float64) float64 {
				q := Softmax(x)
				var s float64
				for i := range q {
					s += g[i] * q[i]
				}
				return s
			}
			assertGradClose(t, "Jᵀg vs numerical", jtg, NumericalGrad(fl, z, 1e-5))

			// Chain rule through −log p_label gives CrossEntropyGrad.
			label := r.IntN(k)
			up := make([]float64, k)
			up[label] = -1 / p[label]
			ceGrad := make([]float64, k)
			for c := range k {
				for i := range k {
					ceGrad[c] += j[i][c] * up[i]
				}
			}
			assertSliceClose(t, "Jᵀ(−onehot/p) vs CrossEntropyGrad", ceGrad, CrossEntropyGrad(z, label), 1e-12, 1e-14)
		}
	}
}

func TestNumericalGrad(t *testing.T) {
	z := []float64{-2, 0.5, 3}
	orig := append([]float64(nil), z...)
	// f(z) = Σ z_i³ + z_0 z_1, so ∂f/∂z = 3z² + (z_1, z_0, 0).
	f := func(x []float64) float64 { return x[0]*x[0]*x[0] + x[1]*x[1]*x[1] + x[2]*x[2]*x[2] + x[0]*x[1] }
	want := []float64{3*4 + 0.5, 3*0.25 - 2, 27}
	assertSliceClose(t, "NumericalGrad", NumericalGrad(f, z, 1e-5), want, 1e-8, 1e-8)
	for i := range z {
		if z[i] != orig[i] {
			t.Fatalf("NumericalGrad modified its input: %v, was %v", z, orig)
		}
	}
	expectPanic(t, "NumericalGrad(h=0)", "h must be > 0", func() { NumericalGrad(f, z, 0) })
}

func TestOneHotArgmaxSum(t *testing.T) {
	assertSliceClose(t, "OneHot(2, 4)", OneHot(2, 4), []float64{0, 0, 1, 0}, 0, 0)
	assertSliceClose(t, "OneHot(0, 1)", OneHot(0, 1), []float64{1}, 0, 0)
	expectPanic(t, "OneHot(4, 4)", "label 4 out of range [0, 4)", func() { OneHot(4, 4) })
	expectPanic(t, "OneHot(-1, 4)", "out of range", func() { OneHot(-1, 4) })
	expectPanic(t, "CrossEntropy label 2 of 2", "out of range", func() { CrossEntropy([]float64{1, 2}, 2) })
	expectPanic(t, "BinaryCrossEntropy length mismatch", "differ in length", func() {
		BinaryCrossEntropy([]float64{1, 2}, []float64{1})
	})

	for _, tc := range []struct {
		p    []float64
		want int
	}{
		{[]float64{0.1, 0.7, 0.2}, 1},
		{[]float64{3, -1, 3}, 0}, // Ties go to the smallest index.
		{[]float64{-5}, 0},
		{[]float64{math.NaN(), 1, 2}, 2},
		{[]float64{-math.MaxFloat64, math.Inf(-1)}, 0},
		{nil, -1},
		{[]float64{math.NaN()}, -1},
	} {
		if got := Argmax(tc.p); got != tc.want {
			t.Errorf("Argmax(%v) = %d, want %d", tc.p, got, tc.want)
		}
	}

	assertClose(t, "Sum", Sum([]float64{0.25, 0.5, 0.125}), 0.875, 0, 0)
	assertClose(t, "Sum(nil)", Sum(nil), 0, 0, 0)
}

func ExampleSoftmax() {
	p := Softmax([]float64{1, 2, 3})
	fmt.Printf("%.4f sum=%.4f\n", p, Sum(p))
	// Shift-invariant and stable: adding 1000 to every logit changes nothing.
	fmt.Printf("%.4f\n", Softmax([]float64{1001, 1002, 1003}))
	// The textbook form overflows.
	fmt.Printf("%.4f\n", NaiveSoftmax([]float64{1001, 1002, 1003}))
	// Output:
	// [0.0900 0.2447 0.6652] sum=1.0000
	// [0.0900 0.2447 0.6652]
	// [NaN NaN NaN]
}

func ExampleSigmoid() {
	for _, z := range []float64{-1000, -2, 0, 2, 1000} {
		fmt.Printf("σ(%g) = %.4f\n", z, Sigmoid(z))
	}
	// Sigmoids are independent per output: they need not sum to 1.
	fmt.Printf("sum over [1 2 3] = %.4f\n", Sigmoid(1)+Sigmoid(2)+Sigmoid(3))
	// Output:
	// σ(-1000) = 0.0000
	// σ(-2) = 0.1192
	// σ(0) = 0.5000
	// σ(2) = 0.8808
	// σ(1000) = 1.0000
	// sum over [1 2 3] = 2.5644
}

func ExampleCrossEntropy() {
	z := []float64{0, 1000}
	fmt.Printf("stable: %.4f\n", CrossEntropy(z, 0))
	fmt.Printf("naive:  %.4f\n", NaiveCrossEntropy(z, 0))
	fmt.Printf("grad:   %.4f\n", CrossEntropyGrad(z, 0))
	// Output:
	// stable: 1000.0000
	// naive:  +Inf
	// grad:   [-1.0000 1.0000]
}
