// Command gomlx measures mlcore's training speed on MNIST for the model of the PyTorch baseline
// (bench/torch_mnist.py): 784→128→10, Adam 1e-3, batch 128. It reports steps per second for each head
// alone and for both heads side by side (the way mlcore.Train runs them), and the training time until
// each head reaches a test accuracy target.
//
//	GOEXPERIMENT=simd go run ./bench/gomlx -steps 1000 -target-acc 0.975 -json gomlx.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/twoheads/twoheads/mlcore"
)

type headResult struct {
	StepsPerSec         float64 `json:"steps_per_sec,omitempty"`
	TimeToTargetSeconds float64 `json:"time_to_target_seconds,omitempty"`
	StepsToTarget       int     `json:"steps_to_target,omitempty"`
	EpochsToTarget      float64 `json:"epochs_to_target,omitempty"`
	Target              float64 `json:"target,omitempty"`
	FinalTestAccuracy   float64 `json:"final_test_accuracy,omitempty"`
}

func main() {
	steps := flag.Int("steps", 1000, "timed steps for steps/s (0: skip)")
	targets := flag.String("target-acc", "", "test accuracy target, one number or per head: softmax=0.975,sigmoid=0.975 (empty: skip)")
	evalEvery := flag.Int("eval-every", 200, "steps between evaluations for the time to target")
	maxEpochs := flag.Int("max-epochs", 30, "give up on the target after this many epochs")
	hidden := flag.Int("hidden", 128, "hidden layer width")
	lr := flag.Float64("lr", 1e-3, "Adam learning rate")
	seed := flag.Int64("seed", 42, "seed")
	out := flag.String("json", "", "write results as JSON here")
	flag.Parse()

	split, err := mlcore.LoadMNIST("")
	check(err)
	cfg := mlcore.MNISTConfig()
	cfg.Hidden, cfg.LearningRate, cfg.CosineDecay, cfg.Seed, cfg.EvalEvery = []int{*hidden}, *lr, false, *seed, -1
	res := map[string]*headResult{}
	get := func(k string) *headResult {
		if res[k] == nil {
			res[k] = &headResult{}
		}
		return res[k]
	}

	if *steps > 0 {
		n := min((*steps+1)*cfg.BatchSize, split.Train.Len())
		sub := mlcore.Split{Train: &mlcore.Dataset{Name: "mnist/train-subset", Height: 28, Width: 28, Features: 784,
			Images: split.Train.Images[:n*784], Labels: split.Train.Labels[:n]}}
		for _, heads := range [][]mlcore.Head{{mlcore.Softmax}, {mlcore.Sigmoid}, mlcore.Heads} {
			c := cfg
			c.Heads = heads
			c.Epochs = max(1, (*steps+1)/(n/c.BatchSize)+1)
			_, hist, err := mlcore.Train(sub, c, nil)
			check(err)
			name := heads[0].String()
			if len(heads) == 2 {
				name = "both"
			}
			get(name).StepsPerSec = hist.StepsPerSec
			fmt.Fprintf(os.Stderr, "%-8s %6.1f steps/s\n", name, hist.StepsPerSec)
		}
	}

	if *targets != "" {
		want, err := parseTargets(*targets)
		check(err)
		c := cfg
		c.Heads = mlcore.Heads
		c.Epochs = *maxEpochs
		c.EvalEvery = *evalEvery
		stepsPerEpoch := split.Train.Len() / c.BatchSize
		_, _, err = mlcore.Train(split, c, func(p mlcore.Progress) {
			if p.Eval == nil {
				return
			}
			done := true
			for _, h := range mlcore.Heads {
				r := get(h.String())
				r.FinalTestAccuracy = p.Eval[h].Accuracy
				if r.StepsToTarget == 0 && p.Eval[h].Accuracy >= want[h] {
					r.Target = want[h]
					r.StepsToTarget = p.Step
					r.EpochsToTarget = float64(p.Step) / float64(stepsPerEpoch)
					r.TimeToTargetSeconds = (p.Elapsed - p.EvalTime).Seconds()
					fmt.Fprintf(os.Stderr, "%s reached %.4f at step %d, %.1fs of training\n", h, p.Eval[h].Accuracy, p.Step, r.TimeToTargetSeconds)
				}
				done = done && r.StepsToTarget > 0
			}
			if done {
				p.Stop()
			}
		})
		check(err)
	}
	doc := map[string]any{"framework": "gomlx", "simd": mlcore.SIMD, "cores": runtime.NumCPU(), "heads": res}
	b, _ := json.MarshalIndent(doc, "", "  ")
	if *out != "" {
		check(os.WriteFile(*out, b, 0o644))
	} else {
		fmt.Println(string(b))
	}
}

func parseTargets(s string) (map[mlcore.Head]float64, error) {
	t := map[mlcore.Head]float64{}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		for _, h := range mlcore.Heads {
			t[h] = v
		}
		return t, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(kv, "=")
		h, err := mlcore.ParseHead(k)
		if err != nil {
			return nil, err
		}
		if t[h], err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("target %q: %w", kv, err)
		}
	}
	return t, nil
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gomlx bench:", err)
		os.Exit(1)
	}
}
