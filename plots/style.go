package plots

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/mlcore"
)

// The colours of every chart. A head keeps its colour from chart to chart, so that a reader who has
// seen one chart can read the next without looking at its legend.
const (
	SoftmaxColor     = "#1f6fb4" // Blue: the softmax head, and the softmax curves of the activation charts.
	SigmoidColor     = "#e0701b" // Orange: the sigmoid head, and the sigmoid curves.
	SoftmaxNoneColor = "#6b4fbb" // Violet: the softmax head with an eleventh "none" class.
	ThresholdColor   = "#444444" // The 0.5 decision threshold of the sigmoid head.
	ErrorColor       = "#b8336a" // Mistakes: the cells of a confusion matrix off its diagonal.
	ReferenceColor   = "#9a9a9a" // Reference lines: perfect calibration, a slope, the inputs of a formula.
	InkColor         = "#202020" // The pixels of a digit image.
)

// ClassColors colour the classes (0, 1, 2, ...) of the activation charts, where the lines are classes,
// not heads. They avoid the two head colours.
var ClassColors = []string{"#2a9d8f", "#8e5ac8", "#c9a227", "#d1495b", "#5c7c99", "#6a994e", "#b5838d", "#3d405b", "#e76f51", "#264653"}

// TemperatureColors colour the temperatures of Temperature, from the coldest (sharpest) to the hottest,
// spread over the list when there are fewer temperatures. They avoid the two head colours: every bar of
// that chart is a softmax output.
var TemperatureColors = []string{"#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#bddf26"}

// HeadColor returns the colour of head h.
func HeadColor(h mlcore.Head) string { return headColors[h] }

var headColors = map[mlcore.Head]string{mlcore.Softmax: SoftmaxColor, mlcore.Sigmoid: SigmoidColor, mlcore.SoftmaxWithNone: SoftmaxNoneColor}

// Chart sizes, in CSS pixels. Every chart has a fixed size, so that it looks the same in a notebook, a
// report and a screenshot.
const (
	Width        = 900
	Height       = 460
	TallHeight   = 560
	SquareHeight = 520
)

// Layout of the top of every chart: the title, a subtitle of up to two lines, then the legend.
const (
	titleTop  = 8
	legendTop = 84
	gridTop   = 122
)

// base returns the options that every chart shares: size, title and subtitle (centred), legend, tooltip.
func base(title, subtitle string, height int) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{Width: px(Width), Height: px(height), BackgroundColor: "#ffffff"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{
			Title: title, Subtitle: subtitle, Left: "center", Top: px(titleTop),
			TitleStyle:    &opts.TextStyle{FontSize: 17, LineHeight: 22, Color: "#1a1a1a"},
			SubtitleStyle: &opts.TextStyle{FontSize: 13, LineHeight: 18, Color: "#505050"},
		}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: px(legendTop), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
	}
}

func px(n int) string { return fmt.Sprintf("%dpx", n) }

// valueAxis is a numeric axis named name, from lo to hi (nil: chosen by echarts), its name centred
// along the axis.
func valueAxis(name string, lo, hi any, gap int) (opts.XAxis, opts.YAxis) {
	x := opts.XAxis{Type: "value", Name: name, NameLocation: "middle", NameGap: gap, Min: lo, Max: hi,
		SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#ececec"}}}
	y := opts.YAxis{Type: "value", Name: name, NameLocation: "middle", NameGap: gap, Min: lo, Max: hi,
		SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#ececec"}}}
	return x, y
}

func xValue(name string, lo, hi any) opts.XAxis {
	x, _ := valueAxis(name, lo, hi, 30)
	if l, ok := number(lo); ok {
		if h, ok := number(hi); ok && h > l {
			x.MinInterval = tick(l, h)
			x.MaxInterval = x.MinInterval
		}
	}
	return x
}

// tick is a round step (1, 2, 2.5 or 5 times a power of 10) that divides [lo, hi] into at most 10, so
// that the ticks of an axis fall on round numbers.
func tick(lo, hi float64) float64 {
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/10)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if (hi-lo)/(step*m) <= 10 {
			return step * m
		}
	}
	return 10 * step
}

// number returns v as a float64 if it is a number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func yValue(name string, lo, hi any) opts.YAxis { _, y := valueAxis(name, lo, hi, 42); return y }

// grid is a plot area with the usual margins below the legend.
func grid() opts.Grid {
	return opts.Grid{Top: px(gridTop), Left: "70px", Right: "40px", Bottom: "62px"}
}

// line styles a line series: its colour, width and dash ("solid", "dashed", "dotted"), no point markers.
func line(color string, width float32, dash string) charts.SeriesOpts {
	return func(s *charts.SingleSeries) {
		s.Color = color
		s.ShowSymbol = opts.Bool(false)
		s.Symbol = "none"
		s.LineStyle = &opts.LineStyle{Color: color, Width: width, Type: dash}
		s.ItemStyle = &opts.ItemStyle{Color: color}
	}
}

// bars colours a bar series.
func bars(color string) charts.SeriesOpts {
	return func(s *charts.SingleSeries) {
		s.Color = color
		s.ItemStyle = &opts.ItemStyle{Color: color}
	}
}

// hline draws a horizontal dashed line across the plot at y, labelled label at its end.
func hline(y float64, label, color string) charts.SeriesOpts {
	return func(s *charts.SingleSeries) {
		s.MarkLines = &opts.MarkLines{
			Data: []any{opts.MarkLineNameYAxisItem{Name: label, YAxis: y}},
			MarkLineStyle: opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: color, Width: 1.5, Type: "dashed"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "{b}", Color: color},
			},
		}
	}
}

// xy pairs xs with ys as the points of a line on two value axes.
func xy(xs, ys []float64) []opts.LineData {
	d := make([]opts.LineData, len(xs))
	for i := range xs {
		d[i] = opts.LineData{Value: []float64{round(xs[i]), round(ys[i])}}
	}
	return d
}

// round keeps 5 significant digits: enough for any chart, and it keeps the pages small.
func round(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	scale := math.Pow(10, 4-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}

// patch changes the option object of a chart after go-echarts has built it, for the few echarts
// options that go-echarts has no field for (see withPatch).
type patch struct {
	charts.BaseConfigurationVisitor
	fn func(option map[string]any)
}

func (p patch) Visit(option map[string]any) { p.fn(option) }

// withPatch makes fn part of building the option object of c.
func withPatch(c interface {
	Accept(charts.ConfigurationVisitor)
}, fn func(option map[string]any)) {
	c.Accept(patch{fn: fn})
}

// linspace returns n evenly spaced values from lo to hi.
func linspace(lo, hi float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return v
}

// classNames are the category labels "0" … "9".
func classNames(k int) []string {
	s := make([]string, k)
	for i := range s {
		s[i] = fmt.Sprint(i)
	}
	return s
}
