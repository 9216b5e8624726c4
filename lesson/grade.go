package lesson

import (
	"fmt"
	"os"

	"github.com/twoheads/twoheads/internal/gradeproto"
)

// GradeTokenEnv names the environment variable through which an autograder (`twoheads grade`, package
// grading) gives the cells it runs a secret token. The lesson package reads it when the program starts,
// before any learner's code runs, and removes it from the environment.
const GradeTokenEnv = gradeproto.TokenEnv

var gradeToken = func() string {
	t := os.Getenv(GradeTokenEnv)
	os.Unsetenv(GradeTokenEnv)
	return t
}()

// GradeDoneMarker starts the line GradeDone prints.
const GradeDoneMarker = gradeproto.DoneMarker

// GradeDone marks, for the autograder, that a graded cell ran to its end: every check before it passed
// (a failed check ends the cell). The autograder adds it (gradeproto.DoneStatement) at the end of each
// test cell; outside a grading run it prints nothing.
func GradeDone() {
	if gradeToken != "" {
		fmt.Println(GradeDoneMarker + gradeToken)
	}
}
