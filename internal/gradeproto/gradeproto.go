// Package gradeproto is what the autograder (package grading) and the code it grades (package lesson)
// must agree on: how the grader hands a run its secret token, and how a graded cell proves, with that
// token, that it ran to its end. It holds constants only, so that both sides import it without
// importing each other.
//
// The protocol: the grader puts a fresh token in the environment variable TokenEnv of the notebook's
// kernel, and appends DoneStatement at the end of every test cell. lesson reads and removes the token
// when a cell's program starts, before any student code runs; lesson.GradeDone prints DoneMarker
// followed by the token. A test cell earns its points only if its output holds that exact line: a
// failed check ends the cell before it, and a student cannot print a line with a token it never saw.
package gradeproto

// TokenEnv names the environment variable that carries the grading token into the kernel.
const TokenEnv = "TWOHEADS_GRADE_TOKEN"

// DoneMarker starts the line that proves a test cell ran to its end; the token follows it.
const DoneMarker = "twoheads-grade-done "

// DoneStatement is the Go statement the grader appends to each test cell. It calls lesson.GradeDone,
// which prints DoneMarker and the token (and nothing outside a grading run).
const DoneStatement = "lesson.GradeDone()"
