package refmath

import "testing"

func TestVectors(t *testing.T) {
	assertSliceClose(t, "Shift", Shift([]float64{1, -2}, 3), []float64{4, 1}, 0, 0)
	w := [][]float64{{1, 2, 3}, {4, 5, 6}}
	assertSliceClose(t, "MatVec", MatVec(w, []float64{1, 0, -1}), []float64{-2, -2}, 0, 0)
	wt := Transpose(w)
	if len(wt) != 3 || len(wt[0]) != 2 || wt[2][1] != 6 {
		t.Errorf("Transpose = %v", wt)
	}
	if z := RandomLogits(newRand(1), 5, 2); len(z) != 5 || z[0] == z[1] {
		t.Errorf("RandomLogits = %v", z)
	}
	expectPanic(t, "MatVec of mismatched sizes", "refmath: MatVec: row 0 has 3 entries, the vector 1", func() { MatVec(w, []float64{1}) })
}
