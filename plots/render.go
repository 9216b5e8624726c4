package plots

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/twoheads/twoheads/internal/atomicfile"

	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is any go-echarts chart (*charts.Line, *charts.Bar, *charts.HeatMap, ...): what the builders
// of this package return and what Fragment, WritePage, SavePage (and notebook.Show) draw. It is an alias, so that
// a notebook can hold a list of charts without importing go-echarts:
//
//	var cs []plots.Chart
//	cs = append(cs, plots.SigmoidCurve(), plots.TwoClassSoftmax(0))
//	notebook.Show(cs...)
type Chart = components.Charter

// libraryKey is the name, on the page's window, of the promise of the echarts module. Every fragment
// checks it before unpacking the library, so the library is evaluated once per page however many
// charts, cells and re-runs there are.
const libraryKey = "twoheads/echarts@" + EchartsVersion

// spec is one chart, ready for the page.
type spec struct {
	ID     string          `json:"id"`
	W      int             `json:"w,omitempty"` // Pixels, when the chart's size is in pixels.
	H      int             `json:"h,omitempty"`
	Option json.RawMessage `json:"option"`

	css    string // The width and height of its element.
	series int
}

// specOf validates c and turns it into its echarts option, under a new element id.
func specOf(c Chart) (spec, error) {
	if c == nil || (reflect.ValueOf(c).Kind() == reflect.Pointer && reflect.ValueOf(c).IsNil()) {
		return spec{}, fmt.Errorf("plots: nil chart")
	}
	j, ok := c.(interface{ JSON() map[string]any })
	if !ok {
		return spec{}, fmt.Errorf("plots: %T is not a go-echarts chart (it has no JSON method)", c)
	}
	c.Validate()
	obj := j.JSON()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return spec{}, fmt.Errorf("plots: the options of a %s chart: %w", c.Type(), err)
	}
	s := spec{ID: newID(), Option: bytes.TrimSpace(buf.Bytes())}
	if v := reflect.ValueOf(obj["series"]); v.Kind() == reflect.Slice {
		s.series = v.Len()
	}
	w, h := "900px", "500px"
	if in := initOf(c); in != nil {
		w, h = in.Width, in.Height
	}
	s.W, s.H = pixels(w), pixels(h)
	s.css = fmt.Sprintf("width:%s;height:%s", w, h)
	return s, nil
}

// funcMarks are the marks around JavaScript functions in go-echarts options (opts.FuncOpts): removing
// them turns the quoted code into code.
var funcMarks = regexp.MustCompile(`(__f__")|("__f__)|(__f__)`)

