// Package lesson holds what the notebooks and assignments call: reference
// maths in plain Go, checks with learner-friendly feedback, and display and
// training helpers.
//
// The reference maths (Sigmoid, Softmax, CrossEntropy, BinaryCrossEntropy and
// their gradients) works on the float64 logits of a single example and uses
// only the standard library. It is the ground truth that the GoMLX graphs,
// notebooks and assignment checks are tested against. Each stable function
// has a Naive counterpart written the textbook way, kept on purpose so that
// lessons can show it overflowing to Inf or NaN for logits such as ±1000.
//
// Checks (Check, CheckClose, CheckAllClose) print "✓ claim", or "✗ claim" and
// what was found, and a failed check ends the cell. Exercise checks
// (CheckSigmoidExercise, CheckTestAccuraciesExercise, …) take a learner's
// function, compare it with the reference on ordinary, edge and extreme
// inputs, and say what is wrong in the learner's terms; a learner's function
// that panics or never returns fails with that message. GradeDone is the
// autograder's proof that a graded cell ran to its end (see package
// assignment).
package lesson
