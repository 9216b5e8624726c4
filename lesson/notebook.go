package lesson

import (
	"fmt"
	"html"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/twoheads/twoheads/mlcore"
)

// QuickEnv names the environment variable that makes notebooks train small: see Quick.
const QuickEnv = "TWOHEADS_QUICK"

// Quick reports whether $TWOHEADS_QUICK is set. Notebooks then train on less data for fewer epochs,
// so that the test suite can execute every notebook in a few minutes; the numbers they print are
// then lower than in a full run.
func Quick() bool { return os.Getenv(QuickEnv) != "" }

// Must ends the cell with err's message if err is not nil.
func Must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		FailCell()
	}
}

// Markdown shows md as formatted text in a notebook (as plain text elsewhere).
func Markdown(md string) {
	if gonbui.IsNotebook {
		gonbui.DisplayMarkdown(md)
		return
	}
	fmt.Println(md)
}

// Digits returns the 8×8 digits split into train and test sets by seed (a quarter for testing).
func Digits(seed int64) mlcore.Split {
	s, err := mlcore.DigitsSplit(seed, mlcore.DefaultTestFraction)
	Must(err)
	return s
}

// MNIST returns MNIST: 60,000 training and 10,000 test images (10,000 and 2,000 in Quick mode).
func MNIST() mlcore.Split {
	s, err := mlcore.LoadMNIST("")
	Must(err)
	if Quick() {
		s.Train, s.Test = head(s.Train, 10000), head(s.Test, 2000)
	}
	return s
}

func head(d *mlcore.Dataset, n int) *mlcore.Dataset {
	c := *d
	c.Name = fmt.Sprintf("%s (first %d)", d.Name, n)
	c.Images, c.Labels = d.Images[:n*d.Features], d.Labels[:n]
	return &c
}

// Train returns the model that mlcore.Train(split, cfg) gives, training it with a progress display or
// loading it from the cache if an earlier cell (or notebook) trained it, and says which it did.
// Each GoNB cell is a new process: the cache is what lets later cells use the model.
func Train(split mlcore.Split, cfg mlcore.Config) (*mlcore.Model, *mlcore.History) {
	m, hist, loaded, err := mlcore.TrainOrLoad("", split, cfg, ProgressDisplay(fmt.Sprintf("training %v on %s", cfg.Heads, split.Train.Name)))
	Must(err)
	how := "trained"
	if loaded {
		how = "loaded from the cache (trained earlier with the same settings and data)"
	}
	fmt.Printf("%v %s: %d steps, %.1fs of training\n", cfg.Heads, how, hist.Steps, hist.TrainSeconds)
	return m, hist
}

// ProgressDisplay returns a progress function for mlcore.Train: a live progress bar with the losses
// and the latest test accuracy in a notebook; a line every 10% of the steps elsewhere.
func ProgressDisplay(label string) func(mlcore.Progress) {
	id := "twoheads-progress-" + gonbui.UniqueID()
	var last time.Time
	var lastTenth int
	var acc string
	return func(p mlcore.Progress) {
		if p.Eval != nil {
			var parts []string
			for _, h := range mlcore.Heads {
				if e, ok := p.Eval[h]; ok {
					parts = append(parts, fmt.Sprintf("%s %.2f%%", h, 100*e.Accuracy))
				}
			}
			acc = "test accuracy " + strings.Join(parts, ", ")
		}
		var losses []string
		for _, h := range mlcore.Heads {
			if l, ok := p.Loss[h]; ok {
				losses = append(losses, fmt.Sprintf("%s %.4f", h, l))
			}
		}
		status := fmt.Sprintf("step %d/%d, epoch %d, loss %s", p.Step, p.TotalSteps, p.Epoch, strings.Join(losses, ", "))
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
