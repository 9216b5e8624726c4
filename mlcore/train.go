package mlcore

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
	"github.com/gomlx/gomlx/support/exceptions"
)

// HeadLoss is the training loss of one head on a batch of logits z (shape [batch, 10]) and one-hot
// targets y (or, for data sets with Sets, the targets made by SetTargets):
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

// SetTargets turns multi-hot targets y (shape [batch, 10], 1 for each class present; see
// Dataset.MultiHot) into the targets head is trained on, for HeadLoss:
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
func SetTargets(head Head, y *graph.Node) *graph.Node {
	if head != Softmax {
		return y
	}
	size := graph.ReduceAndKeep(y, graph.ReduceSum, -1) // [batch, 1]: |y|.
	empty := graph.ConvertDType(graph.Equal(size, graph.ZerosLike(size)), y.DType())
	// (y + 1/10·[|y| = 0]) / max(|y|, 1): y/|y| for a non-empty set, 1/10 for each class of an empty one.
	num := graph.Add(y, graph.BroadcastToShape(graph.MulScalar(empty, 1.0/NumClasses), y.Shape()))
	den := graph.BroadcastToShape(graph.Max(size, graph.OnesLike(size)), y.Shape())
	return graph.Div(num, den)
}

// Progress is what training reports after every step.
type Progress struct {
	Step, TotalSteps int
	Epoch            int                // 1-based.
	Loss             map[Head]float64   // Loss of each head on this step's batch.
	Eval             map[Head]EvalPoint // Non-nil on steps where the test set was evaluated.
	Elapsed          time.Duration      // Since training started (includes graph compilation and evaluations).
	EvalTime         time.Duration      // Part of Elapsed spent evaluating on the test set.

	halt *atomic.Bool
}

// Stop asks Train to stop: it returns the model and a history up to this step. On a step with an
// evaluation (Eval != nil) the model is exactly the one evaluated; on other steps a head may already have
// taken a few more steps, since heads do not wait for each other between evaluations. Use it for early
// stopping, or to cut a run short from a notebook.
func (p Progress) Stop() {
	if p.halt != nil {
		p.halt.Store(true)
	}
}

// EvalPoint is a periodic evaluation of one head on the test set during training.
type EvalPoint struct {
	Step     int     `json:"step"`
	Accuracy float64 `json:"accuracy"` // Argmax accuracy; exact-set accuracy at 0.5 if the test set has Sets.
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
// Each head has its own body, weights, optimizer and GoMLX trainer; all start from the same initial
// weights and see the same batches in the same order, so the loss is the only difference. The heads train
// side by side, one goroutine each, meeting only for evaluations: this keeps both cores busy (the Go
// backend runs the element-wise work of a graph on one core) and was measured about 1.7× faster than one
// graph holding both heads.
//
// A training set with Sets (several classes per image, or none) is trained on multi-hot targets instead
// of class ids, each head with its own reading of them (SetTargets): the sigmoid head with binary
// cross-entropy against the multi-hot vector, the softmax head with cross-entropy against it normalised
// to sum 1. A test set with Sets is evaluated with EvaluateSets at threshold 0.5.
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
	batch := min(cfg.BatchSize, tr.Len())
	stepsPerEpoch := tr.Len() / batch
	total := stepsPerEpoch * cfg.Epochs

	if m, err = newModel(cfg, tr.Features); err != nil {
		return nil, nil, err
	}
	if err := initWeights(func(h Head) *model.Store { return m.stores[h] }, m.Config, m.Features); err != nil {
		return nil, nil, err
	}
	heads := m.Config.Heads
	trainers := make([]*train.Trainer, len(heads))
	for i, h := range heads {
		trainers[i] = newTrainer(m, h, total)
	}

	hist = &History{Loss: map[Head][]float32{}, Eval: map[Head][]EvalPoint{}}
	evalEvery := cfg.EvalEvery
	if evalEvery == 0 {
		evalEvery = stepsPerEpoch
	}

	isEval := func(step int) bool {
		return te != nil && evalEvery > 0 && (step%evalEvery == 0 || step == total)
	}

	// One goroutine per head runs all its steps; they meet only where the test set is evaluated, so that
	// both heads are evaluated after the same step. The calling goroutine gathers the losses in step
	// order, reports progress and evaluates.
	type report struct {
		head, step int
		loss       float64
		err        error
	}
	reports := make(chan report, len(heads)*64)
	var halt atomic.Bool                    // Set to stop the heads before their next step.
	resume := make([]chan bool, len(heads)) // true: go on; false: stop.
	var wg sync.WaitGroup
	for i := range heads {
		resume[i] = make(chan bool, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6261_7463_6865_73)) // "batches": the same order for every head.
			perm := make([]int, tr.Len())
			for j := range perm {
				perm[j] = j
			}
			step := 0
			for range cfg.Epochs {
				rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
				for b := range stepsPerEpoch {
					if halt.Load() {
						return
					}
					step++
					loss, err := trainStep(trainers[i], tr, perm[b*batch:(b+1)*batch])
					reports <- report{i, step, loss, err}
					if err != nil {
						return
					}
					if isEval(step) && !<-resume[i] {
						return
					}
				}
			}
		}()
	}
	stop := func() {
		halt.Store(true)
		for i := range heads {
			select {
			case resume[i] <- false:
			default:
			}
		}
		go func() { // Drain, so that no head blocks on a full channel.
			for range reports {
			}
		}()
		wg.Wait()
		close(reports)
	}

	start := time.Now()
	var afterFirst time.Time
	var evalTime time.Duration
	pending := make([]map[int]float64, len(heads)) // Losses reported ahead of the step being gathered.
	for i := range pending {
		pending[i] = map[int]float64{}
	}
	step := 0
	for step < total {
		s := step + 1
		for ready := false; !ready; {
			ready = true
			for i := range heads {
				if _, ok := pending[i][s]; !ok {
					ready = false
				}
			}
			if ready {
				break
			}
			r := <-reports
			if r.err != nil {
				stop()
				return nil, nil, fmt.Errorf("mlcore: %s head, training step %d: %w", heads[r.head], r.step, r.err)
			}
			pending[r.head][r.step] = r.loss
		}
		step = s
		if step == 1 {
			afterFirst = time.Now()
		}
		p := Progress{Step: step, TotalSteps: total, Epoch: (step-1)/stepsPerEpoch + 1, Loss: map[Head]float64{}}
		for i, h := range heads {
			v := pending[i][step]
			delete(pending[i], step)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				stop()
				return nil, nil, fmt.Errorf("mlcore: %s loss is %v at step %d: training diverged (lower the learning rate?)", h, v, step)
			}
			p.Loss[h] = v
			hist.Loss[h] = append(hist.Loss[h], float32(v))
		}
		if isEval(step) { // Every head is waiting on resume.
			evalStart := time.Now()
			p.Eval = map[Head]EvalPoint{}
			for _, h := range heads {
				probs, err := m.Probabilities(h, te)
				if err != nil {
					stop()
					return nil, nil, err
				}
				var pt EvalPoint
				if te.Sets != nil {
					e := EvaluateSets(h, probs, te, 0.5)
					pt = EvalPoint{Step: step, Accuracy: e.ExactSet, Loss: e.Loss}
				} else {
					e := Evaluate(h, probs, te.Labels)
					pt = EvalPoint{Step: step, Accuracy: e.Accuracy, Loss: e.Loss}
				}
				p.Eval[h] = pt
				hist.Eval[h] = append(hist.Eval[h], pt)
			}
			evalTime += time.Since(evalStart)
		}
		p.Elapsed, p.EvalTime, p.halt = time.Since(start), evalTime, &halt
		if progress != nil {
			progress(p)
		}
		if halt.Load() {
			break
		}
		// The heads wait at an evaluation until progress has seen it: if it calls Stop there, the model
		// returned is the one evaluated, not one trained a step further.
		if isEval(step) && step < total {
			for i := range heads {
				resume[i] <- true
			}
		}
	}
	if halt.Load() {
		stop()
	} else {
		for i := range heads {
			select {
			case resume[i] <- true: // The last step may have been an evaluation.
			default:
			}
		}
		wg.Wait()
	}
	hist.Steps = step
	hist.TrainSeconds = time.Since(start).Seconds()
	if step > 1 {
		hist.StepsPerSec = float64(step-1) / time.Since(afterFirst).Seconds()
	}
	return m, hist, nil
}

