package plots

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/refmath"
)

// curvePoints is the number of points of every curve: a step of 0.1 over [−8, 8].
const curvePoints = 161

// SigmoidCurve draws the sigmoid σ(z) = 1/(1 + e^(−z)) and its derivative σ′(z) = σ(z)(1 − σ(z))
// for z from −8 to 8, with the 0.5 level that σ crosses at z = 0.
func SigmoidCurve() *charts.Line {
	zs := linspace(-8, 8, curvePoints)
	s := make([]float64, len(zs))
	ds := make([]float64, len(zs))
	for i, z := range zs {
		s[i] = refmath.Sigmoid(z)
		ds[i] = refmath.SigmoidDeriv(z)
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base("The sigmoid σ(z) and its slope σ′(z)",
		"σ(z) = 1 / (1 + e^(−z)) squashes any logit z into (0, 1); σ(0) = 0.5 and σ(−z) = 1 − σ(z).\n"+
			"The slope σ′(z) = σ(z)(1 − σ(z)) is at most 0.25, at z = 0, and vanishes for large |z|.", Height),
		charts.WithXAxisOpts(xValue("logit z", -8, 8)),
		charts.WithYAxisOpts(yValue("output", 0, 1)),
		charts.WithGridOpts(grid()))...)
	c.AddSeries("σ(z)", xy(zs, s), line(SigmoidColor, 3, "solid"), hline(0.5, "0.5", ThresholdColor))
	c.AddSeries("σ′(z) = σ(z)(1 − σ(z))", xy(zs, ds), line(SigmoidColor, 2, "dashed"))
	return c
}

// SoftmaxSweep draws the softmax of the logits z while logit k moves from lo to hi and the others stay
// as they are in z: one line per class, p_i = e^(z_i) / Σ_j e^(z_j). Use it with 2 or 3 logits: the
// outputs always sum to 1, so raising z_k takes probability from every other class, and where z_k
// crosses another logit their two probabilities are equal.
//
// It panics unless z has 2 to len(ClassColors) logits, k indexes z and lo < hi.
func SoftmaxSweep(z []float64, k int, lo, hi float64) *charts.Line {
	if len(z) < 2 || len(z) > len(ClassColors) || k < 0 || k >= len(z) || !(lo < hi) {
		panic(fmt.Sprintf("plots.SoftmaxSweep: %d logits, moving logit %d over [%g, %g]: want 2 to %d logits, 0 ≤ k < len(z), lo < hi",
			len(z), k, lo, hi, len(ClassColors)))
	}
	ts := linspace(lo, hi, curvePoints)
	ps := make([][]float64, len(z)) // ps[i][t]
	for i := range ps {
		ps[i] = make([]float64, len(ts))
	}
	zz := append([]float64(nil), z...)
	for t, v := range ts {
		zz[k] = v
		for i, p := range refmath.Softmax(zz) {
			ps[i][t] = p
		}
	}
	var fixed []string
	for i, v := range z {
		if i != k {
			fixed = append(fixed, fmt.Sprintf("z%s = %g", sub(i), v))
		}
	}
	stay := "stay fixed"
	if len(fixed) == 1 {
		stay = "stays fixed"
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(fmt.Sprintf("Softmax of %d logits as z%s moves", len(z), sub(k)),
		fmt.Sprintf("%s %s. The %d outputs always sum to 1: raising z%s takes probability from every other class.\n"+
			"Where z%s crosses another logit, their two probabilities are equal.", strings.Join(fixed, ", "), stay, len(z), sub(k), sub(k)), Height),
		charts.WithXAxisOpts(xValue(fmt.Sprintf("logit z%s", sub(k)), lo, hi)),
		charts.WithYAxisOpts(yValue("probability", 0, 1)),
		charts.WithGridOpts(grid()))...)
	for i := range z {
		name := fmt.Sprintf("p%s", sub(i))
		width := float32(2.5)
		if i == k {
			name += fmt.Sprintf(" (z%s moves)", sub(i))
			width = 3.5
		}
		c.AddSeries(name, xy(ts, ps[i]), line(ClassColors[i], width, "solid"))
	}
	return c
}

