// Package plotstest checks in a real browser that pages of twoheads charts draw: it opens them in
// headless Chromium, waits for the charts, and reports what the page saw. It is for tests, the way
// net/http/httptest is.
//
// A test instruments a page (Instrument adds two scripts), saves it or serves it, and opens it:
//
//	page := plotstest.Instrument(html)
//	os.WriteFile(path, []byte(page), 0o644)
//	v := plotstest.Open(t, "file://"+path)
//	for _, c := range v.Charts { ... c.Drawn(), c.Inked ... }
//
// The first script records the page's errors (window errors, rejected promises, console.error); the
// second waits until every chart element (class "twoheads-chart") is drawn or failed, then writes a
// JSON verdict into the page, which Chromium prints with --dump-dom. Chromium runs with a virtual clock,
// so timers do not make the test slower, and with every host name but 127.0.0.1 unresolvable, so a page
// that needs the network fails.
//
// Chromium is found at $TWOHEADS_CHROMIUM, else as chromium, chromium-browser or google-chrome on
// $PATH. When it is missing the test is skipped, except under CI (CI=true), where it fails.
package plotstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/twoheads/twoheads/plots"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Chart is what the page saw of one chart element.
type Chart struct {
	ID         string  `json:"id"`
	State      string  `json:"state"`      // "drawn", "failed", or "" if the chart's script never ran.
	Instance   bool    `json:"instance"`   // echarts.getInstanceByDom finds an echarts instance on it.
	Series     int     `json:"series"`     // Series in the instance's option.
	WantSeries int     `json:"wantSeries"` // Series the page was written with (data-series).
	Width      int     `json:"width"`      // Canvas size, in device pixels.
	Height     int     `json:"height"`
	Inked      float64 `json:"inked"` // Share of the canvas pixels that are not background (white or transparent).
	Text       string  `json:"text"`  // The element's text, which says why when it failed.
}

// Drawn reports whether the chart is an echarts instance with all its series and a canvas with ink.
func (c Chart) Drawn() bool {
	return c.State == "drawn" && c.Instance && c.Series == c.WantSeries && c.Width > 0 && c.Inked > 0.01
}

// Verdict is what a page reports once its charts are drawn.
type Verdict struct {
	Charts    []Chart  `json:"charts"`
	Errors    []string `json:"errors"`    // Uncaught errors, rejected promises and console.error calls.
	Resources []string `json:"resources"` // URLs the page loaded.
	Modules   int      `json:"modules"`   // Distinct echarts modules behind the charts (1 if the library was evaluated once).
	TimedOut  bool     `json:"timedOut"`  // Some chart was neither drawn nor failed after the wait.
	// GlobalEcharts reports whether window.echarts exists: the library was evaluated by a <script>, not
	// loaded as a RequireJS module.
	GlobalEcharts bool `json:"globalEcharts"`
}

// headJS must run before anything else on the page: it records errors.
const headJS = `<script>
(function (w) {
  var errs = w.__twoheadsTestErrors = [];
  w.addEventListener("error", function (e) {
    var el = e.target;
    if (el && el !== w && (el.src || el.href)) { errs.push("failed to load " + (el.src || el.href)); return; }
    errs.push("error: " + (e.message || e.type) + (e.filename ? " at " + e.filename + ":" + e.lineno : ""));
  }, true);
  w.addEventListener("unhandledrejection", function (e) { errs.push("unhandled rejection: " + (e.reason && e.reason.message ? e.reason.message : e.reason)); });
  var ce = console.error;
  console.error = function () { errs.push("console.error: " + Array.prototype.join.call(arguments, " ")); return ce.apply(console, arguments); };
})(window);
</script>
`

// tailJS waits for the charts and writes the verdict into <pre id="twoheads-verdict">.
const tailJS = `<script>
(function (w) {
  var start = Date.now();
  function modulePromise() {
    for (var k in w) if (k.indexOf("twoheads/echarts@") === 0) return w[k];
    return null;
  }
  function finish(timedOut) {
    var p = modulePromise() || Promise.resolve(w.echarts || null);
    p.catch(function () { return null; }).then(function (echarts) {
      var charts = [], modules = [];
      document.querySelectorAll(".twoheads-chart").forEach(function (el) {
        var c = {id: el.id, state: el.getAttribute("data-state") || "", wantSeries: +el.getAttribute("data-series"),
                 instance: false, series: 0, width: 0, height: 0, inked: 0, text: (el.textContent || "").slice(0, 300)};
        var inst = echarts && echarts.getInstanceByDom(el);
        [echarts, w.echarts].forEach(function (m) {
          if (m && m.getInstanceByDom && m.getInstanceByDom(el) && modules.indexOf(m) < 0) modules.push(m);
        });
        if (inst) {
          c.instance = true;
          var o = inst.getOption();
          c.series = (o.series || []).length;
        }
        var cv = el.querySelector("canvas");
        if (cv && cv.width > 0 && cv.height > 0) {
          c.width = cv.width; c.height = cv.height;
          var d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data, ink = 0;
          for (var i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) ink++;
          }
          c.inked = ink / (cv.width * cv.height);
        }
        charts.push(c);
      });
      var res = performance.getEntriesByType("resource").map(function (r) { return r.name; });
      var pre = document.createElement("pre");
      pre.id = "twoheads-verdict";
      pre.textContent = JSON.stringify({charts: charts, errors: w.__twoheadsTestErrors || ["no error recorder"],
        resources: res, modules: modules.length, timedOut: timedOut, globalEcharts: typeof w.echarts !== "undefined"});
      document.body.appendChild(pre);
    });
  }
  function poll() {
    var els = document.querySelectorAll(".twoheads-chart"), pending = 0;
    els.forEach(function (el) { if (!el.getAttribute("data-state")) pending++; });
    if (pending === 0 && els.length > 0) { setTimeout(function () { finish(false); }, 500); return; }
    if (Date.now() - start > 20000) { finish(true); return; }
    setTimeout(poll, 50);
  }
  w.addEventListener("load", function () { setTimeout(poll, 0); });
})(window);
</script>
`

