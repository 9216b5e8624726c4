package mlcore

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// HeadLoss is the training loss of one head on a batch of logits z (shape [batch, 10]) and one-hot
// targets y:
//
//   - Softmax: categorical cross-entropy from logits, mean over the batch of −log softmax(z)_label.
//   - Sigmoid: binary cross-entropy from logits, mean over the batch and the 10 outputs of
//     softplus(z) − y·z (the stable form of −y·log σ(z) − (1−y)·log(1−σ(z))).
//
// Both have gradient (p − y)/n with respect to the logits, where n is the number of terms averaged.
func HeadLoss(head Head, oneHot, logits *graph.Node) *graph.Node {
	if head == Softmax {
		return loss.CategoricalCrossEntropyLogits([]*graph.Node{oneHot}, []*graph.Node{logits}) // Already the batch mean.
	}
	return loss.BinaryCrossentropyLogits([]*graph.Node{oneHot}, []*graph.Node{logits})
}

// Progress is what training reports after every step.
type Progress struct {
	Step, TotalSteps int
	Epoch            int                // 1-based.
	Loss             map[Head]float64   // Loss of each head on this step's batch.
	Eval             map[Head]EvalPoint // Non-nil on steps where the test set was evaluated.
	Elapsed          time.Duration      // Since training started (includes graph compilation).
}

// EvalPoint is a periodic evaluation of one head on the test set during training.
type EvalPoint struct {
	Step     int     `json:"step"`
	Accuracy float64 `json:"accuracy"` // Argmax accuracy.
	Loss     float64 `json:"loss"`     // The head's own training loss on the test set.
}

// History records a training run: the loss of every step and the periodic evaluations, per head.
type History struct {
	Steps        int                  `json:"steps"`
	TrainSeconds float64              `json:"train_seconds"` // Wall time of the whole loop, compilation included.
	StepsPerSec  float64              `json:"steps_per_sec"` // Steady state, excluding the first (compiling) step.
	Loss         map[Head][]float32   `json:"loss"`          // Loss[h][i] is the batch loss of step i+1.
	Eval         map[Head][]EvalPoint `json:"eval"`
}

