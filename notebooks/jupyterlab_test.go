package notebooks

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/twoheads/twoheads/plots/plotstest"
)

// TestChartsRenderInJupyterLab opens an executed lesson notebook in JupyterLab 4, in headless Chromium,
// and checks that every chart in its outputs was drawn: nbconvert and nbclient run no JavaScript, so only
// a browser can show that the saved outputs render. The notebook is trusted first, as a student's own
// executed notebook is (JupyterLab runs no scripts of untrusted outputs).
func TestChartsRenderInJupyterLab(t *testing.T) {
	browser := plotstest.Chromium(t)
	python, env := jupyterEnv(t)
	dir := t.TempDir()
	const nb = "01-two-activations.ipynb"
	if r := runNotebook(t, nb, dir); !r.OK {
		t.Fatalf("executing %s: %s", nb, lastLines(r.Error, 20))
	}
	executed := filepath.Join(dir, nb)
	charts := strings.Count(mustRead(t, executed), `class=\"twoheads-chart\"`)
	if charts < 4 {
		t.Fatalf("the executed notebook has %d charts, want at least 4", charts)
	}
	jupyter := filepath.Join(filepath.Dir(python), "jupyter")
	trust := exec.Command(jupyter, "trust", executed)
	trust.Env = env
	if out, err := trust.CombinedOutput(); err != nil {
		t.Fatalf("jupyter trust: %v\n%s", err, out)
	}

	// All cells rendered at once (no virtual scrolling), so every chart is in the page.
	settings := filepath.Join(dir, "settings")
	os.MkdirAll(settings, 0o755)
	os.WriteFile(filepath.Join(settings, "overrides.json"),
		[]byte(`{"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}`), 0o644)

	port := freePort(t)
	const token = "twoheads-test"
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	lab := exec.CommandContext(ctx, jupyter, "lab", "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--IdentityProvider.token="+token, "--allow-root", "--ServerApp.root_dir="+dir, "--LabApp.news_url=",
		"--LabServerApp.app_settings_dir="+settings)
	lab.Env = append(env, "JUPYTERLAB_SETTINGS_DIR="+settings)
	var labLog bytes.Buffer
	lab.Stdout, lab.Stderr = &labLog, &labLog
	// JupyterLab starts a kernel for the notebook it opens: stop the whole process group, and do not wait
	// for output pipes that a stray child might hold open.
	lab.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	lab.Cancel = func() error { return syscall.Kill(-lab.Process.Pid, syscall.SIGKILL) }
	lab.WaitDelay = 5 * time.Second
	if err := lab.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-lab.Process.Pid, syscall.SIGKILL); lab.Wait() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHTTP(t, base+"/api/status?token="+token, &labLog)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1300, 1000))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("JupyterLab page: %v\n%s", err, lastLines(labLog.String(), 20))
		}
	}
	fail(chromedp.Do(bctx, chromedp.Navigate(base+"/lab/tree/"+nb+"?token="+token)))
	_, err := chromedp.Run(bctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelectorAll('.jp-OutputArea .twoheads-chart[data-state]').length >= %d`, charts),
		chromedp.WithPollingTimeout(2*time.Minute)))
	fail(err)
	drawn, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('.twoheads-chart[data-state="drawn"]').length`))
	fail(err)
	errorsText, err := chromedp.Run(bctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('.twoheads-chart[data-state="failed"]')).map(e => e.textContent).join("\n")`))
	fail(err)
	_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](
		`(document.querySelectorAll('.twoheads-chart[data-state="drawn"]')[1] || {scrollIntoView(){}}).scrollIntoView(), true`))
	fail(err)
	time.Sleep(500 * time.Millisecond) // Let the scrolled panel paint before the screenshot.
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(80))
	fail(err)
	path := filepath.Join(plotstest.Artifacts(t), "jupyterlab-"+strings.TrimSuffix(nb, ".ipynb")+".jpg")
	if err := os.WriteFile(path, shot, 0o644); err == nil {
		t.Logf("screenshot: %s", path)
	}
	if drawn != charts {
		t.Errorf("JupyterLab drew %d of %d charts:\n%s", drawn, charts, errorsText)
	}
	// Each drawn chart has a canvas with pixels that are not background.
	painted, err := chromedp.Run(bctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll('.twoheads-chart[data-state="drawn"] canvas')).filter(c => {
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i+3] > 0 && (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240)) n++; }
		return n > c.width * c.height / 100;
	}).length`))
	if err != nil || painted != charts {
		t.Errorf("%d of %d chart canvases have content (%v)", painted, charts, err)
	}
}

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, log *bytes.Buffer) {
	for range 120 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("JupyterLab did not start:\n%s", lastLines(log.String(), 30))
}
