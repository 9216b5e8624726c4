package notebook

import (
	"fmt"

	"github.com/twoheads/twoheads/plots"
)

// Play draws what both heads make of the logits z at temperature T (plots.Outputs) and shows a slider
// per logit (−5 to 5) and one for the temperature (0.1 to 5); moving a slider redraws the chart. It is
// Interact with those sliders: the cell keeps running while you play, and where no page answers it
// draws the starting point once and returns.
func Play(z []float64, T float64) {
	var sliders []Slider
	for k, v := range z {
		sliders = append(sliders, Slider{Label: "logit z" + subscript(k), Min: -5, Max: 5, Step: 0.1, Value: v})
	}
	sliders = append(sliders, Slider{Label: "temperature T", Min: 0.1, Max: 5, Step: 0.1, Value: T})
	Interact(sliders, func(v []float64) []plots.Chart {
		return []plots.Chart{plots.Outputs(v[:len(z)], v[len(z)])}
	})
}

func subscript(k int) string {
	const digits = "₀₁₂₃₄₅₆₇₈₉"
	if k >= 0 && k < 10 {
		return string([]rune(digits)[k])
	}
	return fmt.Sprint(k)
}
