package notebook

import (
	"fmt"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/widgets"
	"github.com/twoheads/twoheads/plots"
)

// How long Play waits for the notebook page to answer its first slider, and how long it keeps
// listening after the last move.
const (
	playWait = 5 * time.Second
	playIdle = 10 * time.Minute
)

// Play draws what both heads make of the logits z at temperature T (plots.Outputs) and shows a slider
// per logit (−5 to 5) and one for the temperature (0.1 to 5); moving a slider redraws the chart. The
// cell keeps running while you play: stop it, or it ends by itself ten minutes after the last move.
//
// Sliders need Jupyter open in a browser. Where no page answers — a notebook executed by nbconvert or
// a test — Play draws the starting point once and returns after a few seconds, so it never hangs.
func Play(z []float64, T float64) {
	z = append([]float64(nil), z...)
	live := NewLive()
	if err := live.Update(plots.Outputs(z, T)); err != nil {
		fmt.Println(err)
		return
	}
	ready := make(chan []*widgets.SliderBuilder, 1)
	go func() {
		var s []*widgets.SliderBuilder
		for k, v := range z {
			gonbui.DisplayHTML(fmt.Sprintf("<b>logit z%s</b> (−5 … 5)", subscript(k)))
			s = append(s, widgets.Slider(-50, 50, int(v*10)).Done()) // Done waits for the page to answer.
		}
		gonbui.DisplayHTML("<b>temperature T</b> (0.1 … 5)")
		s = append(s, widgets.Slider(1, 50, int(T*10)).Done())
		ready <- s
	}()
	var sliders []*widgets.SliderBuilder
	select {
	case sliders = <-ready:
	case <-time.After(playWait):
		fmt.Println("(no notebook page answered the sliders: the chart shows the starting point)")
		return
	}
	moved := make(chan struct{}, 1)
	for _, s := range sliders {
		c := s.Listen().LatestOnly()
		go func() {
			for range c.C {
				select {
				case moved <- struct{}{}:
				default:
				}
			}
		}()
	}
	for {
		select {
		case <-moved:
			for k := range z {
				z[k] = float64(sliders[k].Value()) / 10
			}
			T = float64(sliders[len(z)].Value()) / 10
			if err := live.Update(plots.Outputs(z, T)); err != nil {
				fmt.Println(err)
				return
			}
		case <-time.After(playIdle):
			fmt.Println("(stopped listening to the sliders: run the cell again to play)")
			return
		}
	}
}

func subscript(k int) string {
	const digits = "₀₁₂₃₄₅₆₇₈₉"
	if k >= 0 && k < 10 {
		return string([]rune(digits)[k])
	}
	return fmt.Sprint(k)
}
