package grading

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestLimitsValidate(t *testing.T) {
	if err := DefaultLimits().Validate(); err != nil {
		t.Error(err)
	}
	for _, l := range []Limits{{Notebook: time.Minute, MemoryMB: 512, OutputKB: 1}, {Cell: time.Second, Notebook: time.Minute, MemoryMB: 255, OutputKB: 1},
		{Cell: time.Second, Notebook: time.Minute, MemoryMB: 512}} {
		if l.Validate() == nil {
			t.Errorf("%+v is valid", l)
		}
	}
}

func TestSandboxModeParsesOnce(t *testing.T) {
	for _, s := range []string{"on", "off", "auto"} {
		if m, err := ParseSandboxMode(s); err != nil || m.String() != s {
			t.Errorf("%s: %v %v", s, m, err)
		}
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	m := SandboxAuto
	fs.Var(&m, "sandbox", "")
	if err := fs.Parse([]string{"-sandbox", "off"}); err != nil || m != SandboxOff {
		t.Errorf("flag: %v %v", m, err)
	}
	if err := fs.Parse([]string{"-sandbox", "maybe"}); err == nil || !strings.Contains(err.Error(), `unknown sandbox mode "maybe" (want on, off or auto)`) {
		t.Errorf("flag: %v", err)
	}
	if err := m.UnmarshalText([]byte("on")); err != nil || m != SandboxOn {
		t.Errorf("text: %v %v", m, err)
	}
	// A mode set directly on a Grader is checked where the sandbox is decided, and stops grading.
	g := &Grader{Sandbox: "maybe"}
	if _, err := g.CheckSandbox(); err == nil || !strings.Contains(err.Error(), "unknown sandbox mode") {
		t.Errorf("CheckSandbox: %v", err)
	}
	g = &Grader{Sandbox: SandboxOff}
	if w, err := g.CheckSandbox(); w != "" || err != nil || g.decideSandbox().use {
		t.Errorf("off: %q %v", w, err)
	}
}
