package plots

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/refmath"
)

// JacobiansHeight is the height of a Jacobians chart.
const JacobiansHeight = 440

// Jacobians draws, side by side, the Jacobians ∂p_i/∂z_j of the two heads at the logits z: softmax's
// diag(p) − p pᵀ (blue for positive entries, red for negative), full, since every output depends on
// every logit; and the sigmoid's diag(σ(1 − σ)) (orange), zero off the diagonal, since each output
// depends on its own logit only. Cells are labelled with their values. Use it with 2 to 6 logits.
func Jacobians(z []float64) *charts.HeatMap {
	k := len(z)
	if k < 2 || k > 6 {
		panic(fmt.Sprintf("plots.Jacobians: %d logits: want 2 to 6", k))
	}
	const side, top, left, gap = 270, 128, 110, 170
	var zs []string
	for _, v := range z {
		zs = append(zs, fmt.Sprintf("%g", v))
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{Width: px(Width), Height: px(JacobiansHeight), BackgroundColor: "#ffffff"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{
			Title: fmt.Sprintf("The two Jacobians ∂pᵢ/∂zⱼ at z = (%s)", strings.Join(zs, ", ")), Left: "center", Top: px(titleTop),
			Subtitle:      "Softmax: every output moves with every logit (rows sum to 0). Sigmoid: each output moves with its own logit only.",
			TitleStyle:    &opts.TextStyle{FontSize: 17, LineHeight: 22, Color: "#1a1a1a"},
			SubtitleStyle: &opts.TextStyle{FontSize: 13, LineHeight: 18, Color: "#505050"},
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(false)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	outputs := make([]string, k)
	logits := make([]string, k)
	for i := range k {
		outputs[i] = "p" + sub(i)
		logits[i] = "z" + sub(i)
	}
	var grids []opts.Grid
	for p, jac := range [][][]float64{refmath.SoftmaxJacobian(z), refmath.SigmoidJacobian(z)} {
		grids = append(grids, opts.Grid{Top: px(top), Left: px(left + p*(side+gap)), Width: px(side), Height: px(side)})
		xa := opts.XAxis{Type: "category", GridIndex: p, Data: logits, Name: "logit zⱼ", NameLocation: "middle", NameGap: 26,
			Position: "bottom", AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 13}, SplitArea: &opts.SplitArea{Show: opts.Bool(false)}}
		ya := opts.YAxis{Type: "category", GridIndex: p, Data: outputs, Name: "output pᵢ", NameLocation: "middle", NameGap: 36,
			Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 13}}
		if p == 0 {
			c.XAxisList[0], c.YAxisList[0] = xa, ya
		} else {
			c.ExtendXAxis(xa)
			c.ExtendYAxis(ya)
		}
		var cells [][3]float64
		for i := range k {
			for j := range k {
				cells = append(cells, [3]float64{float64(j), float64(i), round3signed(jac[i][j])})
			}
		}
		name := []string{"softmax", "sigmoid"}[p]
		c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: name, Type: "heatmap", XAxisIndex: p, YAxisIndex: p, Data: cells,
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{@[2]}", FontSize: 13, Color: "#111111"},
			ItemStyle: &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 2}})
	}
	c.GridList = grids
	withPatch(c, func(o map[string]any) {
		o["title"] = []any{o["title"],
			caption("softmax: diag(p) − p pᵀ", left+side/2, top-30, SoftmaxColor),
			caption("sigmoid: diag(σ(1 − σ))", left+side+gap+side/2, top-30, SigmoidColor)}
		o["visualMap"] = []map[string]any{
			{"type": "continuous", "show": false, "seriesIndex": 0, "dimension": 2, "min": -0.25, "max": 0.25,
				"inRange": map[string]any{"color": []string{ErrorColor, "#f6dce6", "#ffffff", tint(SoftmaxColor), SoftmaxColor}}},
			{"type": "continuous", "show": false, "seriesIndex": 1, "dimension": 2, "min": -0.25, "max": 0.25,
				"inRange": map[string]any{"color": []string{ErrorColor, "#f6dce6", "#ffffff", tint(SigmoidColor), SigmoidColor}}},
		}
	})
	return c
}

