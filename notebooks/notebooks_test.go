package notebooks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// result is what run_notebooks.py prints for one notebook.
type result struct {
	Notebook   string         `json:"notebook"`
	OK         bool           `json:"ok"`
	Error      string         `json:"error"`
	FailedCell *int           `json:"failed_cell"`
	Seconds    float64        `json:"seconds"`
	Exercises  map[string]int `json:"exercises"` // Exercise id → index of its cell among the code cells.
	Cells      []struct {
		Seconds float64 `json:"seconds"`
		Text    string  `json:"text"`
		Error   bool    `json:"error"`
	} `json:"cells"`
}

// The answers the tests put into the lessons' exercise cells (see lesson/practice.go): right ones, with
// which every exercise check must pass, and wrong ones, with which every exercise check must fail.
const (
	rightAnswers = "testdata/exercise-answers.json"
	wrongAnswers = "testdata/exercise-wrong-answers.json"
)

// expectations lists, per notebook, outputs that must appear: the identities it checks and the
// results it reaches. Every "✓" line of a notebook must also not be matched by a "✗" line.
var expectations = map[string][]string{
	"01-two-activations.ipynb": {
		"✓ the ten sigmoid outputs at z = 0 add up to: you guessed 5, the run shows 5.",
		`✓ which head can output (0.9, 0.8, 0.1)?: "sigmoid".`,
		"✓ softmax(your logits) = p for every distribution tried",
		"✓ squared error: ∂L/∂z = (σ − y)σ′(z)",
		"✓ … which is almost 0 here: with squared error a saturated, wrong output learns slowly",
		"✓ binary cross-entropy: ∂L/∂z = σ − y ≈ −1, full speed",
		"✓ softmax outputs sum to 1",
		"✓ ten sigmoid outputs need not sum to 1",
		"✓ with two classes, softmax₁ = σ(z₁ − z₀)",
		"✓ softmax(z + c) = softmax(z) for c = 1000",
		"✓ the stable softmax is finite at logits of 1000",
		"✓ 1. never two softmax outputs above ½",
		"✓ 2. σ(z/T) > ½ exactly when z > 0",
		"✓ 3. softmax((3, 3, 1)/T) at T = 0.01 is (½, ½, 0)",
	},
	"02-losses-and-gradients.ipynb": {
		"✓ cross-entropy gradient = softmax(z) − y (finite differences)",
		"✓ binary cross-entropy gradient = σ(z) − y (finite differences)",
		"✓ GoMLX autodiff agrees: ∂CE/∂z = p − y",
		"✓ GoMLX autodiff agrees: ∂BCE/∂z = σ(z) − y",
		"✓ stable CE, confident and wrong, is 1000",
		"✓ log-sum-exp: right values, and finite for logits near ±1000",
		"✓ binary cross-entropy from logits: right values, finite at ±1000",
		"✓ softmax Jacobian = diag(p) − p pᵀ (finite differences)",
		"✓ sigmoid Jacobian = diag(σ(1 − σ)), zero off the diagonal (finite differences)",
		"✓ chain rule through the softmax Jacobian gives p − y",
		"✓ chain rule through the sigmoid Jacobian gives σ − y",
		"✓ ∂BCE/∂h = Wᵀ(σ(z) − y): all ten errors meet in the hidden layer",
		"✓ softmax: the entries of ∂CE/∂z sum to 0",
		"✓ sigmoid: the entries of ∂BCE/∂z sum to Σσ(z_k) − 1",
		"✓ log-sum-exp is translation-equivariant: LSE(z + 3) = LSE(z) + 3",
		"✓ … so CE(z + 3) = CE(z)",
		"✓ but BCE(z + 3) = ",
		"✓ the entries of ∂BCE/∂z at z = 0 add up to: you guessed 4, the run shows 4.",
		"✓ 1. dBCE/dc = Σσ(z_k + c) − 1 (finite differences at c = 0)",
		"✓ 2. BCE along z + c·1 is smallest where the outputs sum to 1",
		"✓ Σ_k softplus(z_k) = log Σ_S e^(z_S), over all 1024 subsets S",
		"✓ BCE = log Σ_S e^(z_S) − z_y",
		"✓ BCE = −log P(S = {y}) = −log[σ(z_y) Π_(k≠y) (1 − σ(z_k))]",
		"✓ P(class k | exactly one yes) = softmax(z)_k",
		"✓ BCE = CE − log P(exactly one yes)",
	},
	"03-decisions-in-the-plane.ipynb": {
		"✓ the linear softmax head classifies 90% of the test points",
		"✓ the linear sigmoid head classifies 90% of the test points",
		"✓ the linear softmax head is better, and not by luck (sign test p < 0.05)",
		"✓ softmax: z(½(a + b)) = ½(z(a) + z(b)) for 1000 random pairs: affine",
		"✓ sigmoid: no midpoint leaves its ends' argmax region: convex regions",
		`✓ what the linear sigmoid head answers for the middle class: "none".`,
		"✓ σ₀ stays below ½ everywhere",
		"✓ yet its argmax gets",
		"is about class 0 (one of the two heads answers it)",
		"of it lies where the softmax head is unsure",
		"✓ c₀ is inside the triangle of the other centres: every λ is positive",
		"✓ 1. f(c₀) = λ₁f(c₁) + λ₂f(c₂) + λ₃f(c₃)",
		"✓ 2. f < 0 at the three outer centres, so f(c₀) < 0 too: σ₀ < ½ in the middle",
		"✓ with a hidden layer the softmax head classifies 93% of the test points",
		"✓ with a hidden layer the sigmoid head classifies 93% of the test points",
		"✓ the logits are no longer affine",
		`✓ the hidden layer shrinks the sigmoid head's "none" region to less than half`,
		`✓ the sigmoid head now says exactly "class 0" for`,
		`✓ and the sigmoid head still says "several" somewhere`,
		"✓ the two heads are not significantly different on the test points (sign test p > 0.05)",
		"✓ linear: the sigmoid's own NLL = its NLL given one yes − mean log P(one yes)",
		"✓ linear: softmax has the lower comparable NLL",
		`✓ the hidden layer moves the sigmoid head's probability onto "exactly one yes"`,
		"✓ P(k | exactly one yes) from the sigmoid outputs",
		"(no notebook page answered the sliders: the chart shows the starting point)",
	},
	"04-training-both-heads.ipynb": {
		"✓ softmax head reaches 95% on the digits",
		"✓ sigmoid head reaches 95% on the digits",
		"✓ softmax head above 95% for every seed",
		"✓ sigmoid head above 95% for every seed",
		"✓ softmax head on MNIST",
		"✓ sigmoid head on MNIST",
		"✓ softmax logistic regression reaches 90% on the digits",
		"✓ sigmoid logistic regression reaches 90% on the digits",
	},
	"05-reading-the-decisions.ipynb": {
		"✓ softmax never has two outputs above 0.5",
		"✓ some images get no sigmoid output above 0.5",
		"✓ temperature leaves the softmax head's accuracy unchanged",
		"✓ temperature leaves the sigmoid head's accuracy unchanged",
	},
	"06-when-sigmoid-is-right.ipynb": {
		"✓ the sigmoid head names both digits of most pairs",
		"✓ thresholded at 0.5, softmax cannot name two digits",
		`✓ the sigmoid head answers "none" for images without a digit`,
		`✓ an empty sigmoid answer means "none" more often than an empty softmax answer`,
		"✓ at its best threshold the sigmoid head beats softmax at its best",
	},
	"07-play.ipynb": {
		"(no notebook page answered the sliders: the chart shows the starting point)", // Real sliders, and no page: the cell still ends.
		"✓ two equal large logits: softmax splits them, none above 0.5",
		"✓ softmax cannot tell (−4, −4, −5) from (4, 4, 3)",
		"✓ σ(z₂/T) for z₂ = 0 at T = 0.2: you guessed 0.5, the run shows 0.5.",
		"✓ at T = 0.2 the sigmoids are (1.000, 0.993, 0.5)",
		"✓ temperature never moves the argmax",
		"✓ temperature never changes which sigmoid outputs are above 0.5",
		"✓ several sigmoid outputs above 0.5, while no softmax output is",
		"✓ no sigmoid output above 0.5, while softmax is over 0.9 sure",
		"✓ 1. softmax(d, 0, 0)₀ = 1/(1 + 2e^(−d)), which is 0.9 at d = log 18 ≈ 2.89",
	},
}

