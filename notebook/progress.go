package notebook

import (
	"fmt"
	"html"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/twoheads/twoheads/mlcore"
)

// Progress returns a progress function for mlcore.Train and mlcore.TrainOrLoad: in a notebook, a live
// progress bar under label with the step, the losses and the latest test accuracy (redrawn at most
// four times a second); elsewhere, a line every tenth of the run.
func Progress(label string) func(mlcore.Progress) {
	id := "twoheads-progress-" + gonbui.UniqueID()
	var last time.Time
	var lastTenth int
	var acc string
	return func(p mlcore.Progress) {
		if a := p.Accuracies(); a != "" {
			acc = a
		}
		status := p.Status()
		if acc != "" {
			status += "; " + acc
		}
		if !gonbui.IsNotebook {
			if tenth := 10 * p.Step / p.TotalSteps; tenth > lastTenth || p.Step == p.TotalSteps {
				lastTenth = tenth
				fmt.Printf("%s: %s\n", label, status)
			}
			return
		}
		if p.Step != p.TotalSteps && time.Since(last) < 250*time.Millisecond {
			return
		}
		last = time.Now()
		gonbui.UpdateHTML(id, fmt.Sprintf(
			`<div style="font-family:sans-serif;font-size:90%%"><b>%s</b><br><progress max="%d" value="%d" style="width:60%%"></progress> %s</div>`,
			html.EscapeString(label), p.TotalSteps, p.Step, html.EscapeString(status)))
	}
}
