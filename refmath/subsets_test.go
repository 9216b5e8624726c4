package refmath

import (
	"math"
	"math/bits"
	"testing"
)

// bernoulliSetProbability is P(S) written as the product of the K independent answers, the textbook
// definition that SetProbability must agree with.
func bernoulliSetProbability(z []float64, set uint32) float64 {
	p := 1.0
	for k, v := range z {
		if set>>k&1 == 1 {
			p *= Sigmoid(v)
		} else {
			p *= 1 - Sigmoid(v)
		}
	}
	return p
}

// TestSubsetNormaliser checks, by brute force over all 2^K subsets, that Σ_k softplus(z_k) is the
// log-sum-exp of the subset logits, that the sets' probabilities are the Bernoulli products and sum to 1,
// and that BCE against a one-hot target is the subset softmax's −log P({y}).
func TestSubsetNormaliser(t *testing.T) {
	r := newRand(11)
	for k := 1; k <= 10; k++ {
		for range 20 {
			z := randomLogits(r, k, 3)
			assertClose(t, "Σ softplus vs subset log-sum-exp", SigmoidLogNormaliser(z), SubsetLogSumExp(z), 1e-12, 1e-12)
			var total, single float64
			for s := uint32(0); s < 1<<k; s++ {
				p := SetProbability(z, s)
				assertClose(t, "P(S) vs the Bernoulli product", p, bernoulliSetProbability(z, s), 1e-10, 1e-15)
				total += p
				if bits.OnesCount32(s) == 1 {
					single += p
				}
			}
			assertClose(t, "Σ_S P(S)", total, 1, 1e-12, 0)
			assertClose(t, "P(exactly one)", math.Log(single), LogProbExactlyOne(z), 1e-10, 1e-12)
			y := r.IntN(k)
			bce := BinaryCrossEntropy(z, OneHot(y, k))
			assertClose(t, "BCE vs subset LSE − z_y", bce, SubsetLogSumExp(z)-z[y], 1e-12, 1e-12)
			assertClose(t, "BCE vs −log P({y})", bce, -math.Log(SetProbability(z, 1<<y)), 1e-10, 1e-12)
			assertClose(t, "BCE = CE − log P(exactly one)", bce, CrossEntropy(z, y)-LogProbExactlyOne(z), 1e-12, 1e-12)
		}
	}
}

// TestExactlyOneIsSoftmax checks that K independent answers conditioned on exactly one yes are
// softmax(z), from the logits and from the outputs, including for large logits.
func TestExactlyOneIsSoftmax(t *testing.T) {
	r := newRand(12)
	for k := 1; k <= 8; k++ {
		for range 20 {
			z := randomLogits(r, k, 4)
			want := make([]float64, k)
			var s float64
			for c := range k {
				want[c] = SetProbability(z, 1<<c)
				s += want[c]
			}
			for c := range want {
				want[c] /= s
			}
			assertSliceClose(t, "ExactlyOne vs brute force", ExactlyOne(z), want, 1e-10, 1e-15)
			assertSliceClose(t, "ExactlyOne vs Softmax", ExactlyOne(z), Softmax(z), 1e-10, 1e-15)
			assertSliceClose(t, "ExactlyOneFromOutputs vs Softmax", ExactlyOneFromOutputs(Sigmoids(z)), Softmax(z), 1e-9, 1e-15)
		}
	}
	z := []float64{1000, 999, -1000}
	if p := ExactlyOne(z); !allFinite(p) || !close(p[0], Sigmoid(1), 1e-12, 0) {
		t.Errorf("ExactlyOne(%v) = %v, want finite, p₀ = σ(1)", z, p)
	}
}

func TestSigmoidShift(t *testing.T) {
	r := newRand(13)
	for range 50 {
		z := randomLogits(r, 10, 3)
		for _, target := range []float64{1, 2.5} {
			c := SigmoidShift(z, target)
			var s float64
			for _, v := range z {
				s += Sigmoid(v + c)
			}
			assertClose(t, "Σσ(z + c)", s, target, 1e-10, 0)
			// The shift minimises BCE along z + c·1 for a target with that many ones.
			y := make([]float64, 10)
			for i := range int(target) {
				y[i] = 1
			}
			if target == 1 {
				shifted := func(c float64) float64 {
					zc := make([]float64, len(z))
					for i, v := range z {
						zc[i] = v + c
					}
					return BinaryCrossEntropy(zc, y)
				}
				if best := shifted(c); best > shifted(c+1e-3) || best > shifted(c-1e-3) {
					t.Errorf("BCE at the shift %g is not a minimum along z + c", c)
				}
			}
		}
	}
	expectPanic(t, "SigmoidShift target K", "refmath: SigmoidShift", func() { SigmoidShift([]float64{1, 2}, 2) })
}

func TestJacobians(t *testing.T) {
	r := newRand(14)
	for range 20 {
		z := randomLogits(r, 6, 2)
		num := NumericalJacobian(Sigmoids, z, 1e-5)
		ana := SigmoidJacobian(z)
		for i := range z {
			if d := MaxAbsDiff(num[i], ana[i]); d > 1e-9 {
				t.Fatalf("sigmoid Jacobian row %d differs by %g", i, d)
			}
		}
		num = NumericalJacobian(Softmax, z, 1e-5)
		ana = SoftmaxJacobian(z)
		for i := range z {
			if d := MaxAbsDiff(num[i], ana[i]); d > 1e-9 {
				t.Fatalf("softmax Jacobian row %d differs by %g", i, d)
			}
		}
	}
	if g := NumericalGrad(func([]float64) float64 { return 1 }, nil, 1e-5); g == nil || len(g) != 0 {
		t.Errorf("the gradient of a function of no variables is %v, want an empty slice", g)
	}
	if d := MaxAbsDiff([]float64{1}, []float64{1, 2}); !math.IsInf(d, 1) {
		t.Errorf("MaxAbsDiff of different lengths = %v", d)
	}
	expectPanic(t, "subset sums for K = 21", "refmath: 21 classes", func() { SubsetLogSumExp(make([]float64, 21)) })
}
