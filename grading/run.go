package grading

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twoheads/twoheads/assignment"
	"github.com/twoheads/twoheads/internal/gradeproto"
)

// runnerPy executes a notebook with nbclient and reports each cell on file descriptor 3 (its doc
// string describes the protocol).
//
//go:embed runner.py
var runnerPy []byte

// runStatus is how the runner says a cell ended.
type runStatus string

const (
	ranOK      runStatus = "ok"      // No error output.
	ranError   runStatus = "error"   // An error output (a failed check, a compile error, a panic).
	ranTimeout runStatus = "timeout" // Interrupted at the cell's time limit.
)

// cellResult is one line the runner writes. Index -1 says, in Error, why the run stopped early.
type cellResult struct {
	Index     int              `json:"index"`
	Status    runStatus        `json:"status"`
	Seconds   float64          `json:"seconds"`
	Truncated bool             `json:"truncated"`
	Outputs   []map[string]any `json:"outputs"`
	Error     string           `json:"error"`
}

// run executes the merged notebook in a fresh folder and returns each code cell's result by cell
// index, why the run stopped early ("" if it did not), and the end of the kernel's log.
func (g *Grader) run(ctx context.Context, nb *assignment.Notebook, sandboxed bool, token string) (map[int]cellResult, string, []byte, error) {
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
		"--keep-prefix", gradeproto.DoneMarker}
	env := append(append([]string(nil), g.Env...),
		gradeproto.TokenEnv+"="+token,
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

// lastLines returns the last n lines of s.
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
