package plots

import (
	"errors"
	"fmt"
	"html"

	"github.com/janpfeifer/gonb/gonbui"
)

// ErrNotNotebook is returned by Show when the program does not run in a GoNB notebook cell.
var ErrNotNotebook = errors.New("plots.Show: not running in a GoNB notebook (write an HTML page with SavePage instead)")

// Show draws charts in the output of the GoNB notebook cell that runs it, side by side when they fit:
//
//	%%
//	plots.Show(plots.SigmoidCurve())
//
// The output is the HTML of Fragment, so it also works when the notebook is saved and opened again, or
// exported to HTML. If the charts cannot be drawn (the echarts library is not installed: see
// EchartsPath), Show displays the reason in the cell, in red, and returns it.
func Show(charts ...Chart) error {
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	defer gonbui.Sync() // The cell's process may end right after: let the output reach the notebook.
	h, err := Fragment(charts...)
	if err != nil {
		gonbui.DisplayHTML(fmt.Sprintf(`<pre style="color:#a00000;white-space:pre-wrap">%s</pre>`, html.EscapeString(err.Error())))
		return err
	}
	gonbui.DisplayHTML(h)
	return nil
}
