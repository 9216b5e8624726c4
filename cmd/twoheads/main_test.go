package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestBadFlagsExitNonZeroWithAReason(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nosuchflag"}, "flag provided but not defined: -nosuchflag"},
		{[]string{"-data", "cifar"}, `-data "cifar": want digits or mnist`},
		{[]string{"-epochs", "-1"}, "epochs = -1"},
		{[]string{"-epochs", "many"}, `invalid value "many" for flag -epochs`},
		{[]string{"-hidden", "64,x"}, `-hidden "64,x"`},
		{[]string{"-heads", "tanh"}, `unknown head "tanh"`},
		{[]string{"-lr", "-0.1"}, "learning rate"},
		{[]string{"-download"}, "-download only applies to -data mnist"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-lr-schedule", "step"}, `-lr-schedule "step": want constant or cosine`},
		{[]string{"-label-smoothing", "1"}, "label smoothing = 1: want a number in [0, 1)"},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != 2 {
			t.Errorf("%v: exit code %d, want 2", tc.args, code)
		}
		first := strings.SplitN(stderr, "\n", 2)[0]
		if !strings.Contains(first, tc.want) {
			t.Errorf("%v: first line of stderr %q does not say %q", tc.args, first, tc.want)
		}
	}
}

func TestHelpExplainsEveryFlag(t *testing.T) {
	code, _, stderr := runCmd(t, "-help")
	if code != 0 {
		t.Errorf("-help exit code %d", code)
	}
	var o options
	fs := newFlagSet(&o, &bytes.Buffer{})
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !strings.Contains(stderr, "-"+f.Name) || f.Usage == "" {
			t.Errorf("-help does not explain -%s", f.Name)
		}
	})
	if n < 10 {
		t.Errorf("only %d flags", n)
	}
}

// TestJSONResultsAreCompleteAndReproducible runs the main job twice on the digits (few epochs) and
// checks the JSON document and that the two runs agree on every number but the timings.
func TestJSONResultsAreCompleteAndReproducible(t *testing.T) {
	dir := t.TempDir()
	var docs []map[string]any
	for i := range 2 {
		path := filepath.Join(dir, "r.json")
		if i == 1 {
			path = filepath.Join(dir, "r2.json")
		}
		code, stdout, stderr := runCmd(t, "-epochs", "5", "-json", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"test accuracy", "none > 0.5", "several > 0.5", "softmax", "sigmoid", "results written to " + path} {
			if !strings.Contains(stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, stdout)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	doc := docs[0]
	if doc["data"] != "digits" || doc["seed"] != 42.0 {
		t.Errorf("data/seed: %v %v", doc["data"], doc["seed"])
	}
	heads, _ := doc["heads"].([]any)
	if len(heads) != 2 {
		t.Fatalf("heads: %v", doc["heads"])
	}
	for i, name := range []string{"softmax", "sigmoid"} {
		h := heads[i].(map[string]any)
		if h["head"] != name {
			t.Errorf("heads[%d].head = %v, want %s", i, h["head"], name)
		}
		for _, k := range []string{"test_accuracy", "test_nll", "ece", "mean_output_sum", "frac_none_above_half",
			"frac_several_above_half", "train_seconds", "steps"} {
			if _, ok := h[k].(float64); !ok {
				t.Errorf("heads[%d] lacks numeric %q", i, k)
			}
		}
		h2 := docs[1]["heads"].([]any)[i].(map[string]any)
		for k, v := range h {
			if k != "train_seconds" && h2[k] != v {
				t.Errorf("%s %s: %v then %v: runs are not reproducible", name, k, v, h2[k])
			}
		}
	}
}

func TestJSONIsNotWrittenOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.json")
	os.WriteFile(path, []byte("precious"), 0o644)
	code, _, stderr := runCmd(t, "-data", "mnist", "-mnist-dir", dir, "-json", path)
	if code != 1 || !strings.Contains(stderr, dir) {
		t.Errorf("missing MNIST files: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Error("a failed run touched the JSON file")
	}
}
