package lesson

import (
	"math"
	"testing"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/refmath"
)

// TestPlaneHelpers trains the linear model of the plane and checks what lesson 3 relies on: affine
// logits and convex regions, a disagreement about the middle class, and NLLs that obey
// BCE = CE − log P(exactly one).
func TestPlaneHelpers(t *testing.T) {
	t.Setenv(mlcore.CacheDirEnv, t.TempDir())
	m, pm := PlaneModel(0)
	if pm.Res != PlaneResolution || len(pm.Probs[mlcore.Sigmoid]) != pm.Cells()*mlcore.NumClasses {
		t.Fatalf("map of %d cells", pm.Cells())
	}
	for _, h := range mlcore.Heads {
		affine, leave := MidpointTest(m, h, 300)
		if affine > 1e-4 || leave != 0 {
			t.Errorf("%s: a linear model's logits off affine by %g, %d midpoints leave their region", h, affine, leave)
		}
	}
	differ, middle, unsure := Disagreement(pm)
	if differ <= 0 || differ > 0.3 || middle < 0.8 || unsure < 0.8 {
		t.Errorf("the argmaxes differ on %.3f of the plane, %.2f of it about class 0, %.2f where softmax is unsure", differ, middle, unsure)
	}
	nll := HeadNLLs(m, PlaneData().Test)
	s, g := nll[mlcore.Softmax], nll[mlcore.Sigmoid]
	if s.Own != s.ExactlyOne || g.PExactlyOne >= 1 || g.PExactlyOne <= 0 {
		t.Errorf("NLLs %+v %+v", s, g)
	}
	if d := g.Own - (g.ExactlyOne - g.LogPExactlyOne); math.Abs(d) > 1e-9 || math.Abs(g.LogPExactlyOne-meanLogPOne(t, m)) > 1e-12 {
		t.Errorf("BCE ≠ CE − log P(exactly one) on average: off by %g", d)
	}
	test := PlaneData().Test
	answers := Answers(m, mlcore.Sigmoid, test, 0.5)
	none := 0
	for i, a := range answers {
		if a == 0 && test.Labels[i] == 0 {
			none++
		}
	}
	if none < 50 || ClassAccuracy(m, mlcore.Softmax, test, 0) < 0.8 {
		t.Errorf("the linear sigmoid head answers none for %d of the 100 points of class 0; softmax gets %.2f of them", none, ClassAccuracy(m, mlcore.Softmax, test, 0))
	}
	p := PairedComparison(m, test)
	if p.SoftmaxOnly+p.SigmoidOnly == 0 || p.P <= 0 || p.P > 1 {
		t.Errorf("paired comparison %v", p)
	}
}

// meanLogPOne is the mean log P(exactly one) of the sigmoid head on the test points.
func meanLogPOne(t *testing.T, m *mlcore.Model) float64 {
	test := PlaneData().Test
	z, err := m.Logits(mlcore.Sigmoid, test)
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for i := range test.Len() {
		row := make([]float64, mlcore.NumClasses)
		for k := range row {
			row[k] = float64(z[i*mlcore.NumClasses+k])
		}
		s += refmath.LogProbExactlyOne(row)
	}
	return s / float64(test.Len())
}

func TestAnswerKind(t *testing.T) {
	for set, want := range map[uint16]string{0: "none", 1: "class 0", 2: "another class", 3: "several", 1 << 9: "another class"} {
		if got := AnswerKind(set, 0); got != want {
			t.Errorf("AnswerKind(%b, 0) = %q, want %q", set, got, want)
		}
	}
	if AnswerKind(1<<3, 3) != "class 3" {
		t.Error("AnswerKind({3}, 3)")
	}
}
