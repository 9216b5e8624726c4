package mlcore_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/refmath"
)

// logitRows returns n rows of 10 logits: ordinary values, plus rows at ±1000 that break naive formulas.
func logitRows(n int) [][]float64 {
	rng := rand.New(rand.NewPCG(7, 7))
	rows := make([][]float64, 0, n+3)
	for range n {
		r := make([]float64, mlcore.NumClasses)
		for k := range r {
			r[k] = rng.NormFloat64() * 3
		}
		rows = append(rows, r)
	}
	big := make([]float64, mlcore.NumClasses)
	small := make([]float64, mlcore.NumClasses)
	mixed := make([]float64, mlcore.NumClasses)
	for k := range big {
		big[k], small[k] = 1000, -1000
		mixed[k] = float64(k%2)*2000 - 1000
	}
	big[3] = 1001
	return append(rows, big, small, mixed)
}

func flat32(rows [][]float64) []float32 {
	var out []float32
	for _, r := range rows {
		for _, v := range r {
			out = append(out, float32(v))
		}
	}
	return out
}

// headOutputs runs the graph that a head applies to its logits (softmax or sigmoid) on the GoMLX
// backend the package trains with.
func headOutputs(t *testing.T, head mlcore.Head, rows [][]float64) [][]float64 {
	t.Helper()
	backend, err := mlcore.Backend()
	if err != nil {
		t.Fatal(err)
	}
	out, err := graph.MustNewExec(backend, func(z *graph.Node) *graph.Node {
		if head == mlcore.Softmax {
			return graph.Softmax(z, -1)
		}
		return graph.Sigmoid(z)
	}).Call(tensors.FromFlatDataAndDimensions(flat32(rows), len(rows), mlcore.NumClasses))
	if err != nil {
		t.Fatal(err)
	}
	flat := tensors.MustCopyFlatData[float32](out[0])
	res := make([][]float64, len(rows))
	for i := range rows {
		res[i] = make([]float64, mlcore.NumClasses)
		for k := range res[i] {
			res[i][k] = float64(flat[i*mlcore.NumClasses+k])
		}
	}
	return res
}

func TestHeadOutputsMatchReference(t *testing.T) {
	rows := logitRows(50)
	soft := headOutputs(t, mlcore.Softmax, rows)
	sig := headOutputs(t, mlcore.Sigmoid, rows)
	sigSumIsOne := 0
	for i, z := range rows {
		wantSoft := refmath.Softmax(z)
		for k := range z {
			if d := math.Abs(soft[i][k] - wantSoft[k]); d > 1e-6 || math.IsNaN(soft[i][k]) {
				t.Fatalf("row %d: softmax[%d] = %v, reference %v", i, k, soft[i][k], wantSoft[k])
			}
			if d := math.Abs(sig[i][k] - refmath.Sigmoid(z[k])); d > 1e-6 || math.IsNaN(sig[i][k]) {
				t.Fatalf("row %d: sigmoid[%d] = %v, reference %v", i, k, sig[i][k], refmath.Sigmoid(z[k]))
			}
		}
		if s := refmath.Sum(soft[i]); math.Abs(s-1) > 1e-5 {
			t.Errorf("row %d: softmax outputs sum to %v, want 1", i, s)
		}
		if math.Abs(refmath.Sum(sig[i])-1) < 1e-3 {
			sigSumIsOne++
		}
	}
	if sigSumIsOne > 0 {
		t.Errorf("%d of %d rows of sigmoid outputs sum to 1: the sigmoid head normalises, it should not", sigSumIsOne, len(rows))
	}
}

