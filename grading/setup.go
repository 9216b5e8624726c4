package grading

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// FindModule returns the twoheads module root, which the notebooks' set-up cell binds them to: dir if
// it is given, else $TWOHEADS_MODULE, else the first folder above near (the instructor's notebook),
// then above the working directory, whose go.mod is the twoheads module.
func FindModule(dir, near string) (string, error) {
	for _, d := range []string{dir, os.Getenv("TWOHEADS_MODULE")} {
		if d != "" {
			if !isModule(d) {
				return "", fmt.Errorf("%s is not the twoheads module (no go.mod for github.com/twoheads/twoheads)", d)
			}
			return filepath.Abs(d)
		}
	}
	wd, _ := os.Getwd()
	for _, start := range []string{filepath.Dir(near), wd} {
		d, err := filepath.Abs(start)
		if err != nil {
			continue
		}
		for {
			if isModule(d) {
				return d, nil
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return "", errors.New("cannot find the twoheads module the notebooks bind to: set -module or $TWOHEADS_MODULE")
}

func isModule(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/twoheads/twoheads")
}

// FindJupyter finds the Python that runs notebooks (python if given, else $TWOHEADS_PYTHON, the
// module's .venv, python3) and the environment in which it finds the kernel (the module's .jupyter
// from docker/setup.sh, unless $JUPYTER_DATA_DIR says otherwise), and checks both, so that a missing
// Jupyter stops grading before any submission runs.
func FindJupyter(python, module, kernel string) (string, []string, error) {
	env := os.Environ()
	if python == "" {
		python = os.Getenv("TWOHEADS_PYTHON")
	}
	if python == "" {
		if p := filepath.Join(module, ".venv", "bin", "python"); fileExists(p) {
			python = p
		} else {
			python = "python3"
		}
	}
	if os.Getenv("JUPYTER_DATA_DIR") == "" && fileExists(filepath.Join(module, ".jupyter", "data", "kernels", kernel, "kernel.json")) {
		env = append(env, "JUPYTER_DATA_DIR="+filepath.Join(module, ".jupyter", "data"),
			"PATH="+filepath.Join(module, ".jupyter", "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	cmd := exec.Command(python, "-c", `import sys, nbclient, nbformat
from jupyter_client.kernelspec import KernelSpecManager
try:
    KernelSpecManager().get_kernel_spec(sys.argv[1])
except Exception as e:
    sys.exit("no Jupyter kernel %r (%s)" % (sys.argv[1], e))`, kernel)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("cannot run notebooks with %s: %s (run bash docker/setup.sh, or set -python)",
			python, firstNonEmpty(lastLines(strings.TrimSpace(string(out)), 1), err.Error()))
	}
	return python, env, nil
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
