package mlcore

import (
	"fmt"
	"math"
)

// ReliabilityBins is the number of equal-width confidence bins of Eval.Reliability and Eval.ECE.
const ReliabilityBins = 10

// Bin is one bar of a reliability diagram: the examples whose confidence (largest output) falls in
// [Lo, Hi), how confident the head was on them on average and how often its argmax was right.
type Bin struct {
	Lo, Hi     float64
	Count      int
	Confidence float64 // Mean of the largest output over the bin (0 if empty).
	Accuracy   float64 // Share of the bin whose argmax is the label (0 if empty).
}

// Eval summarises one head's outputs on a labelled data set.
type Eval struct {
	Head Head
	N    int // Number of examples.

	// Accuracy of the argmax decision: the class with the largest output.
	Accuracy float64
	// NLL is the mean negative log-likelihood of the labels under the head's own probability model:
	// softmax, −log p_label (one categorical variable); sigmoid, −Σ_k log P(y_k) over ten independent
	// yes/no variables with target one-hot y. (Probabilities are clipped to [1e-7, 1−1e-7].)
	NLL float64
	// Loss is the head's training loss on the set: NLL for softmax, NLL/10 for sigmoid (binary
	// cross-entropy is averaged over the ten outputs).
	Loss float64
	// ECE is the expected calibration error: Σ_bins (count/N)·|accuracy − confidence|.
	ECE         float64
	Reliability []Bin

	// Sum of the ten outputs: exactly 1 for softmax, anything in (0, 10) for sigmoid.
	MeanSum, StdSum float64
	Sums            []float64 // Per example.

	// Threshold view: how many outputs exceed 0.5. With softmax at most one can.
	FracNone    float64 // No output above 0.5: "none of the above".
	FracSeveral float64 // Two or more outputs above 0.5: several classes claimed at once.

	Confusion [NumClasses][NumClasses]int // Confusion[true][predicted].
	Pred      []int                       // Argmax per example.
}

// Evaluate computes the metrics of head from its outputs probs (NumClasses per example, as returned by
// Model.Probabilities) and the true labels, one class per example (for sets of classes, including empty
// ones, use EvaluateSets).
func Evaluate(head Head, probs []float32, labels []int32) Eval {
	n := len(labels)
	if len(probs) != n*NumClasses {
		panic(fmt.Sprintf("mlcore.Evaluate: %d outputs for %d labels (want %d per example)", len(probs), n, NumClasses))
	}
	for i, l := range labels {
		if l < 0 || l >= NumClasses {
			panic(fmt.Sprintf("mlcore.Evaluate: example %d has label %d; for sets of classes use EvaluateSets", i, l))
		}
	}
	e := Eval{Head: head, N: n, Pred: make([]int, n), Sums: make([]float64, n)}
	bins := make([]Bin, ReliabilityBins)
	for b := range bins {
		bins[b].Lo = float64(b) / ReliabilityBins
		bins[b].Hi = float64(b+1) / ReliabilityBins
	}
	var correct int
	var nll, sumOfSums, sumOfSq float64
	var none, several int
	for i := 0; i < n; i++ {
		row := probs[i*NumClasses : (i+1)*NumClasses]
		y := int(labels[i])
		best, above := 0, 0
		var sum float64
		for k, v := range row {
			p := float64(v)
			sum += p
			if p > 0.5 {
				above++
			}
			if v > row[best] {
				best = k
			}
			nll += head.outputNLL(p, k == y)
		}
		e.Pred[i] = best
		e.Sums[i] = sum
		sumOfSums += sum
		sumOfSq += sum * sum
		if best == y {
			correct++
		}
		switch {
		case above == 0:
			none++
		case above >= 2:
			several++
		}
		e.Confusion[y][best]++
		conf := float64(row[best])
		b := min(int(conf*ReliabilityBins), ReliabilityBins-1)
		bins[b].Count++
		bins[b].Confidence += conf
		if best == y {
			bins[b].Accuracy++
		}
	}
	if n == 0 {
		e.Reliability = bins
		return e
	}
	fn := float64(n)
	e.Accuracy = float64(correct) / fn
	e.NLL = nll / fn
	e.Loss = e.NLL / float64(head.def().lossTerms)
	e.MeanSum = sumOfSums / fn
	e.StdSum = math.Sqrt(max(0, sumOfSq/fn-e.MeanSum*e.MeanSum))
	e.FracNone = float64(none) / fn
	e.FracSeveral = float64(several) / fn
	for b := range bins {
		if c := bins[b].Count; c > 0 {
			bins[b].Confidence /= float64(c)
			bins[b].Accuracy /= float64(c)
			e.ECE += float64(c) / fn * math.Abs(bins[b].Accuracy-bins[b].Confidence)
		}
	}
	e.Reliability = bins
	return e
}

// AboveHalf returns the classes whose output exceeds 0.5 in one row of outputs: the sigmoid head's
// multi-label answer (empty means "none of the above").
func AboveHalf(row []float32) []int {
	var ks []int
	for k, v := range row {
		if v > 0.5 {
			ks = append(ks, k)
		}
	}
	return ks
}
