package lesson

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/notebook"
	"github.com/twoheads/twoheads/plots"
	"github.com/twoheads/twoheads/refmath"
)

// The plane (lesson 3): four classes of points in the unit square, both heads trained on them, and
// maps of what they decide everywhere. The helpers keep the cells short.

// PlaneResolution is the number of cells along each side of the maps.
const PlaneResolution = 50

// PlaneData returns the points of the plane lesson: 100 per class for training, 100 for testing
// (mlcore.PlaneSplit with seed 42).
func PlaneData() mlcore.Split { return mlcore.PlaneSplit(100, 42) }

// PlaneModel returns both heads trained on PlaneData with mlcore.PlaneConfig(hidden) (0: a linear
// model), from the cache when a cell trained them before, and the map of their decisions over the
// unit square.
//
// It says so when it trains (about a second), and is silent when it loads.
func PlaneModel(hidden int) (*mlcore.Model, *mlcore.PlaneMap) {
	cfg := mlcore.PlaneConfig(hidden)
	m, hist, loaded, err := mlcore.TrainOrLoad("", PlaneData(), cfg, notebook.Progress(fmt.Sprintf("training %v on the plane", cfg.Heads)))
	Must(err)
	if !loaded {
		fmt.Printf("trained both heads (%s): %d steps, %.1fs\n", PlaneModelName(hidden), hist.Steps, hist.TrainSeconds)
	}
	pm, err := mlcore.NewPlaneMap(m, PlaneResolution)
	Must(err)
	return m, pm
}

// PlaneModelName names a model of the plane by its hidden layer: "linear", "16 hidden units".
func PlaneModelName(hidden int) string {
	if hidden == 0 {
		return "linear"
	}
	return fmt.Sprintf("%d hidden units", hidden)
}

// PlaneTitle is the title of the maps of a model of the plane.
func PlaneTitle(hidden int) string {
	if hidden == 0 {
		return "Linear model (no hidden layer): what each head decides"
	}
	return fmt.Sprintf("One hidden layer of %d ReLU units: what each head decides", hidden)
}

// PlanePlay shows the maps of the plane (plots.Regions) with two sliders: the threshold at which the
// sigmoid head is read, and the width of the hidden layer (0 is the linear model). A width not trained
// yet is trained on the spot, in about a second. See notebook.Interact.
func PlanePlay(hidden int, threshold float64) {
	data := PlaneData()
	maps := map[int]*mlcore.PlaneMap{}
	notebook.Interact([]notebook.Slider{
		{Label: "threshold of the sigmoid head", Min: 0.05, Max: 0.95, Step: 0.05, Value: threshold},
		{Label: "hidden units (0: linear model)", Choices: []float64{0, 1, 2, 3, 4, 8, 16, 64}, Value: float64(hidden)},
	}, func(v []float64) []plots.Chart {
		w := int(v[1])
		if maps[w] == nil {
			m, _, _, err := mlcore.TrainOrLoad("", data, mlcore.PlaneConfig(w), nil)
			Must(err)
			pm, err := mlcore.NewPlaneMap(m, PlaneResolution)
			Must(err)
			maps[w] = pm
		}
		return []plots.Chart{plots.Regions(PlaneTitle(w), maps[w], data.Train, v[0])}
	})
}

