package lesson

import (
	"errors"
	"fmt"
	"math"
)

// Exercises in the lessons are for the learner alone: nothing is graded. Each is a cell the learner
// edits (its metadata says "twoheads": {"exercise": ID}, so that the tests that execute the notebooks
// can put a known answer in it) followed by a cell that checks it:
//
//   - predict, then run: the learner writes a guess into a variable, the next cell computes the real
//     value and CheckGuess (or CheckChoice) compares them;
//   - a small function to write, checked by an exercise check (CheckLogSumExpExercise, …) with hints
//     for the usual mistakes;
//   - a derivation on paper, with the answer folded in the Markdown below it.
//
// An exercise not tried yet never fails its cell, so "Run All" goes through a lesson: a guess left at
// NoGuess, or a function whose body is still panic(lesson.TODO), prints "… not done yet" with what to
// do. A wrong answer fails like any check: ✗, what was found, a hint.

// NoGuess is the value of a guess not made yet: CheckGuess then says so and shows what the run found,
// without failing the cell.
var NoGuess = math.NaN()

// NoChoice is the answer of a choice not made yet (see CheckChoice).
const NoChoice = ""

// TODO is what the body of an exercise function panics with until the learner writes it:
//
//	func LogSumExp(z []float64) float64 {
//		panic(lesson.TODO) // Replace this line with your code.
//	}
//
// Its check then says the exercise is not done yet, without failing the cell.
var TODO = errors.New("not done yet: replace panic(lesson.TODO) with your code")

// notDone is the problem that try reports for a function that panicked with TODO.
const notDone = "\x00not done yet"

// unfinished reports a learner's function that could not be checked: not written yet (a neutral
// line) or failed (✗ with the problem).
func unfinished(claim, problem string) bool {
	if problem == notDone {
		fmt.Fprintf(cell.out, "… %s: not done yet — write it in the cell above (replace panic(lesson.TODO)) and run both cells again\n", claim)
		return false
	}
	return Check(claim, false, "%s", problem)
}

// CheckGuess compares a learner's prediction with what the run shows: it passes when |guess − actual|
// ≤ tol. why explains the answer; it is printed either way, after the verdict, so that the learner
// learns why, right or wrong. A guess left at NoGuess prints the answer without failing.
func CheckGuess(question string, guess, actual, tol float64, why string) bool {
	if math.IsNaN(guess) {
		fmt.Fprintf(cell.out, "… %s: no guess yet — the run shows %s. %s\n", question, fmtFloat(actual), why)
		return false
	}
	if isClose(guess, actual, 0) || math.Abs(guess-actual) <= tol {
		fmt.Fprintf(cell.out, "✓ %s: you guessed %s, the run shows %s. %s\n", question, fmtFloat(guess), fmtFloat(actual), why)
		return true
	}
	return Check(question, false, "you guessed %s, the run shows %s. %s", fmtFloat(guess), fmtFloat(actual), why)
}

// CheckChoice compares a learner's choice among options with the answer (both must be options).
// why explains the answer, right or wrong. A choice left at NoChoice prints the answer without
// failing; a choice that is not one of the options fails and lists them.
func CheckChoice(question, choice string, options []string, answer, why string) bool {
	switch {
	case choice == NoChoice:
		fmt.Fprintf(cell.out, "… %s: no choice yet — the answer is %q. %s\n", question, answer, why)
		return false
	case !contains(options, choice):
		return Check(question, false, "%q is not one of the options %q", choice, options)
	case choice == answer:
		fmt.Fprintf(cell.out, "✓ %s: %q. %s\n", question, choice, why)
		return true
	}
	return Check(question, false, "you chose %q, the answer is %q. %s", choice, answer, why)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
