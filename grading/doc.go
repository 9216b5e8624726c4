// Package grading is the autograder of the twoheads assignments: it runs students' notebooks with the
// real kernel and turns what their check cells did into scores and feedback.
//
// An assignment is an nbgrader notebook (package assignment reads the format). The instructor's
// notebook, hidden tests included, makes a Grader (Open, NewGrader). Grade grades one submission;
// GradeAll grades a class, a few at a time, writes each student's files into an Output folder
// (results/NAME.json, feedback/NAME.md, instructor/NAME.ipynb and NAME.log, grades.csv) and puts back
// any file grading was not allowed to change.
//
// Grading assumes the code is hostile. Each submission is merged into a fresh copy of the instructor's
// notebook (merge.go): only the student's solution cells and the cells they added are kept; test cells,
// hidden tests included, come from the instructor's copy, whatever the submission holds. The merged
// notebook runs in a temporary folder (run.go and runner.py, which reports each cell on file descriptor
// 3), inside a sandbox when the machine allows it (sandbox.go and sandbox.sh: Linux namespaces, a
// read-only file system but that folder, no network, its own /dev and /proc), with the Limits: a time
// limit per cell and per notebook, a memory limit per process, a cap on output. A file larger than
// MaxSubmissionBytes is not run.
//
// A test cell earns its points only if every check in it passed and the cell reached its end (score.go).
// The proof is a per-run token (see internal/gradeproto): the grader hands it to the lesson package,
// which reads and hides it before any student code runs, and appends a call that prints it to each
// test cell; so a submission that exits early, prints fake "✓" lines or redefines a check earns
// nothing. What it does not protect: code written to attack the grader itself could still read the
// token from its process's initial environment (/proc/self/environ) and print it. The sandbox protects
// the machine and the other submissions, not that score. Without the sandbox, submissions run with the
// grader's permissions and network; GradeAll then checks the submissions and the instructor's notebook
// afterwards and puts back any that changed, but nothing else is protected.
//
// Feedback (feedback.go) shows what each check printed, in the student's terms, never the code of
// hidden tests nor the names only they use (text.go turns outputs into text, HTML included).
//
// The package imports only the standard library, package assignment and the module's internal
// packages: no GoMLX, GoNB or charts, and not the lesson package it grades.
package grading