// MidpointTest asks head of m about n random pairs of points a, b of the unit square and their
// midpoints. affine is the largest |z(½(a + b)) − ½(z(a) + z(b))| over the logits: about 1e−6 (float32)
// when the logits are an affine function of the point, as in a linear model. leave counts the pairs
// whose two ends have the same argmax but whose midpoint does not: none when every argmax region is
// convex.
func MidpointTest(m *mlcore.Model, head mlcore.Head, n int) (affine float64, leave int) {
	rng := rand.New(rand.NewPCG(3, 5))
	pts := make([][2]float64, 0, 3*n)
	for range n {
		a := [2]float64{rng.Float64(), rng.Float64()}
		b := [2]float64{rng.Float64(), rng.Float64()}
		pts = append(pts, a, b, [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
	}
	z, err := m.Logits(head, mlcore.PlanePoints("pairs and midpoints", pts))
	Must(err)
	const k = mlcore.NumClasses
	row := func(i int) []float64 {
		r := make([]float64, k)
		for j := range r {
			r[j] = float64(z[i*k+j])
		}
		return r
	}
	for i := 0; i < len(pts); i += 3 {
		a, b, mid := row(i), row(i+1), row(i+2)
		for j := range mid {
			affine = math.Max(affine, math.Abs(mid[j]-(a[j]+b[j])/2))
		}
		if ka := refmath.Argmax(a); ka == refmath.Argmax(b) && refmath.Argmax(mid) != ka {
			leave++
		}
	}
	return affine, leave
}

// Disagreement compares the argmax maps of the two heads: the share of the plane where they differ,
// the share of those cells where one of the two answers is class 0 (the class in the middle), and the
// share of them where the softmax head's largest output is below 0.8 (where it is unsure).
func Disagreement(pm *mlcore.PlaneMap) (differ, middle, unsure float64) {
	soft, sig := pm.Argmax(mlcore.Softmax), pm.Argmax(mlcore.Sigmoid)
	probs := pm.Probs[mlcore.Softmax]
	var n, mid, uns int
	for c := range soft {
		if soft[c] == sig[c] {
			continue
		}
		n++
		if soft[c] == 0 || sig[c] == 0 {
			mid++
		}
		if probs[c*mlcore.NumClasses+soft[c]] < 0.8 {
			uns++
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	return float64(n) / float64(pm.Cells()), float64(mid) / float64(n), float64(uns) / float64(n)
}

// NLLs are a head's negative log-likelihoods on a data set with one class per example.
type NLLs struct {
	// Own is the head's own NLL (mlcore.Eval.NLL): softmax, −log p_y; sigmoid, −Σ_k log P(y_k) over its
	// ten yes/no answers.
	Own float64
	// ExactlyOne is −log P(y | exactly one yes) = CE of the head's logits: for softmax the same as Own;
	// for sigmoid the NLL it gives single-label data, comparable with softmax's.
	ExactlyOne float64
	// PExactlyOne is the mean of P(exactly one yes) under the head's ten yes/no answers, and
	// LogPExactlyOne the mean of its logarithm: for sigmoid, Own = ExactlyOne − LogPExactlyOne.
	PExactlyOne, LogPExactlyOne float64
}

// HeadNLLs returns the NLLs of every head of m on d (in float64, from the logits).
func HeadNLLs(m *mlcore.Model, d *mlcore.Dataset) map[mlcore.Head]NLLs {
	res := map[mlcore.Head]NLLs{}
	const k = mlcore.NumClasses
	for _, h := range m.Config.Heads {
		z, err := m.Logits(h, d)
		Must(err)
		var r NLLs
		row := make([]float64, k)
		for i, y := range d.Labels {
			for j := range row {
				row[j] = float64(z[i*k+j])
			}
			ce := refmath.CrossEntropy(row, int(y))
			r.ExactlyOne += ce
			logOne := refmath.LogProbExactlyOne(row)
			r.PExactlyOne += math.Exp(logOne)
			r.LogPExactlyOne += logOne
			if h.Exclusive() {
				r.Own += ce
			} else {
				r.Own += refmath.BinaryCrossEntropy(row, refmath.OneHot(int(y), k))
			}
		}
		n := float64(d.Len())
		res[h] = NLLs{Own: r.Own / n, ExactlyOne: r.ExactlyOne / n, PExactlyOne: r.PExactlyOne / n, LogPExactlyOne: r.LogPExactlyOne / n}
	}
	return res
}

// Answers returns head's answer for every example of d, read at threshold: the set of the classes
// whose output is above it (bit k for class k), which can be empty or hold several.
func Answers(m *mlcore.Model, head mlcore.Head, d *mlcore.Dataset, threshold float64) []uint16 {
	probs, err := m.Probabilities(head, d)
	Must(err)
	sets := make([]uint16, d.Len())
	for i := range sets {
		for k, v := range probs[i*mlcore.NumClasses : (i+1)*mlcore.NumClasses] {
			if float64(v) > threshold {
				sets[i] |= 1 << k
			}
		}
	}
	return sets
}

// ClassAccuracy returns the share of the examples of class k in d that head's argmax gets right.
func ClassAccuracy(m *mlcore.Model, head mlcore.Head, d *mlcore.Dataset, k int) float64 {
	probs, err := m.Probabilities(head, d)
	Must(err)
	var n, right int
	for i, y := range d.Labels {
		if int(y) != k {
			continue
		}
		n++
		if refmath.Argmax(float64s(probs[i*mlcore.NumClasses:(i+1)*mlcore.NumClasses])) == k {
			right++
		}
	}
	return float64(right) / float64(max(n, 1))
}

func float64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// AnswerKind describes a thresholded answer (a set of classes, bit k for class k) for an example of
// class k: "class k" when the answer is that class alone, "another class" for one other class, "none"
// or "several".
func AnswerKind(set uint16, k int) string {
	switch {
	case set == 0:
		return "none"
	case set&(set-1) != 0:
		return "several"
	case set == 1<<k:
		return fmt.Sprintf("class %d", k)
	}
	return "another class"
}
