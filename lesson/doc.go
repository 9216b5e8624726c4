// Package lesson holds what the notebooks and assignments call: reference
// maths in plain Go, and (later) checks with learner-friendly feedback and
// display helpers.
//
// The reference maths (Sigmoid, Softmax, CrossEntropy, BinaryCrossEntropy and
// their gradients) works on the float64 logits of a single example and uses
// only the standard library. It is the ground truth that the GoMLX graphs,
// notebooks and assignment checks are tested against. Each stable function
// has a Naive counterpart written the textbook way, kept on purpose so that
// lessons can show it overflowing to Inf or NaN for logits such as ±1000.
package lesson
