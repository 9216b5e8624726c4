package grading

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// sandboxSh sets up the sandbox inside the namespaces unshare made, then runs its arguments (its
// comment says what it allows).
//
//go:embed sandbox.sh
var sandboxSh []byte

// SandboxMode says whether submissions run in the sandbox: Linux namespaces started with unshare, in
// which everything is read-only but the run's own folder, with no network, and a /dev and /proc of
// their own. It is a flag.Value and an encoding.TextUnmarshaler, so a command line or a configuration
// file gives only valid modes.
type SandboxMode string

const (
	SandboxOn   SandboxMode = "on"   // Always; grading fails where the sandbox does not work.
	SandboxOff  SandboxMode = "off"  // Never: submissions run with the grader's permissions and network.
	SandboxAuto SandboxMode = "auto" // When the machine allows it, else off with a warning.
)

// ParseSandboxMode reads "on", "off" or "auto".
func ParseSandboxMode(s string) (SandboxMode, error) {
	switch m := SandboxMode(s); m {
	case SandboxOn, SandboxOff, SandboxAuto:
		return m, nil
	}
	return "", fmt.Errorf("unknown sandbox mode %q (want on, off or auto)", s)
}

func (m SandboxMode) String() string { return string(m) }

// Set parses s into m (flag.Value).
func (m *SandboxMode) Set(s string) error {
	v, err := ParseSandboxMode(s)
	if err == nil {
		*m = v
	}
	return err
}

// UnmarshalText parses b into m (encoding.TextUnmarshaler).
func (m *SandboxMode) UnmarshalText(b []byte) error { return m.Set(string(b)) }

// SandboxError says that the sandbox was required (SandboxOn) but does not work on this machine.
type SandboxError struct{ Err error }

func (e *SandboxError) Error() string {
	return fmt.Sprintf("the sandbox is not available here (%v)", e.Err)
}
func (e *SandboxError) Unwrap() error { return e.Err }

// sandboxDecision is how a Grader runs its submissions, decided once (decideSandbox).
type sandboxDecision struct {
	use     bool
	warning string // Without the sandbox though it was wanted (auto): what to tell the instructor.
	err     error  // Grading cannot go on: the sandbox is required and does not work, or the mode is unknown.
}

// CheckSandbox tries the sandbox, once per Grader, and says how submissions will run: an error when
// the Sandbox mode is unknown, or SandboxOn and the sandbox does not work here (a *SandboxError); a
// warning for the instructor when the mode is SandboxAuto and submissions will run without it. Grade
// decides the same way: call CheckSandbox first to learn it before any submission runs.
func (g *Grader) CheckSandbox() (warning string, err error) {
	d := g.decideSandbox()
	return d.warning, d.err
}

// decideSandbox is the one place where the sandbox mode, and whether the sandbox works, become a
// decision.
func (g *Grader) decideSandbox() sandboxDecision {
	g.sandboxOnce.Do(func() {
		mode := g.Sandbox
		if mode == "" {
			mode = SandboxAuto
		}
		if _, err := ParseSandboxMode(string(mode)); err != nil {
			g.sandbox.err = err
			return
		}
		if mode == SandboxOff {
			return
		}
		why := sandboxWorks(g.TempDir)
		switch {
		case why == nil:
			g.sandbox.use = true
		case mode == SandboxOn:
			g.sandbox.err = &SandboxError{Err: why}
		default:
			g.sandbox.warning = fmt.Sprintf("no sandbox here (%v):\n"+
				"  submissions run with your permissions and network; their files are checked afterwards.", firstLine(why.Error()))
		}
	})
	return g.sandbox
}

// unshare starts the sandbox: new namespaces, the caller's user as the namespace's root, its own /proc,
// and every process of it killed when the first one dies.
var unshare = []string{"unshare", "--user", "--map-root-user", "--mount", "--net", "--pid", "--ipc", "--uts",
	"--cgroup", "--fork", "--mount-proc", "--kill-child"}

// sandboxWorks runs the sandbox once around `true`, and says why it cannot be used if it cannot.
func sandboxWorks(tempDir string) error {
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
