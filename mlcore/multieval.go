package mlcore

import (
	"fmt"
	"math"
	"slices"
)

// SetEval summarises one head's outputs on a data set of sets of classes (Dataset.Sets), read the
// multi-label way: the predicted set of an example is {k : p_k > Threshold}.
//
// # Reading the softmax head here
//
// The softmax outputs sum to 1, so at a threshold of 0.5 or more at most one class can be predicted:
// a softmax can never get a two-element set exactly right, however well it is trained. Its ideal
// output for {3, 7} is 0.5 and 0.5 (the target it is trained on, Head.Targets), which sits exactly at
// the threshold and so reads as the empty set. Its ideal output for the empty set is 1/10 everywhere,
// which reads as empty too, and so does any unsure answer: thresholded, a softmax says "none" both when
// it sees no digit and when it hesitates between digits. A lower threshold lets it name both classes
// of a pair (its targets there are 1/2 each), but no one threshold suits every set size: a pair needs
// one below 1/2, a none-image (1/10 everywhere) one above 1/10, and a digit it is unsure of still looks
// like a pair. TopKSet and SetsAtTrueSize show the softmax's best answer when the set size is given to it.
//
// The sigmoid head has no such limit: each output is its own yes/no probability, so it can say "3 and
// 7" (two outputs near 1) or "none" (all near 0).
type SetEval struct {
	Head      Head
	Threshold float64
	N         int // Number of examples.

	// ExactSet is the share of examples whose predicted set equals the true set: every class present
	// named, and no other.
	ExactSet float64
	// Precision and Recall are micro-averaged over all (example, class) pairs: of the classes named, the
	// share that are present; of the classes present, the share named. Precision is 1 when no class is
	// named (no claim is wrong) and Recall is 1 when no class is present (nothing was missed).
	Precision, Recall float64
	// MeanPredicted is the mean size of the predicted sets; MeanTrue that of the true sets.
	MeanPredicted, MeanTrue float64

	// NoneN is the number of examples with an empty true set ("none of the above") and NoneCorrect the
	// share of them answered with the empty set.
	NoneN       int
	NoneCorrect float64
	// FalseNone is the share of the examples with a non-empty true set answered with the empty set.
	FalseNone float64
	// NonePrecision is the share of the examples answered with the empty set whose true set is empty:
	// how far an empty answer can be trusted to mean "none of the above" rather than "unsure" (1 when
	// no example is answered with the empty set).
	NonePrecision float64

	// BySize[s] covers the examples whose true set has s classes (s = 0 … the largest size present).
	BySize []SizeEval

	// Loss is the head's training loss on the set targets (Head.Targets, Head.SetNLL): cross-entropy
	// against y/|y| (uniform for an empty set) for softmax, binary cross-entropy averaged over the ten
	// outputs for sigmoid. On one-label data it equals Eval.Loss.
	Loss float64

	Pred []uint16 // Predicted set per example.
}

// SizeEval is the part of a SetEval on the examples whose true sets have one size.
type SizeEval struct {
	N             int
	ExactSet      float64
	MeanPredicted float64
}

// EvaluateSets computes the metrics of head from its outputs probs (NumClasses per example, as returned
// by Model.Probabilities) on d, whose true sets are d.Set(i), predicting {k : p_k > threshold}.
func EvaluateSets(head Head, probs []float32, d *Dataset, threshold float64) SetEval {
	n := d.Len()
	mustRows(probs, n, "EvaluateSets")
	e := SetEval{Head: head, Threshold: threshold, N: n, Pred: ThresholdSets(probs, threshold)}
	c := countSets(e.Pred, d)
	e.ExactSet, e.Precision, e.Recall = c.exactSet(), c.precision(), c.recall()
	maxSize := 0
	for i := range n {
		maxSize = max(maxSize, SetSize(d.Set(i)))
	}
	e.BySize = make([]SizeEval, maxSize+1)
	var predicted, present, falseNone, answeredNone int
	var loss float64
	for i := range n {
		truth, pred := d.Set(i), e.Pred[i]
		size := SetSize(truth)
		predicted += SetSize(pred)
		present += size
		s := &e.BySize[size]
		s.N++
		s.MeanPredicted += float64(SetSize(pred))
		if pred == truth {
			s.ExactSet++
		}
		if pred == 0 {
			answeredNone++
			if size > 0 {
				falseNone++
			}
		}
		loss += head.SetNLL(probs[i*NumClasses:(i+1)*NumClasses], truth)
	}
	e.NonePrecision = 1
	if answeredNone > 0 {
		e.NonePrecision = float64(answeredNone-falseNone) / float64(answeredNone)
	}
	if n == 0 {
		return e
	}
	fn := float64(n)
	e.MeanPredicted, e.MeanTrue, e.Loss = float64(predicted)/fn, float64(present)/fn, loss/fn
	e.NoneN = e.BySize[0].N
	if e.NoneN > 0 {
		e.NoneCorrect = e.BySize[0].ExactSet / float64(e.NoneN)
	}
	if real := n - e.NoneN; real > 0 {
		e.FalseNone = float64(falseNone) / float64(real)
	}
	for s := range e.BySize {
		if m := float64(e.BySize[s].N); m > 0 {
			e.BySize[s].ExactSet /= m
			e.BySize[s].MeanPredicted /= m
		}
	}
	return e
}

