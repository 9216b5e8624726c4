package mlcore

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// DefaultBackendConfig configures GoMLX's pure-Go backend for this package.
//
// "ops_sequential" runs the operations of one graph one after the other, each of them using all
// cores inside (matrix products are split across workers). With the backend's default, which runs
// independent operations of a graph concurrently, several large independent matrix products (both heads
// evaluated on a big batch, say) can each hold a worker slot while waiting for slots to split their own
// work: with all slots held, the process hangs forever (GoMLX v0.28.2; reproduced here with
// "parallelism=2" and both heads on 10,000 examples). Sequential ops cannot deadlock this way, and for
// these small networks they are no slower.
const DefaultBackendConfig = "ops_sequential"

// BackendConfigEnv names the environment variable with extra Go backend options, e.g. "parallelism=1"
// (for experiments and benchmarks). "ops_sequential" is always added; "ops_parallel" is refused.
const BackendConfigEnv = "TWOHEADS_BACKEND_CONFIG"

// backendConfig merges the options in env with DefaultBackendConfig.
func backendConfig(env string) (string, error) {
	opts := []string{DefaultBackendConfig}
	for _, o := range strings.Split(env, ",") {
		o = strings.TrimSpace(o)
		switch {
		case o == "" || o == DefaultBackendConfig:
		case o == "ops_parallel":
			return "", fmt.Errorf("mlcore: $%s: ops_parallel can deadlock GoMLX's Go backend; leave it out", BackendConfigEnv)
		case !slices.Contains(opts, o):
			opts = append(opts, o)
		}
	}
	return strings.Join(opts, ","), nil
}

func newBackend(env string) (compute.Backend, error) {
	cfg, err := backendConfig(env)
	if err != nil {
		return nil, err
	}
	b, err := gobackend.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("mlcore: Go backend with config %q: %w", cfg, err)
	}
	return b, nil
}

var backendOnce = sync.OnceValues(func() (compute.Backend, error) {
	return newBackend(os.Getenv(BackendConfigEnv))
})

// Backend returns the process-wide compute backend: GoMLX's pure-Go backend configured with
// DefaultBackendConfig (plus the options in $TWOHEADS_BACKEND_CONFIG). It never pulls XLA, so it works
// offline.
func Backend() (compute.Backend, error) { return backendOnce() }
