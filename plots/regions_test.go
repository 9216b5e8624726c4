package plots_test

import (
	"math"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/plots"
	"github.com/twoheads/twoheads/refmath"
)

// fakePlaneMap makes the map of a model without training one: logits that fall with the squared
// distance to each class's centre, the sigmoid's lower than the softmax's so that it says "none" in
// places, and higher for class 3 so that it says "several" near it.
func fakePlaneMap(res int) *mlcore.PlaneMap {
	pm := &mlcore.PlaneMap{Res: res, Heads: mlcore.Heads, Logits: map[mlcore.Head][]float32{}, Probs: map[mlcore.Head][]float32{}}
	for _, h := range mlcore.Heads {
		z := make([]float32, res*res*mlcore.NumClasses)
		p := make([]float32, len(z))
		for c := range res * res {
			xy := pm.Center(c)
			row := make([]float64, mlcore.NumClasses)
			for k := range row {
				row[k] = -8
				if k < mlcore.PlaneClasses {
					ck := mlcore.PlaneCentres[k]
					row[k] = 2 - 40*((xy[0]-ck[0])*(xy[0]-ck[0])+(xy[1]-ck[1])*(xy[1]-ck[1]))
					if h == mlcore.Sigmoid && k == 3 {
						row[k] += 3
					}
				}
			}
			for k, v := range h.Outputs(row) {
				z[c*mlcore.NumClasses+k], p[c*mlcore.NumClasses+k] = float32(row[k]), float32(v)
			}
		}
		pm.Logits[h], pm.Probs[h] = z, p
	}
	return pm
}

func TestRegions(t *testing.T) {
	pm := fakePlaneMap(20)
	data := mlcore.PlaneSplit(10, 1).Train
	o := option(t, plots.Regions("Fake model", pm, data, 0.5))
	if length(t, o, "grid") != 3 || length(t, o, "xAxis") != 3 || length(t, o, "title") != 4 {
		t.Fatalf("want three maps with a caption each: %d grids, %d titles", length(t, o, "grid"), length(t, o, "title"))
	}
	none, several := pm.Shares(mlcore.Sigmoid, 0.5)
	if none == 0 || several == 0 {
		t.Fatalf("the fake map must have none (%v) and several (%v) cells", none, several)
	}
	// Every map covers every cell exactly once; the third has the none and several cells.
	cells := map[int]int{}
	var noneCells, severalCells, points int
	for i := range length(t, o, "series") {
		name := str(t, o, "series", i, "name")
		p, _ := get(t, o, "series", i, "xAxisIndex").(float64) // Absent for the first map.
		n := length(t, o, "series", i, "data")
		switch {
		case str(t, o, "series", i, "symbol") == "rect":
			cells[int(p)] += n
		case str(t, o, "series", i, "symbol") == "circle" && strings.HasPrefix(name, "class"):
			points += n
		}
		if strings.HasPrefix(name, "none above 0.50") {
			noneCells += n
		}
		if strings.HasPrefix(name, "several above 0.50") {
			severalCells += n
			if str(t, o, "series", i, "itemStyle", "color") != plots.SeveralColor {
				t.Error("several: wrong colour")
			}
		}
	}
	for p := range 3 {
		if cells[p] != pm.Cells() {
			t.Errorf("map %d has %d cells, want %d", p, cells[p], pm.Cells())
		}
	}
	if noneCells != int(math.Round(none*float64(pm.Cells()))) || severalCells != int(math.Round(several*float64(pm.Cells()))) {
		t.Errorf("none %d and several %d cells, want shares %v and %v", noneCells, severalCells, none, several)
	}
	if points != 3*data.Len() {
		t.Errorf("%d points drawn, want the %d points on each of the three maps", points, data.Len())
	}
	if sub := str(t, o, "title", 0, "subtext"); !strings.Contains(sub, "differ on") || !strings.Contains(sub, `"none" on`) {
		t.Errorf("subtitle %q", sub)
	}
	if str(t, o, "title", 1, "textStyle", "color") != plots.SoftmaxColor || str(t, o, "title", 3, "textStyle", "color") != plots.SigmoidColor {
		t.Error("captions in the heads' colours")
	}
	if !panics(func() { plots.Regions("x", pm, data, 1) }) {
		t.Error("threshold 1 did not panic")
	}
}

func TestJacobians(t *testing.T) {
	z := []float64{2, 1, 0.1, -1}
	o := option(t, plots.Jacobians(z))
	if length(t, o, "series") != 2 || length(t, o, "grid") != 2 {
		t.Fatalf("want two heat maps")
	}
	soft, sig := refmath.SoftmaxJacobian(z), refmath.SigmoidJacobian(z)
	for s, jac := range [][][]float64{soft, sig} {
		for _, c := range get(t, o, "series", s, "data").([]any) {
			v := c.([]any)
			j, i, val := int(v[0].(float64)), int(v[1].(float64)), v[2].(float64)
			if !near(val, jac[i][j], 6e-4) {
				t.Errorf("series %d cell (%d, %d) = %v, want %v", s, i, j, val, jac[i][j])
			}
			if s == 1 && i != j && val != 0 {
				t.Errorf("sigmoid Jacobian off the diagonal: %v", val)
			}
		}
	}
	if num(t, o, "visualMap", 1, "seriesIndex") != 1 {
		t.Error("each map has its own colours")
	}
	if !panics(func() { plots.Jacobians([]float64{1}) }) {
		t.Error("one logit did not panic")
	}
}

func TestSetSizes(t *testing.T) {
	z := []float64{1, -1, 0.5, -2, 0, 3}
	o := option(t, plots.SetSizes(z, "test"))
	v := barValues(t, o, 0)
	if len(v) != 5 {
		t.Fatalf("%d bars, want 0, 1, 2, 3, 4 or more", len(v))
	}
	var want [5]float64
	for s := uint32(0); s < 1<<len(z); s++ {
		n := 0
		for k := range z {
			n += int(s >> k & 1)
		}
		want[min(n, 4)] += refmath.SetProbability(z, s)
	}
	for b := range v {
		if !near(v[b], want[b], 6e-4) {
			t.Errorf("bar %d = %v, want %v", b, v[b], want[b])
		}
	}
	if !near(v[1], math.Exp(refmath.LogProbExactlyOne(z)), 6e-4) {
		t.Errorf("exactly one: %v", v[1])
	}
	if c := str(t, o, "series", 0, "data", 1, "itemStyle", "color"); c != plots.SigmoidColor {
		t.Errorf("the exactly-one bar is %s", c)
	}
}
