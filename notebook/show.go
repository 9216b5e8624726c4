package notebook

import (
	"errors"
	"fmt"
	"html"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/twoheads/twoheads/plots"
)

// ErrNotNotebook is returned by Show (and Live.Update) when the program does not run in a GoNB
// notebook cell.
var ErrNotNotebook = errors.New("notebook: not running in a GoNB notebook cell (write an HTML page with plots.SavePage instead)")

// Show draws charts in the output of the cell that runs it, side by side when they fit:
//
//	%%
//	notebook.Show(plots.SigmoidCurve())
//
// The output is the HTML of plots.Fragment, so it also works when the notebook is saved and opened
// again, or exported to HTML. If the charts cannot be drawn (the echarts library is not installed: see
// plots.EchartsPath), Show displays the reason in the cell, in red, and returns it.
func Show(charts ...plots.Chart) error {
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	defer gonbui.Sync() // The cell's process may end right after: let the output reach the notebook.
	h, err := plots.Fragment(charts...)
	if err != nil {
		gonbui.DisplayHTML(fmt.Sprintf(`<pre style="color:#a00000;white-space:pre-wrap">%s</pre>`, html.EscapeString(err.Error())))
		return err
	}
	gonbui.DisplayHTML(h)
	return nil
}

// Markdown shows md as formatted text (Markdown, with $…$ maths) in a notebook, and prints it as it
// is elsewhere.
func Markdown(md string) {
	if !gonbui.IsNotebook {
		fmt.Println(md)
		return
	}
	gonbui.DisplayMarkdown(md)
	gonbui.Sync()
}
