package lesson

import (
	"math"
	"testing"
)

func TestSignTest(t *testing.T) {
	for _, c := range []struct {
		a, b int
		want float64
	}{
		{0, 0, 1}, {3, 3, 1}, {1, 0, 1},
		{5, 0, 2.0 / 32},            // 2·(1/2)^5
		{9, 1, 2 * 11.0 / 1024},     // 2·(C(10,0) + C(10,1))/2^10
		{1, 9, 2 * 11.0 / 1024},     // symmetric
		{10, 4, 2 * 1471.0 / 16384}, // 2·Σ_{i≤4} C(14, i)/2^14
	} {
		if got := SignTest(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("SignTest(%d, %d) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
