package assignment

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twoheads/twoheads/lesson"
)

//go:embed runner.py
var runnerPy []byte

//go:embed sandbox.sh
var sandboxSh []byte

// Limits bound what one submission may use.
type Limits struct {
	Cell     time.Duration // Running time of one cell; the cell is interrupted after it.
	Notebook time.Duration // Running time of the whole notebook; cells not run by then score nothing.
	MemoryMB int           // Address space of each process (the kernel, go build, the cell's program).
	OutputKB int           // Output kept per cell; the rest is dropped with a note.
}

// DefaultLimits suit the assignments of this course: a cell builds and runs a Go program in 1–3 s.
func DefaultLimits() Limits {
	return Limits{Cell: 60 * time.Second, Notebook: 5 * time.Minute, MemoryMB: 4096, OutputKB: 64}
}

// Grader grades submissions of one assignment. Create it with NewGrader, then set its fields.
type Grader struct {
	Name       string // The assignment's name (the solution notebook's file name without .ipynb).
	instructor *Notebook
	hidden     []string // Lines of hidden tests: they must never appear in feedback,
	hiddenIDs  []string // nor the names that only hidden tests use.
	max        float64

	Python string   // The Python with nbclient (Jupyter) that runs the kernel.
	Kernel string   // The Jupyter kernel: "gonb", or the instructor notebook's kernel.
	Env    []string // The environment of the run (it must find the kernel); TWOHEADS_* are added.
	Module string   // The twoheads module root, for the notebooks' set-up cell ($TWOHEADS_MODULE).
	Limits Limits
	// Sandbox runs each submission in Linux namespaces (see sandbox.sh): "on" requires it, "off" runs
	// without it, "auto" uses it when the machine allows it.
	Sandbox string
	TempDir string // Where the temporary grading folders go ("": the system's).

	sandboxOnce sync.Once
	sandboxErr  error
}

// NewGrader checks the instructor's notebook (the solution version, hidden tests included) and returns
// a Grader for it.
func NewGrader(name string, instructor []byte) (*Grader, error) {
	nb, err := ParseNotebook(instructor)
	if err != nil {
		return nil, err
	}
	g := &Grader{Name: name, instructor: nb, Kernel: nb.Kernel(), Limits: DefaultLimits(), Sandbox: "auto"}
	if g.Kernel == "" {
		g.Kernel = "gonb"
	}
	ids := map[string]bool{}
	for i, c := range nb.Cells {
		gr, ok := c.Grading()
		if !ok {
			continue
		}
		if ids[gr.ID] {
			return nil, fmt.Errorf("two cells have grade_id %q", gr.ID)
		}
		ids[gr.ID] = true
		if _, err := studentSource(c.Source()); err != nil {
			return nil, fmt.Errorf("cell %d (%s): %w", i, gr.ID, err)
		}
		g.hidden = append(g.hidden, hiddenLines(c.Source())...)
		if gr.IsTest() && c.Type() == "code" {
			if !strings.Contains(c.Source(), "%%") {
				return nil, fmt.Errorf("test cell %q has no %%%% line: its checks must run in the cell's main body", gr.ID)
			}
			if gr.Points <= 0 {
				return nil, fmt.Errorf("test cell %q has no points", gr.ID)
			}
			g.max += gr.Points
		}
	}
	if g.max == 0 {
		return nil, errors.New("no test cells with points (nbgrader metadata grade: true, points > 0)")
	}
	g.hiddenIDs = hiddenNames(nb, g.hidden)
	return g, nil
}

// MaxScore is the sum of the points of the test cells.
func (g *Grader) MaxScore() float64 { return g.max }

// TestIDs returns the grade_ids of the test cells, in notebook order.
func (g *Grader) TestIDs() []string {
	var ids []string
	for _, c := range g.instructor.Cells {
		if gr, ok := c.Grading(); ok && gr.IsTest() && c.Type() == "code" {
			ids = append(ids, gr.ID)
		}
	}
	return ids
}