// newTrainer returns the GoMLX trainer of one head: its network, its loss (HeadLoss), Adam with the
// configured learning rate (and cosine decay over totalSteps if asked).
func newTrainer(m *Model, head Head, totalSteps int) *train.Trainer {
	cfg := m.Config
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		if cfg.CosineDecay {
			cosineschedule.New(scope, x.Graph(), x.DType()).LearningRate(cfg.LearningRate).PeriodSteps(totalSteps).Done()
		}
		return logitsGraph(scope, x, cfg.Hidden, head)
	}
	lossFn := func(labels, logits []*graph.Node) *graph.Node {
		if labels[0].Rank() == 2 { // Multi-hot sets (gatherBatch of a data set with Sets).
			return HeadLoss(head, SetTargets(head, labels[0]), logits[0])
		}
		return HeadLoss(head, graph.OneHot(labels[0], NumClasses, logits[0].DType()), logits[0])
	}
	return train.NewTrainer(m.backend, m.stores[head], modelFn, lossFn,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
}

// trainStep runs one training step of one head on the examples idx of ds and returns the batch loss.
func trainStep(t *train.Trainer, ds *Dataset, idx []int) (loss float64, err error) {
	x, y := gatherBatch(ds, idx)
	var values []*tensors.Tensor
	if err := exceptions.TryCatch[error](func() {
		values, err = t.TrainStep(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}})
	}); err != nil {
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	defer func() {
		for _, v := range values {
			_ = v.FinalizeAll()
		}
	}()
	return scalar(values[0]) // The metrics start with the batch loss.
}

// gatherBatch copies the examples idx of ds into a batch: inputs [n, features] float32 and labels [n] int32,
// or, if ds has Sets, labels [n, NumClasses] float32 multi-hot.
func gatherBatch(ds *Dataset, idx []int) (x, y *tensors.Tensor) {
	f := ds.Features
	xs := make([]float32, len(idx)*f)
	if ds.Sets != nil {
		ys := make([]float32, len(idx)*NumClasses)
		for i, j := range idx {
			copy(xs[i*f:(i+1)*f], ds.Images[j*f:(j+1)*f])
			for k := range NumClasses {
				if ds.Sets[j]&(1<<k) != 0 {
					ys[i*NumClasses+k] = 1
				}
			}
		}
		return tensors.FromFlatDataAndDimensions(xs, len(idx), f), tensors.FromFlatDataAndDimensions(ys, len(idx), NumClasses)
	}
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
