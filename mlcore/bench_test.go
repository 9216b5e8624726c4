package mlcore

import (
	"testing"

	"github.com/gomlx/compute"
)

// benchTrain measures training steps per second on MNIST for the 784→128→10 model.
func benchTrain(b *testing.B, heads ...Head) {
	split, err := LoadMNIST("")
	if err != nil {
		b.Fatal(err)
	}
	cfg := MNISTConfig()
	cfg.Hidden = []int{128} // The 784→128→10 model of the PyTorch comparison (bench/).
	cfg.CosineDecay = false
	cfg.LearningRate = 1e-3
	cfg.Heads = heads
	cfg.EvalEvery = -1
	// One epoch is 468 steps; train on a subset sized to b.N steps.
	n := (b.N + 1) * cfg.BatchSize
	if n > split.Train.Len() {
		n = split.Train.Len()
		cfg.Epochs = (b.N+1)/(n/cfg.BatchSize) + 1
	} else {
		cfg.Epochs = 1
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sub := Split{Train: split.Train.selectExamples(idx, "mnist/train-subset")}
	b.ResetTimer()
	_, hist, err := Train(sub, cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(hist.StepsPerSec, "steps/s")
}

func BenchmarkTrainMNISTSoftmax(b *testing.B) { benchTrain(b, Softmax) }
func BenchmarkTrainMNISTSigmoid(b *testing.B) { benchTrain(b, Sigmoid) }
func BenchmarkTrainMNISTBoth(b *testing.B)    { benchTrain(b, Softmax, Sigmoid) }

// BenchmarkTrainMNISTLayouts compares the two weight layouts of the dense layers.
func BenchmarkTrainMNISTLayouts(b *testing.B) {
	defer func(l compute.DenseLayout) { weightsLayout = l }(weightsLayout)
	for _, l := range []compute.DenseLayout{compute.DenseLayoutInputOutputs, compute.DenseLayoutOutputsInput} {
		b.Run(l.String(), func(b *testing.B) {
			weightsLayout = l
			benchTrain(b, Softmax, Sigmoid)
		})
	}
}
