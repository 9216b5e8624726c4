package lesson

import (
	"fmt"
	"math"

	"github.com/twoheads/twoheads/mlcore"
)

// Paired compares the argmax decisions of the two heads of a model on the same test examples: the
// examples that only one of them gets right. Examples both get right, or both wrong, say nothing about
// which head is better; the split of the others does.
type Paired struct {
	N                        int // Test examples.
	SoftmaxOnly, SigmoidOnly int // Examples that only this head's argmax gets right.
	// P is the two-sided p-value of the exact sign test (McNemar's exact test) of "both heads are
	// equally good": how often a split at least this uneven happens by chance, with every example that
	// only one head gets right equally likely to go either way.
	P float64
}

// PairedComparison compares the two heads of m on test (one class per example).
func PairedComparison(m *mlcore.Model, test *mlcore.Dataset) Paired {
	right := map[mlcore.Head][]bool{}
	for _, h := range mlcore.Heads {
		probs, err := m.Probabilities(h, test)
		Must(err)
		for i, y := range test.Labels {
			row := probs[i*mlcore.NumClasses : (i+1)*mlcore.NumClasses]
			best := 0
			for k, v := range row {
				if v > row[best] {
					best = k
				}
			}
			right[h] = append(right[h], best == int(y))
		}
	}
	r := Paired{N: test.Len()}
	for i := range test.Labels {
		a, b := right[mlcore.Softmax][i], right[mlcore.Sigmoid][i]
		switch {
		case a && !b:
			r.SoftmaxOnly++
		case b && !a:
			r.SigmoidOnly++
		}
	}
	r.P = SignTest(r.SoftmaxOnly, r.SigmoidOnly)
	return r
}

func (p Paired) String() string {
	return fmt.Sprintf("of %d test points, only softmax is right on %d, only sigmoid on %d (exact sign test: p = %.2g)",
		p.N, p.SoftmaxOnly, p.SigmoidOnly, p.P)
}

// SignTest returns the two-sided p-value of the exact sign test for a and b successes of two outcomes
// that are equally likely: 2·P(X ≤ min(a, b)) for X ~ Binomial(a + b, ½), at most 1.
func SignTest(a, b int) float64 {
	n, k := a+b, min(a, b)
	if n == 0 {
		return 1
	}
	var tail float64
	lgN, _ := math.Lgamma(float64(n + 1))
	for i := 0; i <= k; i++ {
		lgI, _ := math.Lgamma(float64(i + 1))
		lgR, _ := math.Lgamma(float64(n - i + 1))
		tail += math.Exp(lgN - lgI - lgR - float64(n)*math.Ln2)
	}
	return math.Min(1, 2*tail)
}
