package plots

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/mlcore"
)

// ConfusionWidth is the width of a confusion matrix: half a chart, so that two fit side by side.
const ConfusionWidth = Width / 2

const confusionHeight = 480

// Confusion draws the confusion matrix of one head: row y, column x counts the test images of true
// digit y that the head's argmax called x. The diagonal, in the head's colour, holds the right answers;
// every other cell, in the mistake colour, is an error; the darker a cell, the larger its share of the
// row. Cells are labelled with their counts and empty cells are left blank.
func Confusion(e mlcore.Eval) *charts.HeatMap {
	const k = mlcore.NumClasses
	// Each cell is [predicted, true, count, shade]: shade > 0 colours a right answer by its share of the
	// row, shade < 0 a mistake by its count against the most frequent mistake, so that the worst
	// confusions stand out and even a single mistake shows.
	worst := 1
	for y := range k {
		for x := range k {
			if x != y {
				worst = max(worst, e.Confusion[y][x])
			}
		}
	}
	var cells [][4]float64
	for y := range k {
		var row int
		for x := range k {
			row += e.Confusion[y][x]
		}
		for x := range k {
			n := e.Confusion[y][x]
			if n == 0 {
				continue
			}
			share := float64(n) / float64(row)
			shade := 0.15 + 0.85*share
			if x != y {
				shade = -(0.25 + 0.75*float64(n)/float64(worst))
			}
			cells = append(cells, [4]float64{float64(x), float64(y), float64(n), round3(shade)})
		}
	}
	const side = 330
	c := charts.NewHeatMap()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{Width: px(ConfusionWidth), Height: px(confusionHeight), BackgroundColor: "#ffffff"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{
			Title: fmt.Sprintf("Confusion matrix, %s head", e.Head), Left: "center", Top: px(titleTop),
			Subtitle: fmt.Sprintf("%.2f%% of %d test images right (the diagonal).\nRow: the true digit; column: the argmax; red: mistakes.",
				100*e.Accuracy, e.N),
			TitleStyle:    &opts.TextStyle{FontSize: 17, LineHeight: 22, Color: "#1a1a1a"},
			SubtitleStyle: &opts.TextStyle{FontSize: 13, LineHeight: 18, Color: "#505050"},
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "predicted digit (argmax)", NameLocation: "middle", NameGap: 28,
			Data: classNames(k), SplitArea: &opts.SplitArea{Show: opts.Bool(false)}, AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Name: "true digit", NameLocation: "middle", NameGap: 28,
			Inverse: opts.Bool(true), Data: classNames(k), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithGridOpts(opts.Grid{Top: px(gridTop - 28), Left: px((ConfusionWidth - side) / 2), Width: px(side), Height: px(side)}),
	)
	c.AddSeries(e.Head.String(), nil, func(s *charts.SingleSeries) {
		s.Data = cells
		s.Label = &opts.Label{Show: opts.Bool(true), Formatter: "{@[2]}", FontSize: 12, Color: "#111111"}
		s.ItemStyle = &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}
	})
	withPatch(c, func(o map[string]any) {
		o["visualMap"] = []map[string]any{{
			"type": "continuous", "show": false, "dimension": 3, "min": -1, "max": 1,
			"inRange": map[string]any{"color": []string{ErrorColor, "#f6dce6", "#ffffff", tint(HeadColor(e.Head)), HeadColor(e.Head)}},
		}}
		o["tooltip"] = map[string]any{"show": true, "trigger": "item",
			"formatter": "true {@[1]}, predicted {@[0]}: {@[2]} images"}
	})
	return c
}

// OutputSums draws, for each head, the histogram of the sum of its ten outputs over the test images,
// in bins of width 0.1 centred on 0, 0.1, 0.2, …: softmax outputs always sum to 1, sigmoid outputs are
// ten separate probabilities whose sum is anything from 0 to 10.
func OutputSums(evals ...mlcore.Eval) *charts.Bar {
	top := 2.0
	for _, e := range evals {
		for _, s := range e.Sums {
			top = max(top, math.Ceil(s*10)/10)
		}
	}
	top = min(top, mlcore.NumClasses)
	nb := int(math.Round(top*10)) + 1
	cats := make([]string, nb)
	for b := range cats {
		cats[b] = fmt.Sprintf("%.1f", float64(b)/10)
	}
	var notes []string
	c := charts.NewBar()
	c.SetXAxis(cats)
	for i, e := range evals {
		counts := make([]int, nb)
		for _, s := range e.Sums {
			counts[min(max(int(math.Round(s*10)), 0), nb-1)]++
		}
		d := make([]opts.BarData, nb)
		for b, n := range counts {
			d[b] = opts.BarData{Value: round(100 * float64(n) / float64(max(e.N, 1)))}
		}
		notes = append(notes, fmt.Sprintf("%s %.3f ± %.3f", e.Head, e.MeanSum, e.StdSum))
		so := []charts.SeriesOpts{bars(HeadColor(e.Head)), func(s *charts.SingleSeries) { s.BarGap = "0%" }}
		if i == 0 {
			so = append(so, func(s *charts.SingleSeries) {
				s.MarkLines = &opts.MarkLines{
					Data: []any{opts.MarkLineNameXAxisItem{Name: "Σ = 1", XAxis: "1.0"}},
					MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"},
						LineStyle: &opts.LineStyle{Color: ThresholdColor, Type: "dashed", Width: 1.5},
						Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: ThresholdColor}},
				}
			})
		}
		c.AddSeries(e.Head.String(), d, so...)
	}
	c.SetGlobalOptions(append(base("The sum of the ten outputs",
		"Softmax outputs are normalised and always sum to 1; sigmoid outputs are ten independent probabilities, and nothing ties their sum.\n"+
			"Mean ± standard deviation of the sum: "+strings.Join(notes, ", ")+".", Height),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "sum of the ten outputs (bins of width 0.1)", NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(yValue("% of test images", 0, nil)),
		charts.WithGridOpts(roomAbove(grid())))...)
	return c
}