// Result is the grade of one submission.
type Result struct {
	Student    string   `json:"student"`
	Assignment string   `json:"assignment"`
	Submission string   `json:"submission"`
	SHA256     string   `json:"sha256"`
	Score      float64  `json:"score"`
	MaxScore   float64  `json:"max_score"`
	Checks     []Check  `json:"checks"`
	Problems   []string `json:"problems,omitempty"` // About the submission as a whole, in the student's terms.
	Seconds    float64  `json:"seconds"`
	Sandboxed  bool     `json:"sandboxed"`

	// Executed is the graded notebook with its outputs (hidden tests included: for instructors only).
	Executed []byte `json:"-"`
	// Log is the end of what the kernel wrote to its log, for instructors.
	Log []byte `json:"-"`
}

// Check is the result of one test cell.
type Check struct {
	ID        string  `json:"grade_id"`
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
	// Status is "passed", "failed", "timeout" (stopped at the cell's time limit) or "not run".
	Status  string  `json:"status"`
	Message string  `json:"message"` // One line: why it failed, in the student's terms.
	Output  string  `json:"output"`  // What the cell printed; never code of hidden tests.
	Seconds float64 `json:"seconds"` // Running time of the cell (building its program included).
}

// cellResult is one line the runner writes.
type cellResult struct {
	Index     int              `json:"index"`
	Status    string           `json:"status"`
	Seconds   float64          `json:"seconds"`
	Truncated bool             `json:"truncated"`
	Outputs   []map[string]any `json:"outputs"`
	Error     string           `json:"error"`
}

// Grade grades one submission. Problems of the submission (invalid JSON, failing or hostile code) are
// part of the Result; an error means the grading itself could not run (no kernel, no sandbox).
func (g *Grader) Grade(ctx context.Context, student, path string, submission []byte) (*Result, error) {
	sub, err := ParseNotebook(submission)
	if err != nil {
		return g.NotRun(student, path, fmt.Sprintf("your file is %v", strings.TrimPrefix(err.Error(), "not a notebook: "))), nil
	}
	start := time.Now()
	r := g.newResult(student, path)
	sum := sha256.Sum256(submission)
	r.SHA256 = hex.EncodeToString(sum[:])
	defer func() { r.Seconds = time.Since(start).Round(10 * time.Millisecond).Seconds() }()
	merged, problems := merge(g.instructor, sub)
	r.Problems = append(r.Problems, problems...)

	sandboxed, err := g.useSandbox()
	if err != nil {
		return nil, err
	}
	r.Sandboxed = sandboxed
	token := newToken()
	results, stop, log, err := g.run(ctx, merged, sandboxed, token)
	if err != nil {
		return nil, err
	}
	r.Log = log
	g.score(r, merged, results, stop, token)
	for i, c := range merged.Cells {
		if res, ok := results[i]; ok {
			c.raw["outputs"] = anySlice(res.Outputs)
		}
	}
	r.Executed, _ = merged.Marshal()
	return r, nil
}

func (g *Grader) points(id string) float64 {
	for _, c := range g.instructor.Cells {
		if gr, ok := c.Grading(); ok && gr.ID == id {
			return gr.Points
		}
	}
	return 0
}

// NotRun is the result of a submission that could not be run at all (a file that is not a notebook,
// or cannot be read): no points, and why as its one problem.
func (g *Grader) NotRun(student, path, why string) *Result {
	r := g.newResult(student, path)
	r.Problems = []string{why + ": nothing could be run"}
	for i := range r.Checks {
		r.Checks[i].Message = "not run: your file could not be run as a notebook"
	}
	return r
}

func (g *Grader) newResult(student, path string) *Result {
	r := &Result{Student: student, Assignment: g.Name, Submission: path, MaxScore: g.max}
	for _, id := range g.TestIDs() {
		r.Checks = append(r.Checks, Check{ID: id, MaxPoints: g.points(id), Status: "not run"})
	}
	return r
}

func anySlice(outs []map[string]any) []any {
	s := make([]any, len(outs))
	for i, o := range outs {
		s[i] = o
	}
	return s
}

