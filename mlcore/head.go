package mlcore

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute/dtypes"
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
//   - SoftmaxWithNone: a softmax over 11 logits, the ten classes and an eleventh "none of them", the
//     usual way to let a softmax answer "none": trained with cross-entropy against the class, or
//     against "none" for an image with no class. Its outputs are the ten class probabilities, which
//     sum to 1 − p(none); at most one can exceed 0.5, and when "none" wins none does.
//
// Everything that differs between the two heads is a method of Head, defined once in the table below:
// the activation (in a graph and on the host), the training loss and its targets, and the likelihood
// each head assigns to a label.
type Head int

const (
	Softmax Head = iota
	Sigmoid
	SoftmaxWithNone
)

// Heads lists the two heads the course compares, in their canonical order (the default of
// Config.Heads). SoftmaxWithNone is trained only when a Config asks for it.
var Heads = []Head{Softmax, Sigmoid}

// headDef is what one head is made of. heads is the one place where the two heads differ.
type headDef struct {
	name string
	// exclusive: the outputs compete and sum to 1 (one class per example); otherwise each output is an
	// independent yes/no answer.
	exclusive bool
	// logits is the number of logits of the output layer: NumClasses, or one more for "none".
	logits int
	// activation turns logits into the NumClasses outputs, in a graph (along the last axis) and on
	// the host.
	activation     func(z *graph.Node) *graph.Node
	hostActivation func(z []float64) []float64
	// loss is the training loss of a batch of logits against targets (see Head.Loss), and targets
	// turns multi-hot sets into those targets (see Head.Targets).
	loss    func(targets, logits *graph.Node) *graph.Node
	targets func(y *graph.Node) *graph.Node
	// lossTerms is how many terms per example the training loss averages over.
	lossTerms int
	// setNLL is the training loss of one row of outputs against a set of classes (see Head.Targets).
	setNLL func(row []float32, set uint16) float64
}

var heads = [...]headDef{
	Softmax: {
		name:           "softmax",
		exclusive:      true,
		logits:         NumClasses,
		activation:     func(z *graph.Node) *graph.Node { return graph.Softmax(z, -1) },
		hostActivation: refmath.Softmax,
		loss:           crossEntropy,
		targets:        spreadSets,
		lossTerms:      1,
		setNLL: func(row []float32, set uint16) float64 {
			size, nll := SetSize(set), 0.0
			for k, v := range row {
				switch in := set&(1<<k) != 0; {
				case size == 0: // The empty set's target is 1/10 for every class.
					nll -= math.Log(clipProb(float64(v))) / NumClasses
				case in:
					nll -= math.Log(clipProb(float64(v))) / float64(size)
				}
			}
			return nll
		},
	},
	Sigmoid: {
		name:       "sigmoid",
		logits:     NumClasses,
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
		targets:   func(y *graph.Node) *graph.Node { return y },
		lossTerms: NumClasses,
		setNLL: func(row []float32, set uint16) float64 {
			nll := 0.0
			for k, v := range row {
				if set&(1<<k) != 0 {
					nll -= math.Log(clipProb(float64(v))) / NumClasses
				} else {
					nll -= math.Log(1-clipProb(float64(v))) / NumClasses
				}
			}
			return nll
		},
	},
	SoftmaxWithNone: {
		name:      "softmax+none",
		exclusive: true,
		logits:    NumClasses + 1,
		activation: func(z *graph.Node) *graph.Node {
			return graph.Slice(graph.Softmax(z, -1), graph.AxisRange(), graph.AxisRange(0, NumClasses))
		},
		hostActivation: func(z []float64) []float64 {
			return refmath.Softmax(z)[:len(z)-1]
		},
		loss: crossEntropy,
		targets: func(y *graph.Node) *graph.Node {
			size := graph.ReduceAndKeep(y, graph.ReduceSum, -1) // [batch, 1]: |y|.
			none := graph.ConvertDType(graph.Equal(size, graph.ZerosLike(size)), y.DType())
			spread := graph.Div(y, graph.BroadcastToShape(graph.Max(size, graph.OnesLike(size)), y.Shape()))
			return graph.Concatenate([]*graph.Node{spread, none}, -1) // y/|y|, or "none" for the empty set.
		},
		lossTerms: 1,
		setNLL: func(row []float32, set uint16) float64 {
			size, sum, nll := SetSize(set), 0.0, 0.0
			for k, v := range row {
				sum += float64(v)
				if set&(1<<k) != 0 {
					nll -= math.Log(clipProb(float64(v))) / float64(size)
				}
			}
			if size == 0 {
				return -math.Log(clipProb(1 - sum)) // p(none) = 1 − Σ p_k.
			}
			return nll
		},
	},
}

// crossEntropy is categorical cross-entropy from logits, already averaged over the batch.
func crossEntropy(targets, logits *graph.Node) *graph.Node {
	return loss.CategoricalCrossEntropyLogits([]*graph.Node{targets}, []*graph.Node{logits})
}

