package lesson

import (
	"strings"
	"testing"
)

func TestGuessesAndChoices(t *testing.T) {
	for _, tc := range []struct {
		name   string
		run    func() bool
		failed bool
		prefix string
		says   string
	}{
		{"right guess", func() bool { return CheckGuess("Σσ(0)", 5, 5, 0, "ten halves") }, false, "✓ Σσ(0): you guessed 5, the run shows 5.", "ten halves"},
		{"close enough", func() bool { return CheckGuess("p", 0.27, 0.2689, 0.01, "") }, false, "✓ p", ""},
		{"wrong guess", func() bool { return CheckGuess("Σσ(0)", 1, 5, 0, "ten halves") }, true, "✗ Σσ(0)", "you guessed 1, the run shows 5. ten halves"},
		{"no guess", func() bool { return CheckGuess("Σσ(0)", NoGuess, 5, 0, "ten halves") }, false, "… Σσ(0): no guess yet — the run shows 5.", "ten halves"},
		{"right choice", func() bool { return CheckChoice("which", "sigmoid", []string{"softmax", "sigmoid"}, "sigmoid", "why") }, false, `✓ which: "sigmoid".`, "why"},
		{"wrong choice", func() bool { return CheckChoice("which", "softmax", []string{"softmax", "sigmoid"}, "sigmoid", "why") }, true, "✗ which", `you chose "softmax", the answer is "sigmoid". why`},
		{"no option", func() bool { return CheckChoice("which", "both", []string{"softmax", "sigmoid"}, "sigmoid", "") }, true, "✗ which", `"both" is not one of the options`},
		{"no choice", func() bool { return CheckChoice("which", NoChoice, []string{"softmax", "sigmoid"}, "sigmoid", "") }, false, `… which: no choice yet — the answer is "sigmoid".`, ""},
		{"function not written", func() bool { return CheckSoftmaxExercise(func([]float64) []float64 { panic(TODO) }) }, false, "… softmax", "not done yet"},
	} {
		var ok bool
		out, failed := capture(t, func() { ok = tc.run() })
		if failed != tc.failed || ok == (tc.failed || strings.HasPrefix(out, "…")) || !strings.HasPrefix(out, tc.prefix) || !strings.Contains(out, tc.says) {
			t.Errorf("%s: ok=%v failed=%v, printed %q", tc.name, ok, failed, out)
		}
	}
}