// Train trains the heads listed in cfg on split.Train and returns the model and its history.
//
// All heads are trained together, one graph per step: each head has its own body and weights, and the
// graph computes the sum of the heads' losses. Since no weight is shared, the gradient of the sum for a
// head's weights is that head's own gradient, and Adam works per weight, so each head trains exactly as it
// would alone; one step of the pair costs one graph execution and one batch instead of two.
//
// progress, if not nil, is called after every step (from the calling goroutine).
func Train(split Split, cfg Config, progress func(Progress)) (m *Model, hist *History, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	tr, te := split.Train, split.Test
	if tr == nil || tr.Len() == 0 {
		return nil, nil, errors.New("mlcore: empty training set")
	}
	if err := tr.Check(); err != nil {
		return nil, nil, err
	}
	if te != nil {
		if err := te.Check(); err != nil {
			return nil, nil, err
		}
		if te.Features != tr.Features {
			return nil, nil, fmt.Errorf("mlcore: train has %d features per example, test has %d", tr.Features, te.Features)
		}
	}
	batch := cfg.BatchSize
	if batch > tr.Len() {
		batch = tr.Len()
	}
	stepsPerEpoch := tr.Len() / batch
	total := stepsPerEpoch * cfg.Epochs

	backend, err := Backend()
	if err != nil {
		return nil, nil, err
	}
	m = &Model{Config: cfg, Features: tr.Features, backend: backend, store: model.NewStore()}
	m.Config.Heads = append([]Head(nil), cfg.Heads...)
	m.Config.Hidden = append([]int(nil), cfg.Hidden...)
	if err := initWeights(m.store, m.Config, m.Features); err != nil {
		return nil, nil, err
	}
	heads := m.Config.Heads
	hidden := m.Config.Hidden

	modelFn := func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		out := make([]*graph.Node, len(heads))
		for i, h := range heads {
			out[i] = logitsGraph(scope, inputs[0], hidden, h)
		}
		return out
	}
	headLoss := func(i int) func(*model.Scope, []*graph.Node, []*graph.Node) *graph.Node {
		return func(_ *model.Scope, labels, predictions []*graph.Node) *graph.Node {
			y := graph.OneHot(labels[0], NumClasses, predictions[i].DType())
			return HeadLoss(heads[i], y, predictions[i])
		}
	}
	lossFn := func(labels, predictions []*graph.Node) *graph.Node {
		var sum *graph.Node
		for i := range heads {
			l := headLoss(i)(nil, labels, predictions)
			if sum == nil {
				sum = l
			} else {
				sum = graph.Add(sum, l)
			}
		}
		return sum
	}
	var metrics []metric.Interface
	for i, h := range heads {
		metrics = append(metrics, metric.NewBaseMetric(h.String()+" loss", h.String(), metric.LossMetricType, headLoss(i), nil))
	}
	trainer := train.NewTrainer(backend, m.store, modelFn, lossFn,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), metrics, nil)

	hist = &History{Loss: map[Head][]float32{}, Eval: map[Head][]EvalPoint{}}
	evalEvery := cfg.EvalEvery
	if evalEvery == 0 {
		evalEvery = stepsPerEpoch
	}

	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6261_7463_6865_73)) // "batches"
	perm := make([]int, tr.Len())
	for i := range perm {
		perm[i] = i
	}
	start := time.Now()
	var afterFirst time.Time
	step := 0
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for b := 0; b < stepsPerEpoch; b++ {
			x, y := gatherBatch(tr, perm[b*batch:(b+1)*batch])
			var values []*tensors.Tensor
			err := exceptions.TryCatch[error](func() {
				values, err = trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}})
			})
			if err != nil {
				return nil, nil, fmt.Errorf("mlcore: training step %d: %w", step+1, err)
			}
			step++
			if step == 1 {
				afterFirst = time.Now()
			}
			p := Progress{Step: step, TotalSteps: total, Epoch: epoch, Loss: map[Head]float64{}}
			// values: batch loss, moving average loss, then one loss per head.
			for i, h := range heads {
				v, err := scalar(values[2+i])
				if err != nil {
					return nil, nil, err
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, nil, fmt.Errorf("mlcore: %s loss is %v at step %d: training diverged (lower the learning rate?)", h, v, step)
				}
				p.Loss[h] = v
				hist.Loss[h] = append(hist.Loss[h], float32(v))
			}
			for _, t := range values {
				_ = t.FinalizeAll()
			}
			if te != nil && evalEvery > 0 && (step%evalEvery == 0 || step == total) {
				p.Eval = map[Head]EvalPoint{}
				for _, h := range heads {
					probs, err := m.Probabilities(h, te)
					if err != nil {
						return nil, nil, err
					}
					e := Evaluate(h, probs, te.Labels)
					pt := EvalPoint{Step: step, Accuracy: e.Accuracy, Loss: e.Loss}
					p.Eval[h] = pt
					hist.Eval[h] = append(hist.Eval[h], pt)
				}
			}
			p.Elapsed = time.Since(start)
			if progress != nil {
				progress(p)
			}
		}
	}
	hist.Steps = step
	hist.TrainSeconds = time.Since(start).Seconds()
	if step > 1 {
		hist.StepsPerSec = float64(step-1) / time.Since(afterFirst).Seconds()
	}
	return m, hist, nil
}

// gatherBatch copies the examples idx of ds into a batch: inputs [n, features] float32 and labels [n] int32.
func gatherBatch(ds *Dataset, idx []int) (x, y *tensors.Tensor) {
	f := ds.Features
	xs := make([]float32, len(idx)*f)
	ys := make([]int32, len(idx))
	for i, j := range idx {
		copy(xs[i*f:(i+1)*f], ds.Images[j*f:(j+1)*f])
		ys[i] = ds.Labels[j]
	}
	return tensors.FromFlatDataAndDimensions(xs, len(idx), f), tensors.FromFlatDataAndDimensions(ys, len(idx))
}

func scalar(t *tensors.Tensor) (float64, error) {
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return 0, err
	}
	if len(flat) != 1 {
		return 0, fmt.Errorf("mlcore: expected a scalar metric, got %d values", len(flat))
	}
	return float64(flat[0]), nil
}
