// Package refmath is the plain-Go float64 reference ("ground truth") for the two output heads: the
// sigmoid and the softmax, their losses (cross-entropy, binary cross-entropy) and gradients, and the
// numerical tools to check them. It uses only the standard library, so anything can import it: the
// lessons and their checks, the charts, and the tests of the GoMLX training core.
//
// Every slice argument holds the logits z (or the probabilities p, or the targets y) of a single
// example with K outputs. The naming convention is:
//
//	Sigmoid, Softmax, CrossEntropy, ...          stable forms: use these
//	NaiveSigmoid, NaiveSoftmax, NaiveBCE, ...    textbook forms, kept for the lessons
//
// Each stable function has a Naive counterpart written the textbook way, kept on purpose so that a
// lesson can show it overflowing to Inf or NaN for logits such as ±1000, and why the stable form
// (log-sum-exp, softplus, the sign-split sigmoid) does not. Functions panic, with a message that
// starts with "refmath: ", on arguments that make no sense (a label out of range, a temperature ≤ 0,
// logits and targets of different lengths).
package refmath