// Instrument adds the error recorder at the start of the page's <head> and the verdict writer at the end
// of its <body>.
func Instrument(page string) string {
	if i := strings.Index(page, "<head>"); i >= 0 {
		page = page[:i+len("<head>")] + "\n" + headJS + page[i+len("<head>"):]
	} else {
		page = headJS + page
	}
	if i := strings.LastIndex(page, "</body>"); i >= 0 {
		return page[:i] + tailJS + page[i:]
	}
	return page + tailJS
}

// Chromium returns the path of the Chromium program. When there is none it skips the test, or fails it
// under CI.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TWOHEADS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "Chromium is not installed (Debian: apt-get install chromium; or set $TWOHEADS_CHROMIUM)")
	return ""
}

// Missing stops a test that lacks something it needs: it fails under CI (CI=true), where everything
// must be installed, and is skipped elsewhere.
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s; under CI this is a failure: scripts/test-all.sh installs it", what)
	}
	t.Skipf("%s: skipping (under CI this fails)", what)
}

// InCI reports whether the tests run under continuous integration ($CI is "true" or "1").
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// Artifacts returns the folder where tests keep what a person may want to look at (screenshots):
// $TWOHEADS_ARTIFACTS if set, else twoheads-artifacts in the temporary folder. It is created if needed.
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TWOHEADS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "twoheads-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs Chromium headless on url with extra flags and returns what it printed on stdout.
func run(t testing.TB, url string, extra ...string) []byte {
	t.Helper()
	bin := Chromium(t)
	profile := t.TempDir()
	args := []string{
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--disable-default-apps", "--no-first-run", "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--user-data-dir=" + profile,
		// Nothing but this machine: a page that reaches for the network fails.
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--virtual-time-budget=30000",
	}
	args = append(append(args, extra...), url)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

var verdictRE = regexp.MustCompile(`(?s)<pre id="twoheads-verdict">(.*?)</pre>`)

// Open opens url (a page made with Instrument) in headless Chromium and returns its verdict.
func Open(t testing.TB, url string) Verdict {
	t.Helper()
	dom := run(t, url, "--dump-dom")
	m := verdictRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: the page wrote no verdict (did its scripts run?); its DOM ends with:\n%s", url, tail(string(dom), 1500))
	}
	var v Verdict
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &v); err != nil {
		t.Fatalf("%s: verdict: %v", url, err)
	}
	return v
}

// Screenshot saves a PNG of url, as a window of width×height CSS pixels shows it, to path.
func Screenshot(t testing.TB, url, path string, width, height int) {
	t.Helper()
	run(t, url, "--screenshot="+path, fmt.Sprintf("--window-size=%d,%d", width, height))
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("screenshot of %s: no image at %s", url, path)
	}
}

// Check fails the test for every chart of v that did not draw, every error on the page and every
// resource loaded from anywhere but this machine, and reports whether all was well.
func Check(t testing.TB, name string, v Verdict, wantCharts int) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		ok = false
		t.Errorf(name+": "+format, args...)
	}
	if len(v.Charts) != wantCharts {
		fail("%d chart elements, want %d", len(v.Charts), wantCharts)
	}
	if v.TimedOut {
		fail("timed out waiting for the charts")
	}
	for _, c := range v.Charts {
		if !c.Drawn() {
			fail("chart %s not drawn: state %q, instance %v, series %d of %d, canvas %d×%d, inked %.4f, text %q",
				c.ID, c.State, c.Instance, c.Series, c.WantSeries, c.Width, c.Height, c.Inked, c.Text)
		}
	}
	for _, e := range v.Errors {
		fail("page error: %s", e)
	}
	for _, r := range v.Resources {
		if !strings.HasPrefix(r, "file:") && !strings.HasPrefix(r, "blob:") && !strings.HasPrefix(r, "http://127.0.0.1:") {
			fail("the page loaded %s from elsewhere than this machine", r)
		}
	}
	return ok
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// NeedEcharts stops a test that draws charts when the echarts library is not installed (see
// plots.EchartsPath): a failure under CI, a skip elsewhere.
func NeedEcharts(t testing.TB) {
	t.Helper()
	if _, err := plots.EchartsPath(); err != nil {
		Missing(t, err.Error())
	}
}
