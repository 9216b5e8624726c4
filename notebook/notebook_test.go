package notebook

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/plots"
)

// stdout runs f and returns what it printed.
func stdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = old }()
	f()
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}

func TestOutsideANotebook(t *testing.T) {
	if err := Show(plots.SigmoidCurve()); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Show outside a notebook: %v", err)
	}
	if err := NewLive().Update(plots.SigmoidCurve()); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Live.Update outside a notebook: %v", err)
	}
	if out := stdout(t, func() { Markdown("**bold**") }); out != "**bold**\n" {
		t.Errorf("Markdown outside a notebook printed %q", out)
	}
	start := time.Now()
	out := stdout(t, func() { Play([]float64{2, 1, 0}, 1) })
	if !strings.Contains(out, "not running in a GoNB notebook") || time.Since(start) > 2*time.Second {
		t.Errorf("Play outside a notebook printed %q after %v", out, time.Since(start))
	}
}

// TestProgressPrintsEveryTenth checks the text display: one line per tenth of the run, with the losses
// and the latest test accuracy.
func TestProgressPrintsEveryTenth(t *testing.T) {
	show := Progress("training")
	out := stdout(t, func() {
		for step := 1; step <= 100; step++ {
			p := mlcore.Progress{Step: step, TotalSteps: 100, Epoch: 1, Loss: map[mlcore.Head]float64{mlcore.Softmax: 0.5, mlcore.Sigmoid: 0.25}}
			if step == 50 {
				p.Eval = map[mlcore.Head]mlcore.EvalPoint{mlcore.Softmax: {Step: 50, Accuracy: 0.9}, mlcore.Sigmoid: {Step: 50, Accuracy: 0.8}}
			}
			show(p)
		}
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10:\n%s", len(lines), out)
	}
	if want := "training: step 10/100, epoch 1, loss softmax 0.5000, sigmoid 0.2500"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if want := "; test accuracy softmax 90.00%, sigmoid 80.00%"; !strings.HasSuffix(lines[9], want) || strings.Contains(lines[3], "accuracy") {
		t.Errorf("the accuracy appears from the evaluation on: %q, %q", lines[3], lines[9])
	}
}

func TestSliderPositions(t *testing.T) {
	s := Slider{Label: "T", Min: 0.1, Max: 5, Step: 0.1, Value: 1}
	if n, at := s.positions(1); n != 50 || at != 9 || s.at(at) != 1 {
		t.Errorf("0.1 … 5 by 0.1: %d positions, 1 at %d (%v)", n, at, s.at(at))
	}
	if _, at := s.positions(99); at != 49 {
		t.Errorf("a value above the range goes to the last position, not %d", at)
	}
	c := Slider{Label: "hidden units", Choices: []float64{0, 2, 4, 8, 16}, Value: 7}
	if n, at := c.positions(7); n != 5 || c.at(at) != 8 {
		t.Errorf("choices: %d positions, 7 → %v", n, c.at(at))
	}
	if l := c.label(8); !strings.Contains(l, "<b>hidden units</b> = 8") || !strings.Contains(l, "(0, 2, 4, 8, 16)") {
		t.Errorf("label %q", l)
	}
}

func TestInteractOutsideANotebook(t *testing.T) {
	calls := 0
	out := stdout(t, func() {
		Interact([]Slider{{Label: "x", Min: 0, Max: 1, Step: 0.5, Value: 0.4}}, func(v []float64) []plots.Chart {
			calls++
			if v[0] != 0.5 {
				t.Errorf("the starting value 0.4 is drawn as %v, want the nearest position, 0.5", v[0])
			}
			return []plots.Chart{plots.SigmoidCurve()}
		})
	})
	if calls != 1 || !strings.Contains(out, "not running in a GoNB notebook") {
		t.Errorf("%d draws, printed %q", calls, out)
	}
}
