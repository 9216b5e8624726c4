package lesson

import (
	"math/rand/v2"
	"testing"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/refmath"
)

func TestGoMLXGradientsArePMinusY(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := make([][]float64, 8)
	labels := make([]int, len(z))
	for i := range z {
		z[i] = make([]float64, mlcore.NumClasses)
		for k := range z[i] {
			z[i][k] = 3 * rng.NormFloat64()
		}
		labels[i] = rng.IntN(mlcore.NumClasses)
	}
	for _, h := range mlcore.Heads {
		got := GoMLXGradients(h, z, labels)
		for i := range z {
			want := h.Outputs(z[i])
			want[labels[i]]--
			if d := refmath.MaxAbsDiff(got[i], want); d > 1e-5 {
				t.Errorf("%s row %d: off by %g", h, i, d)
			}
		}
	}
}