// AboveHalf counts, for each head, the test images with no output, exactly one output, or several
// outputs above 0.5. Softmax outputs sum to 1, so at most one can exceed 0.5; the sigmoid head can
// answer "none of the above" or several classes at once, which is what multi-label problems need.
func AboveHalf(evals ...mlcore.Eval) *charts.Bar {
	c := charts.NewBar()
	c.SetXAxis([]string{"none above 0.5", "exactly one above 0.5", "several above 0.5"})
	n := 0
	for _, e := range evals {
		one := 1 - e.FracNone - e.FracSeveral
		d := []opts.BarData{{Value: pct(e.FracNone)}, {Value: pct(one)}, {Value: pct(e.FracSeveral)}}
		c.AddSeries(e.Head.String(), d, bars(HeadColor(e.Head)), func(s *charts.SingleSeries) {
			s.Label = &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}%", Color: HeadColor(e.Head), FontWeight: "bold"}
			s.BarMaxWidth = "90"
		})
		n = max(n, e.N)
	}
	c.SetGlobalOptions(append(base("How many outputs are above 0.5?",
		fmt.Sprintf("Softmax outputs sum to 1, so at most one can exceed 0.5; sigmoid outputs are independent, so none or several can.\n"+
			"Share of the %d test images for each head.", n), Height),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 13}}),
		charts.WithYAxisOpts(yValue("% of test images", 0, 100)),
		charts.WithGridOpts(roomAbove(grid())))...)
	return c
}

// Reliability draws the reliability diagram of each head, with its expected calibration error (ECE) in
// the title. The test images are grouped by confidence, the largest output, into the bins of
// Eval.Reliability; each point is a bin: how confident the head was on average against how often its
// argmax was right, its area growing with the number of images. A calibrated head lies on the diagonal;
// below it the head is over-confident, above it under-confident. ECE is the mean distance to the
// diagonal, weighted by the number of images.
func Reliability(evals ...mlcore.Eval) *charts.Line {
	var eces []string
	for _, e := range evals {
		eces = append(eces, fmt.Sprintf("%s %.4f", e.Head, e.ECE))
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base("Reliability diagram: ECE "+strings.Join(eces, ", "),
		"Test images grouped by confidence (their largest output). Each point: mean confidence against the share whose argmax is right.\n"+
			"On the diagonal a head is right as often as it is confident; below it, over-confident. Point area: number of images.", SquareHeight),
		charts.WithXAxisOpts(xValue("confidence (largest output)", 0, 1)),
		charts.WithYAxisOpts(yValue("accuracy", 0, 1)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Top: px(gridTop), Left: px((Width - 380) / 2), Width: "380px", Bottom: "60px"}))...)
	c.AddSeries("perfect calibration", xy([]float64{0, 1}, []float64{0, 1}), line(ReferenceColor, 1.5, "dashed"))
	for _, e := range evals {
		most := 1
		for _, b := range e.Reliability {
			most = max(most, b.Count)
		}
		var d []opts.LineData
		for _, b := range e.Reliability {
			if b.Count == 0 {
				continue
			}
			d = append(d, opts.LineData{
				Name:       fmt.Sprintf("confidence %.1f–%.1f: %d images", b.Lo, b.Hi, b.Count),
				Value:      []float64{round(b.Confidence), round(b.Accuracy)},
				SymbolSize: int(5 + 17*math.Sqrt(float64(b.Count)/float64(most))),
			})
		}
		c.AddSeries(e.Head.String(), d, line(HeadColor(e.Head), 2, "solid"), func(s *charts.SingleSeries) {
			s.ShowSymbol = opts.Bool(true)
			s.Symbol = "circle"
		})
	}
	return c
}