// repoRoot is the module root: the parent of this package's folder.
func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// jupyterEnv returns the Python of the project's Jupyter and the environment that finds the GoNB
// kernel, failing the test (never skipping it) when docker/setup.sh has not been run.
func jupyterEnv(t *testing.T) (python string, env []string) {
	root := repoRoot(t)
	python = filepath.Join(root, ".venv", "bin", "python")
	kernel := filepath.Join(root, ".jupyter", "data", "kernels", "gonb", "kernel.json")
	for _, p := range []string{python, kernel} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("Jupyter or the GoNB kernel is not installed (%v): run bash docker/setup.sh", err)
		}
	}
	env = append(os.Environ(),
		"JUPYTER_DATA_DIR="+filepath.Join(root, ".jupyter", "data"),
		"PATH="+filepath.Join(root, ".jupyter", "bin")+":"+os.Getenv("PATH"),
		"TWOHEADS_QUICK=1",
		"TWOHEADS_MODULE="+root, // Notebooks outside notebooks/ (assignments, copies) bind to this module too.
	)
	return python, env
}

func artifactsDir(t *testing.T) string {
	if d := os.Getenv("TWOHEADS_ARTIFACTS"); d != "" {
		return filepath.Join(d, "notebooks")
	}
	return t.TempDir()
}

