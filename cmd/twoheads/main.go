// Command twoheads trains a softmax head and a sigmoid head on the same digits, with the same body,
// data and initial weights, and prints how they compare.
//
// Usage:
//
//	twoheads [flags]
//
// With no flags it trains both heads on the 8×8 digits embedded in the program (a few seconds) and
// prints a side-by-side table: test accuracy, negative log-likelihood, calibration error, the mean sum
// of the ten outputs, and how often the sigmoid head has no output, or several outputs, above 0.5.
// Run with -help for the flags.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