// scriptSafe keeps a script's text from ending its <script> element early: it escapes the two
// sequences that the HTML parser looks for in a script, which can only occur in its strings.
func scriptSafe(b []byte) []byte {
	b = scriptEnd.ReplaceAll(b, []byte(`<\/$1`))
	return bytes.ReplaceAll(b, []byte("<!--"), []byte(`<\!--`))
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)`)

// initOf finds the size options of a go-echarts chart, which every chart type embeds.
func initOf(c Chart) *opts.Initialization {
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Initialization")
	if !f.IsValid() || !f.CanAddr() {
		return nil
	}
	in, _ := f.Addr().Interface().(*opts.Initialization)
	return in
}

func pixels(css string) int {
	n, err := strconv.Atoi(strings.TrimSuffix(css, "px"))
	if err != nil || !strings.HasSuffix(css, "px") {
		return 0
	}
	return n
}

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return "twoheads-" + hex.EncodeToString(b[:])
}

// Fragment returns HTML that draws charts where it is inserted into a page: the output of a notebook
// cell, which is what notebook.Show displays. It carries the echarts library, compressed, and works in
// every kind of page a notebook ends up in:
//
//   - the library is evaluated once per page: the first fragment stores the promise of the echarts
//     module on the page (window["twoheads/echarts@5.4.3"]) and later ones, from other cells or re-runs,
//     use it instead of unpacking their copy;
//   - on pages with RequireJS (the classic notebook, notebooks exported by nbconvert), whose define()
//     would capture echarts from a plain <script>, the library is loaded with require(); on other pages
//     (JupyterLab, VS Code) with a <script> element;
//   - every chart is drawn when the library is ready, in an element with a new id, so a cell can be
//     run again; the code has no global declarations, only the one promise.
//
// Where JavaScript does not run (an untrusted notebook) each chart's place says so; if the library
// cannot be loaded, each chart's place shows why. The page needs a browser with DecompressionStream
// (2023 or later). It fails, with ErrNoEcharts, if the library is not installed (see EchartsPath).
func Fragment(charts ...Chart) (string, error) { return fragment(true, charts) }

// Redraw returns the HTML of Fragment without the library, for a page that already has it: a
// notebook output that is drawn again while its cell runs (notebook.Live).
func Redraw(charts ...Chart) (string, error) { return fragment(false, charts) }

// fragment writes the charts' elements and the code that draws them, with the library or (for a page
// that already has it: see Redraw) without.
func fragment(withLibrary bool, charts []Chart) (string, error) {
	specs, err := specsOf(charts)
	if err != nil {
		return "", err
	}
	var packed string
	if withLibrary {
		if packed, err = packedLibrary(); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	// Charts keep their size; an output narrower than a chart scrolls instead of cutting it.
	b.WriteString(`<div class="twoheads-charts" style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;max-width:100%;overflow-x:auto">` + "\n")
	writeElements(&b, specs, "Drawing the chart… (this needs JavaScript: in Jupyter, trust the notebook)")
	b.WriteString("<script>\n")
	if withLibrary {
		fmt.Fprintf(&b, loaderJS, strconv.Quote(libraryKey), packed)
	}
	writeDraw(&b, specs)
	b.WriteString("</script>\n</div>\n")
	return b.String(), nil
}

