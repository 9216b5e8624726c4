package plots

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/twoheads/twoheads/mlcore"
)

// NoneColor and SeveralColor shade the two answers that only a thresholded sigmoid head gives: no
// class above the threshold, and more than one.
const (
	NoneColor    = "#ffffff"
	SeveralColor = "#5a5a5a"
)

// RegionsHeight is the height of a Regions chart.
const RegionsHeight = 430

// Regions draws what a model trained on points of the plane (mlcore.PlaneSplit) decides all over the
// unit square, as three maps side by side: the softmax head's argmax, the sigmoid head's argmax, and
// the sigmoid head read at a threshold, where a cell can also be "none" (no output above the threshold,
// white) or "several" (dark grey). Each class has its colour, pale in the regions and full on the
// points of data drawn on top; the dotted dark lines of the third map are where an output crosses the
// threshold. pm must hold both heads.
//
// title names the model ("Linear model", "One hidden layer of 16"); the subtitle says, in numbers, how
// much of the plane the two argmaxes disagree on and how much the threshold leaves to "none" and
// "several".
func Regions(title string, pm *mlcore.PlaneMap, data *mlcore.Dataset, threshold float64) *charts.Scatter {
	for _, h := range mlcore.Heads {
		if len(pm.Probs[h]) != pm.Cells()*mlcore.NumClasses {
			panic(fmt.Sprintf("plots.Regions: the map has no %s outputs", h))
		}
	}
	if !(threshold > 0 && threshold < 1) {
		panic(fmt.Sprintf("plots.Regions: threshold %v: want 0 < t < 1", threshold))
	}
	soft, sig := pm.Argmax(mlcore.Softmax), pm.Argmax(mlcore.Sigmoid)
	sets := pm.Above(mlcore.Sigmoid, threshold)
	none, several := pm.Shares(mlcore.Sigmoid, threshold)
	differ := 0.0
	for c := range soft {
		if soft[c] != sig[c] {
			differ++
		}
	}
	differ /= float64(pm.Cells())

	const side, top, gap, left = 236, 138, 64, 52
	c := charts.NewScatter()
	cell := int(math.Ceil(float64(side)/float64(pm.Res))) + 1
	// region adds the cells of one colour of panel p.
	region := func(p int, name, color string, cells []int, style ...func(*opts.ItemStyle)) {
		if len(cells) == 0 {
			return
		}
		d := make([][2]float64, len(cells))
		for i, cl := range cells {
			xy := pm.Center(cl)
			d[i] = [2]float64{round(xy[0]), round(xy[1])}
		}
		is := &opts.ItemStyle{Color: color, Opacity: opts.Float(1)}
		for _, f := range style {
			f(is)
		}
		c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: name, Type: "scatter", XAxisIndex: p, YAxisIndex: p,
			Data: d, Symbol: "rect", SymbolSize: cell, ItemStyle: is})
	}
	classes := map[int]bool{}
	for _, l := range data.Labels {
		classes[int(l)] = true
	}
	for c := range soft {
		classes[soft[c]], classes[sig[c]] = true, true
	}
	for p, decided := range [][]int{soft, sig} {
		byClass := map[int][]int{}
		for cl, k := range decided {
			byClass[k] = append(byClass[k], cl)
		}
		for k := range mlcore.NumClasses {
			region(p, className(k), tint(ClassColors[k]), byClass[k])
		}
	}
	byAnswer := map[int][]int{}
	var noneCells, severalCells []int
	for cl, s := range sets {
		switch {
		case s == 0:
			noneCells = append(noneCells, cl)
		case s&(s-1) != 0:
			severalCells = append(severalCells, cl)
		default:
			k := 0
			for s>>k&1 == 0 {
				k++
			}
			byAnswer[k] = append(byAnswer[k], cl)
		}
	}
	for k := range mlcore.NumClasses {
		region(2, className(k), tint(ClassColors[k]), byAnswer[k])
	}
	region(2, fmt.Sprintf("none above %.2f", threshold), NoneColor, noneCells, func(is *opts.ItemStyle) {
		is.BorderColor, is.BorderWidth = "#d6d6d6", 0.6 // A faint grid: "none" is an answer, not a gap in the map.
	})
	region(2, fmt.Sprintf("several above %.2f", threshold), SeveralColor, severalCells)
	// The threshold's contours: a dot on every edge between two cells that one class's output crosses.
	var edges [][2]float64
	for cl, s := range sets {
		i, j := cl%pm.Res, cl/pm.Res
		if i+1 < pm.Res && s != sets[cl+1] {
			edges = append(edges, [2]float64{round(float64(i+1) / float64(pm.Res)), round((float64(j) + 0.5) / float64(pm.Res))})
		}
		if j+1 < pm.Res && s != sets[cl+pm.Res] {
			edges = append(edges, [2]float64{round((float64(i) + 0.5) / float64(pm.Res)), round(float64(j+1) / float64(pm.Res))})
		}
	}
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: fmt.Sprintf("an output crosses %.2f", threshold), Type: "scatter",
		XAxisIndex: 2, YAxisIndex: 2, Data: edges, Symbol: "circle", SymbolSize: 2,
		ItemStyle: &opts.ItemStyle{Color: ThresholdColor}})
	// The data, on every map.
	points := map[int][][2]float64{}
	for i := range data.Len() {
		x := data.Image(i)
		points[int(data.Labels[i])] = append(points[int(data.Labels[i])], [2]float64{round(float64(x[0])), round(float64(x[1]))})
	}
	for p := range 3 {
		for k := range mlcore.NumClasses {
			if len(points[k]) == 0 {
				continue
			}
			c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: className(k), Type: "scatter", XAxisIndex: p, YAxisIndex: p,
				Data: points[k], Symbol: "circle", SymbolSize: 5,
				ItemStyle: &opts.ItemStyle{Color: ClassColors[k], BorderColor: "#ffffff", BorderWidth: 0.6}})
		}
	}

	var legend []string
	for k := range mlcore.NumClasses {
		if classes[k] {
			legend = append(legend, className(k))
		}
	}
	legend = append(legend, fmt.Sprintf("none above %.2f", threshold), fmt.Sprintf("several above %.2f", threshold),
		fmt.Sprintf("an output crosses %.2f", threshold))
	c.SetGlobalOptions(append(base(title,
		fmt.Sprintf("The argmaxes differ on %.1f%% of the plane. Read at %.2f, the sigmoid head says \"none\" on %.1f%% and \"several\" on %.1f%%.",
			100*differ, threshold, 100*none, 100*several), RegionsHeight),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: px(legendTop - 22), Left: "center", Data: legend,
			ItemWidth: 14, ItemHeight: 10}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(false)}))...)
	captions := []struct {
		text string
		head mlcore.Head
	}{
		{"softmax: argmax", mlcore.Softmax},
		{"sigmoid: argmax", mlcore.Sigmoid},
		{fmt.Sprintf("sigmoid: every class above %.2f", threshold), mlcore.Sigmoid},
	}
	var grids []opts.Grid
	for p := range 3 {
		x := left + p*(side+gap)
		grids = append(grids, opts.Grid{Top: px(top), Left: px(x), Width: px(side), Height: px(side)})
		xa := opts.XAxis{Type: "value", Min: 0, Max: 1, GridIndex: p, Name: "x₁", NameLocation: "middle", NameGap: 22,
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}, AxisLabel: &opts.AxisLabel{Interval: "0"}}
		ya := opts.YAxis{Type: "value", Min: 0, Max: 1, GridIndex: p, Name: "x₂", NameLocation: "middle", NameGap: 28,
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}
		if p == 0 {
			c.XAxisList[0], c.YAxisList[0] = xa, ya
		} else {
			c.ExtendXAxis(xa)
			c.ExtendYAxis(ya)
		}
	}
	c.GridList = grids
	withPatch(c, func(o map[string]any) {
		titles := []any{o["title"]}
		for p, cp := range captions {
			titles = append(titles, caption(cp.text, left+p*(side+gap)+side/2, top-26, HeadColor(cp.head)))
		}
		o["title"] = titles
	})
	return c
}

// className names class k in legends.
func className(k int) string { return fmt.Sprintf("class %d", k) }
