package mlcore

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/twoheads/twoheads/refmath"
)

// Head is the output layer that turns the 10 logits z of the network into class scores.
//
//   - Softmax: p_k = exp(z_k) / Σ_j exp(z_j). The ten outputs compete: they are positive and sum to 1,
//     a probability distribution over mutually exclusive classes. Trained with categorical cross-entropy;
//     the prediction is the argmax.
//   - Sigmoid: p_k = σ(z_k) = 1 / (1 + exp(−z_k)), one independent yes/no probability per class.
//     Nothing ties the outputs together: their sum can be anything from 0 to 10. Trained with binary
//     cross-entropy against the one-hot target; read by thresholding at 0.5 (multi-label) or by argmax.
//
// Everything that differs between the two heads is a method of Head, defined once in the table below:
// the activation (in a graph and on the host), the training loss and its targets, and the likelihood
// each head assigns to a label.
type Head int

const (
	Softmax Head = iota
	Sigmoid
)

// Heads lists both heads in their canonical order.
var Heads = []Head{Softmax, Sigmoid}

// headDef is what one head is made of. heads is the one place where the two heads differ.
type headDef struct {
	name string
	// exclusive: the outputs compete and sum to 1 (one class per example); otherwise each output is an
	// independent yes/no answer.
	exclusive bool
	// activation turns logits into outputs, in a graph (along the last axis) and on the host.
	activation     func(z *graph.Node) *graph.Node
	hostActivation func(z []float64) []float64
	// loss is the training loss of a batch of logits against targets (see Head.Loss).
	loss func(targets, logits *graph.Node) *graph.Node
	// lossTerms is how many terms per example the training loss averages over.
	lossTerms int
}

var heads = [...]headDef{
	Softmax: {
		name:           "softmax",
		exclusive:      true,
		activation:     func(z *graph.Node) *graph.Node { return graph.Softmax(z, -1) },
		hostActivation: refmath.Softmax,
		loss: func(targets, logits *graph.Node) *graph.Node {
			return loss.CategoricalCrossEntropyLogits([]*graph.Node{targets}, []*graph.Node{logits}) // Already the batch mean.
		},
		lossTerms: 1,
	},
	Sigmoid: {
		name:       "sigmoid",
		activation: graph.Sigmoid,
		hostActivation: func(z []float64) []float64 {
			p := make([]float64, len(z))
			for k, v := range z {
				p[k] = refmath.Sigmoid(v)
			}
			return p
		},
		loss: func(targets, logits *graph.Node) *graph.Node {
			return loss.BinaryCrossentropyLogits([]*graph.Node{targets}, []*graph.Node{logits})
		},
		lossTerms: NumClasses,
	},
}

func (h Head) def() *headDef {
	if !h.Valid() {
		panic(fmt.Sprintf("mlcore: invalid head %d", int(h)))
	}
	return &heads[h]
}

// String returns "softmax" or "sigmoid".
func (h Head) String() string {
	if !h.Valid() {
		return fmt.Sprintf("Head(%d)", int(h))
	}
	return heads[h].name
}

// Valid reports whether h is one of the known heads.
func (h Head) Valid() bool { return h >= 0 && int(h) < len(heads) }

// Exclusive reports whether the head's outputs compete for one class (softmax: they sum to 1, at most
// one can exceed 0.5) rather than answer one yes/no question each (sigmoid: read at a threshold of 0.5,
// they can name none or several classes).
func (h Head) Exclusive() bool { return h.def().exclusive }

// Activation returns the head's outputs for logits z (a graph node whose last axis holds the classes):
// softmax(z) along that axis, or σ(z) element by element.
func (h Head) Activation(z *graph.Node) *graph.Node { return h.def().activation(z) }

// Outputs returns the head's outputs for the logits z of one example, in float64 on the host (with the
// stable reference functions of package refmath): softmax(z), or σ(z_k) for every k.
func (h Head) Outputs(z []float64) []float64 { return h.def().hostActivation(z) }