// PRPoint is one point of a precision–recall curve: the micro precision and recall and the exact-set
// accuracy of the sets {k : p_k > Threshold} (see SetEval).
type PRPoint struct {
	Threshold, Precision, Recall, ExactSet float64
}

// PrecisionRecallCurve evaluates the sets predicted at each of the thresholds, in the order given.
// Raising the threshold names fewer classes: precision tends to rise and recall falls. For the softmax
// head, thresholds of 0.5 and above name at most one class per image, so recall on pairs stays at
// most 1/2.
func PrecisionRecallCurve(probs []float32, d *Dataset, thresholds []float64) []PRPoint {
	mustRows(probs, d.Len(), "PrecisionRecallCurve")
	pts := make([]PRPoint, len(thresholds))
	for j, t := range thresholds {
		c := countSets(ThresholdSets(probs, t), d)
		pts[j] = PRPoint{Threshold: t, Precision: c.precision(), Recall: c.recall(), ExactSet: c.exactSet()}
	}
	return pts
}

// ThresholdSets returns the set {k : p_k > threshold} of every row of outputs: the multi-label reading
// of a head. (AboveHalf is the same for one row at 0.5, as a list.)
func ThresholdSets(probs []float32, threshold float64) []uint16 {
	mustRows(probs, len(probs)/NumClasses, "ThresholdSets")
	sets := make([]uint16, len(probs)/NumClasses)
	for i := range sets {
		for k, v := range probs[i*NumClasses : (i+1)*NumClasses] {
			if float64(v) > threshold {
				sets[i] |= 1 << k
			}
		}
	}
	return sets
}

// TopKSet returns the set of the k largest outputs of one row (ties go to the lower class): the best
// answer of a head told that the image has k classes. For k = 1 it is the argmax. Unlike a threshold,
// it lets the softmax head name two classes for a pair; the price is being told the size.
func TopKSet(row []float32, k int) uint16 {
	k = min(max(k, 0), len(row))
	idx := make([]int, len(row))
	for j := range idx {
		idx[j] = j
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case row[a] > row[b]:
			return -1
		case row[a] < row[b]:
			return 1
		}
		return 0
	})
	var s uint16
	for _, j := range idx[:k] {
		s |= 1 << j
	}
	return s
}

// SetsAtTrueSize returns, for every example of d, the set of its |d.Set(i)| largest outputs (TopKSet):
// how well a head ranks the classes when the number of classes is given. An empty true set gives the
// empty set, so read it on images with at least one class.
func SetsAtTrueSize(probs []float32, d *Dataset) []uint16 {
	mustRows(probs, d.Len(), "SetsAtTrueSize")
	sets := make([]uint16, d.Len())
	for i := range sets {
		sets[i] = TopKSet(probs[i*NumClasses:(i+1)*NumClasses], SetSize(d.Set(i)))
	}
	return sets
}

// SetAccuracy returns the share of examples of d whose set in pred equals the true set d.Set(i).
func SetAccuracy(pred []uint16, d *Dataset) float64 {
	if len(pred) != d.Len() {
		panic(fmt.Sprintf("mlcore.SetAccuracy: %d sets for %d examples", len(pred), d.Len()))
	}
	return countSets(pred, d).exactSet()
}

