package grading

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSandboxConfinesTheRun runs a shell in the sandbox and checks what it can and cannot do. The
// machines this project is tested on allow it; elsewhere (CI=true or not) the test fails and says why.
func TestSandboxConfinesTheRun(t *testing.T) {
	if err := sandboxWorks(""); err != nil {
		t.Fatalf("no sandbox on this machine: %v", err)
	}
	work := t.TempDir()
	outside := t.TempDir()
	script := filepath.Join(work, "sandbox.sh")
	os.WriteFile(script, sandboxSh, 0o644)
	probe := `
try() { if sh -c "$2" 2>/dev/null; then echo "$1 yes"; else echo "$1 no"; fi; }
try write-work "echo x > $WORK/ok"
try write-outside "echo x > $OUTSIDE/evil"
try write-dev "touch /dev/evil"
try write-dev-null "echo x > /dev/null"
try write-sysctl "echo 1 > /proc/sys/vm/drop_caches"
try write-shm "echo x > /dev/shm/x"
try see-disks "ls /dev | grep -q -e sd -e vd -e nvme"
try see-host-pids "test -d /proc/1/root && test \$(ls -d /proc/[0-9]* | wc -l) -gt 20"
try network "ip -o link | grep -v -q ' lo:'"
`
	cmd := exec.Command(unshare[0], slices.Concat(unshare[1:], []string{"sh", script, "sh", "-c", probe})...)
	cmd.Env = append(os.Environ(), "SANDBOX_WORK="+work, "SANDBOX_GOCACHE=", "WORK="+work, "OUTSIDE="+outside)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := map[string]string{"write-work": "yes", "write-outside": "no", "write-dev": "no", "write-dev-null": "yes",
		"write-sysctl": "no", "write-shm": "yes", "see-disks": "no", "see-host-pids": "no", "network": "no"}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			got[k] = v
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (output:\n%s)", k, got[k], v, out)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "evil")); err == nil {
		t.Error("the sandbox wrote outside its folder")
	}
}