// TwoClassSoftmax shows that with two classes softmax is a sigmoid of the logit difference:
//
//	softmax(z₀, z₁)₁ = e^(z₁) / (e^(z₀) + e^(z₁)) = 1 / (1 + e^(−(z₁ − z₀))) = σ(z₁ − z₀).
//
// Logit z₀ stays at z0 while z₁ moves; both sides of the identity are drawn against z₁ − z₀, the
// softmax as a wide band and the sigmoid as a dashed line on top of it: they coincide for any z0.
func TwoClassSoftmax(z0 float64) *charts.Line {
	ds := linspace(-8, 8, curvePoints)
	sm := make([]float64, len(ds))
	sg := make([]float64, len(ds))
	for i, d := range ds {
		sm[i] = refmath.Softmax([]float64{z0, z0 + d})[1]
		sg[i] = refmath.Sigmoid(d)
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base("Two classes: softmax is the sigmoid of the logit difference",
		fmt.Sprintf("softmax(z₀, z₁)₁ = e^z₁ / (e^z₀ + e^z₁) = 1 / (1 + e^(−(z₁ − z₀))) = σ(z₁ − z₀).\n"+
			"Here z₀ = %g and z₁ moves: the two curves lie on top of each other.", z0), Height),
		charts.WithXAxisOpts(xValue("logit difference z₁ − z₀", -8, 8)),
		charts.WithYAxisOpts(yValue("probability of class 1", 0, 1)),
		charts.WithGridOpts(grid()))...)
	c.AddSeries(fmt.Sprintf("softmax(z₀, z₁)₁ with z₀ = %g", z0), xy(ds, sm), line(SoftmaxColor, 9, "solid"),
		func(s *charts.SingleSeries) { s.LineStyle.Opacity = opts.Float(0.45) })
	c.AddSeries("σ(z₁ − z₀)", xy(ds, sg), line(SigmoidColor, 2.5, "dashed"), hline(0.5, "0.5", ThresholdColor))
	return c
}

// Temperature draws softmax(z / T) for each temperature T, as bars grouped by class. A temperature
// below 1 sharpens the distribution towards the largest logit (one-hot as T → 0), above 1 it flattens it
// towards the uniform 1/K; the order of the probabilities, and so the argmax, never changes.
//
// It panics unless z has 2 to len(ClassColors) logits and every temperature is positive.
func Temperature(z []float64, temps ...float64) *charts.Bar {
	if len(z) < 2 || len(z) > len(ClassColors) || len(temps) == 0 {
		panic(fmt.Sprintf("plots.Temperature: %d logits and %d temperatures: want 2 to %d logits and at least one temperature",
			len(z), len(temps), len(ClassColors)))
	}
	cats := make([]string, len(z))
	for i, v := range z {
		cats[i] = fmt.Sprintf("class %d (z%s = %g)", i, sub(i), v)
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base("Temperature: softmax(z / T)",
		"Dividing the logits by T < 1 sharpens the distribution towards the largest logit; T > 1 flattens it towards 1/K.\n"+
			"The order of the probabilities, and so the argmax, never changes.", Height),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 13}}),
		charts.WithYAxisOpts(yValue("probability", 0, 1)),
		charts.WithGridOpts(grid()))...)
	c.SetXAxis(cats)
	for i, t := range temps {
		if !(t > 0) {
			panic(fmt.Sprintf("plots.Temperature: temperature %g: want T > 0", t))
		}
		p := refmath.SoftmaxT(z, t)
		d := make([]opts.BarData, len(p))
		for j := range p {
			d[j] = opts.BarData{Value: round(p[j])}
		}
		var extra []charts.SeriesOpts
		if i == 0 {
			extra = append(extra, hline(1/float64(len(z)), fmt.Sprintf("uniform 1/K = %.3g", 1/float64(len(z))), ReferenceColor))
		}
		c.AddSeries(fmt.Sprintf("T = %g", t), d, append(extra, bars(spread(TemperatureColors, i, len(temps))))...)
	}
	return c
}

// spread picks item i of n from colors, spacing the n picks evenly over the list.
func spread(colors []string, i, n int) string {
	if n <= 1 {
		return colors[0]
	}
	if n > len(colors) {
		return colors[i%len(colors)]
	}
	return colors[i*(len(colors)-1)/(n-1)]
}

// sub writes a class index as subscript digits: 12 → "₁₂".
func sub(i int) string {
	var b strings.Builder
	for _, r := range fmt.Sprint(i) {
		b.WriteRune('₀' + (r - '0'))
	}
	return b.String()
}