// caption is a bold title placed at (x, top), centred, in a head's colour: the name of one panel of a
// chart with several.
func caption(text string, x, top int, color string) map[string]any {
	return map[string]any{"text": text, "left": x, "top": top, "textAlign": "center",
		"textStyle": map[string]any{"fontSize": 14, "fontWeight": "bold", "color": color}}
}

// round3signed rounds to three decimals, keeping the sign of small negative values (round3 is for
// values in [0, 1]).
func round3signed(v float64) float64 {
	r := math.Round(v*1000) / 1000
	if r == 0 {
		return 0 // Not −0.
	}
	return r
}

// SetSizesWidth is the width of a SetSizes chart: half a chart, so that two fit side by side.
const SetSizesWidth = Width / 2

// SetSizes draws where the sigmoid head's probability goes. Read as K independent yes/no answers with
// P(yes_k) = σ(z_k), the head gives every set of classes a probability; the chart adds them up by the
// size of the set: P(no yes), P(exactly one yes), P(two yeses), …. Single-label data only ever has
// exactly one: that bar is orange, the mass on the other sizes, which such data never shows, is grey.
// name describes the logits in the title.
func SetSizes(z []float64, name string) *charts.Bar {
	k := len(z)
	if k < 1 || k > 20 {
		panic(fmt.Sprintf("plots.SetSizes: %d logits: want 1 to 20", k))
	}
	// P(|S| = n) by dynamic programming over the K independent answers.
	dist := []float64{1}
	for _, v := range z {
		s := refmath.Sigmoid(v)
		next := make([]float64, len(dist)+1)
		for n, p := range dist {
			next[n] += p * (1 - s)
			next[n+1] += p * s
		}
		dist = next
	}
	shown := min(k, 4) // 0, 1, 2, 3 and "4 or more".
	cats := make([]string, shown+1)
	d := make([]opts.BarData, shown+1)
	for n := range dist {
		b := min(n, shown)
		if d[b].Value == nil {
			d[b].Value = 0.0
		}
		d[b].Value = d[b].Value.(float64) + dist[n]
	}
	for b := range d {
		cats[b] = fmt.Sprint(b)
		if b == shown && shown < k {
			cats[b] = fmt.Sprintf("%d or more", b)
		}
		v := d[b].Value.(float64)
		color := ReferenceColor
		if b == 1 {
			color = SigmoidColor
		}
		d[b] = opts.BarData{Value: round3(v), ItemStyle: &opts.ItemStyle{Color: color},
			Label: &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}", Color: color, FontWeight: "bold"}}
	}
	c := charts.NewBar()
	c.SetXAxis(cats)
	c.AddSeries("sigmoid head", d, bars(SigmoidColor), func(s *charts.SingleSeries) { s.BarMaxWidth = "60" })
	var zs []string
	for _, v := range z {
		zs = append(zs, fmt.Sprintf("%g", v))
	}
	opts0 := base(fmt.Sprintf("Sigmoid head, %s: how many yeses?", name),
		fmt.Sprintf("z = (%s)\nExactly one yes: %.3f. Grey: sets that single-label data never has.",
			strings.Join(zs, ", "), dist[1]), Height)
	opts0[0] = charts.WithInitializationOpts(opts.Initialization{Width: px(SetSizesWidth), Height: px(Height), BackgroundColor: "#ffffff"})
	c.SetGlobalOptions(append(opts0,
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "number of classes answered yes", NameLocation: "middle", NameGap: 28,
			AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 13}}),
		charts.WithYAxisOpts(yValue("probability", 0, 1)),
		charts.WithGridOpts(opts.Grid{Top: px(gridTop - 20), Left: "70px", Right: "24px", Bottom: "62px"}))...)
	return c
}
