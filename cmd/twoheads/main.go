// Command twoheads trains a softmax head and a sigmoid head on the same digits, with the same body,
// data and initial weights, and prints how they compare.
//
// Usage:
//
//	twoheads [flags]
//	twoheads assign -o OUT SOLUTION.ipynb...
//	twoheads grade -source SOLUTION.ipynb -o OUT SUBMISSION.ipynb...
//
// With no flags it trains both heads on the 8×8 digits embedded in the program (a few seconds) and
// prints a side-by-side table: test accuracy, negative log-likelihood, calibration error, the mean sum
// of the ten outputs, and how often the sigmoid head has no output, or several outputs, above 0.5.
//
// The course tools work on assignment notebooks: assign writes the student versions of solution
// notebooks (package assignment); grade is the autograder (package grading), which runs each
// submission with the real kernel in a sandbox and writes per-student results, feedback and a class
// CSV.
// Run any of them with -help for the flags.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
