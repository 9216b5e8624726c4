package lesson

import (
	"github.com/twoheads/twoheads/mlcore"
)

// MultiLabelTask is the task of notebook 6, built from the 8×8 digits: images 8×16 that show two digits
// side by side (the label is the set of both), one digit on a blank half (a set of one), or no digit at
// all (the empty set: faint marks, noise, scrambled pixels). Train is built from the digits' training
// images; the three test sets from their test images only.
type MultiLabelTask struct {
	Train                            *mlcore.Dataset
	TestPairs, TestSingles, TestNone *mlcore.Dataset
	Test                             *mlcore.Dataset // The three test sets together.
}

// NewMultiLabelTask builds the task from the digits split by seed.
func NewMultiLabelTask(seed int64) MultiLabelTask {
	digits := Digits(seed)
	var t MultiLabelTask
	var err error
	pairs := mlcore.PairDigits(digits.Train, 3000, seed)
	t.Train, err = mlcore.Concat("multilabel/train", pairs,
		mlcore.SingleDigitsWide(digits.Train, seed),
		mlcore.NoneOfTheAbove(pairs, 600, seed)) // 8×16, like the pairs.
	Must(err)
	t.TestPairs = mlcore.PairDigits(digits.Test, 1000, seed+1)
	t.TestSingles = mlcore.SingleDigitsWide(digits.Test, seed+1)
	t.TestNone = mlcore.NoneOfTheAbove(t.TestPairs, 300, seed+1)
	t.Test, err = mlcore.Concat("multilabel/test", t.TestPairs, t.TestSingles, t.TestNone)
	Must(err)
	return t
}

// MultiLabelConfig is the configuration both heads are trained with on the multi-label task.
func MultiLabelConfig() mlcore.Config {
	cfg := mlcore.DigitsConfig()
	cfg.Epochs = 20
	return cfg
}