// lessons returns the numbered lesson notebooks in this folder.
func lessons(t *testing.T) []string {
	paths, _ := filepath.Glob("[0-9][0-9]-*.ipynb")
	sort.Strings(paths)
	if len(paths) == 0 {
		t.Fatal("no lesson notebooks found")
	}
	return paths
}

// runNotebook executes one notebook with the GoNB kernel and returns its report. Options of
// run_notebooks.py (such as "--answers", FILE) may follow the output folder.
func runNotebook(t *testing.T, path, outDir string, options ...string) result {
	python, env := jupyterEnv(t)
	args := append([]string{"run_notebooks.py", "--out", outDir, "--timeout", "900"}, options...)
	cmd := exec.Command(python, append(args, path)...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var r result
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &r); err == nil {
			return r
		}
	}
	t.Fatalf("run_notebooks.py gave no report (%v):\n%s\n%s", runErr, stdout.String(), lastLines(stderr.String(), 30))
	return r
}

var checkLine = regexp.MustCompile(`(?m)^([✓✗]) (.*)$`)

func TestLessonNotebooks(t *testing.T) {
	out := artifactsDir(t)
	for _, path := range lessons(t) {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			r := runNotebook(t, path, out, "--answers", rightAnswers)
			var all strings.Builder
			for i, c := range r.Cells {
				all.WriteString(c.Text)
				t.Logf("cell %2d: %5.1fs", i, c.Seconds)
			}
			t.Logf("%s: %.1fs in all; executed copy in %s", path, r.Seconds, out)
			if !r.OK {
				cell := -1
				if r.FailedCell != nil {
					cell = *r.FailedCell
				}
				t.Fatalf("%s failed at cell %d:\n%s", path, cell, lastLines(r.Error, 40))
			}
			text := all.String()
			for _, m := range checkLine.FindAllStringSubmatch(text, -1) {
				if m[1] == "✗" {
					t.Errorf("failed check: %s", m[2])
				}
			}
			want, ok := expectations[path]
			if !ok {
				t.Errorf("no expectations listed for %s in notebooks_test.go", path)
			}
			for id, i := range r.Exercises {
				if i+1 >= len(r.Cells) || !strings.Contains(r.Cells[i+1].Text, "✓ ") {
					t.Errorf("exercise %s: its check did not pass with the right answer", id)
				}
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s did not print %q", path, w)
				}
			}
		})
	}
}

