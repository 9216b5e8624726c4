package lesson

import (
	"fmt"
	"os"

	"github.com/twoheads/twoheads/mlcore"
	"github.com/twoheads/twoheads/notebook"
)

// QuickEnv names the environment variable that makes notebooks train small: see Quick.
const QuickEnv = "TWOHEADS_QUICK"

// Quick reports whether $TWOHEADS_QUICK is set. Notebooks then train on less data for fewer epochs,
// so that the test suite can execute every notebook in a few minutes; the numbers they print are
// then lower than in a full run.
func Quick() bool { return os.Getenv(QuickEnv) != "" }

// Digits returns the 8×8 digits split into train and test sets by seed (a quarter for testing).
func Digits(seed int64) mlcore.Split {
	s, err := mlcore.DigitsSplit(seed, mlcore.DefaultTestFraction)
	Must(err)
	return s
}

// MNIST returns MNIST: 60,000 training and 10,000 test images (10,000 and 2,000 in Quick mode).
func MNIST() mlcore.Split {
	s, err := mlcore.LoadMNIST("")
	Must(err)
	if Quick() {
		s.Train, s.Test = s.Train.First(10000), s.Test.First(2000)
	}
	return s
}

// Trained returns the model that mlcore.Train(split, cfg) gives, training it with a progress bar or
// loading it from the cache if an earlier cell (or notebook) trained it, and says which it did.
// Each GoNB cell is a new process: the cache is what lets later cells use the model.
func Trained(split mlcore.Split, cfg mlcore.Config) (*mlcore.Model, *mlcore.History) {
	m, hist, loaded, err := mlcore.TrainOrLoad("", split, cfg, notebook.Progress(fmt.Sprintf("training %v on %s", cfg.Heads, split.Train.Name)))
	Must(err)
	how := "trained"
	if loaded {
		how = "loaded from the cache (trained earlier with the same settings and data)"
	}
	fmt.Printf("%v %s: %d steps, %.1fs of training\n", cfg.Heads, how, hist.Steps, hist.TrainSeconds)
	return m, hist
}