// WritePage writes a complete HTML page to w: the title as a heading, then the charts. The page is
// self-contained (the echarts library is inlined), so it opens offline from a file. It fails, with
// ErrNoEcharts, if the library is not installed (see EchartsPath).
func WritePage(w io.Writer, title string, charts ...Chart) error {
	specs, err := specsOf(charts)
	if err != nil {
		return err
	}
	lib, err := echartsJS()
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, pageHead, html.EscapeString(title))
	b.WriteString("<script>/* echarts " + EchartsVersion + ", Apache License 2.0 */\n")
	b.Write(scriptSafe(lib))
	b.WriteString("\n</script>\n<script>\n")
	fmt.Fprintf(&b, `(function (w) {
  var key = %s;
  if (!w[key]) w[key] = w.echarts ? Promise.resolve(w.echarts) : Promise.reject(new Error("the echarts library did not load"));
})(window);
`, strconv.Quote(libraryKey))
	b.WriteString("</script>\n</head>\n<body>\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n<main>\n", html.EscapeString(title))
	writeElements(&b, specs, "This chart needs JavaScript.")
	b.WriteString("</main>\n<script>\n")
	writeDraw(&b, specs)
	b.WriteString("</script>\n</body>\n</html>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// SavePage writes the page of WritePage to the file path, replacing it if it exists. It writes a
// temporary file first and renames it, so that path never holds half a page.
func SavePage(path, title string, charts ...Chart) error {
	var buf bytes.Buffer
	if err := WritePage(&buf, title, charts...); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}

func specsOf(charts []Chart) ([]spec, error) {
	if len(charts) == 0 {
		return nil, fmt.Errorf("plots: no chart to draw")
	}
	specs := make([]spec, len(charts))
	for i, c := range charts {
		s, err := specOf(c)
		if err != nil {
			return nil, err
		}
		specs[i] = s
	}
	return specs, nil
}

func writeElements(b *strings.Builder, specs []spec, placeholder string) {
	for _, s := range specs {
		fmt.Fprintf(b, `<div class="twoheads-chart" id="%s" data-series="%d" style="%s;flex:none;color:#777;font:13px sans-serif">%s</div>`+"\n",
			s.ID, s.series, html.EscapeString(s.css), html.EscapeString(placeholder))
	}
}

func writeDraw(b *strings.Builder, specs []spec) {
	var list bytes.Buffer
	enc := json.NewEncoder(&list)
	enc.SetEscapeHTML(false)
	enc.Encode(specs) // Cannot fail: the options are JSON that specOf encoded.
	code := scriptSafe(funcMarks.ReplaceAll(bytes.TrimSpace(list.Bytes()), nil))
	fmt.Fprintf(b, drawJS, strconv.Quote(libraryKey), code)
}

// loaderJS unpacks the library (gzip, base64) and evaluates it, unless the page already has it. Its
// arguments: the key of the promise on window, the packed library.
const loaderJS = `(function (w) {
  var key = %s;
  if (w[key]) return;
  var packed = "%s";
  function unpack() {
    if (typeof DecompressionStream !== "function") {
      return Promise.reject(new Error("this browser cannot unpack the chart library (it lacks DecompressionStream): use a browser from 2023 or later"));
    }
    var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function evaluate(code) {
    return new Promise(function (resolve, reject) {
      var amd = typeof w.define === "function" && w.define.amd;
      if (amd && typeof w.require === "function") {
        // RequireJS would capture echarts' anonymous define() from a plain script: let it load the module.
        var url = URL.createObjectURL(new Blob([code], {type: "text/javascript"}));
        w.require([url], function (echarts) { resolve(echarts); }, reject);
        return;
      }
      var define = w.define;
      if (amd) w.define = undefined;
      var s = document.createElement("script");
      s.text = code;
      document.head.appendChild(s);
      if (amd) w.define = define;
      if (w.echarts) resolve(w.echarts); else reject(new Error("the echarts library did not load"));
    });
  }
  w[key] = unpack().then(evaluate).catch(function (err) {
    delete w[key]; // The next chart tries again.
    throw err;
  });
})(window);
`

// drawJS draws every chart of a list once the library is ready. Its arguments: the key of the promise
// on window, the list of charts [{id, w, h, option}].
const drawJS = `(function (w) {
  var key = %s;
  var charts = %s;
  var ready = w[key] || Promise.reject(new Error("the echarts library is not on this page"));
  charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    ready.then(function (echarts) {
      el.textContent = "";
      var chart = echarts.init(el, null, {renderer: "canvas", width: c.w || undefined, height: c.h || undefined});
      chart.setOption(c.option);
      el.setAttribute("data-state", "drawn");
    }).catch(function (err) {
      el.setAttribute("data-state", "failed");
      el.style.height = "auto";
      el.style.color = "#a00000";
      el.textContent = "This chart could not be drawn: " + (err && err.message ? err.message : err);
      if (w.console) w.console.error("twoheads: chart " + c.id + ": " + (err && err.message ? err.message : err));
    });
  });
})(window);
`

const pageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { margin: 0; padding: 16px 12px 32px; background: #f4f4f2; font-family: system-ui, sans-serif; color: #1a1a1a; }
h1 { font-size: 22px; font-weight: 600; text-align: center; margin: 4px 0 16px; }
main { display: flex; flex-wrap: wrap; justify-content: center; gap: 16px; }
.twoheads-chart { background: #ffffff; border: 1px solid #ddd; border-radius: 6px; }
</style>
`

// packed caches the compressed library of a process: notebooks draw in one process per cell, tests in
// many.
var packed struct {
	sync.Mutex
	path, text string
}

// packedLibrary returns the echarts library compressed with gzip, in base64.
func packedLibrary() (string, error) {
	p, err := EchartsPath()
	if err != nil {
		return "", err
	}
	packed.Lock()
	defer packed.Unlock()
	if packed.path == p {
		return packed.text, nil
	}
	lib, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("plots: reading the echarts library: %w", err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(lib)
	zw.Close()
	packed.path, packed.text = p, base64.StdEncoding.EncodeToString(buf.Bytes())
	return packed.text, nil
}
