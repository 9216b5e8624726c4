// Package assignment reads and writes assignment notebooks in nbgrader's format, and turns solution
// notebooks into student versions.
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
// ParseNotebook reads a notebook (its errors are *FormatError, in a student's terms), and Notebook and
// Cell give access to cells, their nbgrader metadata (Grading) and outputs while keeping every field
// this package does not know about. StudentVersion writes what students receive: every solution region
// replaced by Stub (it compiles, and fails its check with "not done yet"), hidden tests removed,
// outputs cleared. The same notebooks work with nbgrader itself (see
// notebooks/assignments/nbgrader_config.py).
//
// Grading submissions is package grading's work. This package imports only the standard library.
package assignment
