package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twoheads/twoheads/plots"
	"github.com/twoheads/twoheads/plots/plotstest"
)

func TestReportPath(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "twoheads-report.html"},
		{[]string{"-json", "out/r.json"}, filepath.Join("out", "twoheads-report.html")},
		{[]string{"-json", "out/r.json", "-report", "mine.html"}, "mine.html"},
		{[]string{"-report", "a/b.html"}, "a/b.html"},
		{[]string{"-json", "out/r.json", "-report", ""}, ""},
	} {
		var o options
		fs := newFlagSet(&o, io.Discard)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := reportPath(&o, fs); got != tc.want {
			t.Errorf("%q: report at %q, want %q", tc.args, got, tc.want)
		}
	}
	var o options
	newFlagSet(&o, io.Discard).VisitAll(func(f *flag.Flag) {
		if f.Name == "report" && f.DefValue != "twoheads-report.html" {
			t.Errorf("-report defaults to %q", f.DefValue)
		}
	})
}

// TestReportIsWrittenAndDrawsInABrowser runs the main job (a few epochs), checks that the report is
// written next to the JSON results and said so, then opens it from the file in headless Chromium with
// no network and checks that every chart drew. The screenshot is kept for a person to look at.
func TestReportIsWrittenAndDrawsInABrowser(t *testing.T) {
	plotstest.NeedEcharts(t)
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "r.json")
	report := filepath.Join(dir, "twoheads-report.html")
	os.WriteFile(report, []byte("an old report"), 0o644)
	code, stdout, stderr := runCmd(t, "-epochs", "3", "-json", jsonPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "report written to "+report) {
		t.Errorf("stdout does not say where the report is:\n%s", stdout)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	// Training, none/one/several, sums, a confusion matrix per head, reliability, and the examples.
	n := strings.Count(page, `class="twoheads-chart"`)
	if n < 7 || !strings.Contains(page, "/* echarts "+plots.EchartsVersion) {
		t.Fatalf("the report has %d charts (want at least 7) or lacks the library", n)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d files, want the JSON and the report (no temporary file left)", len(entries))
	}

	start := time.Now()
	instrumented := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(instrumented, []byte(plotstest.Instrument(page)), 0o644); err != nil {
		t.Fatal(err)
	}
	v := plotstest.Open(t, "file://"+instrumented)
	plotstest.Check(t, "report", v, n)
	shot := filepath.Join(plotstest.Artifacts(t), "twoheads-report.png")
	plotstest.Screenshot(t, "file://"+report, shot, 1000, 4400)
	t.Logf("screenshot: %s (browser time %s)", shot, time.Since(start).Round(time.Millisecond))
}

// TestNoReport checks -report "": no page, and nothing said about one.
func TestNoReport(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, stdout, stderr := runCmd(t, "-epochs", "1", "-report", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 || strings.Contains(stdout, "report written") {
		t.Errorf("-report \"\" wrote %d files; stdout:\n%s", len(entries), stdout)
	}
}

// TestReportWithoutEchartsFailsBeforeTraining checks that a missing library stops the job at once, with
// an error that names the file and the command that installs it.
func TestReportWithoutEchartsFailsBeforeTraining(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "echarts.min.js")
	t.Setenv(plots.EchartsEnv, missing)
	dir := t.TempDir()
	code, stdout, stderr := runCmd(t, "-json", filepath.Join(dir, "r.json"), "-report", filepath.Join(dir, "r.html"))
	if code != 1 || !strings.Contains(stderr, missing) || !strings.Contains(stderr, `-report ""`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stdout, "test accuracy") {
		t.Errorf("it trained before failing:\n%s", stdout)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed run left %d files", len(entries))
	}
}

// TestRunsWithoutEchartsUnlessAReportIsAsked: the default run works before npm ci (no report, a note
// saying why); asking for a report explicitly without the library is an error, before any training.
func TestRunsWithoutEchartsUnlessAReportIsAsked(t *testing.T) {
	t.Setenv(plots.EchartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	t.Chdir(t.TempDir())
	code, stdout, stderr := runCmd(t, "-epochs", "2")
	if code != 0 || !strings.Contains(stderr, "no chart report this time") || strings.Contains(stdout, "report written") {
		t.Errorf("default run without echarts: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd(t, "-epochs", "2", "-report", "r.html")
	if code != 1 || !strings.Contains(stderr, "cannot write the report r.html") || strings.Contains(stdout, "test accuracy") {
		t.Errorf("explicit -report without echarts: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
