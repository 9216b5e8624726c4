package lesson

import (
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

// capture runs f with stdout captured and FailCell recording instead of exiting.
func capture(t *testing.T, f func()) (out string, failed bool) {
	t.Helper()
	old, oldFail := os.Stdout, FailCell
	r, w, _ := os.Pipe()
	os.Stdout = w
	FailCell = func() { failed = true }
	defer func() { os.Stdout, FailCell = old, oldFail }()
	f()
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b), failed
}

func TestChecks(t *testing.T) {
	out, failed := capture(t, func() { CheckClose("σ(0) = 1/2", Sigmoid(0), 0.5, 1e-12) })
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
