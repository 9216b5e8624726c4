package lesson

import (
	"math"

	"github.com/twoheads/twoheads/mlcore"
)

// MNISTConfig is mlcore.MNISTConfig, shortened to 4 epochs in Quick mode.
func MNISTConfig() mlcore.Config {
	cfg := mlcore.MNISTConfig()
	if Quick() {
		cfg.Epochs = 4
	}
	return cfg
}

// MNISTModel returns MNIST and both heads trained on it with MNISTConfig (from the cache when a cell
// or notebook trained them before), with the training history.
func MNISTModel() (mlcore.Split, *mlcore.Model, *mlcore.History) {
	split := MNIST()
	m, hist := Trained(split, MNISTConfig())
	return split, m, hist
}

// Evals returns the evaluation of each head of m on a data set with one class per image (its test set,
// usually).
func Evals(m *mlcore.Model, test *mlcore.Dataset) map[mlcore.Head]mlcore.Eval {
	res := map[mlcore.Head]mlcore.Eval{}
	for _, h := range m.Config.Heads {
		probs, err := m.Probabilities(h, test)
		Must(err)
		res[h] = mlcore.Evaluate(h, probs, test.Labels)
	}
	return res
}

// WithTemperature turns a head's logits (head.Logits() per example, as Model.Logits returns them) into
// its outputs at temperature T (NumClasses per example): softmax(z/T) per example for the softmax
// heads, σ(z_k/T) per output for the sigmoid head. T = 1 gives the head's usual outputs; T > 1 makes
// them less confident, T < 1 more. The argmax never changes.
func WithTemperature(head mlcore.Head, logits []float32, T float64) []float32 {
	k := head.Logits()
	out := make([]float32, 0, len(logits)/k*mlcore.NumClasses)
	row := make([]float64, k)
	for i := 0; i+k <= len(logits); i += k {
		for j := range row {
			row[j] = float64(logits[i+j]) / T
		}
		for _, p := range head.Outputs(row) {
			out = append(out, float32(p))
		}
	}
	return out
}

// BestTemperature returns the temperature, among temps, with the lowest expected calibration error of
// head on logits and labels, and that error.
func BestTemperature(head mlcore.Head, logits []float32, labels []int32, temps []float64) (best, ece float64) {
	ece = math.Inf(1)
	for _, T := range temps {
		if e := mlcore.Evaluate(head, WithTemperature(head, logits, T), labels).ECE; e < ece {
			best, ece = T, e
		}
	}
	return best, ece
}