// newToken returns a fresh grading token: a marker line counts only with the token of its run.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// run executes the merged notebook in a fresh folder and returns each code cell's result by cell
// index, why the run stopped early ("" if it did not), and the end of the kernel's log.
func (g *Grader) run(ctx context.Context, nb *Notebook, sandboxed bool, token string) (map[int]cellResult, string, []byte, error) {
	work, err := os.MkdirTemp(g.TempDir, "twoheads-grade-*")
	if err != nil {
		return nil, "", nil, err
	}
	defer os.RemoveAll(work)
	for _, d := range []string{"notebook", "home", "tmp", "runtime"} {
		if err := os.Mkdir(filepath.Join(work, d), 0o755); err != nil {
			return nil, "", nil, err
		}
	}
	b, err := nb.Marshal()
	if err != nil {
		return nil, "", nil, err
	}
	nbPath := filepath.Join(work, "notebook", g.Name+".ipynb")
	runner := filepath.Join(work, "runner.py")
	sandbox := filepath.Join(work, "sandbox.sh")
	for p, content := range map[string][]byte{nbPath: b, runner: runnerPy, sandbox: sandboxSh} {
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return nil, "", nil, err
		}
	}
	deadline := time.Now().Add(g.Limits.Notebook)
	argv := []string{g.Python, runner, "--notebook", nbPath, "--kernel", g.Kernel,
		"--cell-timeout", fmt.Sprint(max(1, g.Limits.Cell.Seconds())), "--deadline", fmt.Sprint(deadline.Unix()),
		"--max-output", fmt.Sprint(g.Limits.OutputKB * 1024), "--memory-mb", fmt.Sprint(g.Limits.MemoryMB),
		"--keep-prefix", lesson.GradeDoneMarker}
	env := append(append([]string(nil), g.Env...),
		lesson.GradeTokenEnv+"="+token,
		"TWOHEADS_MODULE="+g.Module,
		"HOME="+filepath.Join(work, "home"),
		"TMPDIR="+filepath.Join(work, "tmp"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(work, "runtime"),
		"GOPROXY=off", "GOTOOLCHAIN=local",
		"GOFLAGS=-ldflags=-s", // No symbol table: each cell links ~30% faster (panics still name functions).
		"PYTHONDONTWRITEBYTECODE=1",
	)
	env = append(env, goEnv()...)
	if sandboxed {
		argv = slices.Concat(unshare, []string{"sh", sandbox}, argv)
		env = append(env, "SANDBOX_WORK="+work, "SANDBOX_GOCACHE="+goEnvValue("GOCACHE"))
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, "", nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = filepath.Join(work, "notebook")
	cmd.Env = env
	cmd.ExtraFiles = []*os.File{pw} // fd 3: the runner's results.
	log := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, "", nil, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	pw.Close()

	results := map[int]cellResult{}
	stop := ""
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			var r cellResult
			if json.Unmarshal(sc.Bytes(), &r) != nil {
				continue
			}
			if r.Index < 0 {
				stop = r.Error
				continue
			}
			results[r.Index] = r
		}
	}()
	// The runner stops at the deadline by itself; past it (and a grace period for the kernel to shut
	// down) the whole process group is killed, then the waiting ends.
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	grace := time.NewTimer(time.Until(deadline) + 30*time.Second)
	defer grace.Stop()
	var waitErr error
	select {
	case waitErr = <-waited:
	case <-grace.C:
		stop = "the time for the whole notebook ran out"
		kill(cmd.Process.Pid)
		waitErr = <-waited
	case <-ctx.Done():
		kill(cmd.Process.Pid)
		<-waited
		pr.Close()
		return nil, "", nil, ctx.Err()
	}
	<-done
	pr.Close()
	if stop == "" && len(results) == 0 && waitErr != nil {
		// The runner did not run a single cell: the grading is broken, not the submission.
		return nil, "", log.Bytes(), fmt.Errorf("running the notebook failed (%v): %s", waitErr, lastLines(log.String(), 8))
	}
	if stop == "" && waitErr != nil {
		stop = fmt.Sprintf("the run ended early (%v)", waitErr)
	}
	return results, stop, log.Bytes(), nil
}

