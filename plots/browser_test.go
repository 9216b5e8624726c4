package plots_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/plots"
	"github.com/twoheads/twoheads/plots/plotstest"
)

// needEcharts skips the test when the echarts library is not installed, or fails it under CI.
// allCharts is one chart of every builder.
func allCharts(t *testing.T) []plots.Chart {
	r := fakeRun(t)
	none, several := r.interesting()
	return []plots.Chart{
		plots.SigmoidCurve(),
		plots.SoftmaxSweep([]float64{0, 0}, 1, -8, 8),
		plots.SoftmaxSweep([]float64{1, 0, -1}, 2, -6, 6),
		plots.TwoClassSoftmax(2),
		plots.Temperature([]float64{2, 1, 0.5, -1}, 0.25, 0.5, 1, 2, 5),
		plots.Example(r.test, none, r.probs),
		plots.Example(r.test, several, r.probs),
		plots.Confusion(r.evals[0]),
		plots.Confusion(r.evals[1]),
		plots.OutputSums(r.evals...),
		plots.AboveHalf(r.evals...),
		plots.Reliability(r.evals...),
		plots.Training(r.hist),
		plots.Jacobians([]float64{2, 1, 0.1, -1}),
		plots.SetSizes([]float64{0.5, 0.2, -1, -2, -3, -3, -3, -3, -3, -3}, "unsure"),
		plots.Regions("A fake model", fakePlaneMap(30), mlcore.PlaneSplit(20, 1).Train, 0.5),
	}
}

// TestPageDrawsEveryChartOffline writes the self-contained page of every chart, opens it from a file
// in headless Chromium with no network, and checks that each chart drew.
func TestPageDrawsEveryChartOffline(t *testing.T) {
	plotstest.NeedEcharts(t)
	start := time.Now()
	charts := allCharts(t)
	var b strings.Builder
	if err := plots.WritePage(&b, "Every chart", charts...); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	lib := strings.Index(page, "/* echarts "+plots.EchartsVersion)
	end := strings.Index(page[max(lib, 0):], "</script>")
	if lib < 0 || end < 0 {
		t.Fatal("the page does not inline the echarts library")
	}
	own := page[:lib] + page[lib+end:] // The page without the library.
	for _, ref := range []string{"<script src", "<link", "<img", "@import", "http:", "https:"} {
		if strings.Contains(own, ref) {
			t.Errorf("the page refers to another file (%s…): it must be self-contained", ref)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte(plotstest.Instrument(page)), 0o644); err != nil {
		t.Fatal(err)
	}
	v := plotstest.Open(t, "file://"+path)
	if plotstest.Check(t, "page", v, len(charts)) {
		t.Logf("%d charts drawn; ink per chart: %v", len(v.Charts), inks(v))
	}
	shot := filepath.Join(plotstest.Artifacts(t), "plots-page.png")
	plotstest.Screenshot(t, "file://"+path, shot, 1000, 6400)
	t.Logf("screenshot: %s (browser time %s)", shot, time.Since(start).Round(time.Millisecond))
}

// TestFragmentDrawsWithAndWithoutRequireJS puts three fragments (three notebook cells, the last a
// re-run of the first) into a page served from 127.0.0.1, once as JupyterLab has it (no RequireJS) and
// once as the classic notebook and nbconvert's HTML have it (RequireJS loaded first), and checks that
// every chart drew and that the library was evaluated once.
func TestFragmentDrawsWithAndWithoutRequireJS(t *testing.T) {
	plotstest.NeedEcharts(t)
	start := time.Now()
	requireJS := requireJSPath(t)
	cells := [][]plots.Chart{
		{plots.SigmoidCurve()},
		{plots.TwoClassSoftmax(1), plots.Temperature([]float64{2, 1, 0}, 0.5, 1, 4)},
		{plots.SigmoidCurve()}, // The first cell, run again.
	}
	var body strings.Builder
	n := 0
	for _, cell := range cells {
		h, err := plots.Fragment(cell...)
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString("<div class=\"output\">" + h + "</div>\n")
		n += len(cell)
	}
	for _, mode := range []struct {
		name, head string
		global     bool // window.echarts is set: the library came through a <script>, not RequireJS.
	}{
		{"plain", "", true},
		{"requirejs", `<script src="/require.js"></script><script>require.config({waitSeconds: 30});</script>`, false},
	} {
		t.Run(mode.name, func(t *testing.T) {
			page := "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n" + mode.head + "\n</head>\n<body>\n" +
				body.String() + "</body>\n</html>\n"
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/":
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Write([]byte(plotstest.Instrument(page)))
				case "/require.js":
					http.ServeFile(w, r, requireJS)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			v := plotstest.Open(t, srv.URL+"/")
			plotstest.Check(t, mode.name, v, n)
			if v.Modules != 1 {
				t.Errorf("the charts use %d echarts modules, want 1: the library was evaluated more than once", v.Modules)
			}
			if got := v.GlobalEcharts; got != mode.global {
				t.Errorf("window.echarts set: %v, want %v (RequireJS must load the library when the page has it)", got, mode.global)
			}
			shot := filepath.Join(plotstest.Artifacts(t), "plots-fragment-"+mode.name+".png")
			plotstest.Screenshot(t, srv.URL+"/", shot, 1000, 1500)
			t.Logf("screenshot: %s", shot)
		})
	}
	t.Logf("browser time %s", time.Since(start).Round(time.Millisecond))
}

func requireJSPath(t *testing.T) string {
	t.Helper()
	p, err := plots.EchartsPath()
	if err != nil {
		t.Fatal(err)
	}
	// echarts is in node_modules/echarts/dist/; RequireJS is in node_modules/requirejs/.
	r := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(p))), "requirejs", "require.js")
	if _, err := os.Stat(r); err != nil {
		plotstest.Missing(t, "RequireJS is not installed at "+r+" (run `npm ci`)")
	}
	return r
}

func inks(v plotstest.Verdict) []string {
	var s []string
	for _, c := range v.Charts {
		s = append(s, fmt.Sprintf("%.3f", c.Inked))
	}
	return s
}

// TestMissingLibraryIsAClearError checks that, without the library, drawing fails with an error that
// names where it looked and the command that installs it, not a blank chart.
func TestMissingLibraryIsAClearError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere", "echarts.min.js")
	t.Setenv(plots.EchartsEnv, missing)
	_, err := plots.Fragment(plots.SigmoidCurve())
	if !errors.Is(err, plots.ErrNoEcharts) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Fragment with $%s=%s: %v", plots.EchartsEnv, missing, err)
	}
	err = plots.WritePage(&strings.Builder{}, "x", plots.SigmoidCurve())
	if !errors.Is(err, plots.ErrNoEcharts) {
		t.Errorf("WritePage: %v", err)
	}
	t.Setenv(plots.EchartsEnv, "")
	wd := t.TempDir()
	t.Chdir(wd)
	if p, err := plots.EchartsPath(); err == nil {
		// Found through the source location of the package: then it is this module's node_modules.
		if !strings.HasSuffix(p, filepath.Join("node_modules", "echarts", "dist", "echarts.min.js")) {
			t.Errorf("EchartsPath from %s: %s", wd, p)
		}
	} else if !strings.Contains(err.Error(), "npm ci") || !strings.Contains(err.Error(), wd) {
		t.Errorf("EchartsPath from %s: the error does not say where it looked and what to run: %v", wd, err)
	}
}
