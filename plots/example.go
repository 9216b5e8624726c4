package plots

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
	"github.com/twoheads/twoheads/mlcore"
)

// Example draws example i of ds: the digit image on the left and, on the right, the ten outputs of each
// head for that image as bars, with the 0.5 threshold of the sigmoid head. The legend gives the sum of
// each head's outputs (always 1 for softmax, anything for sigmoid) and the subtitle what each head
// decides: softmax its argmax, sigmoid every class above 0.5, which may be none or several.
//
// probs holds the outputs of each head on the whole of ds, mlcore.NumClasses per example, as returned
// by mlcore.Model.Probabilities; a head missing from probs is not drawn.
//
// It panics if i is not an example of ds or an output slice does not match ds.
func Example(ds *mlcore.Dataset, i int, probs map[mlcore.Head][]float32) *charts.Bar {
	const k = mlcore.NumClasses
	if ds == nil || i < 0 || i >= ds.Len() {
		panic(fmt.Sprintf("plots.Example: example %d of a data set of %d", i, lenOf(ds)))
	}
	var heads []mlcore.Head
	for _, h := range mlcore.Heads {
		if p, ok := probs[h]; ok {
			if len(p) != ds.Len()*k {
				panic(fmt.Sprintf("plots.Example: %d %s outputs for %d examples (want %d per example)", len(p), h, ds.Len(), k))
			}
			heads = append(heads, h)
		}
	}
	label := int(ds.Labels[i])

	// The bars: grid 0 (right), axes 0. The image: grid 1 (left), axes 1.
	const imgSide, imgLeft = 300, 36
	c := charts.NewBar()
	var legend []string
	var said []string
	c.SetXAxis(classNames(k))
	for _, h := range heads {
		row := probs[h][i*k : (i+1)*k]
		var sum float64
		d := make([]opts.BarData, k)
		for j, v := range row {
			sum += float64(v)
			d[j] = opts.BarData{Value: round3(float64(v))}
			if v >= 0.1 {
				// Two decimals: three would run into the label of the neighbouring bar.
				d[j].Label = &opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 10, Color: HeadColor(h),
					Formatter: types.FuncStr(fmt.Sprintf("%.2f", v))}
			}
		}
		name := fmt.Sprintf("%s (Σ = %.3f)", h, sum)
		legend = append(legend, name)
		said = append(said, decision(h, row, sum))
		so := []charts.SeriesOpts{bars(HeadColor(h))}
		if !h.Exclusive() || len(heads) == 1 {
			so = append(so, hline(0.5, "0.5 threshold", ThresholdColor))
		}
		c.AddSeries(name, d, so...)
	}

	img := ds.Image(i)
	cells := make([][3]float64, 0, len(img))
	for p, v := range img {
		cells = append(cells, [3]float64{float64(p % ds.Width), float64(p / ds.Width), round3(float64(v))})
	}
	imageSeries := len(c.MultiSeries)
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: "image", Type: "heatmap", XAxisIndex: 1, YAxisIndex: 1, Data: cells})

	c.SetGlobalOptions(append(base(fmt.Sprintf("Example %d of %s, a %d: what each head outputs", i, ds.Name, label),
		strings.Join(said, "\n"), Height),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "class", NameLocation: "middle", NameGap: 28,
			AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(yValue("output", 0, 1)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: px(legendTop), Left: "center", Data: legend}),
		charts.WithGridOpts(
			opts.Grid{Top: px(gridTop), Left: px(imgLeft + imgSide + 70), Right: "30px", Bottom: "48px"},
			opts.Grid{Top: px(gridTop), Left: px(imgLeft), Width: px(imgSide), Height: px(imgSide)}))...)
	c.ExtendXAxis(opts.XAxis{Type: "category", GridIndex: 1, Data: classNames(ds.Width),
		Name: fmt.Sprintf("the image: a %d (%d×%d pixels)", label, ds.Height, ds.Width), NameLocation: "middle", NameGap: 16,
		// Only the name shows: pixel columns need no ticks.
		AxisLine: &opts.AxisLine{Show: opts.Bool(false)}, AxisTick: &opts.AxisTick{Show: opts.Bool(false)},
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(false)}, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	c.ExtendYAxis(opts.YAxis{Type: "category", GridIndex: 1, Data: classNames(ds.Height), Inverse: opts.Bool(true), // Pixel rows run downwards.
		Show: opts.Bool(false)})
	// The image is coloured by a visual map that applies to its series only, not to the bars.
	withPatch(c, func(o map[string]any) {
		o["visualMap"] = []map[string]any{{
			"type": "continuous", "show": false, "seriesIndex": imageSeries, "min": 0, "max": 1,
			"inRange": map[string]any{"color": []string{"#ffffff", InkColor}},
		}}
	})
	return c
}

// decision says in words what head h decides for one row of outputs.
func decision(h mlcore.Head, row []float32, sum float64) string {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	if h.Exclusive() {
		return fmt.Sprintf("softmax: argmax %d (p = %.3f); the outputs compete and sum to %.3f.", best, row[best], sum)
	}
	above := mlcore.AboveHalf(row)
	var which string
	switch len(above) {
	case 0:
		which = `none ("none of the above")`
	case 1:
		which = fmt.Sprintf("only %d", above[0])
	default:
		s := make([]string, len(above))
		for j, a := range above {
			s[j] = fmt.Sprint(a)
		}
		which = strings.Join(s, " and ") + " (several classes at once)"
	}
	return fmt.Sprintf("sigmoid: argmax %d (p = %.3f); above 0.5: %s; the outputs are independent and sum to %.3f.", best, row[best], which, sum)
}

func round3(v float64) float64 { return float64(int(v*1000+0.5)) / 1000 }

func lenOf(ds *mlcore.Dataset) int {
	if ds == nil {
		return 0
	}
	return ds.Len()
}
