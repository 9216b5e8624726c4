package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/refmath"
)

// capture runs f with the checks printing into a buffer and a failed check recorded instead of
// ending the process.
func capture(t *testing.T, f func()) (out string, failed bool) {
	t.Helper()
	var b strings.Builder
	defer use(&checker{out: &b, fail: func() { failed = true }, timeout: cell.timeout, trainingTimeout: cell.trainingTimeout})()
	f()
	return b.String(), failed
}

// use makes c the checker of the package's checks until the returned function is called.
func use(c *checker) (restore func()) {
	old := cell
	cell = c
	return func() { cell = old }
}

func TestChecks(t *testing.T) {
	out, failed := capture(t, func() { CheckClose("σ(0) = 1/2", refmath.Sigmoid(0), 0.5, 1e-12) })
	if failed || out != "✓ σ(0) = 1/2\n" {
		t.Errorf("passing check: %q failed=%v", out, failed)
	}
	out, failed = capture(t, func() { CheckAllClose("softmax sums to 1", []float64{0.2, 0.9}, []float64{0.2, 0.8}, 1e-9) })
	if !failed || !strings.Contains(out, "✗ softmax sums to 1") || !strings.Contains(out, "element 1: got 0.9, want 0.8") {
		t.Errorf("failing check: %q failed=%v", out, failed)
	}
	_, failed = capture(t, func() { CheckClose("NaN is never close", math.NaN(), math.NaN(), 1) })
	if !failed {
		t.Error("NaN passed a closeness check")
	}
	_, failed = capture(t, func() { CheckAllClose("lengths", []float64{1}, []float64{1, 2}, 1) })
	if !failed {
		t.Error("different lengths passed")
	}
}

func TestWithTemperature(t *testing.T) {
	logits := []float32{2, 1, 0, 0, 0, 0, 0, 0, 0, -1}
	for _, h := range []int{0, 1} {
		head := mlcoreHeads[h]
		p1 := WithTemperature(head, logits, 1)
		p3 := WithTemperature(head, logits, 3)
		if p3[0] >= p1[0] {
			t.Errorf("%v: T=3 did not lower the top output (%v vs %v)", head, p3[0], p1[0])
		}
		if argmax32(p1) != argmax32(p3) {
			t.Errorf("%v: temperature changed the argmax", head)
		}
	}
	soft := WithTemperature(mlcoreHeads[0], logits, 2)
	var s float32
	for _, v := range soft {
		s += v
	}
	if math.Abs(float64(s)-1) > 1e-6 {
		t.Errorf("softmax outputs at T=2 sum to %v", s)
	}
}

func argmax32(p []float32) int {
	best := 0
	for k, v := range p {
		if v > p[best] {
			best = k
		}
	}
	return best
}

var mlcoreHeads = mlcore.Heads
