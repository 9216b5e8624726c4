// Package notebook is the one package of twoheads that talks to Jupyter: it shows charts, text,
// progress and sliders in the output of a GoNB notebook cell, through GoNB's gonbui. Everything else
// (the charts themselves, the lessons' checks, the training core) is plain Go that runs anywhere.
//
//	%%
//	notebook.Show(plots.SigmoidCurve())          // charts (package plots builds them)
//	notebook.Markdown("**bold** and $\\sigma$")  // formatted text
//	m, hist, _, err := mlcore.TrainOrLoad("", split, cfg, notebook.Progress("training"))
//	notebook.Play([]float64{2, 1, 0}, 1)         // sliders that move the logits
//	notebook.Interact(sliders, draw)             // any sliders: draw(values) gives the charts to show
//
// Outside a notebook (a test, a command) Show returns ErrNotNotebook, Markdown prints the text, Progress
// prints a line every tenth of the run, and Play and Interact say that they need a browser.
//
// A GoNB cell is a program of its own that ends when the cell ends; output reaches the page when the
// functions here return (they call gonbui.Sync), so a cell can end right after them.
//
// It may import plots (to draw) and mlcore (for training progress); the lessons import it, never the
// other way round.
package notebook
