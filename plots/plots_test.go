package plots_test

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/plots/plotstest"

	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/plots"
)

// option returns the echarts option object of c as the browser receives it, as plain JSON values.
func option(t *testing.T, c components.Charter) map[string]any {
	t.Helper()
	c.Validate()
	b, err := json.Marshal(c.(interface{ JSON() map[string]any }).JSON())
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// get walks an option: get(o, "series", 0, "data") is o.series[0].data.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

func num(t *testing.T, v any, path ...any) float64 {
	t.Helper()
	f, ok := get(t, v, path...).(float64)
	if !ok {
		t.Fatalf("%v: %v is not a number", path, get(t, v, path...))
	}
	return f
}

func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, _ := get(t, v, path...).(string)
	return s
}

func length(t *testing.T, v any, path ...any) int {
	t.Helper()
	a, _ := get(t, v, path...).([]any)
	return len(a)
}

// points returns the [x, y] points of a line series.
func points(t *testing.T, o map[string]any, series int) [][2]float64 {
	t.Helper()
	var ps [][2]float64
	for _, d := range get(t, o, "series", series, "data").([]any) {
		v := d.(map[string]any)["value"].([]any)
		ps = append(ps, [2]float64{v[0].(float64), v[1].(float64)})
	}
	return ps
}

// barValues returns the values of a bar series.
func barValues(t *testing.T, o map[string]any, series int) []float64 {
	t.Helper()
	var vs []float64
	for _, d := range get(t, o, "series", series, "data").([]any) {
		vs = append(vs, d.(map[string]any)["value"].(float64))
	}
	return vs
}

