package notebook

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/widgets"
	"github.com/twoheads/twoheads/plots"
)

// How long Interact waits for the notebook page to answer its first slider, and how long it keeps
// listening after the last move.
const (
	answerWait = 5 * time.Second
	idleStop   = 10 * time.Minute
)

// A Slider is one control of Interact: a number from Min to Max in steps of Step, starting at Value, or,
// when Choices is set, one of Choices (starting at the one nearest Value).
type Slider struct {
	Label                 string
	Min, Max, Step, Value float64
	Choices               []float64
}

// positions returns the number of slider positions and the position of v.
func (s Slider) positions(v float64) (n, at int) {
	if len(s.Choices) > 0 {
		for i, c := range s.Choices {
			if math.Abs(c-v) < math.Abs(s.Choices[at]-v) {
				at = i
			}
		}
		return len(s.Choices), at
	}
	n = int(math.Round((s.Max-s.Min)/s.Step)) + 1
	return n, min(max(int(math.Round((v-s.Min)/s.Step)), 0), n-1)
}

// at returns the value of position i.
func (s Slider) at(i int) float64 {
	if len(s.Choices) > 0 {
		return s.Choices[i]
	}
	return math.Round((s.Min+float64(i)*s.Step)*1e9) / 1e9 // 0.1 + 9·0.1 is 1, not 0.9999999999999999.
}

// label is the slider's line above it: its name, its value and its range.
func (s Slider) label(v float64) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	rng := fmt.Sprintf("%s … %s", f(s.Min), f(s.Max))
	if len(s.Choices) > 0 {
		rng = ""
		for i, c := range s.Choices {
			if i > 0 {
				rng += ", "
			}
			rng += f(c)
		}
	}
	return fmt.Sprintf(`<div style="font:13px sans-serif;margin-top:6px"><b>%s</b> = %s <span style="color:#777">(%s)</span></div>`,
		html.EscapeString(s.Label), f(v), html.EscapeString(rng))
}

// Interact draws the charts that draw returns for the sliders' starting values, with the sliders below
// them; moving a slider redraws the charts for the new values (one value per slider, in order). The cell
// keeps running while you play: stop it, or it ends by itself ten minutes after the last move.
//
// Sliders need Jupyter open in a browser. Where no page answers — a notebook executed by nbconvert or
// a test — Interact draws the starting point once and returns after a few seconds, so it never hangs;
// outside a notebook it says so and returns.
func Interact(sliders []Slider, draw func(values []float64) []plots.Chart) {
	values := make([]float64, len(sliders))
	for i, s := range sliders {
		_, at := s.positions(s.Value)
		values[i] = s.at(at)
	}
	live := NewLive()
	if err := live.Update(draw(values)...); err != nil {
		fmt.Println(err)
		return
	}
	labels := make([]string, len(sliders))
	ready := make(chan []*widgets.SliderBuilder, 1)
	go func() {
		var built []*widgets.SliderBuilder
		for i, s := range sliders {
			labels[i] = "twoheads-slider-" + gonbui.UniqueID()
			gonbui.UpdateHTML(labels[i], s.label(values[i]))
			n, at := s.positions(values[i])
			built = append(built, widgets.Slider(0, n-1, at).Done()) // Done waits for the page to answer.
		}
		ready <- built
	}()
	var built []*widgets.SliderBuilder
	select {
	case built = <-ready:
	case <-time.After(answerWait):
		fmt.Println("(no notebook page answered the sliders: the chart shows the starting point)")
		return
	}
	// Each slider's listener keeps its latest position (the value it was sent: reading the builder's
	// Value here could race with the builder's own listener and see the position before the move).
	var mu sync.Mutex
	pos := make([]int, len(built))
	for i, s := range sliders {
		_, pos[i] = s.positions(values[i])
	}
	moved := make(chan struct{}, 1)
	for i, b := range built {
		c := b.Listen().LatestOnly()
		go func() {
			for v := range c.C {
				mu.Lock()
				pos[i] = v
				mu.Unlock()
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
			mu.Lock()
			for i := range sliders {
				n, _ := sliders[i].positions(values[i])
				if v := sliders[i].at(min(max(pos[i], 0), n-1)); v != values[i] {
					values[i] = v
					gonbui.UpdateHTML(labels[i], sliders[i].label(v))
				}
			}
			mu.Unlock()
			if err := live.Update(draw(values)...); err != nil {
				fmt.Println(err)
				return
			}
		case <-time.After(idleStop):
			fmt.Println("(stopped listening to the sliders: run the cell again to play)")
			return
		}
	}
}