// kill ends a process group: SIGTERM first (the runner shuts its kernel down), SIGKILL 5 s later.
func kill(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	go func() {
		time.Sleep(5 * time.Second)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}()
}

var goEnvOnce = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	out, err := exec.Command("go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err == nil {
		_ = json.Unmarshal(out, &m)
	}
	return m
})

// goEnv pins Go's caches to where they are now: the run changes HOME.
func goEnv() []string {
	var env []string
	for k, v := range goEnvOnce() {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func goEnvValue(k string) string { return goEnvOnce()[k] }

// useSandbox decides whether submissions run in the sandbox.
func (g *Grader) useSandbox() (bool, error) {
	switch g.Sandbox {
	case "off":
		return false, nil
	case "on", "auto", "":
	default:
		return false, fmt.Errorf("unknown sandbox mode %q (want on, off or auto)", g.Sandbox)
	}
	if why := g.SandboxUnavailable(); why != nil {
		if g.Sandbox == "on" {
			return false, fmt.Errorf("the sandbox is not available here: %w", why)
		}
		return false, nil
	}
	return true, nil
}

// SandboxUnavailable says why submissions cannot run in the sandbox on this machine (nil if they
// can). It tries the sandbox once per Grader.
func (g *Grader) SandboxUnavailable() error {
	g.sandboxOnce.Do(func() { g.sandboxErr = SandboxAvailable(g.TempDir) })
	return g.sandboxErr
}

// unshare starts the sandbox: new namespaces, the caller's user as the namespace's root, its own /proc,
// and every process of it killed when the first one dies.
var unshare = []string{"unshare", "--user", "--map-root-user", "--mount", "--net", "--pid", "--ipc", "--uts",
	"--cgroup", "--fork", "--mount-proc", "--kill-child"}

// SandboxAvailable runs the sandbox once around `true`, and says why it cannot be used if it cannot.
func SandboxAvailable(tempDir string) error {
	work, err := os.MkdirTemp(tempDir, "twoheads-sandbox-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	script := filepath.Join(work, "sandbox.sh")
	if err := os.WriteFile(script, sandboxSh, 0o644); err != nil {
		return err
	}
	cmd := exec.Command(unshare[0], slices.Concat(unshare[1:], []string{"sh", script, "true"})...)
	cmd.Env = append(os.Environ(), "SANDBOX_WORK="+work, "SANDBOX_GOCACHE=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

var identifier = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]{3,}`)

// hiddenNames returns the identifiers that hidden tests use and students never see (such as the name
// of a hidden check).
func hiddenNames(nb *Notebook, hidden []string) []string {
	var visible strings.Builder
	for _, c := range nb.Cells {
		src, _ := studentSource(c.Source())
		visible.WriteString(src + "\n")
	}
	var names []string
	seen := map[string]bool{}
	for _, l := range hidden {
		if strings.Contains(l, BeginHidden) || strings.Contains(l, EndHidden) {
			continue
		}
		for _, id := range identifier.FindAllString(l, -1) {
			if !seen[id] && !strings.Contains(visible.String(), id) {
				seen[id] = true
				names = append(names, id)
			}
		}
	}
	return names
}

// score turns the runner's results into points, messages and outputs.
func (g *Grader) score(r *Result, nb *Notebook, results map[int]cellResult, stop, token string) {
	marker := lesson.GradeDoneMarker
	for i, c := range nb.Cells {
		gr, ok := c.Grading()
		if after, added := c.addedAfter(); added {
			if res, ran := results[i]; ran && res.Status != "ok" {
				where := "at the top"
				if after != "" {
					where = fmt.Sprintf("after %q", after)
				}
				r.Problems = append(r.Problems, fmt.Sprintf("a cell you added %s %s", where, g.why(res, g.clean(outputText(res.Outputs)))))
			}
		}
		if !ok || c.Type() != "code" {
			continue
		}
		res, ran := results[i]
		text := g.clean(outputText(res.Outputs))
		passedMarker := false
		if lines := strings.Split(text, "\n"); ran {
			var kept []string
			for _, l := range lines {
				if strings.HasPrefix(l, marker) {
					passedMarker = passedMarker || strings.TrimSpace(l) == marker+token
					continue
				}
				kept = append(kept, l)
			}
			text = strings.Join(kept, "\n")
		}
		if !gr.IsTest() {
			// A student's own cell that fails is worth telling, though it earns nothing by itself.
			if gr.Solution && ran && res.Status != "ok" {
				r.Problems = append(r.Problems, fmt.Sprintf("your cell %q %s", gr.ID, g.why(res, text)))
			}
			continue
		}
		ch := r.check(gr.ID)
		ch.Output, ch.Seconds = text, res.Seconds
		switch {
		case !ran:
			ch.Status = "not run"
			ch.Message = "not run: " + firstNonEmpty(stop, "the notebook stopped before this cell")
		case res.Status == "ok" && passedMarker:
			ch.Status, ch.Points, ch.Message = "passed", ch.MaxPoints, "passed"
		case res.Status == "timeout":
			ch.Status = "timeout"
			ch.Message = fmt.Sprintf("stopped after %s, the time limit of a cell: is there a loop that never ends?", g.Limits.Cell)
		case res.Status == "ok":
			ch.Status = "failed"
			ch.Message = "the cell ended before its checks finished: does your code call os.Exit, or end the program some other way?"
		default:
			ch.Status = "failed"
			ch.Message = g.why(res, text)
		}
		if ran && res.Truncated {
			ch.Message += fmt.Sprintf(" (the output was cut at %d KB)", g.Limits.OutputKB)
		}
		r.Score += ch.Points
	}
	for _, res := range results {
		if strings.Contains(strings.ToLower(outputText(res.Outputs)), "read-only file system") {
			r.Problems = append(r.Problems, "your code tried to write outside its own folder: grading does not allow it (read-only file system)")
			break
		}
	}
	if stop != "" {
		r.Problems = append(r.Problems, "grading stopped early: "+stop)
	}
}

func (r *Result) check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	r.Checks = append(r.Checks, Check{ID: id})
	return &r.Checks[len(r.Checks)-1]
}

var outOfMemory = regexp.MustCompile(`(?i)out of memory|cannot allocate memory|MemoryError`)

// why explains, in one line, why a cell failed.
func (g *Grader) why(res cellResult, text string) string {
	switch {
	case res.Status == "timeout":
		return fmt.Sprintf("was stopped after %s, the time limit of a cell: is there a loop that never ends?", g.Limits.Cell)
	case outOfMemory.MatchString(text):
		return fmt.Sprintf("ran out of memory (the limit is %d MB per process): does it allocate without end?", g.Limits.MemoryMB)
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "✗ ") {
			// The check's claim and, on the next line, what was wrong.
			i := strings.Index(text, l)
			rest := strings.SplitN(text[i+len(l):], "\n", 3)
			if len(rest) > 1 && strings.HasPrefix(rest[1], "  ") && strings.TrimSpace(rest[1]) != "" {
				return strings.TrimPrefix(l, "✗ ") + ": " + strings.TrimSpace(rest[1])
			}
			return strings.TrimPrefix(l, "✗ ")
		}
	}
	if m := compileLine.FindStringSubmatch(text); m != nil {
		return "does not compile: " + m[1]
	}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return "failed: " + l
		}
	}
	return "failed"
}

var exitStatus = regexp.MustCompile(`^(exit status \d+|\s*# gonb_[0-9a-f]+)$`)

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// clean removes terminal colours and every line that shows code of a hidden test.
func (g *Grader) clean(text string) string {
	text = ansi.ReplaceAllString(text, "")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !exitStatus.MatchString(l) { // GoNB's note that the program failed: the check said why.
			lines = append(lines, l)
		}
	}
	for i, l := range lines {
		for _, h := range append(g.hidden, g.hiddenIDs...) {
			if len(h) >= 4 && strings.Contains(l, h) {
				lines[i] = "[a line about a hidden test]"
				break
			}
		}
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

var (
	htmlTag     = regexp.MustCompile(`<[^>]*>`)
	htmlNoText  = regexp.MustCompile(`(?is)<(style|script)[^>]*>.*?</(style|script)>`)
	blankLines  = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
	errContext  = `<div class="gonb-err-context">`
	compileLine = regexp.MustCompile(`Cell\[\d+\]: Line \d+\s+\S+:\d+:\d+:\s*(.*)`)
)

// htmlText is the text of an HTML output. GoNB shows a compile error as HTML with, for each error, the
// lines of code around it (which may be hidden tests): those are left out.
func htmlText(h string) string {
	h = htmlNoText.ReplaceAllString(h, "")
	for {
		i := strings.Index(h, errContext)
		if i < 0 {
			break
		}
		depth, j := 0, i
		for j < len(h) {
			if strings.HasPrefix(h[j:], "<div") {
				depth++
			} else if strings.HasPrefix(h[j:], "</div>") {
				depth--
				if depth == 0 {
					j += len("</div>")
					break
				}
			}
			j++
		}
		h = h[:i] + "\n" + h[j:]
	}
	h = html.UnescapeString(htmlTag.ReplaceAllString(h, ""))
	return strings.TrimSpace(blankLines.ReplaceAllString(h, "\n")) + "\n"
}

// outputText is what a list of outputs shows as text: streams, text/plain (or HTML without its tags)
// and errors.
func outputText(outs []map[string]any) string {
	var b strings.Builder
	for _, o := range outs {
		switch o["output_type"] {
		case "stream":
			b.WriteString(textOf(o["text"]))
		case "display_data", "execute_result":
			data, _ := o["data"].(map[string]any)
			if t, ok := data["text/plain"]; ok {
				b.WriteString(textOf(t) + "\n")
			} else if t, ok := data["text/markdown"]; ok {
				b.WriteString(textOf(t) + "\n")
			} else if t, ok := data["text/html"]; ok {
				b.WriteString(htmlText(textOf(t)))
			}
		case "error":
			if strings.HasPrefix(textOf(o["evalue"]), "failed to run ") {
				continue // GoNB's note that go build failed: the HTML output before it shows why.
			}
			tb, _ := o["traceback"].([]any)
			var lines []string
			for _, l := range tb {
				lines = append(lines, textOf(l))
			}
			if len(lines) > 0 && !(len(lines) == 1 && lines[0] == textOf(o["evalue"])) {
				b.WriteString(strings.Join(lines, "\n") + "\n")
			}
		}
	}
	return b.String()
}

func textOf(v any) string {
	s, _ := sourceText(v)
	return s
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.b...)
}

func (t *tailBuffer) String() string { return string(t.Bytes()) }

// Feedback is the readable feedback of a grade (Markdown), for the student.
func (r *Result) Feedback() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: feedback for %s\n\n", r.Assignment, r.Student)
	fmt.Fprintf(&b, "**Score: %s / %s**\n\n", num(r.Score), num(r.MaxScore))
	if len(r.Problems) > 0 {
		b.WriteString("About your notebook:\n\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
		b.WriteString("\n")
	}
	for _, c := range r.Checks {
		mark := "✗"
		if c.Status == "passed" {
			mark = "✓"
		}
		fmt.Fprintf(&b, "## %s %s: %s / %s\n\n", mark, c.ID, num(c.Points), num(c.MaxPoints))
		if c.Status != "passed" {
			fmt.Fprintf(&b, "%s\n\n", c.Message)
		}
		if out := strings.TrimSpace(c.Output); out != "" {
			lines := strings.Split(out, "\n")
			if len(lines) > feedbackLines {
				lines = append(lines[:feedbackLines], fmt.Sprintf("… (%d more lines)", len(lines)-feedbackLines))
			}
			fmt.Fprintf(&b, "What the check printed:\n\n```\n%s\n```\n\n", strings.ReplaceAll(strings.Join(lines, "\n"), "```", "'''"))
		}
	}
	return b.String()
}

// feedbackLines is how much of a check's output the feedback shows (a crash prints pages of stack).
const feedbackLines = 30

func num(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00") }