// markLineY returns the y of the horizontal mark line of a series, or NaN.
func markLineY(t *testing.T, o map[string]any, series int) float64 {
	t.Helper()
	ml, _ := get(t, o, "series", series).(map[string]any)["markLine"].(map[string]any)
	if ml == nil {
		return math.NaN()
	}
	y, ok := get(t, ml, "data", 0, "yAxis").(float64)
	if !ok {
		return math.NaN()
	}
	return y
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func TestSigmoidCurve(t *testing.T) {
	o := option(t, plots.SigmoidCurve())
	if n := length(t, o, "series"); n != 2 {
		t.Fatalf("%d series, want σ and σ′", n)
	}
	if num(t, o, "xAxis", 0, "min") != -8 || num(t, o, "xAxis", 0, "max") != 8 || num(t, o, "yAxis", 0, "min") != 0 || num(t, o, "yAxis", 0, "max") != 1 {
		t.Errorf("axes: x %v, y %v", get(t, o, "xAxis"), get(t, o, "yAxis"))
	}
	if y := markLineY(t, o, 0); y != 0.5 {
		t.Errorf("0.5 line at %v", y)
	}
	s, ds := points(t, o, 0), points(t, o, 1)
	for i, p := range s {
		if !near(p[1], sigmoid(p[0]), 1e-4) || !near(ds[i][1], sigmoid(p[0])*(1-sigmoid(p[0])), 1e-4) {
			t.Fatalf("at z = %v: σ %v, σ′ %v", p[0], p[1], ds[i][1])
		}
		if p[0] == 0 && (p[1] != 0.5 || ds[i][1] != 0.25) {
			t.Errorf("σ(0) = %v, σ′(0) = %v", p[1], ds[i][1])
		}
	}
	if str(t, o, "series", 0, "color") != plots.SigmoidColor || str(t, o, "series", 1, "lineStyle", "type") != "dashed" {
		t.Errorf("σ must be the sigmoid colour, σ′ dashed")
	}
}

func TestSoftmaxSweep(t *testing.T) {
	for _, z := range [][]float64{{0, 0}, {1, 0, -1}} {
		k := len(z) - 1
		o := option(t, plots.SoftmaxSweep(z, k, -6, 6))
		if n := length(t, o, "series"); n != len(z) {
			t.Fatalf("%d logits: %d series", len(z), n)
		}
		if num(t, o, "xAxis", 0, "min") != -6 || num(t, o, "xAxis", 0, "max") != 6 || num(t, o, "yAxis", 0, "max") != 1 {
			t.Errorf("axes: x %v", get(t, o, "xAxis"))
		}
		ps := make([][][2]float64, len(z))
		for i := range z {
			ps[i] = points(t, o, i)
		}
		for j := range ps[0] {
			var sum float64
			for i := range z {
				sum += ps[i][j][1]
			}
			if !near(sum, 1, 1e-4) {
				t.Fatalf("%d logits, z%d = %v: outputs sum to %v", len(z), k, ps[0][j][0], sum)
			}
			if len(z) == 2 && !near(ps[1][j][1], sigmoid(ps[1][j][0]), 1e-4) {
				t.Fatalf("two logits (0, t): p₁(%v) = %v, want σ(t)", ps[1][j][0], ps[1][j][1])
			}
		}
		if !strings.Contains(str(t, o, "series", k, "name"), "moves") {
			t.Errorf("the moving logit's line is not named so: %q", str(t, o, "series", k, "name"))
		}
	}
	for _, bad := range []func(){
		func() { plots.SoftmaxSweep([]float64{1}, 0, -1, 1) },
		func() { plots.SoftmaxSweep([]float64{1, 2}, 2, -1, 1) },
		func() { plots.SoftmaxSweep([]float64{1, 2}, 0, 1, -1) },
	} {
		if !panics(bad) {
			t.Error("bad arguments did not panic")
		}
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

func TestTwoClassSoftmaxCurvesCoincide(t *testing.T) {
	o := option(t, plots.TwoClassSoftmax(2))
	if n := length(t, o, "series"); n != 2 {
		t.Fatalf("%d series", n)
	}
	sm, sg := points(t, o, 0), points(t, o, 1)
	if len(sm) != len(sg) || len(sm) < 100 {
		t.Fatalf("%d and %d points", len(sm), len(sg))
	}
	for i := range sm {
		if sm[i][0] != sg[i][0] || !near(sm[i][1], sg[i][1], 1e-4) || !near(sg[i][1], sigmoid(sg[i][0]), 1e-4) {
			t.Fatalf("at z₁ − z₀ = %v: softmax %v, σ %v", sm[i][0], sm[i][1], sg[i][1])
		}
	}
	if str(t, o, "series", 0, "color") != plots.SoftmaxColor || str(t, o, "series", 1, "color") != plots.SigmoidColor {
		t.Error("softmax and sigmoid curves must have their heads' colours")
	}
	if markLineY(t, o, 1) != 0.5 {
		t.Error("no 0.5 line")
	}
}

func TestTemperature(t *testing.T) {
	z := []float64{2, 1, 0.5, -1}
	temps := []float64{0.25, 1, 5}
	o := option(t, plots.Temperature(z, temps...))
	if n := length(t, o, "series"); n != len(temps) {
		t.Fatalf("%d series for %d temperatures", n, len(temps))
	}
	if length(t, o, "xAxis", 0, "data") != len(z) {
		t.Errorf("categories: %v", get(t, o, "xAxis", 0, "data"))
	}
	prevMax := 2.0
	for i := range temps {
		p := barValues(t, o, i)
		var sum float64
		for j, v := range p {
			sum += v
			if j > 0 && v > p[j-1] {
				t.Errorf("T = %v: the order of the probabilities changed: %v", temps[i], p)
			}
		}
		if !near(sum, 1, 2e-3) || !(p[0] < prevMax) {
			t.Errorf("T = %v: %v (sum %v); a higher temperature must flatten", temps[i], p, sum)
		}
		prevMax = p[0]
	}
	if y := markLineY(t, o, 0); !near(y, 0.25, 1e-9) {
		t.Errorf("uniform line at %v, want 1/K = 0.25", y)
	}
	if !panics(func() { plots.Temperature(z, 0) }) {
		t.Error("T = 0 did not panic")
	}
}

func TestExample(t *testing.T) {
	r := fakeRun(t)
	_, several := r.interesting()
	o := option(t, plots.Example(r.test, several, r.probs))
	if n := length(t, o, "series"); n != 3 {
		t.Fatalf("%d series, want softmax and sigmoid bars and the image", n)
	}
	for h, head := range mlcore.Heads {
		v := barValues(t, o, h)
		if len(v) != 10 {
			t.Fatalf("%s: %d bars", head, len(v))
		}
		var sum float64
		for j, p := range v {
			sum += p
			if !near(p, float64(r.probs[head][several*10+j]), 1e-3) {
				t.Errorf("%s bar %d = %v, want %v", head, j, p, r.probs[head][several*10+j])
			}
		}
		name := str(t, o, "series", h, "name")
		if !strings.Contains(name, fmt.Sprintf("Σ = %.2f", sum)[:len("Σ = 1.")]) || !strings.HasPrefix(name, head.String()) {
			t.Errorf("%s series is named %q: it must say the sum %.3f", head, name, sum)
		}
		if str(t, o, "series", h, "color") != plots.HeadColor(head) {
			t.Errorf("%s bars are %s", head, str(t, o, "series", h, "color"))
		}
	}
	if y := markLineY(t, o, 1); y != 0.5 {
		t.Errorf("sigmoid 0.5 threshold at %v", y)
	}
	if str(t, o, "series", 2, "type") != "heatmap" || length(t, o, "series", 2, "data") != r.test.Features {
		t.Errorf("image series: %v with %d cells", str(t, o, "series", 2, "type"), length(t, o, "series", 2, "data"))
	}
	if num(t, o, "visualMap", 0, "seriesIndex") != 2 {
		t.Error("the image's colour map must apply to the image only")
	}
	if get(t, o, "yAxis", 1, "inverse") != true || num(t, o, "yAxis", 0, "max") != 1 {
		t.Errorf("y axes: %v", get(t, o, "yAxis"))
	}
	sub := str(t, o, "title", "subtext")
	if !strings.Contains(sub, "several classes") || !strings.Contains(sub, "sum to 1.000") {
		t.Errorf("subtitle %q does not say what each head decides", sub)
	}
	only := map[mlcore.Head][]float32{mlcore.Softmax: r.probs[mlcore.Softmax]}
	if n := length(t, option(t, plots.Example(r.test, 0, only)), "series"); n != 2 {
		t.Errorf("one head: %d series", n)
	}
	if !panics(func() { plots.Example(r.test, r.test.Len(), r.probs) }) {
		t.Error("an example out of range did not panic")
	}
}

func TestConfusion(t *testing.T) {
	r := fakeRun(t)
	e := r.evals[1]
	o := option(t, plots.Confusion(e))
	cells := get(t, o, "series", 0, "data").([]any)
	var total, right int
	for _, c := range cells {
		v := c.([]any)
		x, y, n, shade := int(v[0].(float64)), int(v[1].(float64)), int(v[2].(float64)), v[3].(float64)
		if n != e.Confusion[y][x] || n == 0 {
			t.Errorf("cell (%d, %d) = %d, want %d", x, y, n, e.Confusion[y][x])
		}
		if (x == y) != (shade > 0) {
			t.Errorf("cell (%d, %d) shade %v: right answers > 0, mistakes < 0", x, y, shade)
		}
		total += n
		if x == y {
			right += n
		}
	}
	if total != e.N || !near(float64(right)/float64(total), e.Accuracy, 1e-12) {
		t.Errorf("cells hold %d images, %d right; want %d, accuracy %v", total, right, e.N, e.Accuracy)
	}
	if length(t, o, "xAxis", 0, "data") != 10 || length(t, o, "yAxis", 0, "data") != 10 || get(t, o, "yAxis", 0, "inverse") != true {
		t.Errorf("axes: %v %v", get(t, o, "xAxis"), get(t, o, "yAxis"))
	}
	if num(t, o, "visualMap", 0, "dimension") != 3 || !strings.Contains(fmt.Sprint(get(t, o, "visualMap", 0, "inRange", "color")), plots.SigmoidColor) {
		t.Errorf("colour map: %v", get(t, o, "visualMap"))
	}
	if !strings.Contains(str(t, o, "title", "text"), "sigmoid") {
		t.Errorf("title %q", str(t, o, "title", "text"))
	}
}

func TestOutputSums(t *testing.T) {
	r := fakeRun(t)
	o := option(t, plots.OutputSums(r.evals...))
	if n := length(t, o, "series"); n != 2 {
		t.Fatalf("%d series", n)
	}
	cats := get(t, o, "xAxis", 0, "data").([]any)
	one := -1
	for i, c := range cats {
		if c == "1.0" {
			one = i
		}
	}
	for h := range 2 {
		v := barValues(t, o, h)
		var sum float64
		for _, p := range v {
			sum += p
		}
		if len(v) != len(cats) || !near(sum, 100, 0.1) {
			t.Errorf("series %d: %d bins summing to %v%%", h, len(v), sum)
		}
	}
	if one < 0 || barValues(t, o, 0)[one] != 100 {
		t.Errorf("softmax sums must all fall in the bin of 1.0 (%d)", one)
	}
	if get(t, o, "series", 0, "markLine", "data", 0, "xAxis") != "1.0" {
		t.Error("no line at Σ = 1")
	}
}

func TestAboveHalf(t *testing.T) {
	r := fakeRun(t)
	o := option(t, plots.AboveHalf(r.evals...))
	if length(t, o, "xAxis", 0, "data") != 3 || num(t, o, "yAxis", 0, "max") != 100 {
		t.Errorf("axes %v %v", get(t, o, "xAxis"), get(t, o, "yAxis"))
	}
	for h, e := range r.evals {
		v := barValues(t, o, h)
		if !near(v[0], 100*e.FracNone, 0.051) || !near(v[2], 100*e.FracSeveral, 0.051) || !near(v[0]+v[1]+v[2], 100, 0.15) {
			t.Errorf("%s: %v, want none %.1f%%, several %.1f%%", e.Head, v, 100*e.FracNone, 100*e.FracSeveral)
		}
	}
	if barValues(t, o, 0)[2] != 0 {
		t.Error("softmax cannot have several outputs above 0.5")
	}
}

func TestReliability(t *testing.T) {
	r := fakeRun(t)
	o := option(t, plots.Reliability(r.evals...))
	if n := length(t, o, "series"); n != 3 {
		t.Fatalf("%d series, want the diagonal and two heads", n)
	}
	title := str(t, o, "title", "text")
	for _, e := range r.evals {
		if !strings.Contains(title, fmt.Sprintf("%s %.4f", e.Head, e.ECE)) {
			t.Errorf("title %q lacks the ECE of %s (%.4f)", title, e.Head, e.ECE)
		}
	}
	for h, e := range r.evals {
		nonEmpty := 0
		for _, b := range e.Reliability {
			if b.Count > 0 {
				nonEmpty++
			}
		}
		ps := points(t, o, h+1)
		if len(ps) != nonEmpty {
			t.Errorf("%s: %d points for %d non-empty bins", e.Head, len(ps), nonEmpty)
		}
		for _, p := range ps {
			if p[0] < 0 || p[0] > 1 || p[1] < 0 || p[1] > 1 {
				t.Errorf("%s: point %v outside the unit square", e.Head, p)
			}
		}
	}
	if d := points(t, o, 0); d[0] != [2]float64{0, 0} || d[1] != [2]float64{1, 1} {
		t.Errorf("diagonal %v", d)
	}
	for _, ax := range []string{"xAxis", "yAxis"} {
		if num(t, o, ax, 0, "min") != 0 || num(t, o, ax, 0, "max") != 1 {
			t.Errorf("%s %v", ax, get(t, o, ax))
		}
	}
}

func TestTraining(t *testing.T) {
	r := fakeRun(t)
	o := option(t, plots.Training(r.hist))
	if n := length(t, o, "series"); n != 6 {
		t.Fatalf("%d series, want loss, its average and accuracy per head", n)
	}
	if length(t, o, "grid") != 2 || str(t, o, "yAxis", 0, "type") != "log" || num(t, o, "yAxis", 1, "max") != 100 {
		t.Errorf("grids %v, y axes %v", get(t, o, "grid"), get(t, o, "yAxis"))
	}
	if len(points(t, o, 0)) != r.hist.Steps {
		t.Errorf("%d loss points for %d steps", len(points(t, o, 0)), r.hist.Steps)
	}
	if acc := points(t, o, 4); len(acc) != len(r.hist.Eval[mlcore.Softmax]) || num(t, o, "series", 4, "xAxisIndex") != 1 {
		t.Errorf("accuracy series: %d points", len(acc))
	}
	noEval := *r.hist
	noEval.Eval = nil
	o = option(t, plots.Training(&noEval))
	if length(t, o, "series") != 4 || length(t, o, "grid") != 1 {
		t.Errorf("without evaluations: %d series, %d grids", length(t, o, "series"), length(t, o, "grid"))
	}
}

// TestFragmentIsSafeToRunAgain checks the HTML a notebook cell gets: fresh element ids each time, all
// code inside functions (no global declarations that a re-run would repeat), nothing fetched.
func TestFragmentIsSafeToRunAgain(t *testing.T) {
	plotstest.NeedEcharts(t)
	a, err := plots.Fragment(plots.SigmoidCurve(), plots.TwoClassSoftmax(0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := plots.Fragment(plots.SigmoidCurve())
	if err != nil {
		t.Fatal(err)
	}
	ids := regexp.MustCompile(`id="(twoheads-[0-9a-f]+)"`)
	seen := map[string]bool{}
	for _, m := range append(ids.FindAllStringSubmatch(a, -1), ids.FindAllStringSubmatch(b, -1)...) {
		if seen[m[1]] {
			t.Errorf("id %s used twice", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d chart elements, want 3", len(seen))
	}
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(a, -1)
	if len(scripts) != 1 {
		t.Fatalf("%d scripts", len(scripts))
	}
	for _, stmt := range regexp.MustCompile(`(?m)^\S.*$`).FindAllString(scripts[0][1], -1) {
		if !strings.HasPrefix(stmt, "(function") && !strings.HasPrefix(stmt, "})(") {
			t.Errorf("top-level statement outside a function: %.60q", stmt)
		}
	}
	for _, bad := range []string{"<script src", "https:", "http:", "require.config"} {
		if strings.Contains(a, bad) {
			t.Errorf("the fragment contains %q", bad)
		}
	}
	if !strings.Contains(a, `"twoheads/echarts@`+plots.EchartsVersion+`"`) {
		t.Error("the fragment does not check the page for the library")
	}
}

func TestDrawingNothingOrNotACharter(t *testing.T) {
	if _, err := plots.Fragment(); err == nil {
		t.Error("Fragment() with no chart")
	}
	var nilChart *struct{ components.Charter }
	if _, err := plots.Fragment(nilChart); err == nil {
		t.Error("Fragment of a nil chart")
	}
}

func TestHeadColors(t *testing.T) {
	if plots.HeadColor(mlcore.Softmax) != plots.SoftmaxColor || plots.HeadColor(mlcore.Sigmoid) != plots.SigmoidColor || plots.SoftmaxColor == plots.SigmoidColor {
		t.Error("each head has its own colour")
	}
}