// TestLessonExercisesCatchWrongAnswers runs every lesson that has exercises with a wrong answer in each
// exercise cell: the check after each one must fail with ✗, so a learner's mistake never passes.
func TestLessonExercisesCatchWrongAnswers(t *testing.T) {
	var right, wrong map[string]string
	for file, m := range map[string]*map[string]string{rightAnswers: &right, wrongAnswers: &wrong} {
		if err := json.Unmarshal([]byte(mustRead(t, file)), m); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	for id := range right {
		if _, ok := wrong[id]; !ok {
			t.Errorf("exercise %s has a right answer in %s but no wrong one in %s", id, rightAnswers, wrongAnswers)
		}
	}
	tried := 0
	for _, path := range lessons(t) {
		if !strings.Contains(mustRead(t, path), `"exercise":`) {
			continue
		}
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			r := runNotebook(t, path, t.TempDir(), "--answers", wrongAnswers, "--allow-errors")
			if len(r.Exercises) == 0 {
				t.Fatalf("no exercise ran: %s", r.Error)
			}
			for id, i := range r.Exercises {
				tried++
				if i+1 >= len(r.Cells) {
					t.Errorf("exercise %s is the last cell: where is its check?", id)
					continue
				}
				if c := r.Cells[i+1]; !c.Error || !strings.Contains(c.Text, "✗ ") {
					t.Errorf("exercise %s: its check did not fail on a wrong answer (error=%v):\n%s", id, c.Error, lastLines(c.Text, 5))
				}
			}
		})
	}
	if tried == 0 {
		t.Error("no lesson has exercises")
	}
}

// TestAssignmentSolutionsScoreFullMarks executes each assignment's solution notebook: every check passes.
func TestAssignmentSolutionsScoreFullMarks(t *testing.T) {
	paths, _ := filepath.Glob("assignments/*.ipynb")
	if len(paths) == 0 {
		t.Fatal("no assignment notebooks")
	}
	for _, path := range paths {
		r := runNotebook(t, path, t.TempDir())
		if !r.OK {
			t.Fatalf("%s failed: %s", path, lastLines(r.Error, 20))
		}
		var text strings.Builder
		for _, c := range r.Cells {
			text.WriteString(c.Text)
		}
		if n := strings.Count(text.String(), "✓ "); n < 5 || strings.Contains(text.String(), "✗ ") {
			t.Errorf("%s: %d checks passed, some failed:\n%s", path, n, text.String())
		}
	}
}

// TestStudentVersionFailsWithAClearMessage generates the student version of an assignment and runs it:
// its first check must fail, saying the function is not written yet.
func TestStudentVersionFailsWithAClearMessage(t *testing.T) {
	dir := t.TempDir()
	student := filepath.Join(dir, "a1-heads.ipynb")
	gen := exec.Command("go", "run", "../cmd/twoheads", "assign", "-o", student, "assignments/a1-heads.ipynb")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("twoheads assign: %v\n%s", err, out)
	}
	r := runNotebook(t, student, dir)
	if r.OK {
		t.Fatal("the student version passed its checks")
	}
	var text strings.Builder
	for _, c := range r.Cells {
		text.WriteString(c.Text)
	}
	if want := "your function panicked: not done yet"; !strings.Contains(text.String(), want) {
		t.Errorf("the failing check does not say %q:\n%s", want, lastLines(text.String(), 10))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
