package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/refmath"
)

func TestOutputs(t *testing.T) {
	c := Outputs([]float64{2, 0, -1}, 1)
	if len(c.MultiSeries) != 2 {
		t.Fatalf("%d series, want 2 (softmax, sigmoid)", len(c.MultiSeries))
	}
	sums := make([]float64, 2)
	for i, s := range c.MultiSeries {
		for _, d := range s.Data.([]opts.BarData) {
			sums[i] += d.Value.(float64)
		}
	}
	if math.Abs(sums[0]-1) > 0.002 {
		t.Errorf("softmax bars sum to %v", sums[0])
	}
	if want := refmath.Sigmoid(2) + refmath.Sigmoid(0) + refmath.Sigmoid(-1); math.Abs(sums[1]-want) > 0.002 {
		t.Errorf("sigmoid bars sum to %v, want %v", sums[1], want)
	}
	if !strings.HasPrefix(c.MultiSeries[0].Name, "softmax (Σ = 1.000)") {
		t.Errorf("softmax legend %q", c.MultiSeries[0].Name)
	}
	if ml := c.MultiSeries[1].MarkLines; ml == nil || len(ml.Data) == 0 {
		t.Error("no 0.5 threshold line on the sigmoid series")
	}
	hot := Outputs([]float64{2, 0, -1}, 0.1)
	if v := hot.MultiSeries[0].Data.([]opts.BarData)[0].Value.(float64); v < 0.99 {
		t.Errorf("at T = 0.1 the top softmax output is %v, want ≈ 1", v)
	}
}

func TestRedrawHasNoLibrary(t *testing.T) {
	h, err := Redraw(Outputs([]float64{1, 0}, 1))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "DecompressionStream") || !strings.Contains(h, "echarts.init") {
		t.Error("a live update must draw with the page's library, not send it again")
	}
}