// Rejection measures how well the largest output of a head tells images that show a class from images
// that show none (empty true set), when "none" is answered for images whose largest output is low.
// It is the fairest way to ask a softmax head for "none": not at 0.5, but below a threshold chosen
// from the data.
//
// Read it with SetEval. A softmax trained with none-images (uniform targets) does learn to spread its
// outputs on them (largest ≈ 1/10), so the ranking can be as good as the sigmoid's; what differs is the
// meaning of the scale. The softmax's largest output is also low (≈ 1/2) on pairs and on digits it
// hesitates on, so its "none" threshold must be tuned between 1/10 and 1/2 and is one more knob next
// to its class threshold, while the sigmoid's largest output is the probability that some class is
// present, and 0.5 serves for both.
type Rejection struct {
	NReal, NNone int // Examples with a non-empty and an empty true set.

	// AUROC is the probability that a random real image has a larger largest output than a random
	// none-image (ties count one half): 1 separates them perfectly, 0.5 is chance.
	AUROC float64

	// Keep is the share of real images that must be kept (not called "none"), and Threshold the largest
	// output below which an image is called "none": the highest one that keeps at least Keep of the
	// real images. Rejected is the share of none-images below it, correctly called "none".
	Keep, Threshold, Rejected float64

	MeanMaxReal, MeanMaxNone float64 // Mean largest output on each group.
}

// RejectNone computes a Rejection from a head's outputs probs on d, which must hold both real images and
// none-images (empty sets, e.g. from NoneOfTheAbove), keeping at least the share keep (in (0, 1]) of
// the real ones.
func RejectNone(probs []float32, d *Dataset, keep float64) Rejection {
	mustRows(probs, d.Len(), "RejectNone")
	var real, none []float64
	for i := range d.Len() {
		m := float64(slices.Max(probs[i*NumClasses : (i+1)*NumClasses]))
		if d.Set(i) == 0 {
			none = append(none, m)
		} else {
			real = append(real, m)
		}
	}
	r := Rejection{NReal: len(real), NNone: len(none), Keep: keep}
	if len(real) == 0 || len(none) == 0 || !(keep > 0 && keep <= 1) {
		panic(fmt.Sprintf("mlcore.RejectNone: %d real and %d none-images, keep %v: want some of each and keep in (0, 1]", len(real), len(none), keep))
	}
	slices.Sort(real)
	slices.Sort(none)
	var wins float64
	for _, v := range real {
		below, _ := slices.BinarySearch(none, v) // none-images with a smaller largest output
		notAbove, _ := slices.BinarySearch(none, math.Nextafter(v, math.Inf(1)))
		wins += float64(below) + 0.5*float64(notAbove-below)
	}
	r.AUROC = wins / float64(len(real)*len(none))
	// Calling "none" below real[j] keeps the len(real)−j real images from j on.
	// Ties with real[j] are kept, so at most j real images are dropped.
	j := min(int((1-keep)*float64(len(real))+1e-9), len(real)-1)
	r.Threshold = real[j]
	rejected, _ := slices.BinarySearch(none, r.Threshold)
	r.Rejected = float64(rejected) / float64(len(none))
	r.MeanMaxReal, r.MeanMaxNone = mean(real), mean(none)
	return r
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// setCounts are the counts behind exact-set accuracy and micro precision and recall.
type setCounts struct {
	n, exact                    int
	truePos, predicted, present int
}

func countSets(pred []uint16, d *Dataset) setCounts {
	c := setCounts{n: len(pred)}
	for i, p := range pred {
		t := d.Set(i)
		if p == t {
			c.exact++
		}
		c.truePos += SetSize(p & t)
		c.predicted += SetSize(p)
		c.present += SetSize(t)
	}
	return c
}

func (c setCounts) exactSet() float64 {
	if c.n == 0 {
		return 0
	}
	return float64(c.exact) / float64(c.n)
}

func (c setCounts) precision() float64 {
	if c.predicted == 0 {
		return 1
	}
	return float64(c.truePos) / float64(c.predicted)
}

func (c setCounts) recall() float64 {
	if c.present == 0 {
		return 1
	}
	return float64(c.truePos) / float64(c.present)
}

// mustRows panics unless probs holds NumClasses outputs for each of n examples.
func mustRows(probs []float32, n int, fn string) {
	if len(probs) != n*NumClasses {
		panic(fmt.Sprintf("mlcore.%s: %d outputs for %d examples (want %d per example)", fn, len(probs), n, NumClasses))
	}
}
