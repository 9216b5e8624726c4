package gradeproto_test

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/twoheads/twoheads/internal/gradeproto"
	"github.com/twoheads/twoheads/lesson"
)

// TestDoneStatementCallsLessonGradeDone keeps the statement the grader appends in step with the
// function it calls, and lesson's constants with this package's.
func TestDoneStatementCallsLessonGradeDone(t *testing.T) {
	name := runtime.FuncForPC(reflect.ValueOf(lesson.GradeDone).Pointer()).Name()
	if short := name[strings.LastIndex(name, "/")+1:]; gradeproto.DoneStatement != short+"()" {
		t.Errorf("DoneStatement %q does not call %s", gradeproto.DoneStatement, name)
	}
	if lesson.GradeTokenEnv != gradeproto.TokenEnv || lesson.GradeDoneMarker != gradeproto.DoneMarker {
		t.Error("lesson and gradeproto disagree")
	}
}
