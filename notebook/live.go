package notebook

import (
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/twoheads/twoheads/plots"
)

// Live is a place in the output of a running cell whose charts can be replaced, for widgets that
// redraw as they move. The first Update sends the chart library with the charts; later ones send only
// the charts (plots.Redraw).
type Live struct {
	id   string
	sent bool
}

// NewLive returns a new, empty place; it appears in the cell's output at the first Update.
func NewLive() *Live { return &Live{id: "twoheads-live-" + gonbui.UniqueID()} }

// Update replaces the charts of the place.
func (l *Live) Update(charts ...plots.Chart) error {
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	draw := plots.Fragment
	if l.sent {
		draw = plots.Redraw
	}
	h, err := draw(charts...)
	if err != nil {
		return err
	}
	gonbui.UpdateHTML(l.id, h)
	gonbui.Sync()
	l.sent = true
	return nil
}
