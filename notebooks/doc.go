// Package notebooks holds the lesson notebooks of twoheads (GoNB, the Go kernel for Jupyter), the
// assignments (assignments/: solution notebooks in nbgrader's form, and nbgrader_config.py), and the
// tests that execute every one of them with the real kernel, open one in JupyterLab in headless
// Chromium, and run nbgrader's generate_assignment and autograde on an assignment.
//
// The notebooks are saved without outputs: diffs stay readable, nothing stale is shown, and the test
// proves on every change that each one runs from top to bottom. The executed copies the test writes
// (to $TWOHEADS_ARTIFACTS/notebooks, or a temporary folder) are what a student sees.
//
// Each notebook starts with the same set-up cell, which binds it to this module offline:
//
//	%noautoget
//	!*rm -f go.work && go work init && go work use . "${TWOHEADS_MODULE:-${GONB_DIR}/..}"
//	%goworkfix
//
// Lessons end their sections with exercises for the learner (see lesson/practice.go): an exercise cell
// the learner edits carries the metadata "twoheads": {"exercise": ID}, and the cell after it checks it.
// The tests put the answers of testdata/exercise-answers.json into those cells (every exercise check
// must then pass) and, in a second run, those of testdata/exercise-wrong-answers.json (every one must
// fail with ✗). An exercise left undone never fails its cell, so a lesson runs from top to bottom as
// it ships.
//
// Set up Jupyter and the kernel with docker/setup.sh, then:
//
//	source scripts/jupyter-env.sh && jupyter lab notebooks/
package notebooks
