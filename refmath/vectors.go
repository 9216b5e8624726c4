package refmath

import (
	"fmt"
	"math/rand/v2"
)

// Small vector helpers for the lessons' cells.

// Shift returns z + c·1: every logit moved by c. Softmax and cross-entropy do not change
// (shift invariance); the sigmoids and binary cross-entropy do.
func Shift(z []float64, c float64) []float64 {
	out := make([]float64, len(z))
	for k, v := range z {
		out[k] = v + c
	}
	return out
}

// RandomLogits returns k logits drawn from N(0, scale²) with rng.
func RandomLogits(rng *rand.Rand, k int, scale float64) []float64 {
	z := make([]float64, k)
	for i := range z {
		z[i] = scale * rng.NormFloat64()
	}
	return z
}

// MatVec returns the product W x of a matrix (a slice of rows) and a vector. It panics if a row's
// length differs from x's.
func MatVec(w [][]float64, x []float64) []float64 {
	out := make([]float64, len(w))
	for i, row := range w {
		if len(row) != len(x) {
			panic(fmt.Sprintf("refmath: MatVec: row %d has %d entries, the vector %d", i, len(row), len(x)))
		}
		for j, v := range row {
			out[i] += v * x[j]
		}
	}
	return out
}

// Transpose returns Wᵀ of a matrix given as rows of equal length.
func Transpose(w [][]float64) [][]float64 {
	if len(w) == 0 {
		return nil
	}
	t := make([][]float64, len(w[0]))
	for j := range t {
		t[j] = make([]float64, len(w))
		for i := range w {
			t[j][i] = w[i][j]
		}
	}
	return t
}