// spreadSets is the softmax head's reading of multi-hot sets: y/|y|, and 1/10 for every class of the
// empty set (see Head.Targets).
func spreadSets(y *graph.Node) *graph.Node {
	size := graph.ReduceAndKeep(y, graph.ReduceSum, -1) // [batch, 1]: |y|.
	empty := graph.ConvertDType(graph.Equal(size, graph.ZerosLike(size)), y.DType())
	// (y + 1/10·[|y| = 0]) / max(|y|, 1): y/|y| for a non-empty set, 1/10 for each class of an empty one.
	num := graph.Add(y, graph.BroadcastToShape(graph.MulScalar(empty, 1.0/NumClasses), y.Shape()))
	den := graph.BroadcastToShape(graph.Max(size, graph.OnesLike(size)), y.Shape())
	return graph.Div(num, den)
}

func (h Head) def() *headDef {
	if !h.Valid() {
		panic(fmt.Sprintf("mlcore: invalid head %d", int(h)))
	}
	return &heads[h]
}

// String returns "softmax", "sigmoid" or "softmax+none".
func (h Head) String() string {
	if !h.Valid() {
		return fmt.Sprintf("Head(%d)", int(h))
	}
	return heads[h].name
}

// Valid reports whether h is one of the known heads.
func (h Head) Valid() bool { return h >= 0 && int(h) < len(heads) }

// Exclusive reports whether the head's outputs compete for one class (the softmax heads: they sum to
// at most 1, at most one can exceed 0.5) rather than answer one yes/no question each (sigmoid: read at a threshold of 0.5,
// they can name none or several classes).
func (h Head) Exclusive() bool { return h.def().exclusive }

// Activation returns the head's outputs for logits z (a graph node whose last axis holds the classes):
// softmax(z) along that axis, or σ(z) element by element.
func (h Head) Activation(z *graph.Node) *graph.Node { return h.def().activation(z) }

// Outputs returns the head's outputs for the logits z of one example (Logits of them), in float64 on
// the host (with the stable reference functions of package refmath): softmax(z), σ(z_k) for every k, or
// the ten class outputs of the softmax over eleven.
func (h Head) Outputs(z []float64) []float64 { return h.def().hostActivation(z) }

// Logits is the number of logits of the head's output layer: NumClasses, or NumClasses + 1 for
// SoftmaxWithNone. Every head has NumClasses outputs.
func (h Head) Logits() int { return h.def().logits }

// OneHot returns the head's targets for single labels (shape [batch] int): one-hot vectors of Logits
// values.
func (h Head) OneHot(labels *graph.Node, dtype dtypes.DType) *graph.Node {
	return graph.OneHot(labels, h.Logits(), dtype)
}

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
//   - SoftmaxWithNone: y/|y| over the classes and 0 for "none", or all on "none" for the empty set:
//     it can say "none", but still not "both".
//
// Cross-entropy against a distribution t is −Σ_k t_k·log softmax(z)_k, with gradient softmax(z) − t:
// the softmax heads are pulled towards t as the sigmoid head is pulled towards y.
func (h Head) Targets(y *graph.Node) *graph.Node { return h.def().targets(y) }

// Smooth returns targets t smoothed by ε (label smoothing, Config.LabelSmoothing): (1 − ε)·t + ε·u,
// where u is the uniform distribution over the logits for the softmax heads (1/10, or 1/11) and ½ for
// each yes/no output of the sigmoid head. A head trained on smoothed targets is never asked for
// exactly 0 or 1, which keeps its logits from growing without end on separable data.
func (h Head) Smooth(t *graph.Node, eps float64) *graph.Node {
	u := 0.5
	if h.Exclusive() {
		u = 1 / float64(t.Shape().Dimensions[t.Rank()-1])
	}
	return graph.AddScalar(graph.MulScalar(t, 1-eps), eps*u)
}

// SetNLL is the head's training loss for one row of outputs (NumClasses values) against a set of
// classes (bit k: class k is present), the loss Targets trains on: binary cross-entropy averaged over
// the ten outputs for sigmoid; cross-entropy against y/|y| (1/10 each for the empty set) for softmax;
// for SoftmaxWithNone, against y/|y|, or −log p(none) for the empty set. Probabilities are clipped to
// [1e-7, 1 − 1e-7].
func (h Head) SetNLL(row []float32, set uint16) float64 { return h.def().setNLL(row, set) }

// probClip bounds the probabilities that go into a logarithm when a head's likelihood is measured.
const probClip = 1e-7

func clipProb(p float64) float64 { return min(max(p, probClip), 1-probClip) }

// outputNLL is the part of output p that goes into the head's negative log-likelihood of one class
// (present: the output is that class's):
//
//   - Sigmoid: every output is a yes/no variable: −log p if present, −log(1 − p) if not.
//   - The softmax heads: one categorical variable: −log p for the class present, nothing for the others.
func (h Head) outputNLL(p float64, present bool) float64 {
	switch {
	case present:
		return -math.Log(clipProb(p))
	case h.Exclusive():
		return 0
	}
	return -math.Log(1 - clipProb(p))
}

// ParseHead accepts "softmax", "sigmoid" or "softmax+none" (any case).
func ParseHead(s string) (Head, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for h := range heads {
		if heads[h].name == name {
			return Head(h), nil
		}
	}
	return 0, fmt.Errorf("unknown head %q: want softmax, sigmoid or softmax+none", s)
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