func TestSoftmaxShiftInvarianceAndTwoClasses(t *testing.T) {
	rows := logitRows(20)
	shifted := make([][]float64, len(rows))
	for i, r := range rows {
		shifted[i] = make([]float64, len(r))
		for k, v := range r {
			shifted[i][k] = v + 500
		}
	}
	a, b := headOutputs(t, mlcore.Softmax, rows), headOutputs(t, mlcore.Softmax, shifted)
	for i := range rows[:20] {
		for k := range a[i] {
			if math.Abs(a[i][k]-b[i][k]) > 1e-5 {
				t.Fatalf("softmax(z+500) ≠ softmax(z) at row %d, class %d: %v vs %v", i, k, b[i][k], a[i][k])
			}
		}
	}
	// K = 2: softmax([z0, z1])_1 = σ(z1 − z0). Computed in float32 on the backend.
	backend, _ := mlcore.Backend()
	var pairs, diffs []float32
	for z0 := -8.0; z0 <= 8; z0 += 0.5 {
		for z1 := -8.0; z1 <= 8; z1 += 0.5 {
			pairs = append(pairs, float32(z0), float32(z1))
			diffs = append(diffs, float32(z1-z0))
		}
	}
	n := len(diffs)
	out, err := graph.MustNewExec(backend, func(z, d *graph.Node) (*graph.Node, *graph.Node) {
		return graph.Slice(graph.Softmax(z, -1), graph.AxisRange(), graph.AxisElem(1)), graph.Sigmoid(d)
	}).Call(tensors.FromFlatDataAndDimensions(pairs, n, 2), tensors.FromFlatDataAndDimensions(diffs, n, 1))
	if err != nil {
		t.Fatal(err)
	}
	p, s := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])
	for i := range p {
		if math.Abs(float64(p[i]-s[i])) > 1e-6 {
			t.Fatalf("softmax([%v %v])₁ = %v but σ(z₁−z₀) = %v", pairs[2*i], pairs[2*i+1], p[i], s[i])
		}
	}
}

// TestLossGradientsArePMinusY checks that GoMLX's autodiff through each head's loss gives p − y per
// example (the loss is averaged, so the gradient is scaled by the number of averaged terms), equal to
// the plain-Go closed form and to finite differences of the plain-Go loss, including at logits ±1000.
func TestLossGradientsArePMinusY(t *testing.T) {
	backend, err := mlcore.Backend()
	if err != nil {
		t.Fatal(err)
	}
	rows := logitRows(30)
	labels := make([]int32, len(rows))
	for i := range labels {
		labels[i] = int32(i % mlcore.NumClasses)
	}
	n := len(rows)
	for _, head := range mlcore.Heads {
		exec := graph.MustNewExec(backend, func(z, y *graph.Node) (*graph.Node, *graph.Node) {
			oneHot := graph.OneHot(y, mlcore.NumClasses, z.DType())
			l := head.Loss(oneHot, z)
			return l, graph.Gradient(l, z)[0]
		})
		out, err := exec.Call(tensors.FromFlatDataAndDimensions(flat32(rows), n, mlcore.NumClasses), tensors.FromFlatDataAndDimensions(labels, n))
		if err != nil {
			t.Fatal(err)
		}
		lossValue := float64(tensors.MustCopyFlatData[float32](out[0])[0])
		grad := tensors.MustCopyFlatData[float32](out[1])
		if math.IsNaN(lossValue) || math.IsInf(lossValue, 0) {
			t.Fatalf("%s loss is %v", head, lossValue)
		}
		// Averaged terms: examples for softmax, examples × outputs for sigmoid.
		scale := float64(n)
		if head == mlcore.Sigmoid {
			scale *= mlcore.NumClasses
		}
		var refLoss float64
		for i, z := range rows {
			y := refmath.OneHot(int(labels[i]), mlcore.NumClasses)
			var want []float64
			var f func([]float64) float64
			if head == mlcore.Softmax {
				want = refmath.CrossEntropyGrad(z, int(labels[i]))
				f = func(z []float64) float64 { return refmath.CrossEntropy(z, int(labels[i])) }
				refLoss += refmath.CrossEntropy(z, int(labels[i]))
			} else {
				want = refmath.BinaryCrossEntropyGrad(z, y)
				f = func(z []float64) float64 { return refmath.BinaryCrossEntropy(z, y) }
				refLoss += refmath.BinaryCrossEntropy(z, y)
			}
			numeric := refmath.NumericalGrad(f, z, 1e-4)
			for k := range z {
				got := float64(grad[i*mlcore.NumClasses+k]) * scale
				if math.Abs(got-want[k]) > 1e-4 {
					t.Fatalf("%s head, example %d, logit %d: GoMLX gradient×%v = %v, p − y = %v", head, i, k, scale, got, want[k])
				}
				if math.Abs(numeric[k]-want[k]) > 1e-4 {
					t.Fatalf("%s head, example %d, logit %d: finite difference %v, p − y = %v", head, i, k, numeric[k], want[k])
				}
			}
		}
		if want := refLoss / scale; math.Abs(lossValue-want) > 1e-3*math.Max(1, want) {
			t.Errorf("%s loss = %v, reference %v", head, lossValue, want)
		}
	}
}
