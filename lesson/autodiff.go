package lesson

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/twoheads/twoheads/mlcore"
)

// GoMLXGradients returns the gradient, with respect to the logits, of the loss that mlcore trains head
// with (Head.Loss), computed by GoMLX's automatic differentiation (graph.Gradient) on the batch of logits
// z (one row of mlcore.NumClasses per example, float32 in the graph) with one-hot targets for labels.
//
// Head.Loss averages: over the batch for softmax, over the batch and the ten outputs for sigmoid.
// Each gradient is multiplied back by the number of terms averaged, so that row i is the gradient of
// example i's own loss: CE(z_i, y_i), or BCE summed over the ten outputs.
func GoMLXGradients(head mlcore.Head, z [][]float64, labels []int) [][]float64 {
	backend, err := mlcore.Backend()
	Must(err)
	n, k := len(z), mlcore.NumClasses
	flat := make([]float32, 0, n*k)
	for _, row := range z {
		for _, v := range row {
			flat = append(flat, float32(v))
		}
	}
	ys := make([]int32, n)
	for i, l := range labels {
		ys[i] = int32(l)
	}
	exec := graph.MustNewExec(backend, func(z, y *graph.Node) *graph.Node {
		loss := head.Loss(graph.OneHot(y, k, z.DType()), z)
		return graph.Gradient(loss, z)[0]
	})
	out, err := exec.Call(tensors.FromFlatDataAndDimensions(flat, n, k), tensors.FromFlatDataAndDimensions(ys, n))
	Must(err)
	grad := tensors.MustCopyFlatData[float32](out[0])
	scale := float64(n) // CE is averaged over the batch …
	if !head.Exclusive() {
		scale *= float64(k) // … BCE over the batch and the outputs.
	}
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, k)
		for j := range rows[i] {
			rows[i][j] = float64(grad[i*k+j]) * scale
		}
	}
	return rows
}
