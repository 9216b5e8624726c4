package plots

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/mlcore"
)

// Outputs draws what both heads make of one vector of logits z at temperature T: softmax(z/T) and
// σ(z_k/T) side by side for each class, with the 0.5 threshold and each head's sum in the legend. It is
// the chart of the "play" notebook, redrawn as sliders move the logits.
func Outputs(z []float64, T float64) *charts.Bar {
	if len(z) == 0 || !(T > 0) {
		panic(fmt.Sprintf("plots.Outputs: %d logits at temperature %v", len(z), T))
	}
	c := charts.NewBar()
	c.SetXAxis(classNames(len(z)))
	zT := make([]float64, len(z))
	for k, v := range z {
		zT[k] = v / T
	}
	var said []string
	for _, h := range mlcore.Heads {
		d := make([]opts.BarData, len(z))
		var sum float64
		for k, v := range h.Outputs(zT) {
			sum += v
			d[k] = opts.BarData{Value: round3(v), Label: &opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 10, Color: HeadColor(h)}}
		}
		so := []charts.SeriesOpts{bars(HeadColor(h))}
		if !h.Exclusive() {
			// The line's label right of the plot, clear of the bars' value labels.
			so = append(so, hline(0.5, "0.5 threshold", ThresholdColor), func(s *charts.SingleSeries) {
				s.MarkLines.MarkLineStyle.Label.Position = "end"
			})
		}
		c.AddSeries(fmt.Sprintf("%s (Σ = %.3f)", h, sum), d, so...)
		row := make([]float32, len(z))
		for k := range d {
			row[k] = float32(d[k].Value.(float64))
		}
		said = append(said, decision(h, row, sum))
	}
	var zs []string
	for _, v := range z {
		zs = append(zs, fmt.Sprintf("%.1f", v))
	}
	c.SetGlobalOptions(append(base(fmt.Sprintf("Logits z = (%s), temperature T = %.2f", strings.Join(zs, ", "), T),
		strings.Join(said, "\n"), Height),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "class", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(yValue("output", 0, 1)),
		charts.WithGridOpts(outputsGrid()))...)
	return c
}

// outputsGrid is the plot area of Outputs: room above the bars for their labels, and on the right for
// the threshold's.
func outputsGrid() opts.Grid {
	g := roomAbove(grid())
	g.Right = "110px"
	return g
}
