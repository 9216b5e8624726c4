// Package lesson is what the lesson notebooks and the assignments call: checks with learner-friendly
// feedback, and the helpers that keep a lesson's cells short (the data sets, trained models from the
// cache, evaluations, temperature).
//
// Checks (Check, CheckClose, CheckAllClose) print "✓ claim", or "✗ claim" and what was found, and a
// failed check ends the cell (exit status 1), so the notebook shows an error and a test run or a
// grader sees it. Exercise checks (CheckSigmoidExercise, CheckTestAccuraciesExercise, …) take a
// learner's function, compare it with the reference on ordinary, edge and extreme inputs, and say what
// is wrong in the learner's terms; a learner's function that panics or never returns fails with that
// message. The lessons' own exercises (CheckGuess, CheckChoice, and functions whose body is still
// panic(TODO)) never fail a cell before the learner has tried them (practice.go). GradeDone is the
// autograder's proof that a graded cell ran to its end (see package grading).
//
// The plane (lesson 3) has helpers of its own (PlaneData, PlaneModel, PlanePlay, MidpointTest,
// Disagreement, HeadNLLs), and PairedComparison tells whether two heads differ by more than luck.
//
// The reference maths is package refmath; what is shown in a notebook (charts, Markdown, progress
// bars, sliders) is package notebook; training is package mlcore. Quick ($TWOHEADS_QUICK) makes the
// lessons train small, for the tests that execute every notebook.
//
// It may import refmath, mlcore, plots and notebook; nothing of the module imports it but the
// notebooks and the command.
package lesson
