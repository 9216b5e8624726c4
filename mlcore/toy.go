package mlcore

import (
	"fmt"
	"math/rand/v2"
)

// The plane: a toy data set of points (x₁, x₂) in the unit square, in PlaneClasses classes, small
// enough that a model trains in a second and every decision it makes can be drawn as a map. Each point
// is an "image" of 1×2 pixels, so that Train, Probabilities and the rest work on it unchanged; the
// models still have NumClasses outputs, and classes PlaneClasses..9 never occur.

// PlaneClasses is the number of classes of the plane data set.
const PlaneClasses = 4

// PlaneCentres are the centres of the classes: class 0 in the middle, surrounded by classes 1, 2 and 3.
// A straight line separates each outer class from the rest, but none separates the middle class from
// the rest: one-vs-rest with linear scores cannot carve it out, a softmax over linear scores can.
var PlaneCentres = [PlaneClasses][2]float64{{0.5, 0.5}, {0.2, 0.25}, {0.8, 0.25}, {0.5, 0.82}}

// PlaneSpread is the standard deviation of each class around its centre, in each coordinate.
const PlaneSpread = 0.09

// PlaneSplit returns n points per class for training and n for testing, drawn from Gaussians around
// PlaneCentres (points outside the unit square are drawn again), in a random order. The same seed
// gives the same points.
func PlaneSplit(n int, seed int64) Split {
	if n <= 0 {
		panic(fmt.Sprintf("mlcore.PlaneSplit: %d points per class", n))
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x706c_616e_65)) // "plane"
	draw := func(name string) *Dataset {
		d := &Dataset{Name: name, Height: 1, Width: 2, Features: 2}
		order := rng.Perm(n * PlaneClasses)
		d.Images = make([]float32, 2*len(order))
		d.Labels = make([]int32, len(order))
		for i, o := range order {
			k := o % PlaneClasses
			x, y := -1.0, -1.0
			for x < 0 || x > 1 || y < 0 || y > 1 {
				x = PlaneCentres[k][0] + PlaneSpread*rng.NormFloat64()
				y = PlaneCentres[k][1] + PlaneSpread*rng.NormFloat64()
			}
			d.Images[2*i], d.Images[2*i+1], d.Labels[i] = float32(x), float32(y), int32(k)
		}
		return d
	}
	train := draw("plane/train")
	return Split{Train: train, Test: draw("plane/test")}
}

// PlaneConfig returns the training settings of the plane: one hidden layer of hidden ReLU units (0: a
// linear model), batches of 32, Adam with learning rate 0.05, 120 epochs, seed 42, no evaluations
// during training. With 100 points per class that is 1,440 steps: about a second.
func PlaneConfig(hidden int) Config {
	c := DefaultConfig()
	c.Hidden = nil
	if hidden > 0 {
		c.Hidden = []int{hidden}
	}
	c.BatchSize = 32
	c.LearningRate = 0.05
	c.Epochs = 120
	c.EvalEvery = -1
	return c
}

// PlaneGrid returns the centres of the cells of a res×res grid over the unit square, as a data set
// (labels 0), for drawing a model's decisions over the whole plane. Cell (i, j), column i from the
// left and row j from the bottom, is example j·res + i, at ((i + ½)/res, (j + ½)/res).
func PlaneGrid(res int) *Dataset {
	if res <= 0 {
		panic(fmt.Sprintf("mlcore.PlaneGrid: resolution %d", res))
	}
	d := &Dataset{Name: fmt.Sprintf("plane/grid %d×%d", res, res), Height: 1, Width: 2, Features: 2,
		Images: make([]float32, 2*res*res), Labels: make([]int32, res*res)}
	for j := range res {
		for i := range res {
			e := j*res + i
			d.Images[2*e] = float32((float64(i) + 0.5) / float64(res))
			d.Images[2*e+1] = float32((float64(j) + 0.5) / float64(res))
		}
	}
	return d
}

// PlanePoints returns the points as a data set (labels 0), to ask a model about any points of the
// unit square. It panics if a point is outside it.
func PlanePoints(name string, points [][2]float64) *Dataset {
	d := &Dataset{Name: name, Height: 1, Width: 2, Features: 2, Images: make([]float32, 2*len(points)), Labels: make([]int32, len(points))}
	for i, p := range points {
		if !(p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1) {
			panic(fmt.Sprintf("mlcore.PlanePoints: point %d, %v, is outside the unit square", i, p))
		}
		d.Images[2*i], d.Images[2*i+1] = float32(p[0]), float32(p[1])
	}
	return d
}

// PlaneMap is what a model decides all over the unit square: each head's logits and outputs at the
// centres of the cells of a Res×Res grid (PlaneGrid).
type PlaneMap struct {
	Res    int
	Heads  []Head
	Logits map[Head][]float32 // NumClasses per cell, cells in the order of PlaneGrid.
	Probs  map[Head][]float32
}

// NewPlaneMap evaluates every head of m on the res×res grid of the unit square.
func NewPlaneMap(m *Model, res int) (*PlaneMap, error) {
	grid := PlaneGrid(res)
	p := &PlaneMap{Res: res, Heads: m.Config.Heads, Logits: map[Head][]float32{}, Probs: map[Head][]float32{}}
	for _, h := range p.Heads {
		z, err := m.Logits(h, grid)
		if err != nil {
			return nil, err
		}
		probs := make([]float32, len(z))
		row := make([]float64, NumClasses)
		for c := 0; c < len(z); c += NumClasses {
			for k := range row {
				row[k] = float64(z[c+k])
			}
			for k, v := range h.Outputs(row) {
				probs[c+k] = float32(v)
			}
		}
		p.Logits[h], p.Probs[h] = z, probs
	}
	return p, nil
}

// Cells returns the number of cells, Res².
func (p *PlaneMap) Cells() int { return p.Res * p.Res }

// Argmax returns, for every cell, the class of head h's largest output.
func (p *PlaneMap) Argmax(h Head) []int {
	out := make([]int, p.Cells())
	probs := p.Probs[h]
	for c := range out {
		row := probs[c*NumClasses : (c+1)*NumClasses]
		best := 0
		for k, v := range row {
			if v > row[best] {
				best = k
			}
		}
		out[c] = best
	}
	return out
}

// Above returns, for every cell, the set of classes (bit k for class k) whose output of head h is above
// the threshold: the sigmoid head's multi-label answer, which can be empty ("none") or hold several.
func (p *PlaneMap) Above(h Head, threshold float64) []uint16 {
	sets := make([]uint16, p.Cells())
	probs := p.Probs[h]
	for c := range sets {
		for k, v := range probs[c*NumClasses : (c+1)*NumClasses] {
			if float64(v) > threshold {
				sets[c] |= 1 << k
			}
		}
	}
	return sets
}

// Shares returns the shares of the plane where no output of head h is above the threshold, and where
// several are.
func (p *PlaneMap) Shares(h Head, threshold float64) (none, several float64) {
	for _, s := range p.Above(h, threshold) {
		switch {
		case s == 0:
			none++
		case s&(s-1) != 0: // More than one bit.
			several++
		}
	}
	n := float64(p.Cells())
	return none / n, several / n
}

// Center returns the point at the centre of cell c.
func (p *PlaneMap) Center(c int) [2]float64 {
	return [2]float64{(float64(c%p.Res) + 0.5) / float64(p.Res), (float64(c/p.Res) + 0.5) / float64(p.Res)}
}
