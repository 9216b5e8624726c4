package mlcore

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
	"github.com/gomlx/gomlx/support/exceptions"
)

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

// Status describes the step in one line, as progress displays show it:
// "step 120/400, epoch 12, loss softmax 0.1234, sigmoid 0.2345".
func (p Progress) Status() string {
	var losses []string
	for _, h := range Heads {
		if l, ok := p.Loss[h]; ok {
			losses = append(losses, fmt.Sprintf("%s %.4f", h, l))
		}
	}
	return fmt.Sprintf("step %d/%d, epoch %d, loss %s", p.Step, p.TotalSteps, p.Epoch, strings.Join(losses, ", "))
}

// Accuracies describes the evaluation of this step, "test accuracy softmax 97.10%, sigmoid 96.50%", or
// is "" on a step without one.
func (p Progress) Accuracies() string {
	var parts []string
	for _, h := range Heads {
		if e, ok := p.Eval[h]; ok {
			parts = append(parts, fmt.Sprintf("%s %.2f%%", h, 100*e.Accuracy))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "test accuracy " + strings.Join(parts, ", ")
}

// Left estimates the time the run still needs, from its pace so far.
func (p Progress) Left() time.Duration {
	if p.Step <= 0 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) / float64(p.Step) * float64(p.TotalSteps-p.Step))
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
// of class ids, each head with its own reading of them (Head.Targets): the sigmoid head with binary
// cross-entropy against the multi-hot vector, the softmax head with cross-entropy against it normalised
// to sum 1. A test set with Sets is evaluated with EvaluateSets at threshold 0.5.
//
// progress, if not nil, is called after every step (from the calling goroutine), in step order, with
// the loss of every head at that step.
func Train(split Split, cfg Config, progress func(Progress)) (*Model, *History, error) {
	r, err := newRun(split, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer r.stop()
	r.start()
	for step := 1; step <= r.total; step++ {
		p, err := r.gather(step)
		if err != nil {
			return nil, nil, err
		}
		if r.isEval(step) { // Every head waits until resume.
			if p.Eval, err = r.evaluate(step); err != nil {
				return nil, nil, err
			}
		}
		p.Elapsed, p.EvalTime, p.halt = time.Since(r.started), r.evalTime, &r.halt
		if progress != nil {
			progress(p)
		}
		r.hist.Steps = step
		if r.halt.Load() {
			break
		}
		// The heads wait at an evaluation until progress has seen it: if it calls Stop there, the model
		// returned is the one evaluated, not one trained a step further.
		if r.isEval(step) {
			r.resume()
		}
	}
	r.hist.TrainSeconds = time.Since(r.started).Seconds()
	if r.hist.Steps > 1 {
		r.hist.StepsPerSec = float64(r.hist.Steps-1) / time.Since(r.afterFirst).Seconds()
	}
	return r.model, r.hist, nil
}

// run is one call of Train: the model, one trainer per head and the plan of steps, the goroutines that
// train the heads, and the history gathered from them.
type run struct {
	cfg                 Config
	train, test         *Dataset
	model               *Model
	trainers            []*train.Trainer // One per head of model.Config.Heads, in that order.
	batch, perEpoch     int
	total, evalEvery    int
	hist                *History
	started, afterFirst time.Time
	evalTime            time.Duration
	losses              []chan stepLoss // Per head, in step order.
	resumed             []chan struct{} // Per head: go on after an evaluation.
	done                chan struct{}   // Closed to end every head's goroutine.
	halt                atomic.Bool     // Set by Progress.Stop.
	heads               sync.WaitGroup
}

// stepLoss is what a head reports after each step.
type stepLoss struct {
	loss float64
	err  error
}

// newRun checks the data and the configuration, creates the model with its initial weights and one
// trainer per head, and plans the steps.
func newRun(split Split, cfg Config) (*run, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tr, te := split.Train, split.Test
	if tr == nil || tr.Len() == 0 {
		return nil, errors.New("mlcore: empty training set")
	}
	if err := tr.Validate(); err != nil {
		return nil, err
	}
	if te != nil {
		if err := te.Validate(); err != nil {
			return nil, err
		}
		if te.Features != tr.Features {
			return nil, fmt.Errorf("mlcore: train has %d features per example, test has %d", tr.Features, te.Features)
		}
	}
	r := &run{cfg: cfg, train: tr, test: te, done: make(chan struct{})}
	r.batch = min(cfg.BatchSize, tr.Len())
	r.perEpoch = tr.Len() / r.batch
	r.total = r.perEpoch * cfg.Epochs
	r.evalEvery = cfg.EvalEvery
	if r.evalEvery == 0 {
		r.evalEvery = r.perEpoch
	}
	m, err := newModel(cfg, tr.Features)
	if err != nil {
		return nil, err
	}
	if err := initWeights(func(h Head) *model.Store { return m.stores[h] }, m.Config, m.Features); err != nil {
		return nil, err
	}
	r.model = m
	for _, h := range m.Config.Heads {
		r.trainers = append(r.trainers, newTrainer(m, h, r.total))
		r.losses = append(r.losses, make(chan stepLoss, 64))
		r.resumed = append(r.resumed, make(chan struct{}, 1))
	}
	r.hist = &History{Loss: map[Head][]float32{}, Eval: map[Head][]EvalPoint{}}
	return r, nil
}

// isEval reports whether the test set is evaluated after step (1-based).
func (r *run) isEval(step int) bool {
	return r.test != nil && r.evalEvery > 0 && (step%r.evalEvery == 0 || step == r.total)
}

// start starts one goroutine per head. Each runs all its steps on the same batches in the same order,
// reporting each step's loss, and waits at every evaluation until resume.
func (r *run) start() {
	r.started = time.Now()
	for i := range r.trainers {
		r.heads.Add(1)
		go func() {
			defer r.heads.Done()
			r.trainHead(i)
		}()
	}
}

func (r *run) trainHead(i int) {
	rng := rand.New(rand.NewPCG(uint64(r.cfg.Seed), 0x6261_7463_6865_73)) // "batches": the same order for every head.
	perm := make([]int, r.train.Len())
	for j := range perm {
		perm[j] = j
	}
	step := 0
	for range r.cfg.Epochs {
		rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		for b := range r.perEpoch {
			select {
			case <-r.done:
				return
			default:
			}
			step++
			loss, err := trainStep(r.trainers[i], r.train, perm[b*r.batch:(b+1)*r.batch])
			select {
			case r.losses[i] <- stepLoss{loss, err}:
			case <-r.done:
				return
			}
			if err != nil {
				return
			}
			if r.isEval(step) {
				select {
				case <-r.resumed[i]:
				case <-r.done:
					return
				}
			}
		}
	}
}

// gather waits for every head's loss at step and records it.
func (r *run) gather(step int) (Progress, error) {
	p := Progress{Step: step, TotalSteps: r.total, Epoch: (step-1)/r.perEpoch + 1, Loss: map[Head]float64{}}
	for i, h := range r.model.Config.Heads {
		s := <-r.losses[i]
		if s.err != nil {
			return p, fmt.Errorf("mlcore: %s head, training step %d: %w", h, step, s.err)
		}
		if math.IsNaN(s.loss) || math.IsInf(s.loss, 0) {
			return p, fmt.Errorf("mlcore: %s loss is %v at step %d: training diverged (lower the learning rate?)", h, s.loss, step)
		}
		p.Loss[h] = s.loss
		r.hist.Loss[h] = append(r.hist.Loss[h], float32(s.loss))
	}
	if step == 1 {
		r.afterFirst = time.Now()
	}
	return p, nil
}

// evaluate evaluates every head on the test set after step, while the heads wait.
func (r *run) evaluate(step int) (map[Head]EvalPoint, error) {
	start := time.Now()
	defer func() { r.evalTime += time.Since(start) }()
	points := map[Head]EvalPoint{}
	for _, h := range r.model.Config.Heads {
		probs, err := r.model.Probabilities(h, r.test)
		if err != nil {
			return nil, err
		}
		pt := EvalPoint{Step: step}
		if r.test.Sets != nil {
			e := EvaluateSets(h, probs, r.test, 0.5)
			pt.Accuracy, pt.Loss = e.ExactSet, e.Loss
		} else {
			e := Evaluate(h, probs, r.test.Labels)
			pt.Accuracy, pt.Loss = e.Accuracy, e.Loss
		}
		points[h] = pt
		r.hist.Eval[h] = append(r.hist.Eval[h], pt)
	}
	return points, nil
}

// resume lets every head go on after an evaluation.
func (r *run) resume() {
	for _, c := range r.resumed {
		c <- struct{}{}
	}
}

// stop ends every head's goroutine and waits for them.
func (r *run) stop() {
	close(r.done)
	r.heads.Wait()
}

// newTrainer returns the GoMLX trainer of one head: its network, its loss (Head.Loss), Adam with the
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
		var targets *graph.Node
		if labels[0].Rank() == 2 { // Multi-hot sets (gatherBatch of a data set with Sets).
			targets = head.Targets(labels[0])
		} else {
			targets = head.OneHot(labels[0], logits[0].DType())
		}
		if cfg.LabelSmoothing > 0 {
			targets = head.Smooth(targets, cfg.LabelSmoothing)
		}
		return head.Loss(targets, logits[0])
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