// Loss is the training loss of the head on a batch of logits (shape [batch, 10]) and targets: one-hot
// vectors, or for data sets with Sets the targets made by Targets.
//
//   - Softmax: categorical cross-entropy from logits, mean over the batch of −Σ_k t_k·log softmax(z)_k.
//   - Sigmoid: binary cross-entropy from logits, mean over the batch and the 10 outputs of
//     softplus(z) − y·z (the stable form of −y·log σ(z) − (1−y)·log(1−σ(z))).
//
// Both have gradient (p − y)/n with respect to the logits, where n is the number of terms averaged.
func (h Head) Loss(targets, logits *graph.Node) *graph.Node { return h.def().loss(targets, logits) }

// Targets turns multi-hot targets y (shape [batch, 10], 1 for each class present; see
// Dataset.MultiHot) into the targets the head is trained on, for Loss:
//
//   - Sigmoid: y itself. Each output answers its own yes/no question, so an image with two digits has
//     two targets at 1 and an image with none has all ten at 0; binary cross-entropy fits both.
//   - Softmax: y/|y|, the set spread evenly over its |y| classes, and the uniform distribution (1/10
//     each) for an empty set. A softmax output is a distribution that sums to 1, so these are the best
//     it can do: it cannot say "both 3 and 7" (at most one output can exceed 0.5, and its ideal answer
//     for {3, 7} is 0.5 and 0.5), and it cannot say "none" (the outputs must go somewhere; spreading
//     them evenly is the least committed answer, and it looks just like an unsure one).
//
// Cross-entropy against a distribution t is −Σ_k t_k·log softmax(z)_k, with gradient softmax(z) − t:
// the softmax head is pulled towards t as the sigmoid head is pulled towards y.
func (h Head) Targets(y *graph.Node) *graph.Node {
	if !h.Exclusive() {
		return y
	}
	size := graph.ReduceAndKeep(y, graph.ReduceSum, -1) // [batch, 1]: |y|.
	empty := graph.ConvertDType(graph.Equal(size, graph.ZerosLike(size)), y.DType())
	// (y + 1/10·[|y| = 0]) / max(|y|, 1): y/|y| for a non-empty set, 1/10 for each class of an empty one.
	num := graph.Add(y, graph.BroadcastToShape(graph.MulScalar(empty, 1.0/NumClasses), y.Shape()))
	den := graph.BroadcastToShape(graph.Max(size, graph.OnesLike(size)), y.Shape())
	return graph.Div(num, den)
}

// probClip bounds the probabilities that go into a logarithm when a head's likelihood is measured.
const probClip = 1e-7

func clipProb(p float64) float64 { return min(max(p, probClip), 1-probClip) }

// outputNLL is the part of output p that goes into the head's negative log-likelihood of a set of
// classes (present: the output's class is in it):
//
//   - Sigmoid: every output is a yes/no variable: −log p if present, −log(1 − p) if not.
//   - Softmax: one categorical variable: −log p for the class present, nothing for the others.
func (h Head) outputNLL(p float64, present bool) float64 {
	switch {
	case present:
		return -math.Log(clipProb(p))
	case h.Exclusive():
		return 0
	}
	return -math.Log(1 - clipProb(p))
}

// outputSetLoss is the part of output p in the head's training loss against the targets of a set of
// size classes (Targets): binary cross-entropy averaged over the ten outputs for sigmoid; for softmax,
// cross-entropy against y/|y|, or against 1/10 everywhere for the empty set.
func (h Head) outputSetLoss(p float64, present bool, size int) float64 {
	switch {
	case !h.Exclusive():
		return h.outputNLL(p, present) / NumClasses
	case size == 0:
		return -math.Log(clipProb(p)) / NumClasses
	case present:
		return -math.Log(clipProb(p)) / float64(size)
	}
	return 0
}

// ParseHead accepts "softmax" or "sigmoid" (any case).
func ParseHead(s string) (Head, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for h := range heads {
		if heads[h].name == name {
			return Head(h), nil
		}
	}
	return 0, fmt.Errorf("unknown head %q: want softmax or sigmoid", s)
}

// MarshalText implements encoding.TextMarshaler, so heads read as words in JSON.
func (h Head) MarshalText() ([]byte, error) {
	if !h.Valid() {
		return nil, fmt.Errorf("mlcore: invalid head %d", int(h))
	}
	return []byte(h.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Head) UnmarshalText(b []byte) error {
	v, err := ParseHead(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
