package plots_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/twoheads/twoheads/mlcore"
)

// run is what a training run gives the plots: the test set, each head's outputs on it, their
// evaluations and the history.
type run struct {
	test  *mlcore.Dataset
	probs map[mlcore.Head][]float32
	evals []mlcore.Eval
	hist  *mlcore.History
}

// fakeRun makes the results of a run without training: the real digits test set, and outputs drawn
// from logits that favour the label (so that a few examples are wrong, a few sigmoid rows have no or
// several outputs above 0.5), with a history whose loss decays.
func fakeRun(t testing.TB) run {
	t.Helper()
	split, err := mlcore.DigitsSplit(42, mlcore.DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	test := split.Test
	r := rand.New(rand.NewPCG(1, 2))
	const k = mlcore.NumClasses
	probs := map[mlcore.Head][]float32{}
	for _, h := range mlcore.Heads {
		p := make([]float32, test.Len()*k)
		for i, y := range test.Labels {
			z := make([]float64, k)
			for j := range z {
				z[j] = r.NormFloat64()*1.5 - 3
			}
			z[y] += 6 + r.NormFloat64()*2
			if h == mlcore.Softmax {
				m, s := math.Inf(-1), 0.0
				for _, v := range z {
					m = max(m, v)
				}
				for _, v := range z {
					s += math.Exp(v - m)
				}
				for j, v := range z {
					p[i*k+j] = float32(math.Exp(v-m) / s)
				}
			} else {
				for j, v := range z {
					p[i*k+j] = float32(1 / (1 + math.Exp(-v)))
				}
			}
		}
		probs[h] = p
	}
	hist := &mlcore.History{Steps: 440, Loss: map[mlcore.Head][]float32{}, Eval: map[mlcore.Head][]mlcore.EvalPoint{}}
	for _, h := range mlcore.Heads {
		scale := 2.3
		if h == mlcore.Sigmoid {
			scale = 0.35
		}
		for s := 1; s <= hist.Steps; s++ {
			hist.Loss[h] = append(hist.Loss[h], float32(scale*math.Exp(-float64(s)/80)*(1+0.3*r.NormFloat64())+0.01))
			if s%11 == 0 {
				hist.Eval[h] = append(hist.Eval[h], mlcore.EvalPoint{Step: s, Accuracy: 0.97 - 0.8*math.Exp(-float64(s)/40), Loss: scale * math.Exp(-float64(s)/80)})
			}
		}
	}
	var evals []mlcore.Eval
	for _, h := range mlcore.Heads {
		evals = append(evals, mlcore.Evaluate(h, probs[h], test.Labels))
	}
	return run{test, probs, evals, hist}
}

// interesting returns an example that the sigmoid head answers with no output above 0.5, and one where
// it answers several.
func (r run) interesting() (none, several int) {
	none, several = -1, -1
	p := r.probs[mlcore.Sigmoid]
	for i := 0; i < r.test.Len(); i++ {
		switch n := len(mlcore.AboveHalf(p[i*10 : i*10+10])); {
		case n == 0 && none < 0:
			none = i
		case n > 1 && several < 0:
			several = i
		}
	}
	return none, several
}