// Training draws the training curves of a run: the loss of every training step of each head, faint,
// with its moving average, on a log scale; and below it, when the run evaluated the test set during
// training (mlcore.Config.EvalEvery ≥ 0), the test accuracy of each head. The two heads minimise
// different losses (softmax: cross-entropy; sigmoid: binary cross-entropy averaged over the ten
// outputs, about a tenth of its NLL), so compare the shapes of their curves, not their levels.
func Training(h *mlcore.History) *charts.Line {
	var heads []mlcore.Head
	evals := false
	positive := true
	for _, hd := range mlcore.Heads {
		if len(h.Loss[hd]) > 0 {
			heads = append(heads, hd)
			evals = evals || len(h.Eval[hd]) > 0
			for _, l := range h.Loss[hd] {
				positive = positive && l > 0
			}
		}
	}
	steps := max(h.Steps, 1)
	window := min(max(steps/40, 1), 50)
	height, lossBottom := Height, "62px"
	if evals {
		height, lossBottom = TallHeight, "250px"
	}
	lossAxis := yValue("training loss", nil, nil)
	if positive {
		lossAxis.Type = "log"
		lossAxis.Name = "training loss (log scale)"
	}
	lossAxis.NameGap = 48
	sub := fmt.Sprintf("Loss of every training batch (faint) and its moving average over %d steps. The heads minimise different losses:\n"+
		"softmax cross-entropy; sigmoid binary cross-entropy averaged over the 10 outputs. Compare shapes, not levels.", window)
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(fmt.Sprintf("Training: %d steps per head", h.Steps), sub, height),
		charts.WithXAxisOpts(xValue("training step", 0, roundUp(steps))),
		charts.WithYAxisOpts(lossAxis),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Top: px(gridTop), Left: "80px", Right: "40px", Bottom: lossBottom}))...)
	for _, hd := range heads {
		loss := h.Loss[hd]
		xs := make([]float64, len(loss))
		raw := make([]float64, len(loss))
		avg := make([]float64, len(loss))
		var run float64
		for i, l := range loss {
			xs[i] = float64(i + 1)
			raw[i] = float64(l)
			run += float64(l)
			if i >= window {
				run -= float64(loss[i-window])
			}
			avg[i] = run / float64(min(i+1, window))
		}
		c.AddSeries(hd.String(), xy(xs, raw), line(HeadColor(hd), 1, "solid"),
			func(s *charts.SingleSeries) { s.LineStyle.Opacity = opts.Float(0.3) })
		c.AddSeries(hd.String(), xy(xs, avg), line(HeadColor(hd), 2.5, "solid"))
	}
	if !evals {
		return c
	}
	lo := 1.0
	for _, hd := range heads {
		for _, p := range h.Eval[hd] {
			lo = min(lo, p.Accuracy)
		}
	}
	accX := xValue("training step", 0, roundUp(steps))
	accX.GridIndex = 1
	c.ExtendXAxis(accX)
	acc := yValue("test accuracy (%)", math.Floor(lo*10)*10, 100)
	acc.GridIndex = 1
	acc.NameGap = 48
	c.ExtendYAxis(acc)
	c.GridList = append(c.GridList, opts.Grid{Top: px(TallHeight - 200), Left: "80px", Right: "40px", Bottom: "50px"})
	for _, hd := range heads {
		var xs, ys []float64
		for _, p := range h.Eval[hd] {
			xs = append(xs, float64(p.Step))
			ys = append(ys, 100*p.Accuracy)
		}
		c.AddSeries(hd.String(), xy(xs, ys), line(HeadColor(hd), 2.5, "solid"), func(s *charts.SingleSeries) {
			s.XAxisIndex, s.YAxisIndex = 1, 1
			s.ShowSymbol = opts.Bool(true)
			s.Symbol = "circle"
			s.SymbolSize = 6
		})
	}
	return c
}

// roundUp rounds the last step of a run up to a tick of its axis, so that the last label is round.
func roundUp(steps int) int {
	t := tick(0, float64(steps))
	return int(math.Ceil(float64(steps)/t) * t)
}

// roomAbove lowers the top of a plot, for the labels above bars that reach its top.
func roomAbove(g opts.Grid) opts.Grid {
	g.Top = px(gridTop + 20)
	return g
}

// pct turns a fraction into a percentage with one decimal.
func pct(f float64) float64 { return math.Round(1000*f) / 10 }

// tint returns a pale version of a colour "#rrggbb": a quarter of it on white.
func tint(color string) string {
	var r, g, b int
	fmt.Sscanf(color, "#%02x%02x%02x", &r, &g, &b)
	mix := func(v int) int { return 255 - (255-v)/4 }
	return fmt.Sprintf("#%02x%02x%02x", mix(r), mix(g), mix(b))
}
