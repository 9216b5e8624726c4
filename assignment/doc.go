// Package assignment turns solution notebooks into student versions and grades submissions.
//
// An assignment is a Jupyter notebook in nbgrader's format, written for the GoNB kernel. Its cells
// carry nbgrader metadata ("nbgrader": {"grade_id", "solution", "grade", "locked", "points"}):
//
//   - solution cells hold the code a student writes, between the Go comments "// BEGIN SOLUTION" and
//     "// END SOLUTION";
//   - grade (test) cells call the lesson package's exercise checks after GoNB's "%%" line, each worth
//     "points"; code between "// BEGIN HIDDEN TESTS" and "// END HIDDEN TESTS" is graded but never
//     shown to students;
//   - other locked cells (set-up) and Markdown are the instructor's.
//
// StudentVersion writes what students receive: every solution region replaced by Stub (it compiles,
// and fails its check with "not done yet"), hidden tests removed, outputs cleared. The same notebooks
// work with nbgrader itself (see notebooks/assignments/nbgrader_config.py).
//
// Grader grades submissions the way nbgrader's autograder does, with the real kernel, and assumes the
// code is hostile: each submission is merged into a fresh copy of the instructor's notebook (only the
// student's solution cells and added cells are kept; test cells, hidden tests included, come from the
// instructor's copy), then executed in a temporary folder inside a sandbox (read-only file system
// but that folder, no network, a memory limit, a time limit per cell and per notebook, a cap on
// output). A grade cell earns its points only if every check in it passed and the cell reached its
// end, proven by a per-run token that the grader hands to the lesson package before any student code
// runs; so a submission that exits early, prints fake "✓" lines or redefines a check earns nothing.
// (Code written to attack the grader itself could still read the token from its process's initial
// environment: the sandbox protects the machine and the other submissions, not that score.)
// Feedback shows what each check printed, never the code of hidden tests.
package assignment
