package mlcore

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestPlaneSplit(t *testing.T) {
	s := PlaneSplit(50, 7)
	for _, d := range []*Dataset{s.Train, s.Test} {
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		if d.Len() != 50*PlaneClasses || d.Features != 2 {
			t.Fatalf("%s: %d points of %d features", d.Name, d.Len(), d.Features)
		}
		var count [PlaneClasses]int
		var mean [PlaneClasses][2]float64
		for i, l := range d.Labels {
			count[l]++
			mean[l][0] += float64(d.Images[2*i]) / 50
			mean[l][1] += float64(d.Images[2*i+1]) / 50
		}
		for k := range PlaneClasses {
			if count[k] != 50 || math.Hypot(mean[k][0]-PlaneCentres[k][0], mean[k][1]-PlaneCentres[k][1]) > 0.05 {
				t.Errorf("%s class %d: %d points around %v, want 50 around %v", d.Name, k, count[k], mean[k], PlaneCentres[k])
			}
		}
	}
	if again := PlaneSplit(50, 7); !slices.Equal(again.Train.Images, s.Train.Images) || slices.Equal(s.Train.Images, s.Test.Images) {
		t.Error("the same seed must give the same points, and test must differ from train")
	}
}

func TestPlaneGridAndPoints(t *testing.T) {
	g := PlaneGrid(4)
	if g.Len() != 16 || g.Image(1)[0] != 0.375 || g.Image(1)[1] != 0.125 || g.Image(4)[0] != 0.125 || g.Image(4)[1] != 0.375 {
		t.Errorf("grid cells out of order: %v", g.Images[:10])
	}
	pm := &PlaneMap{Res: 4}
	if c := pm.Center(4); c != [2]float64{0.125, 0.375} {
		t.Errorf("Center(4) = %v", c)
	}
	p := PlanePoints("p", [][2]float64{{0, 1}, {0.5, 0.25}})
	if err := p.Validate(); err != nil || p.Image(1)[1] != 0.25 {
		t.Errorf("PlanePoints: %v %v", err, p.Images)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "outside the unit square") {
			t.Errorf("a point outside the square: %v", r)
		}
	}()
	PlanePoints("p", [][2]float64{{1.5, 0}})
}

// TestPlaneMapOfALinearModel trains both heads without a hidden layer: the logits are affine in the
// point, the map's shares add up, and the middle class, which no line separates from the others, is
// where the sigmoid head says "none".
func TestPlaneMapOfALinearModel(t *testing.T) {
	split := PlaneSplit(100, 42)
	m, _, err := Train(split, PlaneConfig(0), nil)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := NewPlaneMap(m, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range Heads {
		e := Evaluate(h, mustProbs(t, m, h, split.Test), split.Test.Labels)
		if e.Accuracy < 0.9 {
			t.Errorf("%s: linear accuracy %.3f", h, e.Accuracy)
		}
		// z(½(a + b)) = ½(z(a) + z(b)) for an affine map.
		z, err := m.Logits(h, PlanePoints("mid", [][2]float64{{0.1, 0.2}, {0.9, 0.6}, {0.5, 0.4}}))
		if err != nil {
			t.Fatal(err)
		}
		for k := range NumClasses {
			if d := math.Abs(float64(z[20+k]) - float64(z[k]+z[10+k])/2); d > 1e-4 {
				t.Errorf("%s logit %d is not affine: off by %g", h, k, d)
			}
		}
		probs := pm.Probs[h]
		for c, a := range pm.Argmax(h) {
			for k := range NumClasses {
				if probs[c*NumClasses+k] > probs[c*NumClasses+a] {
					t.Fatalf("cell %d: argmax %d is not the largest output", c, a)
				}
			}
		}
	}
	none, several := pm.Shares(Softmax, 0.5)
	if several != 0 || none > 0.2 {
		t.Errorf("softmax: none %.3f, several %.3f", none, several)
	}
	none, _ = pm.Shares(Sigmoid, 0.5)
	if none < 0.1 {
		t.Errorf("the linear sigmoid head says none on %.3f of the plane, want ≥ 0.1", none)
	}
	middle := pm.Res/2*pm.Res + pm.Res/2
	if s := pm.Above(Sigmoid, 0.5)[middle]; s != 0 {
		t.Errorf("the middle of the plane: sigmoid answers %s, want none", SetString(s))
	}
}

func mustProbs(t *testing.T, m *Model, h Head, d *Dataset) []float32 {
	p, err := m.Probabilities(h, d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
